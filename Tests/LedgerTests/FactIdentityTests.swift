import CivilDate
import Digest
import Foundation
import GRDB
import Ingest
@testable import Ledger
import Policy
import Records
import TestSupport
import Testing

/// A fact's identity decides what the ledger holds: two facts that differ in
/// any field are two rows, whatever characters their cells hold, and a fact
/// whose 64-bit `fact` number another fact holds is kept, never dropped.
@Suite struct FactIdentityTests {
    let policy: Policy

    init() throws {
        policy = try Policy.load(path: RepoPaths.policy("maou-sosh-134"))
    }

    func mark(_ student: String = "s1", value: Int = 5, work: String? = nil, sign: String? = nil, row: Int = 2) -> Records.Record {
        var m = Mark(
            student: StudentReference(journalID: student), subject: "Алгебра", year: AcademicYear(startYear: 2025),
            schoolClass: SchoolClass(grade: 9, letter: "А"), period: nil, kind: .current, value: .points(value),
            date: CivilDate(year: 2025, month: 9, day: 10), work: work, sign: sign,
            provenance: Provenance(fileHash: "", fileName: "f.csv", sheet: nil, row: row, column: 3))
        m.studentID = StudentID(rawValue: student)
        return .mark(m)
    }

    func file(_ name: String, _ records: [Records.Record]) -> FileImport {
        let hash = SHA256Hex.of(Array(name.utf8))
        return FileImport(
            path: name, fileName: name, fileHash: hash, format: .csv, sheets: [], records: records, findings: [],
            absences: 0, rowsWithErrors: 0, sourceKind: "journal")
    }

    func merge(_ ledger: Ledger, _ file: FileImport) throws -> MergeOutcome {
        try ledger.merge(file, source: MergeSource(runID: "r", received: "2026-01-01T00:00:00", storedAs: file.fileName), policy: policy)
    }

    /// Rows of a table; for `mark`, its rows and the current marks packed beside them.
    func count(_ ledger: Ledger, _ table: String) throws -> Int {
        try ledger.database.read { db in
            try (Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0) + (table == "mark" ? try CurrentMarks.rows(db).count : 0)
        }
    }

    @Test func aKindOfWorkHoldingTheOldSeparatorIsNotASignedMark() throws {
        // Before identities, «5» for the work «тест\u{1}-» and «5-» for «тест» hashed the same bytes: one was dropped.
        let dir = TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        let outcome = try merge(
            ledger,
            file(
                "a.csv",
                [
                    mark(work: "тест\u{1}-", row: 2), mark(work: "тест", sign: "-", row: 3),
                    mark(work: "тест\u{1F}", row: 4), mark(work: "тест", row: 5)
                ]))
        #expect(outcome.inserted == 4)
        #expect(try count(ledger, "mark") == 4)
    }

    @Test func theSameFactFromAnotherFileIsKnownAndRepeatedFactsKeepTheirCount() throws {
        let dir = TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        // Two fives on one day for the same work are two facts (ordinals 1 and 2).
        #expect(try merge(ledger, file("a.csv", [mark(row: 2), mark(row: 3)])).inserted == 2)
        let again = try merge(ledger, file("b.csv", [mark(row: 7), mark(row: 8), mark(row: 9)]))
        #expect(again.known == 2)
        #expect(again.inserted == 1)
        #expect(try count(ledger, "mark") == 3)
    }

    @Test func aFactWhoseNumberAnotherFactHoldsIsKept() throws {
        let dir = TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        let exam = Records.Record.exam(try #require(examResult()))
        _ = try merge(ledger, file("a.csv", [mark(), exam]))
        // Another fact now holds these facts' numbers (what a 64-bit collision would look like).
        try ledger.database.write { db in
            try db.execute(sql: "UPDATE current_marks SET identities = zeroblob(32 * count)")
            try db.execute(sql: "UPDATE exam SET identity = zeroblob(32)")
        }
        let outcome = try merge(ledger, file("b.csv", [mark(), exam]))
        #expect(outcome.inserted == 2)
        #expect(try count(ledger, "mark") == 2)
        #expect(try count(ledger, "exam") == 2)
        let facts = try ledger.database.read { db in try Int64.fetchAll(db, sql: "SELECT fact FROM exam ORDER BY fact") }
        #expect(facts.count == 2 && facts[1] == facts[0] &+ 1, "\(facts)")
    }

    func examResult() -> ExamResult? {
        var e = ExamResult(
            student: StudentReference(journalID: "s1"), subject: "Математика", form: .oge, mark: .points(4),
            date: CivilDate(year: 2026, month: 6, day: 2), year: AcademicYear(startYear: 2025),
            provenance: Provenance(fileHash: "", fileName: "f.csv", sheet: nil, row: 2, column: 4))
        e.studentID = StudentID(rawValue: "s1")
        return e
    }

    @Test func aLedgerMadeBeforeIdentitiesGetsThemAndKnowsItsFactsAgain() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("ledger.sqlite")
        // The ledger as version v6 left it: two identical current marks (a file's ordinals 1 and 2) and one period mark.
        try oldLedger(at: path, upTo: "v6-exam-no-result", records: 3) { db in
            try db.execute(
                sql: """
                    INSERT INTO mark (student_id, fact, subject, year, class, kind, period, value, date, work, weight, file_id, sheet, row, col)
                    VALUES ('s1', 11, 'Алгебра', 2025, '9А', 'current', NULL, '5', '2025-09-10', NULL, NULL, 1, NULL, 2, 3),
                           ('s1', 12, 'Алгебра', 2025, '9А', 'current', NULL, '5', '2025-09-10', NULL, NULL, 1, NULL, 3, 3),
                           ('s1', 13, 'Алгебра', 2025, '9А', 'period', '1 четверть', '4', NULL, NULL, NULL, 1, NULL, 4, 3);
                    """)
        }
        let ledger = try Ledger(path: path)
        #expect(try count(ledger, "mark") == 3)
        var period = Mark(
            student: StudentReference(journalID: "s1"), subject: "Алгебра", year: AcademicYear(startYear: 2025),
            schoolClass: SchoolClass(grade: 9, letter: "А"), period: "1 четверть", kind: .period, value: .points(4),
            provenance: Provenance(fileHash: "", fileName: "f.csv", row: 4, column: 3))
        period.studentID = StudentID(rawValue: "s1")
        let outcome = try merge(ledger, file("b.csv", [mark(row: 2), mark(row: 3), Records.Record.mark(period)]))
        #expect(outcome.known == 3)
        #expect(outcome.inserted == 0)
        // Outputs keep their order: a student's marks read back by their old numbers.
        let facts = try ledger.database.read { db in
            try Int64.fetchAll(db, sql: "SELECT fact FROM mark") + CurrentMarks.rows(db).map { $0["fact"] as Int64 }
        }
        #expect(facts.sorted() == [11, 12, 13])
    }
}
