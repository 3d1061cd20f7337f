import Foundation
import GRDB
import Spreadsheet
import TestSupport
import Testing

@Suite(.serialized) struct YearEndListsTests {
    /// Each student's annual marks of 2025/2026 as the ledger holds them, read in SQL: the value all rows agree
    /// on, else a decided conflict's winner, else `conflict`; with the grade and whether the student left before the year's end.
    static func annualMarks(_ db: DatabaseQueue) throws -> [String: (grade: Int, left: Bool, values: [String])] {
        try db.read { db in
            var out: [String: (grade: Int, left: Bool, values: [String])] = [:]
            for r in try GRDB.Row.fetchAll(db, sql: "SELECT student_id, grade, left_date FROM enrolment WHERE year = 2025") {
                out[r["student_id"]] = (r["grade"], (r["left_date"] as String?).map { $0 < "2026-09-01" } ?? false, [])
            }
            for r in try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT m.student_id, m.subject, COUNT(DISTINCT m.value) AS n, MIN(m.value) AS value,
                      (SELECT w.value FROM conflict c JOIN mark w ON w.student_id = c.student_id AND w.fact = c.winner_fact
                       WHERE c.student_id = m.student_id AND c.subject = m.subject AND c.year = 2025 AND c.period = 'year' AND c.status = 'resolved') AS winner
                    FROM mark m WHERE m.year = 2025 AND m.kind = 'annual' AND m.period = 'year' GROUP BY m.student_id, m.subject
                    """)
            {
                let id: String = r["student_id"]
                guard out[id] != nil else { continue }
                let n: Int = r["n"]
                out[id]!.values.append(n == 1 ? r["value"] : (r["winner"] as String?) ?? "conflict")
            }
            return out
        }
    }

    static func ids(_ path: String, sheet: String, where keep: ([String: CellValue]) -> Bool = { _ in true }) throws -> Set<String> {
        Set(try ClassReportTests.table(path, sheet: sheet, first: "ID").filter(keep).compactMap { $0["ID"]?.text })
    }

    @Test func listsAgreeWithTheLedger() throws {
        let school = try DemoFolder(students: 120, seed: 21)
        _ = try school.run()
        // Plant a «2» and an «н/а» for two 9th graders, in a subject they have no mark in, and a failed итоговое собеседование for a third.
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        let ninth = try db.read { db in
            try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT s.surname || ' ' || s.name || ' ' || s.patronymic AS fio, e.class FROM enrolment e JOIN student s ON s.id = e.student_id
                    WHERE e.year = 2025 AND e.grade = 9 AND e.left_date IS NULL ORDER BY s.id LIMIT 3
                    """
            ).map { ($0["fio"] as String, $0["class"] as String) }
        }
        try #require(ninth.count == 3)
        try school.dir.write(
            "inbox/astronomy.csv",
            text: "ФИО;Класс;Предмет;Период;Отметка;Учебный год\n"
                + "\(ninth[0].0);\(ninth[0].1);Астрономия;Год;2;2025/2026\n\(ninth[1].0);\(ninth[1].1);Астрономия;Год;н/а;2025/2026\n"
                + "\(ninth[2].0);\(ninth[2].1);Итоговое собеседование;Год;незачёт;2025/2026\n")
        let again = try school.run()
        #expect(again.stdout.contains("принято 1"), "\(again.stdout)")

        let run = try Uchet.run(["lists", "--year", "2025/2026"], in: school.path)
        #expect(run.status == 0, "\(run.stderr)")
        let path = school.path + "/outbox/lists/2025-2026/списки.xlsx"
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
        #expect(mode == 0o600, "the lists name students: owner only")
        #expect(try XLSXReader(path: path).sheets.map(\.name) == ["Похвальный лист", "Не допущены к ГИА", "ГИР"])

        let marks = try YearEndListsTests.annualMarks(db)
        let praise = Set(
            marks.filter { _, s in
                [2, 3, 4, 5, 6, 7, 8, 10].contains(s.grade) && !s.left && s.values.contains("5") && s.values.allSatisfy { ["5", "pass", "exempt"].contains($0) }
            }.keys)
        #expect(!praise.isEmpty)
        #expect(try YearEndListsTests.ids(path, sheet: "Похвальный лист") == praise)

        let barred = Set(
            marks.filter { _, s in
                [9, 11].contains(s.grade) && !s.left && s.values.contains { ["1", "2", "na", "fail"].contains($0) }
            }.keys)
        #expect(barred.count >= 3)
        let listed = try YearEndListsTests.ids(path, sheet: "Не допущены к ГИА") { $0["Допуск"]?.text == "не допущен(а)" }
        #expect(listed == barred)
        let reasons = try ClassReportTests.table(path, sheet: "Не допущены к ГИА", first: "ID").compactMap { $0["Причина"]?.text }.joined(separator: "\n")
        #expect(reasons.contains("Астрономия: годовая «2»"))
        #expect(reasons.contains("Астрономия: годовая «н/а»"))
        #expect(reasons.contains("Итоговое собеседование по русскому языку: «не зачтено», нет «зачёта»"), "\(reasons)")

        let gifted = try db.read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT a.student_id FROM achievement a JOIN enrolment e ON e.student_id = a.student_id AND e.year = 2025 WHERE a.gir = 1
                        """))
        }
        #expect(!gifted.isEmpty)
        #expect(try YearEndListsTests.ids(path, sheet: "ГИР") == gifted)
        #expect(run.stdout.contains("кандидатов на похвальный лист: \(praise.count)"), "\(run.stdout)")
    }
}
