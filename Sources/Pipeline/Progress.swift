public import Logging
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
public final class TerminalProgress: RunProgress, @unchecked Sendable {
    private var total = 0
    private var done_ = 0
    private var records = 0
    private let lock = NSLockish()

    public init() {}

    public func started(files: Int) { lock.with { total = files; draw() } }

    public func finished(file: String, status: FileOutcome.Status, records: Int) {
        lock.with {
            done_ += 1
            self.records += records
            if status == .rejected { clearLine(); printErr("  отклонён: \(file)") }
            draw()
        }
    }

    public func note(_ message: String) { lock.with { clearLine(); printErr(message); draw() } }

    public func done() { lock.with { clearLine() } }

    private func draw() {
        guard total > 0 else { return }
        let width = 30
        let filled = min(width, done_ * width / max(total, 1))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        writeErr("\r\(bar) файлы \(done_)/\(total), записи \(records)")
    }

    private func clearLine() { writeErr("\r\u{1B}[K") }
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
        if n <= 0 { if errno == EINTR { continue }; return }
        bytes = bytes.dropFirst(n)
    }
}

func printErr(_ text: String) { writeErr(text + "\n") }

/// A small mutex over pthread (Foundation-free).
final class NSLockish: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func with<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
