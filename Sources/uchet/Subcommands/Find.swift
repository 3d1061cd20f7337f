import ArgumentParser
import Ledger
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet find`: students by name, class, id or СНИЛС, for the staff.
struct Find: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Найти обучающегося: по ФИО или его части, классу, id или СНИЛС — id и класс.",
        discussion: """
            Регистр, «ё» и лишние пробелы не важны; часть ФИО — любые слова или их начала \
            («Ершова Ксен»). Класс («9А») показывает весь класс в последнем учебном году. \
            Код выхода 1, если никто не найден.

            Примеры:
              uchet find Ершова
              uchet find "ершова ксения"
              uchet find 9А
              uchet find 112-233-445 95
            """
    )

    @Argument(parsing: .remaining, help: "ФИО или его часть, класс, id или СНИЛС.")
    var text: [String]

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        let query = text.joined(separator: " ")
        guard !query.allSatisfy(\.isWhitespace) else { throw Failure(usage: "что искать? uchet find Ершова") }
        let ledger = try LedgerAccess.open(workspace)
        let found = try LedgerAccess.refusing { try ledger.findStudents(query) }
        guard !found.isEmpty else {
            print("В учёте никого не найдено по «\(query)».")
            throw ExitCode(ExitStatus.rejected.rawValue)
        }
        let output = Output()
        output.line("Найдено: \(found.count)")
        for s in found { output.line(StudentLookup.line(s)) }
        output.flush()
    }
}
