import ArgumentParser
import Ledger
import Pipeline
import Policy
import Records
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet conflicts`: the conflicts a person has to decide (or all of them).
struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "Показать конфликты: одна отметка за один период пришла из разных файлов с разными значениями.",
        discussion: """
            По каждому конфликту: номер, обучающийся (ФИО, класс, id), предмет, год, период, каждое \
            значение с файлом, ячейкой и видом источника, и чем конфликт решён (правилом положения или \
            решением человека). Без --all — только нерешённые. Решить: uchet resolve <номер>.

            Примеры:
              uchet conflicts
              uchet conflicts --year 2025/2026 --class 9А
              uchet conflicts --all
            """
    )

    @Option(help: "Учебный год, например 2025/2026 (по умолчанию — все годы).")
    var year: AcademicYear?

    @Option(name: .customLong("class"), help: "Класс, например 9А: конфликты его обучающихся.")
    var schoolClass: String?

    @Flag(help: "Все конфликты, и решённые тоже.")
    var all = false

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        let academicYear = year
        let wanted = try schoolClass.map { text in
            guard let c = SchoolClass(parsing: text) else { throw Failure(usage: "«\(text)» не класс; пишите как 9А") }
            return c.description
        }
        let ledger = try LedgerAccess.open(workspace)
        let items: [ConflictItem]
        do { items = try ledger.conflicts(year: academicYear, schoolClass: wanted, all: all) } catch { throw Failure(error, status: .internalFailure) }
        let scope = [academicYear.map { "\($0) учебный год" }, wanted.map { "класс \($0)" }].compactMap { $0 }.joined(separator: ", ")
        guard !items.isEmpty else {
            print((all ? "Конфликтов нет" : "Нерешённых конфликтов нет") + (scope.isEmpty ? "." : " (\(scope))."))
            return
        }
        let text = ConflictText(policy: workspace.policy)
        let output = Output()
        output.line((all ? "Конфликты" : "Нерешённые конфликты") + (scope.isEmpty ? "" : " (\(scope))") + ": \(items.count)")
        for item in items {
            output.line("")
            for line in text.lines(item) { output.line(line) }
        }
        if items.contains(where: { $0.status == "open" }) {
            output.line("")
            output.line("Решить: uchet resolve <номер> --value <отметка> --reason \"почему\" [--by \"кто решил\"]")
        }
        output.flush()
    }
}
