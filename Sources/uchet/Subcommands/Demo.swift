import ArgumentParser
import Demo
import Pipeline
#if canImport(Glibc)
import Glibc
import FileIO
#endif

/// `uchet demo`: fills an empty inbox with a made-up school's exports.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Положить в inbox выгрузки вымышленной школы за год: все виды файлов и несколько нарочных ошибок.",
        discussion: """
        Контингент, журналы текущих отметок (CSV в Windows-1251), ведомости за четверти и полугодия \
        в разных видах, результаты ОГЭ, ЕГЭ (математика по уровням) и ГВЭ, реестр достижений, сканы \
        дипломов с описаниями, поощрения, личностные и метапредметные результаты. Несколько файлов \
        ошибочны нарочно: их отклонит uchet run. Среди выпускников — случаи для правил аттестата \
        (неявка, «2» на ОГЭ, годовая «2», пересдача, выбывший, прибывший без отметок 10 класса, \
        медаль по ГВЭ, «2» по базовой математике). Тот же --seed даёт те же файлы.

        Пример:
          uchet demo --students 300 --seed 7 && uchet run --now
        """
    )

    @Option(help: "Сколько обучающихся в школе.")
    var students: Int = 1000

    @Option(help: "Зерно случайности: те же числа — та же школа.")
    var seed: UInt64 = 2025

    @OptionGroup var settings: SettingsOption

    @Flag(help: "Писать, даже если в inbox уже есть файлы.")
    var force = false

    func run() async throws {
        guard (11...20_000).contains(students) else { throw Failure(usage: "число обучающихся от 11 до 20000") }
        let workspace = try settings.workspace()
        let inbox = workspace.settings.inbox
        do { try Files.makeFolders(inbox) } catch { throw Failure(error, status: .usage) }
        let waiting = Inbox(root: inbox).list(settle: 0, now: 0, sources: workspace.sources.names).ready
        if !waiting.isEmpty, !force {
            throw Failure(ValidationError("в inbox уже есть файлы (\(waiting.count)); демонстрационная школа пишется в пустой inbox, или добавьте --force"),
                               status: .usage)
        }
        let report: DemoSchool.Report
        do {
            let journal = workspace.sources.folders.first { $0.kind.id == "electronic-journal" }?.name
            report = try DemoSchool.write(into: inbox, students: students, seed: seed, journalFolder: journal)
        } catch {
            throw Failure(error, status: .internalFailure)
        }
        print("В \(Workspace.relative(inbox, to: workspace.settings.folder)) записано файлов: \(report.files.count) — школа из \(report.classes) классов, \(report.students) обучающихся, около \(report.marks) отметок.")
        print("Нарочно ошибочные (их отклонит uchet run):")
        for m in report.mistakes { print("  \(m.file): \(m.why)") }
        if !report.attestatCases.isEmpty {
            print("Случаи для аттестатов (uchet attestat покажет их на листах «Без аттестата», «Замечания», «Отличия»):")
            for c in report.attestatCases { print("  \(c.who): \(c.what)") }
        }
        print("Дальше: uchet run --now")
    }
}

