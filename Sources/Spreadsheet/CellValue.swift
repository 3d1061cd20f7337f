public import CivilDate

/// What a cell holds, typed as the file says (a spreadsheet) or as text (CSV).
public enum CellValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)
    /// A number whose format is a date format, or an ISO `t="d"` cell.
    case date(CivilDateTime)
    /// `#DIV/0!`, `#N/A`, …
    case error(String)

    /// The kind, for counting and for `uchet inspect`.
    public var kind: CellKind {
        switch self {
        case .string: .string
        case .number: .number
        case .bool: .bool
        case .date: .date
        case .error: .error
        }
    }

    /// The value as a person would type it: numbers without a trailing `.0`,
    /// dates as `01.09.2025`.
    public var text: String {
        switch self {
        case .string(let s): s
        case .number(let n): CellValue.format(n)
        case .bool(let b): b ? "ИСТИНА" : "ЛОЖЬ"
        case .date(let d): d.isTimeOnly || d.secondsOfDay != 0 ? d.iso8601 : d.date.russian
        case .error(let e): e
        }
    }

    public var description: String { text }

    /// The error value of a formula cell saved without its result (`<f>` and no
    /// `<v>`: written by libraries that do not calculate), as the readers report it.
    public static let uncomputedFormula = "#ФОРМУЛА_НЕ_ВЫЧИСЛЕНА"

    /// `4`, `4.5`, `-0.25`, `1e-07`.
    public static func format(_ n: Double) -> String {
        if n.isFinite, n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }
}

/// The five kinds of value a cell can have.
public enum CellKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case string, number, bool, date, error

    /// `string`, `number`, `bool`, `date`, `error` (the names `uchet inspect` prints).
    public var description: String {
        switch self {
        case .string: "string"
        case .number: "number"
        case .bool: "bool"
        case .date: "date"
        case .error: "error"
        }
    }
}

/// A non-empty cell.
public struct Cell: Sendable, Hashable {
    /// 1-based column (A = 1).
    public var column: Int
    public var value: CellValue

    public init(column: Int, value: CellValue) {
        self.column = column
        self.value = value
    }
}

/// A row's non-empty cells in column order.
public struct Row: Sendable, Hashable {
    /// 1-based row number in the sheet, or the line number of a CSV record.
    public var number: Int
    public var cells: [Cell]

    public init(number: Int, cells: [Cell]) {
        self.number = number
        self.cells = cells
    }

    /// The value in `column` (1-based), or `nil` when the cell is empty.
    public subscript(column: Int) -> CellValue? {
        // Rows are short; a linear scan beats building an index.
        for cell in cells where cell.column == column { return cell.value }
        return nil
    }
}

/// What a row visitor wants next.
public enum ScanDecision: Sendable {
    case `continue`
    case stop
}
