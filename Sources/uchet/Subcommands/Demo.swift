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

            Демонстрационная школа никогда не пишется в рабочую папку настоящей школы: если учёт \
            (var/ledger.sqlite) уже есть или в inbox/processed/ что-то лежит, команда отказывается. \
            --into ПАПКА делает отдельную демонстрационную школу: pipeline.json, schemas/ (копия \
            здешних), inbox/ с выгрузками; работать с ней — из этой папки.

            Примеры:
              uchet demo --students 300 --seed 7 && uchet run --now
              uchet demo --into demo-school && cd demo-school && uchet run --now
            """
    )

    @Option(help: "Сделать отдельную папку демонстрационной школы (pipeline.json, schemas, inbox) и писать туда.")
    var into: String?

    @Option(help: "Сколько обучающихся в школе.")
    var students: Int = 1000

    @Option(help: "Зерно случайности: те же числа — та же школа.")
    var seed: UInt64 = 2025

    @OptionGroup var settings: SettingsOption

    @Flag(help: "Писать, даже если в inbox уже есть файлы (но не в школу, у которой есть учёт).")
    var force = false

    func run() async throws {
        guard (11...20_000).contains(students) else { throw Failure(usage: "число обучающихся от 11 до 20000") }
        var workspace = try settings.workspace()
        if let into {
            try DemoSchoolFolder.make(into, from: workspace)
            workspace = try Workspace.load(config: into + "/pipeline.json")
        }
        let inbox = workspace.settings.inbox
        // A school that has a ledger, or files already taken in, is a real school: never touched.
        let live = [
            access(workspace.settings.ledger, F_OK) == 0
                ? "учёт \(Workspace.relative(workspace.settings.ledger, to: workspace.settings.folder)) уже есть" : nil,
            DemoSchoolFolder.isNonEmptyFolder(inbox + "/processed")
                ? "в \(Workspace.relative(inbox, to: workspace.settings.folder))/processed/ уже лежат принятые файлы" : nil
        ].compactMap { $0 }
        if !live.isEmpty {
            throw Failure(
                ValidationError(
                    "демонстрационная школа не пишется в рабочую папку настоящей школы: \(live.joined(separator: ", ")); "
                        + "ничего не изменено. Сделайте отдельную папку: uchet demo --into demo-school"), status: .usage)
        }
        do { try Files.makeFolders(inbox) } catch { throw Failure(error, status: .usage) }
        let waiting = Inbox(root: inbox).list(settle: 0, now: 0, sources: workspace.sources.names).ready
        if !waiting.isEmpty, !force {
            throw Failure(
                ValidationError("в inbox уже есть файлы (\(waiting.count)); демонстрационная школа пишется в пустой inbox, или добавьте --force"),
                status: .usage)
        }
        let report: DemoSchool.Report
        do {
            let journal = workspace.sources.folders.first { $0.kind.id == "electronic-journal" }?.name
            report = try DemoSchool.write(into: inbox, students: students, seed: seed, journalFolder: journal)
        } catch {
            throw Failure(error, status: .internalFailure)
        }
        print(
            "В \(Workspace.relative(inbox, to: workspace.settings.folder)) записано файлов: \(report.files.count) — школа из \(report.classes) классов, \(report.students) обучающихся, около \(report.marks) отметок."
        )
        print("Нарочно ошибочные (их отклонит uchet run):")
        for m in report.mistakes { print("  \(m.file): \(m.why)") }
        if !report.attestatCases.isEmpty {
            print("Случаи для аттестатов (uchet attestat покажет их на листах «Без аттестата», «Замечания», «Отличия»):")
            for c in report.attestatCases { print("  \(c.who): \(c.what)") }
        }
        print(into.map { "Дальше: cd \($0) && uchet run --now" } ?? "Дальше: uchet run --now")
    }
}

/// A demo school's own working folder: `pipeline.json`, a copy of the schemas, an inbox.
enum DemoSchoolFolder {
    /// Makes `folder` (absent or empty) a working folder with the workspace's policy, profiles, rules and sources.
    static func make(_ folder: String, from workspace: Workspace) throws {
        if Files.exists(folder), isNonEmptyFolder(folder) {
            throw Failure(ValidationError("папка \(folder) не пуста: демонстрационная школа делается в новой или пустой папке"), status: .usage)
        }
        let settings = workspace.settings
        func inside(_ path: String, _ base: String) -> String? { path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : nil }
        do {
            try Files.makeFolders(folder + "/inbox")
            try copyTree(settings.schemasPath, to: folder + "/schemas")
            let policy =
                inside(settings.policyPath, settings.schemasPath) ?? "policies/"
                + (settings.policyPath.split(separator: "/").last.map(String.init) ?? "policy.json")
            if inside(settings.policyPath, settings.schemasPath) == nil {
                try Files.makeFolders(folder + "/schemas/policies")
                try Files.writeAtomically(folder + "/schemas/" + policy, try Files.read(settings.policyPath))
            }
            let profiles = inside(settings.profilesPath, settings.schemasPath) ?? "profiles"
            if inside(settings.profilesPath, settings.schemasPath) == nil { try copyTree(settings.profilesPath, to: folder + "/schemas/profiles") }
            let sources = settings.sources.compactMap { s in inside(s.folder, settings.inbox).map { (s.kind, $0) } }
            let json = """
                {
                  "school": {"name": "Демонстрационная школа (вымышленная)", "code": "demo"},
                  "policy": \(JSON.string("schemas/" + policy)),
                  "profiles": \(JSON.string("schemas/" + profiles)),
                  "academicYear": \(JSON.string(settings.academicYear.description)),
                  "sources": {\(sources.map { "\(JSON.string($0.0)): \(JSON.string("inbox/" + $0.1))" }.joined(separator: ", "))}
                }

                """
            try Files.writeAtomically(folder + "/pipeline.json", Array(json.utf8))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw Failure(error, status: .usage)
        }
    }

    /// True when `path` is a folder with anything in it but `README.md`.
    static func isNonEmptyFolder(_ path: String) -> Bool {
        !Files.namesIfAny(in: path).filter { $0 != "README.md" }.isEmpty
    }

    /// Copies the regular files of a folder and its subfolders.
    private static func copyTree(_ from: String, to: String) throws {
        try Files.makeFolders(to)
        for name in Files.namesIfAny(in: from) where !name.hasPrefix(".") {
            var info = stat()
            guard stat(from + "/" + name, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                try copyTree(from + "/" + name, to: to + "/" + name)
            } else if info.st_mode & S_IFMT == S_IFREG {
                try Files.writeAtomically(to + "/" + name, try Files.read(from + "/" + name))
            }
        }
    }
}
