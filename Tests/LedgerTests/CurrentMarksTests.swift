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

/// Current marks are kept in packs (a student's marks in a subject and year
/// from one file): every field comes back as it went in, a mark two files carry
/// is one mark citing the file whose SHA-256 sorts first, withdrawing a file
/// keeps what another file carries, a pack that does not decode is an error,
/// and a ledger of rows gets its marks packed.
@Suite struct CurrentMarksTests {
    let policy: Policy

    init() throws {
        policy = try Policy.load(path: RepoPaths.policy("maou-sosh-134"))
    }

    func mark(value: Int = 5, day: Int = 10, row: Int = 2, work: String? = nil, subject: String = "Алгебра") -> Records.Record {
        var m = Mark(
            student: StudentReference(journalID: "s1"), subject: subject, year: AcademicYear(startYear: 2025),
            schoolClass: SchoolClass(grade: 9, letter: "А"), period: nil, kind: .current, value: .points(value),
            date: CivilDate(year: 2025, month: 9, day: day), work: work, weight: 2,
            provenance: Provenance(fileHash: "", fileName: "f.csv", sheet: "Журнал", row: row, column: 3))
        m.studentID = StudentID(rawValue: "s1")
        return .mark(m)
    }

    func file(_ name: String, _ records: [Records.Record]) -> FileImport {
        FileImport(
            path: name, fileName: name, fileHash: SHA256Hex.of(Array(name.utf8)), format: .csv, sheets: [], records: records, findings: [],
            absences: 0, rowsWithErrors: 0, sourceKind: "journal")
    }

    func merge(_ ledger: Ledger, _ file: FileImport) throws -> MergeOutcome {
        try ledger.merge(file, source: MergeSource(runID: "r", received: "2026-01-01T00:00:00", storedAs: file.fileName), policy: policy)
    }

    /// The current marks: file name, sheet, row, value.
    func marks(_ ledger: Ledger) throws -> [String] {
        try ledger.database.read { db in
            let names = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, name FROM file").map { ($0[0] as Int64, $0[1] as String) })
            return try CurrentMarks.rows(db).map { r in
                "\(names[r["file_id"]]!) \(r["sheet"] as String? ?? "-") \(r["row"] as Int? ?? 0) \(r["value"] as String)"
            }
            .sorted()
        }
    }

    @Test func aPackGivesBackEveryFieldOfEveryMark() throws {
        func identity(_ n: UInt8) -> Data { Data((0..<32).map { n &+ $0 }) }
        let marks = [
            PackedMark(
                identity: identity(9), fact: -7, schoolClass: "9А", value: "5", date: "2025-09-10", work: "контрольная\u{1F}работа",
                weight: 1.5, sheet: "Лист 1", row: 2, column: 3, sign: "-"),
            PackedMark(
                identity: identity(1), fact: .max, schoolClass: nil, value: "", date: nil, work: nil, weight: nil, sheet: nil, row: nil,
                column: nil, sign: nil),
            PackedMark(
                identity: identity(5), fact: 0, schoolClass: "", value: "зачтено", date: "", work: "", weight: 0, sheet: "", row: 0,
                column: Int(Int32.max), sign: "+")
        ]
        let pack = MarkPack(marks)
        #expect(pack.count == 3)
        let back = try MarkPack.marks(identities: pack.identities, entries: pack.entries, student: "s1")
        // In identity order, whatever order they came in.
        #expect(back == [marks[1], marks[2], marks[0]])
        #expect(MarkPack(marks.reversed()).entries == pack.entries)
    }

    @Test func aPackThatDoesNotDecodeIsAFaultNotASkip() throws {
        let dir = TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        _ = try merge(ledger, file("a.csv", [mark(), mark(day: 11, row: 3)]))
        try ledger.database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO student (id, surname, name, patronymic, birth_date, sex, snils, journal_id, file_id, sheet, row)
                    VALUES ('s1', 'Иванов', 'Иван', NULL, '2010-01-01', NULL, NULL, 's1', 1, NULL, 2)
                    """)
        }
        #expect(try ledger.studentRecord(StudentID(rawValue: "s1"))?.marks.count == 2)
        let sound = try #require(try ledger.database.read { db in try Row.fetchOne(db, sql: "SELECT identities, entries FROM current_marks") })
        for broken in ["entries = substr(entries, 1, length(entries) - 1)", "entries = entries || x'00'", "identities = x'0102'"] {
            try ledger.database.write { db in try db.execute(sql: "UPDATE current_marks SET \(broken)") }
            #expect(throws: UnreadableRow.self, "\(broken)") { try ledger.studentRecord(StudentID(rawValue: "s1")) }
            try ledger.database.write { db in
                try db.execute(sql: "UPDATE current_marks SET identities = ?, entries = ?", arguments: [sound[0] as Data, sound[1] as Data])
            }
        }
        #expect(try ledger.studentRecord(StudentID(rawValue: "s1"))?.marks.count == 2)
    }

    @Test func aMarkTwoFilesCarryCitesTheFirstByHashAndOutlivesTheWithdrawalOfEither() throws {
        let a = file("a.csv", [mark(row: 2), mark(day: 11, row: 3)])
        let b = file("b.csv", [mark(row: 7), mark(value: 4, day: 12, row: 8)])
        let (first, second) = a.fileHash < b.fileHash ? (a, b) : (b, a)
        let ledgers = TemporaryDirectory()
        var seen: [[String]] = []
        // In either order the ledger is the same: the shared five cites the file whose hash sorts first.
        for (n, order) in [[a, b], [b, a]].enumerated() {
            let ledger = try Ledger(path: ledgers.file("ledger\(n).sqlite"))
            #expect(try merge(ledger, order[0]).inserted == 2)
            let again = try merge(ledger, order[1])
            #expect(again.known == 1 && again.inserted == 1)
            let held = try marks(ledger)
            #expect(held.count == 3)
            #expect(held.contains("\(first.fileName) Журнал \(first.fileName == "a.csv" ? 2 : 7) 5"), "\(held)")
            seen.append(held)
            let copies = try ledger.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fact_copy WHERE tbl = 'mark'") }
            #expect(copies == 2)
        }
        #expect(seen[0] == seen[1])

        // Withdrawn, the cited file leaves the shared five, now citing the other file's cell.
        let dir = TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        _ = try merge(ledger, a)
        _ = try merge(ledger, b)
        let cited = try #require(try ledger.acceptedFiles(matching: first.fileName).first)
        let out = try ledger.withdraw(cited, reason: "тест", by: "тест", at: "2026-01-02", policy: policy)
        #expect(out.kept == 1 && out.removed == 1)
        let left = try marks(ledger)
        #expect(left.count == 2 && left.allSatisfy { $0.hasPrefix(second.fileName + " ") }, "\(left)")
        #expect(left.contains("\(second.fileName) Журнал \(second.fileName == "a.csv" ? 2 : 7) 5"), "\(left)")
        let other = try #require(try ledger.acceptedFiles(matching: second.fileName).first)
        let gone = try ledger.withdraw(other, reason: "тест", by: "тест", at: "2026-01-03", policy: policy)
        #expect(gone.removed == 2 && gone.kept == 0)
        #expect(try marks(ledger).isEmpty)
        #expect(try ledger.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM current_marks") } == 0)
    }

    @Test func aLedgerOfMarkRowsGetsItsCurrentMarksPacked() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("ledger.sqlite")
        // A ledger as v9 left it, with the marks of one file, then the same file's marks packed by v10.
        let rows = try Ledger(path: dir.file("reference.sqlite"))
        let records = [mark(), mark(day: 11, row: 3), mark(row: 4, subject: "Физика")]
        _ = try merge(rows, file("a.csv", records))
        let expected = try marks(rows)
        try oldLedger(at: path, upTo: "v9-attestat-issues", records: 4) { db in
            for r in try rows.database.read({ db in try CurrentMarks.rows(db) }) {
                try db.execute(
                    sql: """
                        INSERT INTO mark (identity, fact, student_id, subject, year, class, kind, period, value, date, work, weight, file_id, sheet, row, col, sign)
                        VALUES (?, ?, ?, ?, ?, ?, 'current', NULL, ?, ?, ?, ?, 1, ?, ?, ?, ?)
                        """,
                    arguments: [
                        r["identity"], r["fact"], r["student_id"], r["subject"], r["year"], r["class"], r["value"], r["date"], r["work"],
                        r["weight"], r["sheet"], r["row"], r["col"], r["sign"]
                    ])
            }
            try db.execute(
                sql: """
                    INSERT INTO mark (identity, fact, student_id, subject, year, class, kind, period, value, file_id, row, col)
                    VALUES (zeroblob(32), 1, 's1', 'Алгебра', 2025, '9А', 'period', '1 четверть', '4', 1, 9, 3)
                    """)
        }
        let ledger = try Ledger(path: path)
        #expect(try marks(ledger) == expected)
        let (packs, left) = try ledger.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM current_marks"), try String.fetchAll(db, sql: "SELECT kind FROM mark"))
        }
        #expect(packs == 2 && left == ["period"])
        // The packed marks are known again: the same file's content under another name adds nothing.
        let again = try merge(ledger, file("b.csv", records))
        #expect(again.known == 3 && again.inserted == 0)
    }

    @Test func aMarkRowThatCannotBePackedStopsTheMigrationNamedAndChangesNothing() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("ledger.sqlite")
        try oldLedger(at: path, upTo: "v9-attestat-issues", records: 1) { db in
            try db.execute(
                sql: """
                    INSERT INTO mark (identity, fact, student_id, subject, year, class, kind, period, value, file_id, row, col)
                    VALUES (x'01', 1, 's1', 'Алгебра', 2025, '9А', 'current', NULL, '5', 1, 2, 3)
                    """)
        }
        let error = #expect(throws: LedgerError.self) { try Ledger(path: path) }
        #expect(error?.message.contains("строка таблицы mark обучающегося s1: «1 байт» в столбце identity") == true, "\(String(describing: error))")
        let after = try DatabaseQueue(path: path)
        let (version, marks) = try after.read { db in
            (
                try String.fetchOne(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid DESC LIMIT 1"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM mark")
            )
        }
        #expect(version == "v9-attestat-issues" && marks == 1)
    }
}
