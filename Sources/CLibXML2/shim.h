// The parts of libxml2 that XMLStream uses. Only XMLStream imports this module.
#ifndef UCHET_CLIBXML2_SHIM_H
#define UCHET_CLIBXML2_SHIM_H
// Debian builds libxml2 with ICU, and its encoding.h then includes ICU's
// headers, which clash with the ICU module Foundation carries when both
// reach one Swift module. XMLStream never touches the ICU-dependent fields
// (it passes encoding handlers by pointer only), so the headers are read
// as if ICU were off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlschemastypes.h>
#include <libxml/xmlerror.h>

// `xmlFree` is a global function-pointer variable; Swift 6 refuses to read a
// mutable C global from concurrent code, so it is called through this function.
static inline void uchet_xmlFree(void *p) { xmlFree(p); }

// XML_SAX2_MAGIC is a macro of an integer literal Swift imports, but keeping
// it here documents where the value the parser checks comes from.
static inline unsigned int uchet_sax2Magic(void) { return XML_SAX2_MAGIC; }

#endif
