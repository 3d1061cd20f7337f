import ArgumentParser
import Ledger
import Records
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet status`: what the ledger holds, per year and class.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Показать, что есть в учёте: по учебным годам и классам.",
        discussion: """
            Для каждого класса: обучающиеся, текущие отметки, отметки за периоды, результаты ГИА, \
            достижения, поощрения, личностные и метапредметные результаты, открытые конфликты.

            Пример:
              uchet status
            """
    )

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        guard access(workspace.settings.ledger, F_OK) == 0 else {
            print(
                "Учёт пуст: \(Workspace.relative(workspace.settings.ledger, to: workspace.settings.folder)) ещё не создан. Положите выгрузки в inbox и запустите uchet run."
            )
            return
        }
        let status: LedgerStatus
        do { status = try Ledger(path: workspace.settings.ledger).status() } catch { throw Failure(error, status: .internalFailure) }
        print("Учёт: обучающихся \(status.students), файлов принято \(status.files), отклонений \(status.rejections), сканов \(status.scans)")
        if let run = status.lastRun { print("Последний запуск: \(run.id) (\(run.status)\(run.finished.map { ", окончен \($0)" } ?? ""))") }
        var year = -1
        for c in status.classes {
            if c.year != year {
                year = c.year
                print("\n\(AcademicYear(startYear: year)) учебный год")
                print(
                    pad("класс", 6) + pad("учеников", 10) + pad("текущих", 10) + pad("за периоды", 12) + pad("ГИА", 6)
                        + pad("достижений", 12) + pad("поощрений", 11) + pad("л/м рез.", 10) + "конфликтов")
            }
            print(
                pad(c.schoolClass, 6) + pad(String(c.students), 10) + pad(String(c.currentMarks), 10) + pad(String(c.periodMarks), 12)
                    + pad(String(c.exams), 6) + pad(String(c.achievements), 12) + pad(String(c.encouragements), 11)
                    + pad(String(c.developmentResults), 10) + String(c.openConflicts))
        }
    }

    func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(1, width - s.count)) }
}
