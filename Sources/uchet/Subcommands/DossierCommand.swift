import ArgumentParser
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

        Примеры:
          uchet dossier j123456
          uchet dossier j123456 --format xml > досье.xml
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, xml }

    @Argument(help: "Идентификатор обучающегося (как в именах файлов досье).")
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
                let builder = DossierBuilder(policy: workspace.policy, school: SchoolInfo(name: workspace.settings.school.name, code: workspace.settings.school.code))
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

        Пример:
          uchet statement j123456 --year 2025/2026
        """
    )

    @Argument(help: "Идентификатор обучающегося.")
    var student: String

    @Option(help: "Учебный год, например 2025/2026 (по умолчанию — год из pipeline.json).")
    var year: AcademicYear?

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        let academicYear = year ?? workspace.settings.academicYear
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

enum StudentLookup {
    static func record(_ id: String, workspace: Workspace) throws -> StudentRecord {
        guard access(workspace.settings.ledger, F_OK) == 0 else {
            throw Failure(usage: "учёт пуст: сначала uchet run")
        }
        let found: StudentRecord?
        do { found = try Ledger(path: workspace.settings.ledger).studentRecord(StudentID(rawValue: id)) } catch {
            throw Failure(error, status: .internalFailure)
        }
        guard let record = found else {
            throw Failure(usage: "в учёте нет обучающегося «\(id)»; идентификаторы — в именах файлов outbox/dossiers/…")
        }
        return record
    }
}
