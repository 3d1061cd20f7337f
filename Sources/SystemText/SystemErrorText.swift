#if canImport(Glibc)
    import Glibc
#endif

/// What a failed system call means, in Russian, for the messages users read
/// (`strerror` speaks English). The symbolic name follows, for searching;
/// codes not listed keep the system's own text.
public func systemErrorText(_ code: Int32) -> String {
    let known: (String, String)? =
        switch code {
        case ENOENT: ("нет такого файла или папки", "ENOENT")
        case EACCES: ("нет прав доступа", "EACCES")
        case EPERM: ("операция не разрешена", "EPERM")
        case ENOSPC: ("на диске нет места", "ENOSPC")
        case EDQUOT: ("превышена дисковая квота", "EDQUOT")
        case EROFS: ("файловая система только для чтения", "EROFS")
        case EEXIST: ("файл уже существует", "EEXIST")
        case EISDIR: ("это папка, а не файл", "EISDIR")
        case ENOTDIR: ("часть пути не папка", "ENOTDIR")
        case ENOTEMPTY: ("папка не пуста", "ENOTEMPTY")
        case ENAMETOOLONG: ("слишком длинное имя", "ENAMETOOLONG")
        case ELOOP: ("слишком много символических ссылок", "ELOOP")
        case EMFILE: ("открыто слишком много файлов", "EMFILE")
        case ENFILE: ("открыто слишком много файлов", "ENFILE")
        case EIO: ("ошибка ввода-вывода: проверьте диск", "EIO")
        case EBUSY: ("занято другим процессом", "EBUSY")
        case EXDEV: ("нельзя переместить на другую файловую систему", "EXDEV")
        default: nil
        }
    guard let known else { return String(cString: strerror(code)) + " (errno \(code))" }
    return "\(known.0) (\(known.1))"
}

/// `systemErrorText` of the current `errno`.
public func systemErrorText() -> String { systemErrorText(errno) }

/// An error whose cause was a failed system call: the `errno` it left, so
/// callers tell a full disk by its code, never by searching words.
public protocol SystemFailure: Error {
    var systemErrno: Int32? { get }
}

extension SystemFailure {
    /// A full disk or quota.
    public var isOutOfSpace: Bool { systemErrno == ENOSPC || systemErrno == EDQUOT }
}
