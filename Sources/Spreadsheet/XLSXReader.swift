public import ZipIO
import XMLStream

/// A sheet of a workbook, as the workbook lists it.
public struct SheetInfo: Sendable, Hashable {
    public enum Visibility: String, Sendable { case visible, hidden, veryHidden }

    /// The tab's name.
    public var name: String
    /// 0-based position in the workbook's tab order.
    public var position: Int
    public var visibility: Visibility
    /// The package part holding its cells (`xl/worksheets/sheet1.xml`,
    /// `content.xml` for ODS), or `nil` when an XLSX workbook names a part
    /// that is not there; always `nil` for a table of an HTML page.
    public var part: String?
    /// False for chart sheets and dialog sheets, which hold no cells.
    public var isWorksheet: Bool

    public init(name: String, position: Int, visibility: Visibility, part: String?, isWorksheet: Bool) {
        self.name = name
        self.position = position
        self.visibility = visibility
        self.part = part
        self.isWorksheet = isWorksheet
    }
}

/// What a scan of a sheet found besides its rows.
public struct SheetScan: Sendable {
    /// Merged ranges (`mergeCells` come after the rows in the file, so they
    /// are complete only when the scan was not stopped early).
    public var merges: [CellRange]
    /// False when the visitor stopped the scan.
    public var completed: Bool
    /// `<row>` elements seen, empty ones included.
    public var rowsSeen: Int
}

/// Limits for reading spreadsheets.
public struct SpreadsheetLimits: Sendable {
    public var zip: ZipLimits
    /// One cell's text.
    public var maxCellBytes: Int
    /// One shared string.
    public var maxSharedStringBytes: Int
    /// Cells one sheet may yield through ODS repeats (`number-rows-repeated`,
    /// `number-columns-repeated` of a non-empty cell): a few bytes can ask for
    /// billions; empty repeats cost nothing and do not count.
    public var maxRepeatedCells: Int

    public init(
        zip: ZipLimits = .default, maxCellBytes: Int = 8 << 20, maxSharedStringBytes: Int = 8 << 20,
        maxRepeatedCells: Int = 1_000_000
    ) {
        self.zip = zip
        self.maxCellBytes = maxCellBytes
        self.maxSharedStringBytes = maxSharedStringBytes
        self.maxRepeatedCells = maxRepeatedCells
    }

    public static let `default` = SpreadsheetLimits()
}

/// Reads an XLSX workbook (Transitional or Strict OOXML) through libzip and
/// libxml2, one row at a time.
///
/// Opening reads the package's relationships, the workbook and the styles;
/// the shared strings are read before the first sheet. Rows are then
/// streamed: memory holds the shared strings, the styles and one row.
/// Not thread-safe: each task opens its own reader.
public final class XLSXReader: WorkbookReader {
    /// The file's name, for messages.
    public let fileName: String
    public let sheets: [SheetInfo]
    public let dateSystem: ExcelDateSystem
    public let limits: SpreadsheetLimits

    private var archive: ZipArchive
    private let dateStyles: [Bool]
    private let sharedStringsPart: String?
    private var sharedStrings: [String]?

    public init(path: String, limits: SpreadsheetLimits = .default) throws {
        self.limits = limits
        var archive = try ZipArchive(path: path, limits: limits.zip)
        let fileName = archive.name
        self.fileName = fileName

        // The workbook part: from the package relationships, else where every producer puts it.
        var workbookPart = "xl/workbook.xml"
        if let rels = XLSXReader.find("_rels/.rels", in: archive) {
            let handler = RelationshipsHandler(source: "")
            try XLSXReader.parse(rels, in: &archive, handler: handler)
            if let target = handler.relationships.first(where: { $0.type == "officeDocument" })?.target {
                workbookPart = target
            }
        }
        guard let workbookEntry = XLSXReader.find(workbookPart, in: archive) else {
            throw SpreadsheetError(
                .missingPart, file: fileName, place: workbookPart,
                message: "в файле нет книги Excel (это не XLSX или файл повреждён); сохраните его заново как книгу Excel")
        }
        let workbook = WorkbookHandler()
        try XLSXReader.parse(workbookEntry, in: &archive, handler: workbook)
        dateSystem = workbook.date1904 ? .d1904 : .d1900

        let relationships = RelationshipsHandler(source: workbookPart)
        if let rels = XLSXReader.find(PartName.relationships(of: workbookPart), in: archive) {
            try XLSXReader.parse(rels, in: &archive, handler: relationships)
        }
        let byID = Dictionary(relationships.relationships.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        var sheets: [SheetInfo] = []
        for (position, entry) in workbook.sheets.enumerated() {
            let rel = byID[entry.relationshipID]
            let part = rel?.target.flatMap { XLSXReader.find($0, in: archive)?.name }
            sheets.append(
                SheetInfo(
                    name: entry.name, position: position,
                    visibility: SheetInfo.Visibility(rawValue: entry.state ?? "visible") ?? .visible,
                    part: part, isWorksheet: rel.map { $0.type == "worksheet" } ?? true))
        }
        self.sheets = sheets

        if let target = relationships.relationships.first(where: { $0.type == "styles" })?.target,
            let entry = XLSXReader.find(target, in: archive)
        {
            let styles = StylesHandler()
            try XLSXReader.parse(entry, in: &archive, handler: styles)
            dateStyles = styles.dateStyles
        } else {
            dateStyles = []
        }
        sharedStringsPart = relationships.relationships.first(where: { $0.type == "sharedStrings" })?.target
            .flatMap { XLSXReader.find($0, in: archive)?.name }
        self.archive = archive
    }

    /// Visits the sheet's non-empty rows in file order. The visitor may stop
    /// early by returning `.stop`.
    @discardableResult
    public func scan(_ sheet: SheetInfo, _ visit: (RowView) throws -> ScanDecision) throws -> SheetScan {
        guard sheet.isWorksheet else { return SheetScan(merges: [], completed: true, rowsSeen: 0) }
        guard let part = sheet.part, let entry = archive.entry(named: part) else {
            throw SpreadsheetError(
                .missingPart, file: fileName, place: "лист «\(sheet.name)»",
                message: "книга ссылается на лист, которого нет в файле; файл повреждён")
        }
        let storage = RowStorage(shared: try loadSharedStrings(), dateSystem: dateSystem)
        return try withoutActuallyEscaping(visit) { visit in
            let handler = SheetHandler(
                storage: storage, dateStyles: dateStyles, maxCellBytes: limits.maxCellBytes,
                file: fileName, sheet: sheet.name, visit: visit)
            do {
                try XLSXReader.parse(entry, in: &archive, handler: handler)
            } catch is SheetHandler.Stop {
                return SheetScan(merges: handler.merges, completed: false, rowsSeen: handler.rowsSeen)
            }
            return SheetScan(merges: handler.merges, completed: true, rowsSeen: handler.rowsSeen)
        }
    }

    // MARK: - Parts

    private func loadSharedStrings() throws -> [String] {
        if let sharedStrings { return sharedStrings }
        var strings: [String] = []
        if let part = sharedStringsPart, let entry = archive.entry(named: part) {
            let handler = SharedStringsHandler(document: "\(fileName) → \(part)", maxStringBytes: limits.maxSharedStringBytes)
            try XLSXReader.parse(entry, in: &archive, handler: handler)
            strings = handler.strings
        }
        sharedStrings = strings
        return strings
    }

    /// Part names are case-insensitive in OPC; some producers differ in case
    /// between the relationship and the zip entry, and some write entry names
    /// with backslashes (`xl\workbook.xml`), which are read as `/`. (The zip
    /// layer has already refused names that climb out with `..` either way.)
    static func find(_ part: String, in archive: borrowing ZipArchive) -> ZipEntry? {
        if let entry = archive.entry(named: part) { return entry }
        let lower = part.lowercased()
        return archive.entries.first { $0.name.lowercased() == lower }
            ?? archive.entries.first { $0.name.contains("\\") && $0.name.replacingBackslashes().lowercased() == lower }
    }

    static func parse(_ entry: ZipEntry, in archive: inout ZipArchive, handler: any XMLEventHandler) throws {
        let document = "\(archive.name) → \(entry.name)"
        try archive.withStream(entry) { stream in
            try XMLPushParser.parse(document: document, handler: handler) { buffer in
                try stream.read(into: buffer)
            }
        }
    }
}
