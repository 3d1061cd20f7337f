import ArgumentParser
import Ledger
import SystemText
#if canImport(Glibc)
    import Glibc
#endif

/// The exit codes of DESIGN.md.
enum ExitStatus: Int32 {
    /// Everything accepted.
    case ok = 0
    /// Some file rejected or a finding of error severity.
    case rejected = 1
    /// Configuration or usage.
    case usage = 2
    /// A fault of uchet itself.
    case internalFailure = 3
}

/// An error as the user reads it, with the exit code for its kind. Built
/// where the error is caught, printed in one place (`Uchet.main`).
struct Failure: Error {
    let message: String
    let status: ExitStatus

    init(_ error: any Error, status: ExitStatus) {
        if let failure = error as? Failure {
            self = failure
        } else if Ledger.isOutOfSpace(error) {
            message =
                "на диске нет места, запуск остановлен. Освободите место на диске рабочей папки и запустите uchet run снова: "
                + "записанное в учёт сохранено, недоделанное будет сделано, файлы ждут в inbox. (\(error))"
            self.status = .internalFailure
        } else if let code = (error as? any SystemFailure)?.systemErrno, [EACCES, EPERM, EROFS].contains(code) {
            // A folder uchet may not write is the environment's problem, not uchet's own: exit 2, the path named.
            message = "\(error). Дайте пользователю, от имени которого запускается uchet, право записи в эту папку (или укажите другую в pipeline.json)"
            self.status = .usage
        } else {
            message = "\(error)"
            self.status = status
        }
    }

    /// A usage or configuration problem told in a sentence.
    init(usage message: String) {
        self.message = message
        status = .usage
    }
}
