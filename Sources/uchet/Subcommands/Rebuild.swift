import ArgumentParser
import Ledger
import Pipeline

/// `uchet rebuild`: writes every output again from the ledger.
struct Rebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Пересоздать всё в outbox из учёта (досье, ведомости), не трогая inbox.",
        discussion: """
            Учёт (var/ledger.sqlite) — единственный источник: всё в outbox выводится из него. \
            Команда помечает всех обучающихся и выпускает их результаты заново.

            Пример:
              uchet rebuild
            """
    )

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        _ = try workspace.attestatRules()
        do {
            let ledger = try Ledger(path: workspace.settings.ledger)
            try ledger.markAllPending()
            let context = EmitContext(ledger: ledger, policy: workspace.policy, settings: workspace.settings, runID: "rebuild")
            var lines: [String] = []
            let pending = try await ledger.withOutputsLock {
                Leftovers.sweep(workspace.settings.outbox, libzip: true)
                let pending = try ledger.pendingEmits()
                for emitter in Emitters.all {
                    let clock = Stopwatch()
                    let n = try await emitter.emit(students: pending.students, context: context)
                    lines.append("\(emitter.name): \(n) (\(format1(clock.elapsed)) с)")
                }
                try ledger.clearPending(pending)
                return pending
            }
            print("Пересоздано для обучающихся: \(pending.count)" + (lines.isEmpty ? "" : "; " + lines.joined(separator: ", ")))
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }
}
