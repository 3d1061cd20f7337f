import SystemText
#if canImport(Glibc)
    import Glibc
#endif

/// The text encodings a CSV export comes in.
public enum TextEncoding: String, Sendable, CustomStringConvertible {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 с BOM"
    case windows1251 = "Windows-1251"

    public var description: String { rawValue }
}

/// What the reader found out about a CSV file from its content.
public struct CSVDialect: Sendable, Equatable, CustomStringConvertible {
    public enum LineBreak: String, Sendable {
        case crlf = "CR LF"
        case lf = "LF"
        case cr = "CR"
        case none = "нет"
    }

    public var separator: UInt8
    public var encoding: TextEncoding
    public var lineBreak: LineBreak

    /// `разделитель «;», кодировка Windows-1251, перевод строки CR LF`.
    public var description: String {
        let sep = separator == 0x09 ? "табуляция" : "«\(Character(Unicode.Scalar(separator)))»"
        return "разделитель \(sep), кодировка \(encoding), перевод строки \(lineBreak.rawValue)"
    }
}

/// A problem in a CSV file that the reader worked around: the record is
/// read as well as it can be, or skipped, and the line is named.
public struct CSVFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unterminatedQuote = "W-CSV-QUOTE-OPEN"
        case textAfterQuote = "W-CSV-QUOTE-TEXT"
        case quoteSpansRecords = "E-CSV-QUOTE-SPAN"
        case recordTooLong = "E-CSV-LINE-TOO-LONG"
        case invalidUTF8 = "E-CSV-UTF8"
        case nulByte = "E-CSV-NUL"

        /// A damaged record: its values cannot be trusted, so the row is an
        /// error (the file is rejected, or the row skipped under skip-row).
        public var isError: Bool { self == .recordTooLong || self == .invalidUTF8 || self == .nulByte || self == .quoteSpansRecords }
    }

    public var code: Code
    /// 1-based line of the file.
    public var line: Int
    /// In Russian.
    public var message: String

    public var description: String { "строка \(line): \(message)" }
}

/// Limits for reading CSV.
public struct CSVLimits: Sendable {
    /// One record's bytes; a longer one is skipped with a finding.
    public var maxRecordBytes: Int
    /// Fields in one record.
    public var maxFields: Int

    public init(maxRecordBytes: Int = 16 << 20, maxFields: Int = 16_384) {
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
    }

    public static let `default` = CSVLimits()
}

/// Reads a CSV file (RFC 4180 quoting) one record at a time, in bounded
/// memory. The separator (`;`, `,`, tab, `|`), the encoding (UTF-8 with or
/// without BOM, Windows-1251) and the line breaks are found from the
/// content, never from the file name. Malformed records become findings
/// with their line number; reading goes on.
///
/// Records come as `RowView`s: the row number is the line the record starts
/// on, cells are the non-empty fields as strings, column `n` is field `n`.
public final class CSVReader {
    public let path: String
    public let fileName: String
    public let dialect: CSVDialect
    public let limits: CSVLimits
    /// What the last scan worked around.
    public private(set) var findings: [CSVFinding] = []

    private static let chunkSize = 1 << 20

    public init(path: String, limits: CSVLimits = .default) throws {
        self.path = path
        self.fileName = path.split(separator: "/").last.map(String.init) ?? path
        self.limits = limits
        dialect = try CSVReader.detect(path: path, fileName: fileName)
    }

    /// Visits each record with a non-empty field.
    public func scan(_ visit: (RowView) throws -> ScanDecision) throws {
        findings = []
        let file = try ChunkFile(path: path, fileName: fileName)
        var parser = CSVParser(dialect: dialect, limits: limits)
        let storage = RowStorage(shared: [], dateSystem: .d1900)
        storage.reset(row: 1)
        var buffer = [UInt8](repeating: 0, count: file.bufferSize(atMost: CSVReader.chunkSize))
        if dialect.encoding == .utf8BOM { parser.skip = 3 }
        var done = false
        while !done {
            let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0) }
            let outcome = try buffer.withUnsafeBufferPointer { chunk in
                try parser.consume(UnsafeBufferPointer(rebasing: chunk[0..<n]), final: n == 0, storage: storage, visit: visit)
            }
            switch outcome {
            case .more: done = n == 0
            case .stop: done = true
            case .rewind(let offset): try file.seek(to: offset)
            }
        }
        findings = parser.findings
    }

    /// The records, copied (for small files or the first `limit` records).
    public func rows(limit: Int = .max) throws -> [Row] {
        var rows: [Row] = []
        guard limit > 0 else { return rows }
        try scan { view in
            rows.append(view.row)
            return rows.count >= limit ? .stop : .continue
        }
        return rows
    }

    // MARK: - Detection

    static func detect(path: String, fileName: String) throws -> CSVDialect {
        let file = try ChunkFile(path: path, fileName: fileName)
        var buffer = [UInt8](repeating: 0, count: file.bufferSize(atMost: chunkSize))
        var validator = UTF8Census()
        var sample: [UInt8] = []
        var first = true
        var hasBOM = false
        while true {
            let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0) }
            if n == 0 { break }
            var start = 0
            if first {
                first = false
                if n >= 2, (buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF) {
                    throw SpreadsheetError(
                        .unsupportedFormat, file: fileName,
                        message: "файл в кодировке UTF-16; сохраните его как CSV в UTF-8 или Windows-1251")
                }
                if n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                    hasBOM = true
                    start = 3
                }
                sample = Array(buffer[start..<min(n, 64 * 1024)])
            }
            buffer.withUnsafeBufferPointer { validator.feed(UnsafeBufferPointer(rebasing: $0[start..<n])) }
        }
        let encoding: TextEncoding =
            hasBOM
            ? .utf8BOM
            : validator.invalid == 0 || validator.validMultibyte >= 4 * validator.invalid ? .utf8 : .windows1251
        return CSVDialect(separator: separator(in: sample), encoding: encoding, lineBreak: lineBreak(in: sample))
    }

    /// The candidate that splits the most sample lines into the same number
    /// of fields (outside quotes); then the one giving more fields.
    static func separator(in sample: [UInt8]) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ";"), 0x09, UInt8(ascii: ","), UInt8(ascii: "|")]
        var counts = [[Int]](repeating: [], count: candidates.count)
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lines = 0
        var lineHasText = false
        for b in sample {
            if b == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes, b == 0x0A || b == 0x0D {
                if lineHasText {
                    for k in candidates.indices { counts[k].append(current[k]) }
                    lines += 1
                    if lines >= 50 { break }
                }
                current = [Int](repeating: 0, count: candidates.count)
                lineHasText = false
                continue
            }
            lineHasText = true
            if !inQuotes, let k = candidates.firstIndex(of: b) { current[k] += 1 }
        }
        if lineHasText, lines < 50 { for k in candidates.indices { counts[k].append(current[k]) } }
        var best = (score: 0, fields: 0, separator: candidates[0])
        for (k, perLine) in counts.enumerated() {
            var frequency: [Int: Int] = [:]
            for c in perLine where c > 0 { frequency[c, default: 0] += 1 }
            guard let (mode, score) = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { continue }
            if score > best.score || (score == best.score && mode > best.fields) {
                best = (score, mode, candidates[k])
            }
        }
        return best.separator
    }

    static func lineBreak(in sample: [UInt8]) -> CSVDialect.LineBreak {
        guard let i = sample.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return .none }
        if sample[i] == 0x0A { return .lf }
        return i + 1 < sample.count && sample[i + 1] == 0x0A ? .crlf : .cr
    }
}

/// Counts valid multi-byte UTF-8 sequences and invalid bytes, across chunks.
struct UTF8Census {
    var validMultibyte = 0
    var invalid = 0
    private var expected = 0
    private var lead: UInt8 = 0

    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) {
        for b in bytes {
            if expected > 0 {
                if b & 0xC0 == 0x80 {
                    expected -= 1
                    if expected == 0 { validMultibyte += 1 }
                    continue
                }
                invalid += 1
                expected = 0
            }
            switch b {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: expected = 1
            case 0xE0...0xEF: expected = 2
            case 0xF0...0xF4: expected = 3
            default: invalid += 1
            }
        }
    }
}

/// A file read in chunks with the POSIX calls, closed on deinit.
final class ChunkFile {
    private let fd: Int32
    private let fileName: String
    /// The size when the file was opened (it may still grow).
    private(set) var size = 0

    /// A read buffer's size for this file: a small file gets a small buffer
    /// (zeroing a megabyte for a 2 KB export is most of its cost).
    func bufferSize(atMost limit: Int) -> Int { max(4096, min(limit, size + 1)) }

    init(path: String, fileName: String) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SpreadsheetError(.ioFailed, file: fileName, message: "файл не открывается: \(systemErrorText())")
        }
        self.fileName = fileName
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw SpreadsheetError(.ioFailed, file: fileName, message: "это папка, а не файл")
        }
        size = Int(info.st_size)
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw SpreadsheetError(.ioFailed, file: fileName, message: "ошибка чтения: \(systemErrorText())")
        }
    }

    func seek(to offset: Int) throws {
        if lseek(fd, off_t(offset), SEEK_SET) < 0 {
            throw SpreadsheetError(.ioFailed, file: fileName, message: "ошибка чтения: \(systemErrorText())")
        }
    }
}
