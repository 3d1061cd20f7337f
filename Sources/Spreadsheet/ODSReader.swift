import ZipIO
import XMLStream

/// Reads an OpenDocument spreadsheet (`.ods`, LibreOffice's default) through
/// libzip and libxml2, one row at a time, like `XLSXReader`.
///
/// Everything is in `content.xml`: the table styles (which say a sheet is
/// hidden) and then the tables, one per sheet. Opening streams it once for
/// the sheet list; each scan streams it again up to the end of its table.
/// Repeated rows and cells (`number-rows-repeated`, which LibreOffice writes
/// by the million for the empty rest of a sheet) cost nothing while empty
/// and are never emitted; repeated non-empty ones are emitted repeated,
/// within `SpreadsheetLimits.maxRepeatedCells`. Not thread-safe: each task
/// opens its own reader.
public final class ODSReader: WorkbookReader {
    /// The file's name, for messages.
    public let fileName: String
    public let sheets: [SheetInfo]
    public let limits: SpreadsheetLimits

    private var archive: ZipArchive
    private let content: ZipEntry

    static let contentPart = "content.xml"

    public init(path: String, limits: SpreadsheetLimits = .default) throws {
        self.limits = limits
        var archive = try ODSReader.open(path: path, limits: limits)
        let fileName = archive.name
        self.fileName = fileName

        if let manifest = archive.entry(named: "META-INF/manifest.xml") {
            let handler = ODSManifestHandler()
            try XLSXReader.parse(manifest, in: &archive, handler: handler)
            if handler.encrypted {
                throw SpreadsheetError(
                    .unsupportedFormat, file: fileName,
                    message: "таблица ODS защищена паролем; снимите пароль (Файл → Свойства → Безопасность) и сохраните файл заново")
            }
        }
        guard let content = XLSXReader.find(ODSReader.contentPart, in: archive) else {
            throw SpreadsheetError(
                .missingPart, file: fileName, place: ODSReader.contentPart,
                message: "в файле нет содержимого таблицы (content.xml): файл повреждён; сохраните его заново в LibreOffice")
        }
        let list = ODSSheetListHandler()
        try XLSXReader.parse(content, in: &archive, handler: list)
        sheets = list.tables.enumerated().map { position, table in
            SheetInfo(
                name: table.name, position: position, visibility: list.isHidden(style: table.style) ? .hidden : .visible,
                part: content.name, isWorksheet: true)
        }
        self.content = content
        self.archive = archive
    }

    /// Opens the zip; one that is not a zip is named as a damaged ODS file.
    private static func open(path: String, limits: SpreadsheetLimits) throws -> ZipArchive {
        do {
            return try ZipArchive(path: path, limits: limits.zip)
        } catch {
            guard error.code == .notZip else { throw error }
            throw SpreadsheetError(
                .unsupportedFormat, file: displayName(path),
                message: "файл .ods должен быть ZIP-архивом, а этот не читается как архив (повреждён или недокопирован); сохраните его заново в LibreOffice")
        }
    }

    /// Visits the sheet's non-empty rows in order; merged ranges
    /// (`number-columns-spanned`, `number-rows-spanned`) come in the result.
    @discardableResult
    public func scan(_ sheet: SheetInfo, _ visit: (RowView) throws -> ScanDecision) throws -> SheetScan {
        let storage = RowStorage(shared: [], dateSystem: .d1900)
        return try withoutActuallyEscaping(visit) { visit in
            let handler = ODSTableHandler(
                target: sheet.position, storage: storage, limits: limits,
                file: fileName, sheet: sheet.name, visit: visit)
            var completed = true
            do {
                try XLSXReader.parse(content, in: &archive, handler: handler)
            } catch is ODSTableHandler.TableEnded {
            } catch is ODSTableHandler.Stop {
                completed = false
            }
            return SheetScan(merges: handler.merges, completed: completed, rowsSeen: handler.rowsSeen)
        }
    }
}

/// Finds the tables of `content.xml` and the table styles that hide a sheet.
final class ODSSheetListHandler: XMLEventHandler {
    struct Table {
        var name: String
        var style: String?
    }

    private(set) var tables: [Table] = []
    private var hiddenStyles: Set<String> = []
    private var tableStyle: String?
    private var depth = 0

    func isHidden(style: String?) -> Bool { style.map(hiddenStyles.contains) ?? false }

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name == "table" {
            // A sub-table inside a cell is part of its sheet, not a sheet.
            if depth == 0 { tables.append(Table(name: attributes.string("name") ?? "", style: attributes.string("style-name"))) }
            depth += 1
        } else if depth == 0, name == "style" {
            tableStyle = attributes.string("family") == "table" ? attributes.string("name") : nil
        } else if depth == 0, name == "table-properties", let style = tableStyle, attributes.string("display") == "false" {
            hiddenStyles.insert(style)
        }
    }

    func endElement(_ name: XMLName) throws {
        if name == "table" { depth -= 1 } else if name == "style" { tableStyle = nil }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
}

/// `META-INF/manifest.xml`: an `encryption-data` element means a password.
final class ODSManifestHandler: XMLEventHandler {
    private(set) var encrypted = false

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name == "encryption-data" { encrypted = true }
    }

    func endElement(_ name: XMLName) throws {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
}
