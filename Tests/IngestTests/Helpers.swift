import CivilDate
import Foundation
import Policy
import Records
import Spreadsheet
import TestSupport
@testable import Ingest

/// The repository's policy and profiles, a school year, and a folder for files.
struct Bench {
    let policy: Policy
    let profiles: ProfileSet
    let examNames: ExamNames
    let dir = TemporaryDirectory("ingest")

    init(policy id: String = "maou-sosh-134") throws {
        policy = try Policy.load(path: RepoPaths.policy(id), displayName: "\(id).json")
        profiles = try ProfileSet.load(folder: RepoPaths.profiles, policy: policy)
        examNames = try AttestatRules.load(path: RepoPaths.schemas + "/attestat-rules.json", policy: policy).examNames
    }

    /// With a policy changed in code (a setting a school may choose).
    init(policy: Policy) throws {
        self.policy = policy
        profiles = try ProfileSet.load(folder: RepoPaths.profiles, policy: policy)
        examNames = try AttestatRules.load(path: RepoPaths.schemas + "/attestat-rules.json", policy: policy).examNames
    }

    var context: ImportContext {
        ImportContext(
            policy: policy, profiles: profiles, defaultYear: AcademicYear(startYear: 2025),
            today: CivilDate(year: 2026, month: 6, day: 30)!, inboxRoot: dir.path, examNames: examNames)
    }

    /// Writes a one-sheet workbook of rows (`nil` leaves a cell empty) and imports it.
    func xlsx(_ name: String, sheet: String = "Лист1", _ rows: [[XLSXCell?]], merges: [String] = []) throws -> String {
        let path = dir.file(name)
        let writer = try XLSXWriter(path: path)
        let s = try writer.addSheet(sheet)
        for row in rows { try s.addRow(row) }
        for m in merges { s.merge(CellRange(m)!) }
        try writer.close()
        return path
    }

    /// Writes CSV lines (joined by CR LF) in Windows-1251 or UTF-8.
    func csv(_ name: String, _ lines: [String], cp1251: Bool = true) throws -> String {
        let text = lines.joined(separator: "\r\n") + "\r\n"
        return try dir.write(name, bytes: cp1251 ? Windows1251.encode(text) : Array(text.utf8))
    }

    func run(_ path: String) -> FileImport {
        FileImporter.run(path: path, context: context)
    }

    /// Imports, then resolves students against the roster entries of `rosterFile` (imported too).
    func run(_ path: String, roster rosterFile: String) -> FileImport {
        let roster = run(rosterFile)
        var result = run(path)
        let entries = roster.records.compactMap { if case .roster(let r) = $0 { r } else { nil } }
        StudentResolver.resolve(&result, roster: RosterIndex(entries: entries))
        return result
    }

    /// A roster of 9А: Иванов, Петрова, Ёлкина; two Смирновы Анны in 9А, told apart by birth date.
    func roster() throws -> String {
        try xlsx(
            "roster.xlsx",
            [
                [t("Контингент обучающихся на 01.09.2025")],
                [],
                [t("№"), t("ID"), t("Фамилия"), t("Имя"), t("Отчество"), t("Дата рождения"), t("Класс"), t("СНИЛС"), t("Пол")],
                [n(1), t("1001"), t("Иванов"), t("Иван"), t("Иванович"), d(2010, 3, 4), t("9А"), t("112-233-445 95"), t("м")],
                [n(2), t("1002"), t("Петрова"), t("Анна"), t("Сергеевна"), t("12.07.2010"), t("9А"), t("987-654-321 83"), t("ж")],
                [n(3), nil, t("Ёлкина"), t("Мария"), t("Дмитриевна"), d(2010, 1, 30), t("9 А"), nil, t("ж")],
                [n(4), nil, t("Смирнова"), t("Анна"), t("Олеговна"), d(2010, 2, 2), t("9А"), nil, t("ж")],
                [n(5), nil, t("Смирнова"), t("Анна"), t("Олеговна"), d(2010, 11, 11), t("9А"), nil, t("ж")],
                [], []
            ])
    }
}

func t(_ s: String) -> XLSXCell { .text(s) }
func n(_ x: Double) -> XLSXCell { .number(x) }
func d(_ y: Int, _ m: Int, _ day: Int) -> XLSXCell { .date(CivilDate(year: y, month: m, day: day)!) }

extension FileImport {
    var codes: [String] { findings.filter { $0.severity == .error }.map(\.code) }
    var marks: [Mark] { records.compactMap { if case .mark(let m) = $0 { m } else { nil } } }
    var places: [String] { findings.filter { $0.severity == .error }.map(\.location.place) }
    func errors(_ code: String) -> [Finding] { findings.filter { $0.code == code } }
}
