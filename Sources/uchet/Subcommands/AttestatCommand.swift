import ArgumentParser
import Attestat
import Ledger
import Records
import StrictJSON
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet attestat`: final marks, the register book and honours for graduating classes.
struct AttestatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attestat",
        abstract: "Итоговые отметки, книга регистрации аттестатов и отличия для 9 и 11 классов.",
        discussion: """
            Пишет outbox/attestat/<год>/<класс>.xlsx: итоговые отметки (и из чего каждая), книгу \
            регистрации (только те, кому выдаётся аттестат; рег. номера продолжают нумерацию года с \
            registerNumberStart в pipeline.json), лист «Без аттестата» (кому выдаётся справка об обучении), \
            замечания и решения об отличиях. Правила — schemas/attestat-rules.json. Печатает по каждому \
            классу: выпускников, аттестатов готово, без аттестата, ждут данных, отметок не выставлено, \
            замечаний, отличия и медали по видам.

            Примеры:
              uchet attestat --year 2025/2026
              uchet attestat --year 2025/2026 --class 9А
            """
    )

    @OptionGroup var schoolYear: YearOption

    @Option(name: .customLong("class"), help: "Только этот класс.")
    var schoolClass: String?

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        _ = try workspace.attestatRules()
        let academicYear = schoolYear.resolved(in: workspace)
        try workspace.requireLedger()
        let book: AttestatBook
        let classes: [String]
        do {
            book = try AttestatBook(ledger: try Ledger(path: workspace.settings.ledger), policy: workspace.policy, settings: workspace.settings)
            classes = try book.classes(year: academicYear)
        } catch let error as ExitCode {
            throw error
        } catch {
            throw Failure(error, status: error is SchemaError ? .usage : .internalFailure)
        }
        let chosen = schoolClass.map { c in classes.filter { $0.lowercased() == (SchoolClass(parsing: c)?.description ?? c).lowercased() } } ?? classes
        guard !chosen.isEmpty else {
            throw Failure(
                usage: "в \(academicYear) нет выпускных классов" + (schoolClass.map { " «\($0)»" } ?? "") + "; выпускные: \(classes.joined(separator: ", "))")
        }
        print("Аттестаты, \(academicYear) учебный год (правила \(book.rules.version)):")
        for c in chosen {
            do {
                let result = try await book.ledger.withOutputsLock { try book.write(year: academicYear, schoolClass: c) }
                print("  \(result.summary) → outbox/\(result.path)")
            } catch {
                throw Failure(error, status: .internalFailure)
            }
        }
    }
}
