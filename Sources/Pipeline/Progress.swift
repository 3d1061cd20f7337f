public import Logging
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// What a run tells its operator as it goes.
public protocol RunProgress: Sendable {
    func started(files: Int)
    func finished(file: String, status: FileOutcome.Status, records: Int)
    func note(_ message: String)
    func done()
}

/// A progress bar on a terminal: files and records so far.
public final class TerminalProgress: RunProgress, Sendable {
    private struct Counts {
        var total = 0
        var done = 0
        var records = 0
    }

    private let counts = Mutex(Counts())

    public init() {}

    public func started(files: Int) {
        counts.withLock { c in
            c.total = files
            TerminalProgress.draw(c)
        }
    }

    public func finished(file: String, status: FileOutcome.Status, records: Int) {
        counts.withLock { c in
            c.done += 1
            c.records += records
            if status == .rejected {
                TerminalProgress.clearLine()
                printErr("  отклонён: \(file)")
            }
            TerminalProgress.draw(c)
        }
    }

    public func note(_ message: String) {
        counts.withLock { c in
            TerminalProgress.clearLine()
            printErr(message)
            TerminalProgress.draw(c)
        }
    }

    public func done() { counts.withLock { _ in TerminalProgress.clearLine() } }

    private static func draw(_ c: Counts) {
        guard c.total > 0 else { return }
        let width = 30
        let filled = min(width, c.done * width / max(c.total, 1))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        writeErr("\r\(bar) файлы \(c.done)/\(c.total), записи \(c.records)")
    }

    private static func clearLine() { writeErr("\r\u{1B}[K") }
}

/// Plain log lines (not a terminal: cron, CI, a service).
public struct LogProgress: RunProgress {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func started(files: Int) { logger.info("файлов к обработке: \(files)") }
    public func finished(file: String, status: FileOutcome.Status, records: Int) {
        logger.info("\(status.russian): \(file), записей \(records)")
    }
    public func note(_ message: String) { logger.info("\(message)") }
    public func done() {}
}

/// True when standard error is a terminal.
public func stderrIsTerminal() -> Bool { isatty(2) == 1 }

func writeErr(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if n <= 0 {
            if errno == EINTR { continue }
            return
        }
        bytes = bytes.dropFirst(n)
    }
}

func printErr(_ text: String) { writeErr(text + "\n") }
