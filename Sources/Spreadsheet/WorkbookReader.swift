/// A file of sheets read one row at a time: an XLSX workbook, an ODS
/// spreadsheet, or the tables of an HTML page. Importers and `uchet
/// inspect` read all three through this; each reader streams its rows
/// through a reused `RowView`, so the protocol costs one dynamic call per
/// scan, never one per cell.
///
/// Not thread-safe: each task opens its own reader.
public protocol WorkbookReader: AnyObject {
    /// The file's name, for messages.
    var fileName: String { get }
    /// The sheets in tab (or document) order.
    var sheets: [SheetInfo] { get }

    /// Visits the sheet's non-empty rows in order. The visitor may stop
    /// early by returning `.stop`.
    @discardableResult
    func scan(_ sheet: SheetInfo, _ visit: (RowView) throws -> ScanDecision) throws -> SheetScan

    /// The sheet's non-empty rows, copied (for sheets known to be small, or
    /// the first `limit` rows of any).
    func rows(_ sheet: SheetInfo, limit: Int) throws -> [Row]
}

extension WorkbookReader {
    public func rows(_ sheet: SheetInfo, limit: Int = .max) throws -> [Row] {
        var rows: [Row] = []
        guard limit > 0 else { return rows }
        try scan(sheet) { view in
            rows.append(view.row)
            return rows.count >= limit ? .stop : .continue
        }
        return rows
    }

    /// The sheet named `name` (compared exactly, then ignoring case).
    public func sheet(named name: String) -> SheetInfo? {
        sheets.first { $0.name == name } ?? sheets.first { $0.name.lowercased() == name.lowercased() }
    }
}

extension TableFileKind {
    /// Opens the reader this kind of file needs: `nil` for CSV (read with
    /// `CSVReader`, it has no sheets); an OLE document or a scan is refused
    /// with `SpreadsheetError` (`E-FILE-FORMAT`) saying what it is and what to do.
    public func openWorkbook(path: String, limits: SpreadsheetLimits = .default) throws -> (any WorkbookReader)? {
        switch self {
        case .xlsx: return try XLSXReader(path: path, limits: limits)
        case .ods: return try ODSReader(path: path, limits: limits)
        case .html: return try HTMLTableReader(path: path, limits: limits)
        case .csv: return nil
        case .ole, .scan:
            throw SpreadsheetError(.unsupportedFormat, file: displayName(path), message: refusal ?? "")
        }
    }
}
