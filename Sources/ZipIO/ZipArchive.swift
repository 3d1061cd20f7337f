internal import CLibZip
#if canImport(Glibc)
    import Glibc
#endif

/// One entry of an archive, as its central directory describes it.
public struct ZipEntry: Sendable, Hashable {
    /// Position in the archive.
    public var index: Int
    /// UTF-8 name (libzip converts CP437 names of old tools).
    public var name: String
    /// Declared inflated size. Read guards never trust it for allocation.
    public var size: UInt64
    public var compressedSize: UInt64
    public var isEncrypted: Bool
    public var isDirectory: Bool { name.hasSuffix("/") }
}

/// An archive open for reading. Owns its libzip handle; each task opens its
/// own (libzip handles are not shared between threads).
///
/// Entries are read as streams (`withStream`), never inflated whole unless
/// the caller asks (`readAll`) for a part it knows to be small.
public struct ZipArchive: ~Copyable {
    let handle: OpaquePointer
    /// The path the archive was opened from.
    public let path: String
    public let limits: ZipLimits
    /// Entries in archive order.
    public let entries: [ZipEntry]
    private let byName: [String: Int]
    /// Bytes inflated so far from all entries, against `limits.maxTotalUncompressed`.
    public private(set) var inflatedTotal: UInt64 = 0

    /// Opens `path` and checks every entry against `limits` before anything
    /// is inflated: names, count, declared sizes, ratios.
    public init(path: String, limits: ZipLimits = .default) throws(ZipError) {
        let name = displayName(path)
        var code: Int32 = 0
        guard let za = zip_open(path, Int32(ZIP_RDONLY), &code) else {
            throw ZipArchive.openError(path: path, code: code)
        }
        let count = zip_get_num_entries(za, 0)
        if count > Int64(limits.maxEntries) {
            zip_discard(za)
            throw ZipError(
                .tooManyEntries, operation: "открытие", archive: name,
                message: "в архиве \(count) записей, допускается не больше \(limits.maxEntries)")
        }
        var list: [ZipEntry] = []
        list.reserveCapacity(Int(max(count, 0)))
        var declaredTotal: UInt64 = 0
        for i in 0..<max(count, 0) {
            var st = zip_stat_t()
            zip_stat_init(&st)
            guard zip_stat_index(za, UInt64(i), zip_flags_t(ZIP_FL_ENC_GUESS), &st) == 0, let cname = st.name else {
                let cause = String(cString: zip_strerror(za))
                zip_discard(za)
                throw ZipError(
                    .readFailed, operation: "открытие", archive: name,
                    message: "не удалось прочитать каталог архива (запись \(i))", cause: cause)
            }
            let entry = ZipEntry(
                index: Int(i), name: String(cString: cname), size: st.size,
                compressedSize: st.comp_size, isEncrypted: st.encryption_method != UInt16(ZIP_EM_NONE))
            if let problem = EntryName.problem(entry.name) {
                zip_discard(za)
                throw ZipError(
                    .unsafeEntryName, operation: "открытие", archive: name, entry: entry.name,
                    message: problem + "; такой архив не принимается")
            }
            if entry.size > limits.maxEntryUncompressed {
                zip_discard(za)
                throw ZipError(
                    .sizeLimit, operation: "открытие", archive: name, entry: entry.name,
                    message: "запись распаковывается в \(entry.size) байт, допускается не больше \(limits.maxEntryUncompressed)")
            }
            if entry.size > limits.ratioFloor, entry.size / max(entry.compressedSize, 1) > limits.maxRatio {
                zip_discard(za)
                throw ZipError(
                    .ratioLimit, operation: "открытие", archive: name, entry: entry.name,
                    message: "степень сжатия \(entry.size / max(entry.compressedSize, 1)):1 больше допустимой \(limits.maxRatio):1 (похоже на zip-бомбу)")
            }
            declaredTotal &+= entry.size
            if declaredTotal > limits.maxTotalUncompressed || declaredTotal < entry.size {
                zip_discard(za)
                throw ZipError(
                    .sizeLimit, operation: "открытие", archive: name,
                    message: "записи распаковываются больше чем в \(limits.maxTotalUncompressed) байт (похоже на zip-бомбу)")
            }
            list.append(entry)
        }
        self.handle = za
        self.path = path
        self.limits = limits
        self.entries = list
        var map: [String: Int] = [:]
        for entry in list where map[entry.name] == nil { map[entry.name] = entry.index }
        self.byName = map
    }

    deinit { zip_discard(handle) }

    /// The archive's file name, for messages.
    public var name: String { displayName(path) }

    /// The entry with exactly this name (the first, if a hostile archive repeats it).
    public func entry(named name: String) -> ZipEntry? {
        byName[name].map { entries[$0] }
    }

    /// The entry with this name, or a `ZipError` naming it.
    public func require(_ name: String) throws(ZipError) -> ZipEntry {
        guard let entry = entry(named: name) else {
            throw ZipError(
                .entryNotFound, operation: "чтение", archive: self.name, entry: name,
                message: "в архиве нет такой записи")
        }
        return entry
    }

    /// Opens `entry` as a stream for `body`, closing it on every path.
    public mutating func withStream<R>(_ entry: ZipEntry, _ body: (inout ZipEntryStream) throws -> R) throws -> R {
        if entry.isEncrypted {
            throw ZipError(
                .encryptedEntry, operation: "чтение", archive: name, entry: entry.name,
                message: "запись зашифрована паролем; снимите пароль и сохраните файл заново")
        }
        guard let file = zip_fopen_index(handle, UInt64(entry.index), 0) else {
            throw ZipError(
                .readFailed, operation: "чтение", archive: name, entry: entry.name,
                message: "не удалось открыть запись", cause: String(cString: zip_strerror(handle)))
        }
        var stream = ZipEntryStream(
            file: file, entry: entry, archive: name, limits: limits,
            budget: limits.maxTotalUncompressed &- min(inflatedTotal, limits.maxTotalUncompressed))
        defer { inflatedTotal &+= stream.produced }
        return try body(&stream)
    }

    /// Reads a whole entry into memory; for parts the caller knows are small
    /// (relationships, workbook, styles). Refuses entries above `maxBytes`.
    public mutating func readAll(_ entry: ZipEntry, maxBytes: Int = 64 << 20) throws -> [UInt8] {
        if entry.size > UInt64(maxBytes) {
            throw ZipError(
                .sizeLimit, operation: "чтение", archive: name, entry: entry.name,
                message: "запись больше \(maxBytes) байт")
        }
        let name = self.name
        return try withStream(entry) { stream in
            var out: [UInt8] = []
            out.reserveCapacity(Int(entry.size))
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
                if n == 0 { break }
                if out.count + n > maxBytes {
                    throw ZipError(
                        .sizeLimit, operation: "чтение", archive: name, entry: entry.name,
                        message: "запись больше \(maxBytes) байт")
                }
                out.append(contentsOf: chunk[0..<n])
            }
            return out
        }
    }

    // MARK: - Errors of zip_open

    static func openError(path: String, code: Int32) -> ZipError {
        let name = displayName(path)
        var err = zip_error_t()
        zip_error_init_with_code(&err, code)
        let cause = String(cString: zip_error_strerror(&err))
        zip_error_fini(&err)
        switch code {
        case ZIP_ER_NOZIP, ZIP_ER_INCONS:
            if hasOLESignature(path) {
                return ZipError(
                    .oleDocument, operation: "открытие", archive: name,
                    message: "это документ OLE, а не ZIP: книга Excel, защищённая паролем, или старый формат .xls; снимите пароль и сохраните как .xlsx",
                    cause: cause)
            }
            let damaged = code == ZIP_ER_INCONS || hasZipSignature(path)
            return ZipError(
                .notZip, operation: "открытие", archive: name,
                message: damaged
                    ? "ZIP-архив обрезан или повреждён (файл недокопирован?); скопируйте или сохраните его заново"
                    : "не ZIP-архив (файл .xlsx должен быть ZIP-архивом); сохраните его заново как книгу Excel",
                cause: cause)
        case ZIP_ER_NOENT:
            return ZipError(.openFailed, operation: "открытие", archive: name, message: "файл не найден", cause: cause)
        case ZIP_ER_READ, ZIP_ER_OPEN:
            return ZipError(
                .openFailed, operation: "открытие", archive: name,
                message: "файл не читается (права доступа или это папка)", cause: cause)
        default:
            return ZipError(.openFailed, operation: "открытие", archive: name, message: "не удалось открыть архив", cause: cause)
        }
    }

    /// OLE compound documents (encrypted OOXML, legacy .xls) begin with D0 CF 11 E0 A1 B1 1A E1.
    static func hasOLESignature(_ path: String) -> Bool {
        firstBytes(path, 8) == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    }

    /// A zip begins with a local file header, `PK 03 04`.
    static func hasZipSignature(_ path: String) -> Bool {
        firstBytes(path, 4) == [0x50, 0x4B, 0x03, 0x04]
    }

    private static func firstBytes(_ path: String, _ count: Int) -> [UInt8] {
        guard let f = fopen(path, "rb") else { return [] }
        defer { fclose(f) }
        var magic = [UInt8](repeating: 0, count: count)
        let n = fread(&magic, 1, count, f)
        return Array(magic[0..<n])
    }
}

/// One open entry, read in chunks. Counts what it inflates and stops at the
/// declared size (a header that understates it is a lie) and at the limits.
public struct ZipEntryStream: ~Copyable {
    let file: OpaquePointer
    public let entry: ZipEntry
    let archive: String
    let limits: ZipLimits
    let budget: UInt64
    /// Bytes inflated so far.
    public private(set) var produced: UInt64 = 0

    init(file: OpaquePointer, entry: ZipEntry, archive: String, limits: ZipLimits, budget: UInt64) {
        self.file = file
        self.entry = entry
        self.archive = archive
        self.limits = limits
        self.budget = budget
    }

    deinit { zip_fclose(file) }

    /// Fills up to `buffer.count` bytes; 0 at the end of the entry.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let n = zip_fread(file, base, UInt64(buffer.count))
        if n < 0 {
            throw ZipError(
                .readFailed, operation: "чтение", archive: archive, entry: entry.name,
                message: "запись повреждена", cause: String(cString: zip_file_strerror(file)))
        }
        produced &+= UInt64(n)
        if produced > entry.size {
            throw ZipError(
                .sizeMismatch, operation: "чтение", archive: archive, entry: entry.name,
                message: "запись распаковывается больше объявленных \(entry.size) байт (заголовок архива неверен)")
        }
        if produced > budget {
            throw ZipError(
                .sizeLimit, operation: "чтение", archive: archive, entry: entry.name,
                message: "распаковано больше \(limits.maxTotalUncompressed) байт (похоже на zip-бомбу)")
        }
        return Int(n)
    }
}
