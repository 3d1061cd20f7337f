public import CivilDate
import Crypto
import Digest

/// A student's id in the ledger and in every output's file names: the
/// journal id where the electronic journal gives one (`j` + the id), else
/// derived from the normalised ФИО and the birth date (`h` + 16 hex digits
/// of their SHA-256). Always ASCII letters, digits and `-`.
public struct StudentID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// From a journal id: kept when it is short ASCII, hashed otherwise.
    public init(journalID: String) {
        let trimmed = String(journalID.trimmingSpaces())
        if (1...32).contains(trimmed.count), trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            rawValue = "j" + trimmed
        } else {
            rawValue = "j" + StudentID.digest(trimmed)
        }
    }

    /// From the name and birth date, when there is no journal id.
    public init(name: FullName, birthDate: CivilDate) {
        rawValue = "h" + StudentID.digest(name.key + "|" + birthDate.iso8601)
    }

    private static func digest(_ text: String) -> String {
        Hex.string(SHA256.hash(data: Array(text.utf8)).prefix(8))
    }

    public var description: String { rawValue }

    public static func < (a: StudentID, b: StudentID) -> Bool { a.rawValue < b.rawValue }
}

/// Where a fact came from: the file (by content hash and name) and the cell
/// or line. Every record carries one.
public struct Provenance: Sendable, Hashable, CustomStringConvertible {
    /// SHA-256 of the file, hex.
    public var fileHash: String
    public var fileName: String
    /// The sheet of a workbook; `nil` for CSV and JSON.
    public var sheet: String?
    /// The row of a sheet, the line of a CSV file.
    public var row: Int?
    /// 1-based column, when one cell holds the fact.
    public var column: Int?

    public init(fileHash: String, fileName: String, sheet: String? = nil, row: Int? = nil, column: Int? = nil) {
        self.fileHash = fileHash
        self.fileName = fileName
        self.sheet = sheet
        self.row = row
        self.column = column
    }

    /// `Ведомость!C14`, `строка 812, столбец 4`, `строка 812`, or the file name.
    public var location: String {
        if let sheet {
            if let row, let column { return "\(sheet)!\(Provenance.columnName(column))\(row)" }
            if let row { return "\(sheet)!\(row):\(row)" }
            return sheet
        }
        if let row {
            if let column { return "строка \(row), столбец \(column)" }
            return "строка \(row)"
        }
        return fileName
    }

    public var description: String { "\(fileName): \(location)" }

    /// `A`, `AB`.
    public static func columnName(_ column: Int) -> String {
        var n = column
        var letters = ""
        while n > 0 {
            letters = String(Character(Unicode.Scalar(UInt8(65 + (n - 1) % 26)))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    /// The same file and row, another column.
    public func at(column: Int?) -> Provenance {
        var copy = self
        copy.column = column
        return copy
    }
}
