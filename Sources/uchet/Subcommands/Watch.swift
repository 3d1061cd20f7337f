import ArgumentParser
import Pipeline
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet watch`: runs the pipeline whenever files settle in the inbox.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Следить за inbox и обрабатывать файлы, как только они докопированы.",
        discussion: """
            Раз в --interval секунд смотрит в inbox; когда там есть файлы, не менявшиеся settleSeconds \
            секунд, запускает обработку, как uchet run. Останавливается по Ctrl+C (SIGINT) или SIGTERM, \
            дообработав файл, который уже в работе.

            Пример:
              uchet watch --interval 10
            """
    )

    @OptionGroup var settings: SettingsOption

    @Option(help: "Как часто смотреть в inbox, секунд.")
    var interval: Double = 5

    func run() async throws {
        let workspace = try settings.workspace()
        _ = try workspace.attestatRules()
        Signals.install()
        let inbox = Inbox(root: workspace.settings.inbox)
        Logs.pipeline.info("слежу за \(workspace.settings.inbox), раз в \(interval) с; остановка — Ctrl+C")
        var rejectedAny = false
        while !stopRequest.requested {
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            let listing = inbox.list(settle: workspace.settings.settleSeconds, now: Double(spec.tv_sec), sources: workspace.sources.names)
            let data = listing.ready.filter { !Inbox.isAttachment($0.name) }
            if !data.isEmpty {
                let summary = try await Run.pass(workspace, settle: true)
                print(summary.text)
                if summary.rejected > 0 { rejectedAny = true }
            }
            // Sleep in short steps so a signal is answered at once.
            var slept = 0.0
            while slept < interval, !stopRequest.requested {
                try await Task.sleep(for: .milliseconds(100))
                slept += 0.1
            }
        }
        Logs.pipeline.info("остановлено по сигналу")
        if rejectedAny { throw ExitCode(ExitStatus.rejected.rawValue) }
    }
}
