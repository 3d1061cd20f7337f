import ArgumentParser
import Ledger
import Records
import Reports
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet lists`: the year-end lists — похвальный лист, admission to the ГИА, the ГИР.
struct ListsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists",
        abstract: "Списки на конец года: похвальный лист, не допущенные к ГИА, обучающиеся из ГИР.",
        discussion: """
            Пишет outbox/lists/<год>/списки.xlsx (только для владельца: в нём ФИО) с листами \
            «Похвальный лист» (кандидаты на похвальный лист «За отличные успехи в учении»: все годовые \
            отметки «5», 2–8 и 10 классы), «Не допущены к ГИА» (9 и 11 классы: годовая ниже «3», н/а или \
            не зачтено, с причиной; «допуск не определён», когда годовых нет или они расходятся) и «ГИР» \
            (достижения, отмеченные в реестрах как внесённые в государственный информационный ресурс, п. 3.4).

            Примеры:
              uchet lists --year 2025/2026
            """
    )

    @OptionGroup var schoolYear: YearOption

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        let academicYear = schoolYear.resolved(in: workspace)
        try workspace.requireLedger()
        do {
            let ledger = try Ledger(path: workspace.settings.ledger)
            guard !(try ledger.students(year: academicYear)).isEmpty else {
                throw Failure(usage: "в учёте нет обучающихся \(academicYear) учебного года")
            }
            let lists = YearEndLists(ledger: ledger, policy: workspace.policy, settings: workspace.settings)
            let s = try await ledger.withOutputsLock { try lists.write(year: academicYear) }
            print("Списки, \(academicYear) учебный год → outbox/\(s.path):")
            print("  кандидатов на похвальный лист: \(s.commendation)")
            print("  не допущены к ГИА: \(s.notAdmitted), допуск не определён: \(s.admissionUndecided)")
            print("  обучающихся с достижениями в ГИР: \(s.gifted)")
        } catch let error as ExitCode {
            throw error
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }
}
