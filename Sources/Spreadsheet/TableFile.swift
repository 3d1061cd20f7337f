import ZipIO

/// Which reader a file needs, told from its first bytes, not its name.
public enum TableFileKind: Sendable, Equatable {
    case xlsx
    /// An OpenDocument spreadsheet: a zip whose `mimetype` entry says so.
    case ods
    /// An HTML page of tables (an electronic journal's «Excel» export, often named `.xls`).
    case html
    case csv
    /// An OLE compound document: a password-protected workbook or a legacy `.xls`.
    case ole
    /// A scanned document or photo: it comes with a JSON sidecar, never read as a table.
    case scan(ScanFormat)

    /// Looks at the file's signature: a zip is ODS when its `mimetype` entry
    /// names an OpenDocument spreadsheet, else XLSX; `D0 CF 11 E0` is OLE;
    /// `%PDF` and the image signatures are scans; markup (`<!DOCTYPE html`,
    /// `<html`, `<table`, `<meta`, `<head`, `<body`, after a BOM, blanks,
    /// comments or an XML declaration) is HTML, whatever the file's name.
    /// A file named `.xlsx`/`.xlsm` is read as XLSX whatever it holds (so the
    /// zip reader explains what is wrong), `.ods` as ODS; anything else is CSV.
    public static func of(path: String) throws -> TableFileKind {
        let file = try ChunkFile(path: path, fileName: displayName(path))
        var head = [UInt8](repeating: 0, count: 4096)
        var n = 0
        while n < head.count {
            let got = try head.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[n...])) }
            if got == 0 { break }
            n += got
        }
        let bytes = head[0..<n]
        if n >= 4, bytes.starts(with: [0x50, 0x4B]), head[2] == 0x03 || head[2] == 0x05 {
            return isOpenDocumentSpreadsheet(path) ? .ods : .xlsx
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole }
        if let scan = ScanFormat.of(bytes) { return .scan(scan) }
        if looksLikeHTML(bytes) { return .html }
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { return .xlsx }
        if lower.hasSuffix(".ods") { return .ods }
        return .csv
    }

    /// What `uchet check` and `uchet inspect` say about a file no table reader takes.
    public var refusal: String? {
        switch self {
        case .ole:
            return "это документ OLE, а не XLSX: книга Excel, защищённая паролем, или настоящий старый формат .xls; "
                + "снимите пароль и сохраните как .xlsx или .ods (выгрузка журнала «в Excel», которая на деле HTML с именем .xls, читается и так)"
        case .scan(let format):
            return "это скан (\(format.rawValue)), а не таблица: он принимается вместе со своим файлом-описанием .json, "
                + "который его называет (см. README, «Scans and their sidecars»)"
        case .xlsx, .ods, .html, .csv:
            return nil
        }
    }

    /// The `mimetype` entry ODF puts first in its zip; any failure to read it
    /// leaves the file to the XLSX reader, which says what is wrong.
    static func isOpenDocumentSpreadsheet(_ path: String) -> Bool {
        guard var archive = try? ZipArchive(path: path), let entry = archive.entry(named: "mimetype"), entry.size < 256,
            let bytes = try? archive.readAll(entry, maxBytes: 256)
        else { return false }
        let type = String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()
        return type == "application/vnd.oasis.opendocument.spreadsheet" || type == "application/vnd.oasis.opendocument.spreadsheet-template"
    }

    /// True when the text starts with HTML markup, after an optional BOM,
    /// blanks, comments and an XML declaration (case-insensitive).
    static func looksLikeHTML(_ bytes: ArraySlice<UInt8>) -> Bool {
        var rest = bytes
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        while true {
            rest = rest.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C }
            if rest.starts(with: Array("<!--".utf8)) {
                guard let end = rest.firstRange(of: Array("-->".utf8)) else { return false }
                rest = rest[end.upperBound...]
            } else if rest.starts(with: Array("<?".utf8)) {
                guard let end = rest.firstRange(of: Array("?>".utf8)) else { return false }
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        let lowered = rest.prefix(16).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return ["<!doctype html", "<html", "<table", "<meta", "<head", "<body"].contains { tag in
            lowered.starts(with: Array(tag.utf8)) && (lowered.count == tag.utf8.count || !isNameByte(lowered[tag.utf8.count]))
        }
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
    }
}

/// The formats of scanned documents and photos, told by their signatures.
public enum ScanFormat: String, Sendable, CaseIterable {
    case pdf = "PDF"
    case png = "PNG"
    case jpeg = "JPEG"
    case tiff = "TIFF"
    case gif = "GIF"
    case bmp = "BMP"
    case webp = "WebP"
    case heic = "HEIC"

    /// The format whose signature `head` starts with.
    static func of(_ head: ArraySlice<UInt8>) -> ScanFormat? {
        let b = Array(head.prefix(16))
        func at(_ offset: Int, _ ascii: String) -> Bool {
            let s = Array(ascii.utf8)
            return b.count >= offset + s.count && Array(b[offset..<offset + s.count]) == s
        }
        if at(0, "%PDF-") { return .pdf }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.starts(with: [0x49, 0x49, 0x2A, 0x00]) || b.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if at(0, "GIF87a") || at(0, "GIF89a") { return .gif }
        // `BM`, then the file size, then four reserved bytes that are zero: text never has them.
        if at(0, "BM"), b.count >= 10, b[6...9].allSatisfy({ $0 == 0 }) { return .bmp }
        if at(0, "RIFF"), at(8, "WEBP") { return .webp }
        if at(4, "ftyp"), ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"].contains(where: { at(8, $0) }) { return .heic }
        return nil
    }

    /// The file name endings of scans: what intake keeps for a sidecar to claim.
    public static let fileExtensions = [".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp", ".webp", ".heic"]

    /// True when `name` ends like a scan's file name.
    public static func isScanName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return fileExtensions.contains { lower.hasSuffix($0) }
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { $0 > 0x20 }), let last = bytes.lastIndex(where: { $0 > 0x20 }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
