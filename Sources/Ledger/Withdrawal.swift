import Foundation
import GRDB
public import Policy
public import Records

/// An accepted file, as `uchet withdraw` finds it.
public struct AcceptedFile: Sendable, Hashable {
    public var id: Int64
    public var sha256: String
    public var name: String
    /// Where it was kept (`inbox/processed/2026-05-30/9А.xlsx`).
    public var storedAs: String
    public var received: String
}

/// A class in a school year.
public struct ClassOfYear: Sendable, Hashable {
    public var year: AcademicYear
    public var schoolClass: String
}

/// What a withdrawal did.
public struct WithdrawalOutcome: Sendable {
    public var file: AcceptedFile
    /// Facts gone from the ledger with the file.
    public var removed: Int
    /// Facts the file carried that another file carries too: they stay, citing that file.
    public var kept: Int
    /// Enrolments of a roster gone with it.
    public var enrolments: Int
    /// The classes those enrolments were in: their class-wide outputs (attestat workbooks) are written again.
    public var classes: [ClassOfYear]
    /// Students the file alone had brought, gone (none who has a register number).
    public var studentsRemoved: [StudentID]
    /// Their outputs (relative to the outbox), to delete: nobody is left for them to be about.
    public var outputsRemoved: [String]
    /// Students whose outputs are written again.
    public var touched: [StudentID]
    /// Conflicts the file took part in, by id, as they stand now.
    public var conflicts: [Int64]
}

extension Ledger {
    /// Accepted files a text names: the SHA-256 (whole, or its first 8 or
    /// more hex digits), else the file's name. Withdrawn files are not listed.
    public func acceptedFiles(matching text: String) throws -> [AcceptedFile] {
        try database.read { db in
            let hex = text.lowercased()
            let byHash = hex.count >= 8 && hex.allSatisfy { $0.isHexDigit }
            func files(_ condition: String, _ arguments: StatementArguments) throws -> [AcceptedFile] {
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, sha256, name, stored_as, received FROM file f
                        WHERE \(condition) AND NOT EXISTS (SELECT 1 FROM withdrawal w WHERE w.file_id = f.id)
                        ORDER BY received, id
                        """, arguments: arguments
                ).map { AcceptedFile(id: $0[0], sha256: $0[1], name: $0[2], storedAs: $0[3], received: $0[4]) }
            }
            // A name of hex digits only (`20260601`) is tried as a hash first, then as a name.
            let hashed = byHash ? try files("f.sha256 LIKE ? || '%'", [hex]) : []
            return hashed.isEmpty ? try files("(f.name = ? OR f.stored_as = ?)", [text, text]) : hashed
        }
    }

    /// Why a text names no accepted file: withdrawn before, rejected, or unknown (for the message).
    /// Why a roster cannot be withdrawn: a roster's row overwrites the enrolment an
    /// earlier roster gave (the ledger keeps the latest), so withdrawing one while another
    /// is in the ledger would take out of their classes students the other still lists,
    /// and that other, sent again, is a repeat. `nil` for a file that is no roster, or the
    /// only one.
    public func rosterWithdrawalRefusal(_ file: AcceptedFile) throws -> String? {
        try database.read { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM enrolment WHERE file_id = ?", arguments: [file.id]) ?? 0 > 0 else { return nil }
            let others = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM file f WHERE f.id <> ? AND (',' || f.profiles || ',') LIKE '%,roster,%'
                      AND NOT EXISTS (SELECT 1 FROM withdrawal w WHERE w.file_id = f.id) ORDER BY f.id
                    """, arguments: [file.id])
            guard !others.isEmpty else { return nil }
            return "«\(file.name)» — выгрузка контингента, а в учёте есть и другие (\(others.prefix(5).map { "«\($0)»" }.joined(separator: ", "))): "
                + "строки контингентов перезаписывают друг друга, и после отзыва ученики, которых повторял этот файл, остались бы без класса. "
                + "Исправьте ошибку новой выгрузкой контингента с верными строками (класс, дата выбытия) и положите её в inbox"
        }
    }

    public func whyNotAccepted(_ text: String) throws -> String {
        try database.read { db in
            let hex = text.lowercased()
            if let w = try Row.fetchOne(
                db,
                sql: """
                    SELECT name, withdrawn_at, withdrawn_by FROM withdrawal WHERE sha256 LIKE ? || '%' OR name = ? ORDER BY id DESC LIMIT 1
                    """, arguments: [hex.count >= 8 ? hex : "-", text])
            {
                return "файл «\(w[0] as String)» уже отозван (\(w[1] as String), \(w[2] as String))"
            }
            if let r = try Row.fetchOne(
                db, sql: "SELECT name, at, report FROM rejection WHERE sha256 LIKE ? || '%' OR name = ? ORDER BY id DESC LIMIT 1",
                arguments: [hex.count >= 8 ? hex : "-", text])
            {
                return "файл «\(r[0] as String)» не был принят в учёт: он отклонён (\(r[1] as String)), отчёт \(r[2] as String); отзывать нечего"
            }
            return "среди принятых в учёт нет файла «\(text)»; укажите имя, как в inbox/processed/, или SHA-256 (первые 8 знаков и больше)"
        }
    }

    /// Takes an accepted file's facts out of the ledger in one transaction:
    /// a fact another file carries too stays, citing that file; enrolments a
    /// roster gave go, and students left with nothing at all (no facts, no
    /// enrolment, no register number). The file row stays, and the
    /// withdrawal is recorded with who, when and why. Conflicts the file took
    /// part in are settled again; the students it touched are pending output.
    public func withdraw(_ file: AcceptedFile, reason: String, by: String, at: String, policy: Policy) throws -> WithdrawalOutcome {
        try database.write { db in
            var outcome = WithdrawalOutcome(
                file: file, removed: 0, kept: 0, enrolments: 0, classes: [], studentsRemoved: [], outputsRemoved: [], touched: [],
                conflicts: [])
            var touched: Set<String> = []
            // The conflict keys this file's period marks touched: re-decided once the marks are gone.
            var keys: Set<MarkKey> = []
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT student_id, subject, year, period FROM mark WHERE file_id = ? AND kind <> 'current' AND period IS NOT NULL
                    """, arguments: [file.id])
            {
                keys.insert(MarkKey(student: r[0], subject: r[1], year: r[2], period: r[3]))
            }
            for table in FactTables.all {
                let column = FactTables.byCell.contains(table)
                // A row is changed or removed by its identity, never by its 64-bit `fact` number,
                // which another of the student's facts could share.
                for r in try Row.fetchAll(db, sql: "SELECT student_id, fact, identity FROM \(table) WHERE file_id = ?", arguments: [file.id]) {
                    let student: String = r[0]
                    let fact: Int64 = r[1]
                    let identity: Data = r[2]
                    touched.insert(student)
                    // Another file that carries the fact: the one whose SHA-256 sorts first, as a merge would cite.
                    if let copy = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT c.file_id, c.sheet, c.row, c.col FROM fact_copy c JOIN file f ON f.id = c.file_id
                            WHERE c.tbl = ? AND c.student_id = ? AND c.fact = ? AND c.file_id <> ?
                              AND NOT EXISTS (SELECT 1 FROM withdrawal w WHERE w.file_id = c.file_id)
                            ORDER BY f.sha256, c.sheet, c.row LIMIT 1
                            """, arguments: [table, student, fact, file.id])
                    {
                        try db.execute(
                            sql: """
                                UPDATE \(table) SET file_id = ?, sheet = ?, row = ?\(column ? ", col = ?" : "") WHERE student_id = ? AND identity = ?
                                """,
                            arguments: column ? [copy[0], copy[1], copy[2], copy[3], student, identity] : [copy[0], copy[1], copy[2], student, identity])
                        outcome.kept += 1
                    } else {
                        try db.execute(sql: "DELETE FROM \(table) WHERE student_id = ? AND identity = ?", arguments: [student, identity])
                        outcome.removed += 1
                    }
                }
            }
            try withdrawCurrentMarks(db, file: file.id, touched: &touched, outcome: &outcome)
            try db.execute(sql: "DELETE FROM fact_copy WHERE file_id = ?", arguments: [file.id])

            // A roster's enrolments; students it alone brought, with nothing else to their name.
            for r in try Row.fetchAll(db, sql: "SELECT student_id FROM enrolment WHERE file_id = ?", arguments: [file.id]) { touched.insert(r[0]) }
            outcome.classes = try Row.fetchAll(
                db, sql: "SELECT DISTINCT year, class FROM enrolment WHERE file_id = ? ORDER BY year, class", arguments: [file.id]
            )
            .map { ClassOfYear(year: AcademicYear(startYear: $0[0]), schoolClass: $0[1]) }
            try db.execute(sql: "DELETE FROM enrolment WHERE file_id = ?", arguments: [file.id])
            outcome.enrolments = db.changesCount
            outcome.removed += outcome.enrolments
            let orphans = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM student s WHERE s.file_id = ?
                      AND NOT EXISTS (SELECT 1 FROM enrolment WHERE student_id = s.id) AND NOT EXISTS (SELECT 1 FROM mark WHERE student_id = s.id)
                      AND NOT EXISTS (SELECT 1 FROM current_marks WHERE student_id = s.id)
                      AND NOT EXISTS (SELECT 1 FROM exam WHERE student_id = s.id) AND NOT EXISTS (SELECT 1 FROM achievement WHERE student_id = s.id)
                      AND NOT EXISTS (SELECT 1 FROM encouragement WHERE student_id = s.id) AND NOT EXISTS (SELECT 1 FROM development WHERE student_id = s.id)
                      AND NOT EXISTS (SELECT 1 FROM register_number WHERE student_id = s.id)
                    ORDER BY id
                    """, arguments: [file.id])
            for id in orphans {
                try db.execute(
                    sql: "DELETE FROM conflict WHERE student_id = ? AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.conflict_id = conflict.id)",
                    arguments: [id])
                try db.execute(sql: "DELETE FROM pending_emit WHERE student_id = ?", arguments: [id])
                outcome.outputsRemoved += try String.fetchAll(db, sql: "SELECT path FROM output WHERE owner = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM output WHERE owner = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM student WHERE id = ?", arguments: [id])
                touched.remove(id)
            }
            outcome.studentsRemoved = orphans.map(StudentID.init(rawValue:))

            let statement = try db.cachedStatement(sql: "SELECT id FROM conflict WHERE student_id = ? AND subject = ? AND year = ? AND period = ?")
            for key in keys.sorted() {
                guard let id = try Int64.fetchOne(statement, arguments: [key.student, key.subject, key.year, key.period]) else { continue }
                try Conflicts.reevaluate(db, conflict: id, policy: policy, runID: "withdraw:\(file.id)")
                outcome.conflicts.append(id)
            }
            try db.execute(
                sql: """
                    INSERT INTO withdrawal (file_id, sha256, name, reason, withdrawn_by, withdrawn_at, facts_removed, facts_kept) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [file.id, file.sha256, file.name, reason, by, at, outcome.removed, outcome.kept])
            outcome.touched = touched.sorted().map(StudentID.init(rawValue:))
            try Ledger.markPending(db, outcome.touched.map(\.rawValue))
            return outcome
        }
    }

    /// The file's packs of current marks: a mark another file carries too moves to that file's
    /// pack (the one whose SHA-256 sorts first, as a merge would cite), the rest go.
    private func withdrawCurrentMarks(_ db: Database, file: Int64, touched: inout Set<String>, outcome: inout WithdrawalOutcome) throws {
        let copies = try db.cachedStatement(
            sql: """
                SELECT c.file_id, c.sheet, c.row, c.col FROM fact_copy c JOIN file f ON f.id = c.file_id
                WHERE c.tbl = 'mark' AND c.student_id = ? AND c.fact = ? AND c.file_id <> ?
                  AND NOT EXISTS (SELECT 1 FROM withdrawal w WHERE w.file_id = c.file_id)
                ORDER BY f.sha256, c.sheet, c.row LIMIT 1
                """)
        for r in try Row.fetchAll(
            db, sql: "SELECT id, student_id, subject, year, identities, entries FROM current_marks WHERE file_id = ? ORDER BY id",
            arguments: [file])
        {
            let student: String = r[1]
            touched.insert(student)
            var moves: [Int64: [PackedMark]] = [:]
            for m in try MarkPack.marks(identities: r[4], entries: r[5], student: student) {
                guard let copy = try Row.fetchOne(copies, arguments: [student, m.fact, file]) else {
                    outcome.removed += 1
                    continue
                }
                var moved = m
                moved.sheet = copy[1]
                moved.row = copy[2]
                moved.column = copy[3]
                moves[copy[0], default: []].append(moved)
                outcome.kept += 1
            }
            try db.execute(sql: "DELETE FROM current_marks WHERE id = ?", arguments: [r[0] as Int64])
            for (other, marks) in moves.sorted(by: { $0.key < $1.key }) {
                try CurrentMarks.add(db, marks, student: student, subject: r[2], year: r[3], fileID: other)
            }
        }
    }
}
