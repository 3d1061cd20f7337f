// The parts of libzip that ZipIO uses. Only ZipIO imports this module.
#ifndef UCHET_CLIBZIP_SHIM_H
#define UCHET_CLIBZIP_SHIM_H
#include <zip.h>
#endif
