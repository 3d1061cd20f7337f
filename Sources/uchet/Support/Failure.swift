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

/// The one place errors are printed: `uchet: <what, where, what to do>` on
/// standard error, then the exit code for its kind.
enum Failure {
    static func exit(_ error: any Error, status: ExitStatus) -> ExitCode {
        if Ledger.isOutOfSpace(error) {
            printError("uchet: на диске нет места, запуск остановлен. Освободите место на диске рабочей папки и запустите uchet run снова: "
                       + "записанное в учёт сохранено, недоделанное будет сделано, файлы ждут в inbox. (\(error))")
            return ExitCode(ExitStatus.internalFailure.rawValue)
        }
        // A folder uchet may not write is the environment's problem, not uchet's own: exit 2, the path named.
        if let code = (error as? any SystemFailure)?.systemErrno, [EACCES, EPERM, EROFS].contains(code) {
            printError("uchet: \(error). Дайте пользователю, от имени которого запускается uchet, право записи в эту папку (или укажите другую в pipeline.json)")
            return ExitCode(ExitStatus.usage.rawValue)
        }
        printError("uchet: \(error)")
        return ExitCode(status.rawValue)
    }
}
