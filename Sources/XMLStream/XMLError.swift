public import SystemText
/// A failure parsing, writing or validating XML, with the document and line,
/// and libxml2's own words when it said something.
///
/// Reads like `разбор xl/worksheets/sheet1.xml, строка 12: документ объявляет сущности (DOCTYPE), такие файлы не принимаются`.
public struct XMLError: SystemFailure, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case malformed = "E-XML-MALFORMED"
        case entityDeclaration = "E-XML-ENTITY"
        case externalDTD = "E-XML-EXTERNAL-DTD"
        case tooLarge = "E-XML-TOO-LARGE"
        case writeFailed = "E-XML-WRITE"
        case schemaInvalid = "E-XML-SCHEMA"
        case notValid = "E-XML-NOT-VALID"
        case handler = "E-XML-HANDLER"
    }

    public var code: Code
    /// «разбор», «запись», «проверка по схеме».
    public var operation: String
    /// The document: a file name, or `archive.xlsx → xl/workbook.xml`.
    public var document: String
    public var line: Int?
    public var message: String
    /// libxml2's message.
    public var cause: String?
    /// The system's `errno` when writing to a file failed (a full disk).
    public var systemErrno: Int32?

    public init(_ code: Code, operation: String, document: String, line: Int? = nil, message: String, cause: String? = nil) {
        self.code = code
        self.operation = operation
        self.document = document
        self.line = line
        self.message = message
        self.cause = cause
    }

    public var description: String {
        var text = operation + " " + document
        if let line, line > 0 { text += ", строка \(line)" }
        text += ": " + message
        if let cause, !cause.isEmpty { text += " (libxml2: " + cause + ")" }
        return text
    }
}
