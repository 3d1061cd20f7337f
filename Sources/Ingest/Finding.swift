public import Records

/// How much a finding matters.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    /// The record (or file) cannot be accepted as it is.
    case error
    /// Accepted, but someone should look.
    case warning
    /// For the record: what was skipped and why.
    case info

    private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    /// `ошибка`, `предупреждение`, `сведение`.
    public var russian: String {
        switch self {
        case .error: "ошибка"
        case .warning: "предупреждение"
        case .info: "сведение"
        }
    }
}

/// Where a finding points: a file, and in it a sheet and cell or a line.
public struct Location: Sendable, Hashable, CustomStringConvertible, Comparable {
    public var file: String
    public var sheet: String?
    /// Sheet row, or CSV line.
    public var row: Int?
    public var column: Int?

    public init(file: String, sheet: String? = nil, row: Int? = nil, column: Int? = nil) {
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
    }

    public init(_ provenance: Provenance) {
        self.init(file: provenance.fileName, sheet: provenance.sheet, row: provenance.row, column: provenance.column)
    }

    /// `Ведомость!D14`, `строка 812, столбец 4`, `строка 812`, `лист «Ведомость»`, or nothing for the whole file.
    public var place: String {
        if let sheet {
            if let row, let column { return "\(sheet)!\(Provenance.columnName(column))\(row)" }
            if let row { return "лист «\(sheet)», строка \(row)" }
            return "лист «\(sheet)»"
        }
        if let row {
            if let column { return "строка \(row), столбец \(column)" }
            return "строка \(row)"
        }
        return ""
    }

    /// `9А.xlsx, Ведомость!D14`.
    public var description: String { place.isEmpty ? file : "\(file), \(place)" }

    public static func < (a: Location, b: Location) -> Bool {
        (a.file, a.sheet ?? "", a.row ?? 0, a.column ?? 0) < (b.file, b.sheet ?? "", b.row ?? 0, b.column ?? 0)
    }
}

/// A problem in the data: a stable code (`E-MARK-SCALE`), a severity, where
/// it is, and what is wrong and what to do, in Russian.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var severity: Severity
    public var location: Location
    public var message: String

    public init(_ code: String, _ severity: Severity, _ location: Location, _ message: String) {
        self.code = code
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `9А.xlsx, Ведомость!D14: ошибка E-MARK-SCALE: …`
    public var description: String { "\(location): \(severity.russian) \(code): \(message)" }
}

/// Collects the findings of one file. Totals by severity decide what
/// happens to the file and the exit code.
public final class Diagnostics {
    public private(set) var findings: [Finding] = []
    /// Rows with an error, so `skip-row` can leave exactly those out.
    public private(set) var rowsWithErrors: Set<RowKey> = []

    public struct RowKey: Hashable, Sendable {
        public var sheet: String?
        public var row: Int
    }

    public init() {}

    /// Errors so far (counted as they come: importers compare it before and after each record).
    public private(set) var errorCount = 0

    public func add(_ finding: Finding) {
        findings.append(finding)
        guard finding.severity == .error else { return }
        errorCount += 1
        if let row = finding.location.row {
            rowsWithErrors.insert(RowKey(sheet: finding.location.sheet, row: row))
        }
    }

    public func error(_ code: String, _ location: Location, _ message: String) { add(Finding(code, .error, location, message)) }
    public func warning(_ code: String, _ location: Location, _ message: String) { add(Finding(code, .warning, location, message)) }
    public func info(_ code: String, _ location: Location, _ message: String) { add(Finding(code, .info, location, message)) }

    public var warningCount: Int { findings.count { $0.severity == .warning } }
    public var hasErrors: Bool { errorCount > 0 }

    public func rowHasError(sheet: String?, row: Int) -> Bool {
        rowsWithErrors.contains(RowKey(sheet: sheet, row: row))
    }
}
