public import SystemPackage
public import SystemText

/// A file operation that failed: what was being done, to which path, and
/// the system's reason (in Russian, with its symbolic name for searching).
public struct FileError: SystemFailure, Sendable, Equatable, CustomStringConvertible {
    public enum Operation: String, Sendable {
        case open = "не открывается"
        case read = "не читается"
        case write = "не записывается"
        case rename = "не переносится на место"
        case makeFolder = "не создаётся"
        case remove = "не удаляется"
        case lock = "не блокируется"
    }

    public var operation: Operation
    public var path: String
    public var errno: Errno

    public init(_ operation: Operation, path: String, errno: Errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// The system's reason alone: «нет такого файла или папки (ENOENT)».
    public var reason: String { systemErrorText(errno.rawValue) }

    public var systemErrno: Int32? { errno.rawValue }

    /// `файл var/x.xml не записывается: на диске нет места (ENOSPC)`.
    public var description: String {
        "\(operation == .makeFolder ? "папка" : "файл") \(path) \(operation.rawValue): \(reason)"
    }
}
