import ArgumentParser
import Ledger
import Records
import Reports
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet frdo`: the issued attestats for the federal register (ФИС ФРДО).
struct FrdoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frdo",
        abstract: "Выданные аттестаты для загрузки в ФИС ФРДО, с проверкой перед загрузкой.",
        discussion: """
            Пишет outbox/frdo/<год>/ФРДО-аттестаты.xlsx: лист «Шаблон» в порядке граф реестра, по строке \
            на каждый выданный аттестат (рег. номер в книге регистрации и строка в листе выдачи \
            аттестатов с номером бланка и датой выдачи, принятом через inbox). Перед записью проверяет \
            СНИЛС (контрольное число), даты (дд.мм.гггг), ФИО только кириллицей (латинская буква — \
            ошибка с ячейкой), заполненность обязательных граф. Ошибки — на листе «Ошибки», в \
            ФРДО-аттестаты.report.txt и на экране; ячейки с ошибками отмечены красным; выход 1.

            Примеры:
              uchet frdo --year 2025/2026
            """
    )

    @OptionGroup var schoolYear: YearOption

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        _ = try workspace.attestatRules()
        let academicYear = schoolYear.resolved(in: workspace)
        try workspace.requireLedger()
        let summary: FRDOSummary
        do {
            let ledger = try Ledger(path: workspace.settings.ledger)
            let export = FRDOExport(ledger: ledger, policy: workspace.policy, settings: workspace.settings)
            summary = try await ledger.withOutputsLock { try export.write(year: academicYear, today: Clock.today()) }
        } catch let error as ExitCode {
            throw error
        } catch {
            throw Failure(error, status: .internalFailure)
        }
        print("ФИС ФРДО, аттестаты \(academicYear) учебного года → outbox/\(summary.path)")
        print(
            "  строк: \(summary.rows), ошибок: \(summary.findings.count)"
                + (summary.notIssued > 0 ? "; рег. номер есть, выдача не внесена (нет строки в листе выдачи аттестатов): \(summary.notIssued)" : ""))
        for f in summary.findings { print("  " + f.line) }
        if !summary.findings.isEmpty {
            print("  отчёт: outbox/\(summary.reportPath); ячейки с ошибками отмечены красным")
            throw ExitCode(ExitStatus.rejected.rawValue)
        }
    }
}
