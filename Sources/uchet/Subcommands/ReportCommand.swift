import ArgumentParser
import Ledger
import Policy
import Records
import Reports
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet report`: class results by subject and period, with charts.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Отчёты по классам: успеваемость, качество знаний, СОУ, средний балл по предметам и периодам.",
        discussion: """
            Пишет outbox/reports/classes/<год>/<класс>.xlsx и .html по каждому классу с отметками и \
            школа.xlsx, школа.html по всей школе: число отметок «5»…«1», н/а, успеваемость, качество, \
            СОУ, средний балл и их изменение с предыдущего периода; формулы — на каждом листе. \
            Страницы HTML — с диаграммами, без скриптов и внешних файлов, печатаются на A4. \
            uchet run пишет их сам, когда меняются отметки за четверти, полугодия или год.

            Примеры:
              uchet report --year 2025/2026
              uchet report --year 2025/2026 --period "2 четверть"    (в папку «2 четверть»)
              uchet report --year 2025/2026 --class 7А
            """
    )

    @OptionGroup var schoolYear: YearOption

    @Option(help: "Отчёт на конец этого периода: «1 четверть», «2 ч», «1 полугодие», «Год»… (по умолчанию — все периоды).")
    var period: String?

    @Option(name: .customLong("class"), help: "Только этот класс (и сводка по школе).")
    var schoolClass: String?

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        let academicYear = schoolYear.resolved(in: workspace)
        var upTo: Period?
        if let period {
            guard let p = workspace.policy.period(matching: period), [.quarter, .halfYear, .trimester, .year].contains(p.kind) else {
                let known = workspace.policy.periods.terms.compactMap { workspace.policy.period(id: $0.id) }
                    .filter { [.quarter, .halfYear, .trimester, .year].contains($0.kind) }.map(\.label)
                throw Failure(usage: "период «\(period)» не из положения школы; допустимые: \(known.joined(separator: ", "))")
            }
            upTo = p
        }
        try workspace.requireLedger()
        do {
            let ledger = try Ledger(path: workspace.settings.ledger)
            let reports = ClassReports(ledger: ledger, policy: workspace.policy, settings: workspace.settings)
            let results = try ClassResults.load(ledger: ledger, policy: workspace.policy, year: academicYear, upTo: upTo)
            guard !results.classes.isEmpty else {
                throw Failure(usage: "в учёте нет отметок за четверти, полугодия или год \(academicYear)")
            }
            var chosen: String?
            if let schoolClass {
                let name = SchoolClass(parsing: schoolClass)?.description ?? schoolClass
                guard let c = results.classes.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw Failure(
                        ValidationError(
                            "в \(academicYear) нет отметок класса «\(schoolClass)»; классы с отметками: \(results.classes.map(\.name).joined(separator: ", "))"),
                        status: .usage)
                }
                chosen = c.name
            }
            let files = try await ledger.withOutputsLock { try reports.write(results, schoolClass: chosen, upTo: upTo) }
            print("Отчёты по классам, \(academicYear) учебный год" + (upTo.map { ", на конец периода «\($0.label)»" } ?? "") + ":")
            for f in files { print("  " + f.summary) }
        } catch let error as ExitCode {
            throw error
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }
}
