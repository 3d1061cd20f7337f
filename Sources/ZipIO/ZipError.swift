public import SystemText
/// A failure reading or writing a zip archive, with where it happened and,
/// when libzip said something, libzip's own words.
///
/// Reads like `открытие 9А.xlsx: не ZIP-архив (libzip: Not a zip archive)`.
public struct ZipError: SystemFailure, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, stable for tests and reports.
    public enum Code: String, Sendable {
        case openFailed = "E-ZIP-OPEN"
        case notZip = "E-ZIP-NOT-ZIP"
        case oleDocument = "E-ZIP-OLE"
        case entryNotFound = "E-ZIP-NO-ENTRY"
        case unsafeEntryName = "E-ZIP-ENTRY-NAME"
        case encryptedEntry = "E-ZIP-ENCRYPTED"
        case readFailed = "E-ZIP-READ"
        case sizeLimit = "E-ZIP-SIZE-LIMIT"
        case ratioLimit = "E-ZIP-RATIO-LIMIT"
        case sizeMismatch = "E-ZIP-SIZE-MISMATCH"
        case tooManyEntries = "E-ZIP-ENTRIES"
        case writeFailed = "E-ZIP-WRITE"
    }

    public var code: Code
    /// What was being done: «открытие», «чтение», «запись».
    public var operation: String
    /// The archive's file name (not its full path: reports travel).
    public var archive: String
    /// The entry inside the archive, when the failure concerns one.
    public var entry: String?
    /// What went wrong and what to do, in Russian.
    public var message: String
    /// libzip's message, when the failure came from a libzip call.
    public var cause: String?
    /// The system's `errno` when libzip failed in a system call (a full disk on closing).
    public var systemErrno: Int32?

    public init(_ code: Code, operation: String, archive: String, entry: String? = nil, message: String, cause: String? = nil) {
        self.code = code
        self.operation = operation
        self.archive = archive
        self.entry = entry
        self.message = message
        self.cause = cause
    }

    public var description: String {
        var text = operation + " " + archive
        if let entry { text += " → " + entry }
        text += ": " + message
        if let cause, !cause.isEmpty { text += " (libzip: " + cause + ")" }
        return text
    }
}

/// The last path component, for messages.
func displayName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
