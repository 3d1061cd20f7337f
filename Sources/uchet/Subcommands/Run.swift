import ArgumentParser
import Attestat
import Dossier
import Ledger
import Pipeline
import Reports

/// `uchet run`: one pass of the pipeline.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Обработать inbox: принять выгрузки в учёт, отклонить ошибочные с отчётом, выпустить результаты.",
        discussion: """
            Берёт файлы из inbox (кроме тех, что менялись в последние settleSeconds секунд: они, \
            возможно, ещё копируются), проверяет их, вносит в учёт (var/ledger.sqlite) и переносит \
            в inbox/processed/<дата>/; файлы с ошибками — в inbox/rejected/<дата>/ с отчётом рядом. \
            Итог запуска — в outbox/reports/<запуск>/summary.json.
            Код выхода: 0 — всё принято, 1 — есть отклонённые, 2 — ошибка настройки, 3 — внутренняя ошибка.

            Примеры:
              uchet run
              uchet run --now            (не ждать: файлы точно докопированы)
            """
    )

    @OptionGroup var settings: SettingsOption

    @Flag(help: "Не ждать settleSeconds: брать и только что изменённые файлы.")
    var now = false

    func run() async throws {
        let workspace = try settings.workspace()
        _ = try workspace.attestatRules()
        Signals.install()
        let summary = try await Run.pass(workspace, settle: !now)
        print(summary.text)
        print("Отчёт: \(Workspace.relative(workspace.settings.outbox, to: workspace.settings.folder))/reports/\(summary.runID)/summary.json")
        if summary.rejected > 0 { throw ExitCode(ExitStatus.rejected.rawValue) }
    }

    /// One pass with the workspace's ledger and outputs; a fault of uchet's own is exit 3.
    static func pass(_ workspace: Workspace, settle: Bool) async throws -> RunSummary {
        do {
            let ledger = try Ledger(path: workspace.settings.ledger)
            let progress: any RunProgress = stderrIsTerminal() ? TerminalProgress() : LogProgress(logger: Logs.pipeline)
            let run = PipelineRun(
                settings: workspace.settings, policy: workspace.policy, profiles: workspace.profiles, sources: workspace.sources, ledger: ledger,
                progress: progress, stop: stopRequest, emitters: Emitters.all, logger: Logs.pipeline,
                examNames: workspace.rules?.examNames ?? .none)
            return try await run.run(settle: settle)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }
}

/// The outputs a run writes for what changed.
enum Emitters {
    static var all: [any Emitter] { [DossierEmitter(), AttestatEmitter(), ClassReportEmitter()] }
}
