import XMLStream

/// Reads the tables of an HTML page as sheets: the «Excel» export of an
/// electronic journal (Сетевой город saves an HTML table under an `.xls`
/// name), or any page saved from a browser or a spreadsheet.
///
/// Parsed with libxml2's HTML parser, streamed from the file (opening lists
/// the tables; each scan reads again up to the end of its table). The
/// encoding is a UTF-8 BOM, else the page's `<meta charset>` (or
/// `http-equiv` content type) when libxml2 knows it, else UTF-8 when the
/// bytes are UTF-8 and Windows-1251 when they are not. Every value is text,
/// as the page shows it: the import profiles read marks and dates from text.
/// See `HTMLTableHandler` for how tables, spans and title blocks map to rows.
/// Not thread-safe: each task opens its own reader.
public final class HTMLTableReader: WorkbookReader {
    /// How the encoding was found.
    public enum EncodingSource: String, Sendable {
        case byteOrderMark = "BOM"
        case declared = "meta charset"
        case guessed = "по содержимому"
    }

    public let path: String
    /// The file's name, for messages.
    public let fileName: String
    public let sheets: [SheetInfo]
    public let limits: SpreadsheetLimits
    /// The encoding the page is read in, as libxml2 names it (`UTF-8`, `windows-1251`).
    public let encoding: String
    public let encodingSource: EncodingSource

    /// Bytes to skip (a BOM).
    private let skip: Int
    /// The last top-level table, which takes the text after it.
    private let lastTopLevel: Int?

    public init(path: String, limits: SpreadsheetLimits = .default) throws {
        self.path = path
        self.limits = limits
        let fileName = displayName(path)
        self.fileName = fileName
        (encoding, encodingSource, skip) = try HTMLTableReader.detectEncoding(path: path, fileName: fileName)

        let handler = HTMLTableHandler(
            target: nil, takesTrailingText: false, storage: RowStorage(shared: [], dateSystem: .d1900),
            maxCellBytes: limits.maxCellBytes, file: fileName, sheet: "", visit: { _ in .continue })
        try HTMLTableReader.parse(path: path, fileName: fileName, encoding: encoding, skip: skip, handler: handler, sheet: nil)
        var names: Set<String> = []
        var sheets: [SheetInfo] = []
        for (position, table) in handler.tables.enumerated() {
            var name = table.caption.isEmpty ? "Таблица \(position + 1)" : table.caption
            if names.contains(name) {
                var k = 2
                while names.contains("\(name) (\(k))") { k += 1 }
                name = "\(name) (\(k))"
            }
            names.insert(name)
            sheets.append(SheetInfo(name: name, position: position, visibility: .visible, part: nil, isWorksheet: true))
        }
        self.sheets = sheets
        lastTopLevel = handler.tables.lastIndex { $0.isTopLevel }
    }

    /// Visits the table's non-empty rows, its title block first; `colspan`
    /// and `rowspan` come back as merged ranges.
    @discardableResult
    public func scan(_ sheet: SheetInfo, _ visit: (RowView) throws -> ScanDecision) throws -> SheetScan {
        let storage = RowStorage(shared: [], dateSystem: .d1900)
        return try withoutActuallyEscaping(visit) { visit in
            let handler = HTMLTableHandler(
                target: sheet.position, takesTrailingText: sheet.position == lastTopLevel, storage: storage,
                maxCellBytes: limits.maxCellBytes, file: fileName, sheet: sheet.name, visit: visit)
            var completed = true
            do {
                try HTMLTableReader.parse(path: path, fileName: fileName, encoding: encoding, skip: skip, handler: handler, sheet: sheet.name)
                try handler.finishDocument()
            } catch is HTMLTableHandler.TableEnded {
            } catch is HTMLTableHandler.Stop {
                completed = false
            }
            return SheetScan(merges: handler.merges, completed: completed, rowsSeen: handler.rowsSeen)
        }
    }

    private static func parse(path: String, fileName: String, encoding: String, skip: Int, handler: HTMLTableHandler, sheet: String?) throws {
        let file = try ChunkFile(path: path, fileName: fileName)
        if skip > 0 { try file.seek(to: skip) }
        do {
            try HTMLPushParser.parse(document: fileName, handler: handler, encoding: encoding) { buffer in
                try file.read(into: buffer)
            }
        } catch let tooLong as TextCollector.TooLong {
            throw SpreadsheetError(
                .tooLarge, file: fileName, place: sheet.map { "лист «\($0)»" },
                message: "текст ячейки или строки над таблицей длиннее \(tooLong.limit) байт")
        }
    }

    // MARK: - Encoding

    /// The encoding from a BOM, a declaration in the first 16 KB, or the bytes.
    static func detectEncoding(path: String, fileName: String) throws -> (String, EncodingSource, Int) {
        let file = try ChunkFile(path: path, fileName: fileName)
        var buffer = [UInt8](repeating: 0, count: file.bufferSize(atMost: 1 << 20))
        let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0) }
        if n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { return ("UTF-8", .byteOrderMark, 3) }
        if let declared = declaredCharset(buffer[0..<min(n, 16 * 1024)]), HTMLPushParser.supports(encoding: declared) {
            return (declared, .declared, 0)
        }
        var census = UTF8Census()
        var count = n
        while count > 0 {
            buffer.withUnsafeBufferPointer { census.feed(UnsafeBufferPointer(rebasing: $0[0..<count])) }
            count = try buffer.withUnsafeMutableBytes { try file.read(into: $0) }
        }
        let utf8 = census.invalid == 0 || census.validMultibyte >= 4 * census.invalid
        return (utf8 ? "UTF-8" : "windows-1251", .guessed, 0)
    }

    /// The charset a `<meta>` tag names: `<meta charset="windows-1251">` or
    /// `<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`.
    static func declaredCharset(_ head: ArraySlice<UInt8>) -> String? {
        let lower = head.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }[...]
        var rest = lower
        while let meta = rest.firstRange(of: Array("<meta".utf8)) {
            let tagEnd = rest[meta.upperBound...].firstIndex(of: UInt8(ascii: ">")) ?? rest.endIndex
            let tag = rest[meta.upperBound..<tagEnd]
            if let key = tag.firstRange(of: Array("charset".utf8)) {
                var value = tag[key.upperBound...].drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
                if value.first == UInt8(ascii: "=") {
                    value = value.dropFirst().drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x22 || $0 == 0x27 }
                    let label = value.prefix {
                        ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x3A
                    }
                    if !label.isEmpty { return canonicalCharset(String(decoding: label, as: UTF8.self)) }
                }
            }
            rest = rest[tagEnd...]
        }
        return nil
    }

    /// The names browsers accept for the encodings Russian exports use, as libxml2 knows them.
    static func canonicalCharset(_ label: String) -> String {
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8": "UTF-8"
        case "windows-1251", "cp1251", "x-cp1251", "win-1251", "win1251": "windows-1251"
        case "koi8-r", "koi8", "cskoi8r": "KOI8-R"
        case "ibm866", "cp866", "866": "CP866"
        default: label
        }
    }
}
