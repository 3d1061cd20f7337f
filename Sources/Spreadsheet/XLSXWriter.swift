public import CivilDate
import XMLStream
import ZipIO
#if canImport(Glibc)
    import Glibc
#endif

/// The cell formats the writer offers (indices into its fixed `cellXfs`).
public enum XLSXStyle: Int, Sendable, CaseIterable {
    case normal = 0
    case bold
    case date
    case dateTime
    case wrap
    /// Bold, centred, wrapped: a table header.
    case header
    case bordered
    case borderedHeader
    case borderedDate
    case borderedCenter
    /// A bordered header turned to read upwards: a narrow column's long title (a subject over its marks).
    case borderedHeaderVertical
    /// Bold, wrapped at the top: a title over a table, merged across it.
    case boldWrap
    /// Bordered, wrapped, on a light red fill: a cell with an error to mend.
    case borderedError
}

/// A cell to write.
public struct XLSXCell: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case empty
        case text(String)
        case number(Double)
        case date(CivilDate)
        case dateTime(CivilDateTime)
        case bool(Bool)
    }

    public var value: Value
    public var style: XLSXStyle

    public init(_ value: Value, style: XLSXStyle = .normal) {
        self.value = value
        // A date without a date format would show as a number.
        switch (style, value) {
        case (.normal, .date): self.style = .date
        case (.normal, .dateTime): self.style = .dateTime
        default: self.style = style
        }
    }

    public static func text(_ s: String, _ style: XLSXStyle = .normal) -> XLSXCell { XLSXCell(.text(s), style: style) }
    public static func number(_ n: Double, _ style: XLSXStyle = .normal) -> XLSXCell { XLSXCell(Value.number(n), style: style) }
    public static func number(_ n: Int, _ style: XLSXStyle = .normal) -> XLSXCell { XLSXCell(Value.number(Double(n)), style: style) }
    public static func date(_ d: CivilDate, _ style: XLSXStyle = .date) -> XLSXCell { XLSXCell(Value.date(d), style: style) }
    public static func bool(_ b: Bool, _ style: XLSXStyle = .normal) -> XLSXCell { XLSXCell(Value.bool(b), style: style) }
    public static let empty = XLSXCell(.empty)

    /// A read value written back as it was.
    public init(_ value: CellValue, style: XLSXStyle = .normal) {
        switch value {
        case .string(let s): self.init(Value.text(s), style: style)
        case .number(let n): self.init(Value.number(n), style: style)
        case .bool(let b): self.init(Value.bool(b), style: style)
        case .date(let d): self.init(d.secondsOfDay == 0 && !d.isTimeOnly ? Value.date(d.date) : Value.dateTime(d), style: style)
        case .error(let e): self.init(Value.text(e), style: style)
        }
    }
}

/// How a sheet looks and prints.
public struct SheetLayout: Sendable {
    /// Column widths in characters, from column A; missing ones keep the default.
    public var columnWidths: [Double]
    /// Rows (from the top) and columns (from the left) kept in view when scrolling.
    public var frozenRows: Int
    public var frozenColumns: Int
    /// Prints on A4 landscape, fitted to the page width on as many pages down as
    /// it takes, the frozen rows repeated on each page (print titles), with narrow margins.
    /// What the text prints at is the widths' sum against the page: keep it within
    /// about 1,270 pixels (a column of width w takes 7w + 5) for 9 pt or more.
    public var printLandscape: Bool

    public init(columnWidths: [Double] = [], frozenRows: Int = 0, frozenColumns: Int = 0, printLandscape: Bool = false) {
        self.columnWidths = columnWidths
        self.frozenRows = frozenRows
        self.frozenColumns = frozenColumns
        self.printLandscape = printLandscape
    }
}

/// Writes an XLSX workbook: several sheets, strings (shared or inline),
/// numbers, dates, booleans, bold headers, column widths, frozen panes,
/// merged cells, A4 landscape printing.
///
/// Rows are streamed to temporary files beside the output, so memory holds
/// the shared strings, not the sheets. The package is a deterministic zip:
/// the same calls give the same bytes. Strings are always written as text
/// cells, so `=1+1` or `+7 900` stays text and never becomes a formula.
public final class XLSXWriter {
    public let path: String
    private let useSharedStrings: Bool
    private let temporaryFolder: String
    private var sheets: [XLSXSheetWriter] = []
    private var strings: [String] = []
    private var stringIndex: [String: Int] = [:]
    private var stringUses = 0
    private var closed = false

    /// `sharedStrings: false` writes strings inline in each cell.
    public init(path: String, sharedStrings: Bool = true) throws {
        self.path = path
        self.useSharedStrings = sharedStrings
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        // The writer's pid in the name: a folder left by a killed writer is told from one in use.
        var template = Array(((folder.isEmpty ? "." : folder) + "/.uchet-xlsx-\(getpid())-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SpreadsheetError(.writeFailed, file: displayName(path), message: "не удалось создать временную папку рядом с файлом (права доступа?)")
        }
        temporaryFolder = String(cString: made)
    }

    deinit { removeTemporaryFolder() }

    /// Adds a sheet; rows are added to what this returns. Names follow
    /// Excel's rules: 1–31 characters, none of `: \ / ? * [ ]`, unique.
    public func addSheet(_ name: String, layout: SheetLayout = SheetLayout()) throws -> XLSXSheetWriter {
        if let problem = XLSXWriter.sheetNameProblem(name) {
            throw SpreadsheetError(.writeFailed, file: displayName(path), place: "лист «\(name)»", message: problem)
        }
        if sheets.contains(where: { $0.name.lowercased() == name.lowercased() }) {
            throw SpreadsheetError(.writeFailed, file: displayName(path), place: "лист «\(name)»", message: "лист с таким именем уже есть")
        }
        let sheet = try XLSXSheetWriter(
            owner: self, name: name, index: sheets.count + 1,
            path: "\(temporaryFolder)/sheet\(sheets.count + 1).xml", layout: layout)
        sheets.append(sheet)
        return sheet
    }

    /// Writes the package and renames it into place.
    public func close() throws {
        guard !closed else { return }
        closed = true
        defer { removeTemporaryFolder() }
        for sheet in sheets { try sheet.finish() }
        var zip = try ZipWriter(path: path, deterministic: true)
        try zip.add("[Content_Types].xml", bytes: contentTypes())
        try zip.add("_rels/.rels", bytes: packageRelationships())
        try zip.add("xl/workbook.xml", bytes: workbook())
        try zip.add("xl/_rels/workbook.xml.rels", bytes: workbookRelationships())
        try zip.add("xl/styles.xml", bytes: XLSXWriter.styles())
        if useSharedStrings { try zip.add("xl/sharedStrings.xml", bytes: sharedStringsPart()) }
        for sheet in sheets { try zip.add("xl/worksheets/sheet\(sheet.index).xml", file: sheet.path) }
        try zip.finish()
    }

    private func removeTemporaryFolder() {
        for sheet in sheets { _ = unlink(sheet.path) }
        _ = rmdir(temporaryFolder)
    }

    // MARK: - Strings

    var sharesStrings: Bool { useSharedStrings }

    func sharedIndex(_ s: String) -> Int {
        stringUses += 1
        if let i = stringIndex[s] { return i }
        strings.append(s)
        stringIndex[s] = strings.count - 1
        return strings.count - 1
    }

    /// Text as OOXML stores it: characters XML cannot hold become `_xHHHH_`,
    /// and an underscore that would read as such an escape is itself escaped.
    static func escapeText(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "_") }) else { return s }
        var out = ""
        var scalars = Array(s.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if c.value < 0x20, c != "\t", c != "\n", c != "\r" {
                out += "_x" + hex4(c.value) + "_"
            } else if c == "_", scalars.count >= 6, scalars.first == "x",
                scalars.dropFirst().prefix(4).allSatisfy({ $0.properties.isASCIIHexDigit }),
                scalars[scalars.startIndex + 5] == "_"
            {
                out += "_x005F_"
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func hex4(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func sheetNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "имя листа пустое" }
        if name.count > 31 { return "имя листа длиннее 31 знака" }
        if name.contains(where: { ":\\/?*[]".contains($0) }) { return "имя листа содержит один из знаков : \\ / ? * [ ]" }
        if name.hasPrefix("'") || name.hasSuffix("'") { return "имя листа начинается или кончается апострофом" }
        return nil
    }

    // MARK: - Package parts

    private static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private func contentTypes() throws -> [UInt8] {
        try XMLWriter.bytes(document: "[Content_Types].xml") { w in
            try w.startDocument()
            try w.startElement("Types")
            try w.attribute("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types")
            try w.element("Default", ["Extension": "rels", "ContentType": "application/vnd.openxmlformats-package.relationships+xml"])
            try w.element("Default", ["Extension": "xml", "ContentType": "application/xml"])
            try w.element(
                "Override", ["PartName": "/xl/workbook.xml", "ContentType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"])
            for sheet in sheets {
                try w.element(
                    "Override",
                    [
                        "PartName": "/xl/worksheets/sheet\(sheet.index).xml",
                        "ContentType": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
                    ])
            }
            try w.element("Override", ["PartName": "/xl/styles.xml", "ContentType": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"])
            if useSharedStrings {
                try w.element(
                    "Override",
                    ["PartName": "/xl/sharedStrings.xml", "ContentType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"])
            }
            try w.endElement()
            try w.endDocument()
        }
    }

    private func packageRelationships() throws -> [UInt8] {
        try XMLWriter.bytes(document: "_rels/.rels") { w in
            try w.startDocument()
            try w.startElement("Relationships")
            try w.attribute("xmlns", "http://schemas.openxmlformats.org/package/2006/relationships")
            try w.element("Relationship", ["Id": "rId1", "Type": XLSXWriter.relNS + "/officeDocument", "Target": "xl/workbook.xml"])
            try w.endElement()
            try w.endDocument()
        }
    }

    private func workbookRelationships() throws -> [UInt8] {
        try XMLWriter.bytes(document: "xl/_rels/workbook.xml.rels") { w in
            try w.startDocument()
            try w.startElement("Relationships")
            try w.attribute("xmlns", "http://schemas.openxmlformats.org/package/2006/relationships")
            for sheet in sheets {
                try w.element(
                    "Relationship",
                    [
                        "Id": "rId\(sheet.index)", "Type": XLSXWriter.relNS + "/worksheet",
                        "Target": "worksheets/sheet\(sheet.index).xml"
                    ])
            }
            try w.element("Relationship", ["Id": "rId\(sheets.count + 1)", "Type": XLSXWriter.relNS + "/styles", "Target": "styles.xml"])
            if useSharedStrings {
                try w.element("Relationship", ["Id": "rId\(sheets.count + 2)", "Type": XLSXWriter.relNS + "/sharedStrings", "Target": "sharedStrings.xml"])
            }
            try w.endElement()
            try w.endDocument()
        }
    }

    private func workbook() throws -> [UInt8] {
        try XMLWriter.bytes(document: "xl/workbook.xml") { w in
            try w.startDocument()
            try w.startElement("workbook")
            try w.attribute("xmlns", XLSXWriter.main)
            try w.attribute("xmlns:r", XLSXWriter.relNS)
            try w.startElement("bookViews")
            try w.element("workbookView", ["activeTab": "0"])
            try w.endElement()
            try w.startElement("sheets")
            for sheet in sheets {
                try w.element("sheet", ["name": sheet.name, "sheetId": String(sheet.index), "r:id": "rId\(sheet.index)"])
            }
            try w.endElement()
            let titled = sheets.filter { $0.layout.printLandscape && $0.layout.frozenRows > 0 }
            if !titled.isEmpty {
                try w.startElement("definedNames")
                for sheet in titled {
                    let quoted = "'" + sheet.name.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
                    try w.element(
                        "definedName", ["name": "_xlnm.Print_Titles", "localSheetId": String(sheet.index - 1)],
                        text: "\(quoted)!$1:$\(sheet.layout.frozenRows)")
                }
                try w.endElement()
            }
            try w.endElement()
            try w.endDocument()
        }
    }

    private func sharedStringsPart() throws -> [UInt8] {
        try XMLWriter.bytes(document: "xl/sharedStrings.xml") { w in
            try w.startDocument()
            try w.startElement("sst")
            try w.attribute("xmlns", XLSXWriter.main)
            try w.attribute("count", String(stringUses))
            try w.attribute("uniqueCount", String(strings.count))
            for s in strings {
                try w.startElement("si")
                try XLSXSheetWriter.writeT(w, s)
                try w.endElement()
            }
            try w.endElement()
            try w.endDocument()
        }
    }

    /// Fonts: regular, bold. Fills: none, gray125 (required), light red. Borders: none, thin. Formats 164 `DD.MM.YYYY`, 165 `DD.MM.YYYY HH:MM`.
    static func styles() throws -> [UInt8] {
        try XMLWriter.bytes(document: "xl/styles.xml") { w in
            try w.startDocument()
            try w.startElement("styleSheet")
            try w.attribute("xmlns", main)
            try w.startElement("numFmts")
            try w.attribute("count", "2")
            try w.element("numFmt", ["numFmtId": "164", "formatCode": "DD.MM.YYYY"])
            try w.element("numFmt", ["numFmtId": "165", "formatCode": "DD.MM.YYYY HH:MM"])
            try w.endElement()
            try w.startElement("fonts")
            try w.attribute("count", "2")
            for bold in [false, true] {
                try w.startElement("font")
                if bold { try w.element("b") }
                try w.element("sz", ["val": "11"])
                try w.element("name", ["val": "Calibri"])
                try w.element("family", ["val": "2"])
                try w.endElement()
            }
            try w.endElement()
            try w.startElement("fills")
            try w.attribute("count", "3")
            for pattern in ["none", "gray125"] {
                try w.startElement("fill")
                try w.element("patternFill", ["patternType": pattern])
                try w.endElement()
            }
            // Light red, for cells with an error.
            try w.startElement("fill")
            try w.startElement("patternFill")
            try w.attribute("patternType", "solid")
            try w.element("fgColor", ["rgb": "FFFFC7CE"])
            try w.element("bgColor", ["indexed": "64"])
            try w.endElement()
            try w.endElement()
            try w.endElement()
            try w.startElement("borders")
            try w.attribute("count", "2")
            for thin in [false, true] {
                try w.startElement("border")
                for side in ["left", "right", "top", "bottom"] {
                    if thin {
                        try w.startElement(side)
                        try w.attribute("style", "thin")
                        try w.element("color", ["auto": "1"])
                        try w.endElement()
                    } else {
                        try w.element(side)
                    }
                }
                try w.element("diagonal")
                try w.endElement()
            }
            try w.endElement()
            try w.startElement("cellStyleXfs")
            try w.attribute("count", "1")
            try w.element("xf", ["numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0"])
            try w.endElement()
            try w.startElement("cellXfs")
            try w.attribute("count", String(XLSXStyle.allCases.count))
            for style in XLSXStyle.allCases {
                let (format, font, border, wrap, center): (Int, Int, Int, Bool, Bool) =
                    switch style {
                    case .borderedHeaderVertical: (0, 1, 1, true, true)
                    case .boldWrap: (0, 1, 0, true, false)
                    case .normal: (0, 0, 0, false, false)
                    case .bold: (0, 1, 0, false, false)
                    case .date: (164, 0, 0, false, false)
                    case .dateTime: (165, 0, 0, false, false)
                    case .wrap: (0, 0, 0, true, false)
                    case .header: (0, 1, 0, true, true)
                    case .bordered: (0, 0, 1, true, false)
                    case .borderedHeader: (0, 1, 1, true, true)
                    case .borderedDate: (164, 0, 1, false, true)
                    case .borderedCenter: (0, 0, 1, false, true)
                    case .borderedError: (0, 0, 1, true, false)
                    }
                try w.startElement("xf")
                try w.attribute("numFmtId", String(format))
                try w.attribute("fontId", String(font))
                try w.attribute("fillId", style == .borderedError ? "2" : "0")
                try w.attribute("borderId", String(border))
                try w.attribute("xfId", "0")
                if style == .borderedError { try w.attribute("applyFill", "1") }
                if format != 0 { try w.attribute("applyNumberFormat", "1") }
                if font != 0 { try w.attribute("applyFont", "1") }
                if border != 0 { try w.attribute("applyBorder", "1") }
                if wrap || center {
                    try w.attribute("applyAlignment", "1")
                    try w.startElement("alignment")
                    if center { try w.attribute("horizontal", "center") }
                    try w.attribute("vertical", center ? "center" : "top")
                    if style == .borderedHeaderVertical { try w.attribute("textRotation", "90") }
                    if wrap { try w.attribute("wrapText", "1") }
                    try w.endElement()
                }
                try w.endElement()
            }
            try w.endElement()
            try w.startElement("cellStyles")
            try w.attribute("count", "1")
            try w.element("cellStyle", ["name": "Normal", "xfId": "0", "builtinId": "0"])
            try w.endElement()
            try w.endElement()
            try w.endDocument()
        }
    }
}

/// One sheet being written; rows go straight to its temporary file.
public final class XLSXSheetWriter {
    public let name: String
    let index: Int
    let path: String
    let layout: SheetLayout
    private unowned let owner: XLSXWriter
    private let xml: XMLWriter
    private var rowCount = 0
    private var merges: [CellRange] = []
    private var finished = false

    init(owner: XLSXWriter, name: String, index: Int, path: String, layout: SheetLayout) throws {
        self.owner = owner
        self.name = name
        self.index = index
        self.path = path
        self.layout = layout
        xml = try XMLWriter(path: path)
        try xml.startDocument()
        try xml.startElement("worksheet")
        try xml.attribute("xmlns", "http://schemas.openxmlformats.org/spreadsheetml/2006/main")
        try xml.attribute("xmlns:r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
        if layout.printLandscape {
            try xml.startElement("sheetPr")
            try xml.element("pageSetUpPr", ["fitToPage": "1"])
            try xml.endElement()
        }
        try xml.startElement("sheetViews")
        try xml.startElement("sheetView")
        if index == 1 { try xml.attribute("tabSelected", "1") }
        try xml.attribute("workbookViewId", "0")
        if layout.frozenRows > 0 || layout.frozenColumns > 0 {
            let pane =
                layout.frozenRows > 0 && layout.frozenColumns > 0
                ? "bottomRight"
                : layout.frozenRows > 0 ? "bottomLeft" : "topRight"
            try xml.startElement("pane")
            if layout.frozenColumns > 0 { try xml.attribute("xSplit", String(layout.frozenColumns)) }
            if layout.frozenRows > 0 { try xml.attribute("ySplit", String(layout.frozenRows)) }
            try xml.attribute("topLeftCell", CellReference(column: layout.frozenColumns + 1, row: layout.frozenRows + 1).description)
            try xml.attribute("activePane", pane)
            try xml.attribute("state", "frozen")
            try xml.endElement()
            try xml.element("selection", ["pane": pane])
        }
        try xml.endElement()
        try xml.endElement()
        try xml.element("sheetFormatPr", ["defaultRowHeight": "15"])
        if !layout.columnWidths.isEmpty {
            try xml.startElement("cols")
            for (i, width) in layout.columnWidths.enumerated() {
                try xml.element(
                    "col",
                    [
                        "min": String(i + 1), "max": String(i + 1),
                        "width": String(width), "customWidth": "1"
                    ])
            }
            try xml.endElement()
        }
        try xml.startElement("sheetData")
    }

    /// Rows written so far; the next row is `rowCount + 1`.
    public var rowsWritten: Int { rowCount }

    /// Appends a row; `nil` and `.empty` cells are left out.
    public func addRow(_ cells: [XLSXCell?], height: Double? = nil) throws {
        rowCount += 1
        try xml.startElement("row")
        try xml.attribute("r", String(rowCount))
        if let height {
            try xml.attribute("ht", String(height))
            try xml.attribute("customHeight", "1")
        }
        for (i, cell) in cells.enumerated() {
            guard let cell else { continue }
            try write(cell, column: i + 1)
        }
        try xml.endElement()
    }

    /// Appends a row of texts in one style (a header row, say).
    public func addRow(texts: [String], style: XLSXStyle = .normal) throws {
        try addRow(texts.map { XLSXCell(.text($0), style: style) })
    }

    /// Merges a range (its value is the top-left cell's).
    public func merge(_ range: CellRange) {
        merges.append(range)
    }

    private func write(_ cell: XLSXCell, column: Int) throws {
        let ref = CellReference(column: column, row: rowCount).description
        let style = cell.style.rawValue
        switch cell.value {
        case .empty:
            guard style != 0 else { return }
            try xml.startElement("c")
            try xml.attribute("r", ref)
            try xml.attribute("s", String(style))
            try xml.endElement()
        case .text(let s):
            try xml.startElement("c")
            try xml.attribute("r", ref)
            if style != 0 { try xml.attribute("s", String(style)) }
            if owner.sharesStrings {
                try xml.attribute("t", "s")
                try xml.startElement("v")
                try xml.text(String(owner.sharedIndex(s)))
                try xml.endElement()
            } else {
                try xml.attribute("t", "inlineStr")
                try xml.startElement("is")
                try XLSXSheetWriter.writeT(xml, s)
                try xml.endElement()
            }
            try xml.endElement()
        case .number(let n):
            try numeric(ref, style, n.isFinite ? CellValue.format(n) : "0")
        case .date(let d):
            try numeric(ref, style, CellValue.format(ExcelDateSystem.d1900.serial(of: d)))
        case .dateTime(let d):
            try numeric(ref, style, String(ExcelDateSystem.d1900.serial(of: d)))
        case .bool(let b):
            try xml.startElement("c")
            try xml.attribute("r", ref)
            if style != 0 { try xml.attribute("s", String(style)) }
            try xml.attribute("t", "b")
            try xml.element("v", text: b ? "1" : "0")
            try xml.endElement()
        }
    }

    private func numeric(_ ref: String, _ style: Int, _ text: String) throws {
        try xml.startElement("c")
        try xml.attribute("r", ref)
        if style != 0 { try xml.attribute("s", String(style)) }
        try xml.element("v", text: text)
        try xml.endElement()
    }

    /// `<t>` with `xml:space="preserve"` when leading or trailing whitespace must survive.
    static func writeT(_ w: XMLWriter, _ s: String) throws {
        try w.startElement("t")
        if let first = s.unicodeScalars.first, let last = s.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        {
            try w.attribute("xml:space", "preserve")
        }
        try w.text(XLSXWriter.escapeText(s))
        try w.endElement()
    }

    func finish() throws {
        guard !finished else { return }
        finished = true
        try xml.endElement() // sheetData
        if !merges.isEmpty {
            try xml.startElement("mergeCells")
            try xml.attribute("count", String(merges.count))
            for range in merges { try xml.element("mergeCell", ["ref": range.description]) }
            try xml.endElement()
        }
        if layout.printLandscape {
            try xml.element("pageMargins", ["left": "0.3", "right": "0.3", "top": "0.5", "bottom": "0.5", "header": "0.25", "footer": "0.25"])
        } else {
            try xml.element("pageMargins", ["left": "0.5", "right": "0.5", "top": "0.6", "bottom": "0.6", "header": "0.3", "footer": "0.3"])
        }
        if layout.printLandscape {
            try xml.element("pageSetup", ["paperSize": "9", "orientation": "landscape", "fitToWidth": "1", "fitToHeight": "0"])
        }
        try xml.endElement() // worksheet
        try xml.endDocument()
        try xml.finish()
    }
}

func displayName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
