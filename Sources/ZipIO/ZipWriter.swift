internal import CLibZip
#if canImport(Glibc)
    import Glibc
#endif

/// How an entry is stored.
public enum ZipCompression: Sendable {
    case stored
    case deflated
}

/// Writes a new archive. libzip writes to a temporary file beside `path`
/// and renames it into place on `finish()`, so a crash never leaves a
/// half-written archive under the final name; an unfinished writer discards
/// everything.
///
/// In deterministic mode entries are written sorted by name with a fixed
/// timestamp (1980-01-01 00:00, the zip format's epoch) and fixed
/// attributes, so the same entries give the same bytes on any machine.
public struct ZipWriter: ~Copyable {
    enum Source {
        case bytes([UInt8])
        case file(String)
    }

    struct Pending {
        var name: String
        var source: Source
        var compression: ZipCompression
    }

    let handle: OpaquePointer
    public let path: String
    public let deterministic: Bool
    private var pending: [Pending] = []
    private var names: Set<String> = []
    private var finished = false

    public init(path: String, deterministic: Bool = false) throws(ZipError) {
        var code: Int32 = 0
        guard let za = zip_open(path, Int32(ZIP_CREATE | ZIP_TRUNCATE), &code) else {
            var err = zip_error_t()
            zip_error_init_with_code(&err, code)
            let cause = String(cString: zip_error_strerror(&err))
            zip_error_fini(&err)
            throw ZipError(
                .writeFailed, operation: "запись", archive: displayName(path),
                message: "не удалось создать архив", cause: cause)
        }
        self.handle = za
        self.path = path
        self.deterministic = deterministic
    }

    deinit {
        if !finished { zip_discard(handle) }
    }

    /// Adds an entry from memory.
    public mutating func add(_ name: String, bytes: [UInt8], compression: ZipCompression = .deflated) throws(ZipError) {
        try check(name)
        pending.append(Pending(name: name, source: .bytes(bytes), compression: compression))
    }

    /// Adds an entry from memory.
    public mutating func add(_ name: String, text: String, compression: ZipCompression = .deflated) throws(ZipError) {
        try add(name, bytes: Array(text.utf8), compression: compression)
    }

    /// Adds an entry whose bytes libzip reads from `file` when the archive is
    /// written (the file must stay until `finish()`).
    public mutating func add(_ name: String, file: String, compression: ZipCompression = .deflated) throws(ZipError) {
        try check(name)
        pending.append(Pending(name: name, source: .file(file), compression: compression))
    }

    private mutating func check(_ name: String) throws(ZipError) {
        if let problem = EntryName.problem(name) {
            throw ZipError(.unsafeEntryName, operation: "запись", archive: displayName(path), entry: name, message: problem)
        }
        if !names.insert(name).inserted {
            throw ZipError(
                .writeFailed, operation: "запись", archive: displayName(path), entry: name,
                message: "запись с таким именем уже добавлена")
        }
    }

    /// Writes the archive and renames it into place.
    public consuming func finish() throws(ZipError) {
        let archive = displayName(path)
        var entries = pending
        if deterministic { entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) } }
        let fixedTime = ZipWriter.zipEpochInLocalTime()
        for entry in entries {
            let source: OpaquePointer?
            switch entry.source {
            case .bytes(let bytes):
                // libzip keeps the buffer until zip_close and frees it then (freep = 1).
                let copy = malloc(max(bytes.count, 1))!
                bytes.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { memcpy(copy, base, raw.count) }
                }
                source = zip_source_buffer(handle, copy, UInt64(bytes.count), 1)
                if source == nil { free(copy) }
            case .file(let file):
                source = zip_source_file(handle, file, 0, 0)
            }
            guard let source else {
                throw ZipError(
                    .writeFailed, operation: "запись", archive: archive, entry: entry.name,
                    message: "не удалось подготовить данные записи", cause: String(cString: zip_strerror(handle)))
            }
            let index = zip_file_add(handle, entry.name, source, zip_flags_t(ZIP_FL_ENC_UTF_8))
            if index < 0 {
                zip_source_free(source)
                throw ZipError(
                    .writeFailed, operation: "запись", archive: archive, entry: entry.name,
                    message: "не удалось добавить запись", cause: String(cString: zip_strerror(handle)))
            }
            let method: Int32 = entry.compression == .stored ? Int32(ZIP_CM_STORE) : Int32(ZIP_CM_DEFLATE)
            var ok = zip_set_file_compression(handle, UInt64(index), method, 0) == 0
            if deterministic {
                ok = ok && zip_file_set_mtime(handle, UInt64(index), fixedTime, 0) == 0
                // Regular file, rw-r--r--, made on Unix: the same on every machine.
                ok = ok && zip_file_set_external_attributes(handle, UInt64(index), 0, UInt8(ZIP_OPSYS_UNIX), UInt32(0o100644) << 16) == 0
            }
            if !ok {
                throw ZipError(
                    .writeFailed, operation: "запись", archive: archive, entry: entry.name,
                    message: "не удалось задать параметры записи", cause: String(cString: zip_strerror(handle)))
            }
        }
        if zip_close(handle) != 0 {
            let cause = String(cString: zip_strerror(handle))
            let failure = zip_get_error(handle)!
            let system = zip_error_system_type(failure) == ZIP_ET_SYS ? zip_error_code_system(failure) : nil
            zip_discard(handle)
            finished = true
            var error = ZipError(
                .writeFailed, operation: "запись", archive: archive,
                message: "не удалось записать архив (место на диске, права доступа?)", cause: cause)
            error.systemErrno = system
            throw error
        }
        finished = true
    }

    /// libzip turns a `time_t` into DOS time through the local time zone, so
    /// the fixed timestamp is made in local time too: the archive then holds
    /// 1980-01-01 00:00 whatever the machine's zone.
    static func zipEpochInLocalTime() -> time_t {
        var parts = tm()
        parts.tm_year = 80
        parts.tm_mon = 0
        parts.tm_mday = 1
        parts.tm_hour = 0
        parts.tm_isdst = -1
        return mktime(&parts)
    }
}
