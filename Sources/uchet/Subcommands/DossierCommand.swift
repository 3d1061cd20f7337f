import ArgumentParser
import CivilDate
import Dossier
import Ledger
import Records
import XMLStream
#if canImport(Glibc)
    import Glibc
    import FileIO
#endif

/// `uchet dossier`: one student's dossier, as XML or as text for a class teacher.
struct DossierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Показать досье обучающегося: XML (как в outbox) или текст для классного руководителя.",
        discussion: """
            Досье строится из учёта, как при выпуске, и проверяется по schemas/dossier.xsd.

            Обучающегося можно назвать по ФИО: если в учёте таких несколько, команда перечислит их с id.

            Примеры:
              uchet dossier j123456
              uchet dossier "Ершова Ксения Игоревна"
              uchet dossier j123456 --format xml > досье.xml
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, xml }

    @Argument(help: "Идентификатор обучающегося (как в именах файлов досье) или ФИО, если оно в учёте одно.")
    var student: String

    @Option(help: "Формат: text или xml.")
    var format: Format = .text

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        let record = try StudentLookup.record(student, workspace: workspace)
        do {
            switch format {
            case .text:
                print(DossierText(policy: workspace.policy).text(record), terminator: "")
            case .xml:
                let builder = DossierBuilder(
                    policy: workspace.policy, school: SchoolInfo(name: workspace.settings.school.name, code: workspace.settings.school.code))
                let bytes = try builder.xml(record)
                try XMLSchema(path: workspace.settings.schemasPath + "/dossier.xsd").validate(bytes, document: "\(record.id).xml")
                let output = Output()
                output.write(String(decoding: bytes, as: UTF8.self))
                output.flush()
            }
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }
}

/// `uchet statement`: the statement a family asks for, as XLSX.
struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Выписка для семьи: текущие отметки и промежуточная аттестация за учебный год, достижения (XLSX).",
        discussion: """
            Пишет outbox/statements/<id>-<год>.xlsx (доступен только владельцу: в нём персональные данные).

            Обучающегося можно назвать по ФИО: если в учёте таких несколько, команда перечислит их с id.

            Примеры:
              uchet statement j123456 --year 2025/2026
              uchet statement "Ершова Ксения Игоревна"
            """
    )

    @Argument(help: "Идентификатор обучающегося или ФИО, если оно в учёте одно.")
    var student: String

    @OptionGroup var schoolYear: YearOption

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        let academicYear = schoolYear.resolved(in: workspace)
        let record = try StudentLookup.record(student, workspace: workspace)
        let folder = workspace.settings.outbox + "/statements"
        let path = folder + "/\(record.id)-\(academicYear.fileName).xlsx"
        do {
            try Files.makeFolders(folder)
            try Statement(policy: workspace.policy, school: SchoolInfo(name: workspace.settings.school.name, code: workspace.settings.school.code))
                .write(record, year: academicYear, issued: Clock.today(), to: path)
        } catch {
            throw Failure(error, status: .internalFailure)
        }
        print("Выписка: \(Workspace.relative(path, to: workspace.settings.folder))")
    }
}

/// A student named on the command line: by id, else by a name (or class, СНИЛС) that finds exactly one.
enum StudentLookup {
    static func record(_ text: String, workspace: Workspace) throws -> StudentRecord {
        try workspace.requireLedger()
        let ledger: Ledger
        var found: StudentRecord?
        var candidates: [FoundStudent] = []
        do {
            ledger = try Ledger(path: workspace.settings.ledger)
            found = try ledger.studentRecord(StudentID(rawValue: text))
            if found == nil {
                candidates = try ledger.findStudents(text)
                if candidates.count == 1 { found = try ledger.studentRecord(candidates[0].id) }
            }
        } catch {
            throw Failure(error, status: .internalFailure)
        }
        if let found { return found }
        guard !candidates.isEmpty else {
            throw Failure(
                ValidationError("в учёте нет обучающегося «\(text)»: ни такого id, ни подходящего ФИО, класса или СНИЛС (uchet find ищет по части ФИО)"),
                status: .usage)
        }
        let listed = candidates.prefix(30).map { "  " + line($0) }.joined(separator: "\n")
        let more = candidates.count > 30 ? "\n  … и ещё \(candidates.count - 30)" : ""
        throw Failure(usage: "«\(text)» подходит к нескольким обучающимся (\(candidates.count)); укажите id:\n\(listed)\(more)")
    }

    /// `100234  9А (2025/2026)  Ершова Ксения Игоревна, 12.03.2010`: a line of a list for the staff.
    static func line(_ s: FoundStudent) -> String {
        let birth = CivilDate(parsing: s.birthDate)?.russian ?? s.birthDate
        let place = s.schoolClass.map { c in "\(c)" + (s.year.map { " (\($0))" } ?? "") } ?? "класс не известен"
        return "\(s.id)  \(place)  \(s.name), \(birth)"
    }
}
