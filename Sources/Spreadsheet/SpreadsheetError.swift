/// A spreadsheet file that cannot be read, with where: the file, the part
/// or sheet, the cell. Problems of the zip or XML layers arrive as
/// `ZipError` and `XMLError`, which say the same in their own terms.
public struct SpreadsheetError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case missingPart = "E-XLSX-MISSING-PART"
        case badPart = "E-XLSX-BAD-PART"
        case noSuchSheet = "E-XLSX-NO-SHEET"
        case cellOutOfRange = "E-XLSX-CELL-RANGE"
        case badCell = "E-XLSX-BAD-CELL"
        case sharedStringIndex = "E-XLSX-SST-INDEX"
        case styleIndex = "E-XLSX-STYLE-INDEX"
        case tooLarge = "E-XLSX-TOO-LARGE"
        case unsupportedFormat = "E-FILE-FORMAT"
        case ioFailed = "E-FILE-IO"
        case writeFailed = "E-XLSX-WRITE"
    }

    public var code: Code
    /// The file name.
    public var file: String
    /// The sheet (by name) or the package part.
    public var place: String?
    /// The cell, when one is at fault.
    public var cell: String?
    /// What is wrong and what to do, in Russian.
    public var message: String

    public init(_ code: Code, file: String, place: String? = nil, cell: String? = nil, message: String) {
        self.code = code
        self.file = file
        self.place = place
        self.cell = cell
        self.message = message
    }

    /// `9А.xlsx, лист «Отметки»!B3: …`
    public var description: String {
        var text = file
        if let place { text += ", " + place }
        if let cell { text += (place == nil ? ", " : "!") + cell }
        return text + ": " + message
    }
}
