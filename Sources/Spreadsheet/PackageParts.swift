import XMLStream

// MARK: - Relationships (`_rels/*.rels`)

/// One relationship of an OPC part.
struct Relationship {
    var id: String
    /// The last segment of the type URI (`worksheet`, `sharedStrings`, …):
    /// Transitional and Strict files differ only in what precedes it.
    var type: String
    /// The target resolved to a package part name (no leading `/`), or `nil` for external targets.
    var target: String?
}

final class RelationshipsHandler: XMLEventHandler {
    let source: String
    var relationships: [Relationship] = []

    /// `source` is the part whose relationships these are (`xl/workbook.xml`), for resolving targets.
    init(source: String) { self.source = source }

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        guard name == "Relationship" else { return }
        let id = attributes.string("Id") ?? ""
        let type = attributes.string("Type") ?? ""
        let external = attributes.string("TargetMode") == "External"
        let target = attributes.string("Target").flatMap { external ? nil : PartName.resolve($0, relativeTo: source) }
        relationships.append(Relationship(id: id, type: String(type.split(separator: "/").last ?? ""), target: target))
    }

    func endElement(_ name: XMLName) throws {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
}

/// Part names inside a package.
enum PartName {
    /// Resolves a relationship target against the folder of `source`:
    /// `worksheets/sheet1.xml` from `xl/workbook.xml` is `xl/worksheets/sheet1.xml`;
    /// `/xl/styles.xml` is absolute; `../x` climbs; `%20` is decoded.
    static func resolve(_ target: String, relativeTo source: String) -> String? {
        let decoded = percentDecoded(target.replacingBackslashes())
        var parts: [Substring]
        if decoded.hasPrefix("/") {
            parts = []
        } else {
            parts = source.split(separator: "/", omittingEmptySubsequences: true)
            if !parts.isEmpty { parts.removeLast() }
        }
        for piece in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            switch piece {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(piece)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// The relationships part of a part: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
    static func relationships(of part: String) -> String {
        var parts = part.split(separator: "/").map(String.init)
        let last = parts.popLast() ?? ""
        return (parts + ["_rels", last + ".rels"]).joined(separator: "/")
    }

    private static func percentDecoded(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%"), bytes.count >= 2,
                let h = hex(bytes[bytes.startIndex]), let l = hex(bytes[bytes.startIndex + 1])
            {
                out.append(h << 4 | l)
                bytes.removeFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x37
        case 0x61...0x66: b - 0x57
        default: nil
        }
    }
}

extension String {
    func replacingBackslashes() -> String {
        guard contains("\\") else { return self }
        return String(map { $0 == "\\" ? "/" : $0 })
    }
}

// MARK: - Workbook (`xl/workbook.xml`)

final class WorkbookHandler: XMLEventHandler {
    struct SheetEntry {
        var name: String
        var relationshipID: String
        var state: String?
    }

    var sheets: [SheetEntry] = []
    var date1904 = false

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name == "sheet" {
            sheets.append(
                SheetEntry(
                    name: attributes.string("name") ?? "",
                    relationshipID: attributes.string("id") ?? "",
                    state: attributes.string("state")))
        } else if name == "workbookPr" {
            let value = attributes.string("date1904")
            date1904 = value == "1" || value == "true"
        }
    }

    func endElement(_ name: XMLName) throws {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
}

// MARK: - Styles (`xl/styles.xml`)

/// Reads which cell formats (`cellXfs`) show dates.
final class StylesHandler: XMLEventHandler {
    private var customFormats: [Int: String] = [:]
    private var formatIDs: [Int] = []
    private var inCellXfs = false
    private var depthInXfs = 0

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name == "numFmt" {
            if let id = attributes.string("numFmtId").flatMap({ Int($0) }) {
                customFormats[id] = attributes.string("formatCode") ?? ""
            }
        } else if name == "cellXfs" {
            inCellXfs = true
        } else if inCellXfs, name == "xf" {
            formatIDs.append(attributes.string("numFmtId").flatMap { Int($0) } ?? 0)
        }
    }

    func endElement(_ name: XMLName) throws {
        if name == "cellXfs" { inCellXfs = false }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}

    /// For each cell format index, whether it shows a date. A custom code
    /// overrides a built-in id of the same number.
    var dateStyles: [Bool] {
        formatIDs.map { id in
            if let code = customFormats[id] { return NumberFormat.isDate(code: code) }
            return NumberFormat.isBuiltInDate(id)
        }
    }
}

// MARK: - Shared strings (`xl/sharedStrings.xml`)

/// Collects the shared string table: each `<si>`'s text, rich-text runs
/// joined, phonetic runs (`<rPh>`) left out, `_xHHHH_` escapes decoded; a
/// `<t>` without `xml:space="preserve"` loses its edge whitespace, as Excel
/// shows it.
final class SharedStringsHandler: XMLEventHandler {
    var strings: [String] = []
    private let text: ByteBuffer
    private var inItem = false
    private var inText = false
    private var inPhonetic = false
    private var runStart = 0
    private var runPreserves = false
    private let document: String

    init(document: String, maxStringBytes: Int) {
        self.document = document
        text = ByteBuffer(limit: maxStringBytes)
    }

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name == "si" {
            inItem = true
            text.reset()
        } else if name == "t" {
            inText = inItem && !inPhonetic
            runStart = text.count
            runPreserves = attributes.string("space") == "preserve"
        } else if name == "rPh" {
            inPhonetic = true
        } else if name == "sst", let count = attributes.string("uniqueCount").flatMap({ Int($0) }) {
            strings.reserveCapacity(min(count, 1 << 20))
        }
    }

    func endElement(_ name: XMLName) throws {
        if name == "si" {
            strings.append(OOXMLText.decode(text.bytes))
            inItem = false
        } else if name == "t" {
            if inText, !runPreserves { text.trimXMLWhitespace(from: runStart) }
            inText = false
        } else if name == "rPh" {
            inPhonetic = false
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard inText else { return }
        guard text.append(bytes) else {
            throw SpreadsheetError(
                .tooLarge, file: document, place: "строка таблицы строк № \(strings.count + 1)",
                message: "строка длиннее \(text.limit) байт")
        }
    }
}

/// OOXML text escapes: `_x000D_` stands for the character U+000D; `_x005F_`
/// escapes a literal underscore that would otherwise start an escape.
enum OOXMLText {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count >= 7, bytes.contains(UInt8(ascii: "_")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "_"), i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"), bytes[i + 6] == UInt8(ascii: "_"),
                let scalar = hexScalar(bytes, i + 2)
            {
                out.append(contentsOf: String(Character(scalar)).utf8)
                i += 7
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexScalar(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> Unicode.Scalar? {
        var v: UInt32 = 0
        for k in at..<at + 4 {
            let c = b[k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x37)
            case 0x61...0x66: d = UInt32(c - 0x57)
            default: return nil
            }
            v = v << 4 | d
        }
        return Unicode.Scalar(v)
    }
}
