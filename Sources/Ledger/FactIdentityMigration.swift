import Foundation
import GRDB

/// Gives a ledger made before fact identities each fact its identity
/// (`FactIdentity`): marks are rebuilt keyed by student and identity, the
/// other facts get an identity column under a unique index. The ordinal of
/// the same fact repeated is its rank among the rows with equal fields, which
/// is what the merge gave them (1, 2, … in the file that had the most).
enum FactIdentityMigration {
    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE mark_new (
                    student_id TEXT NOT NULL,
                    identity BLOB NOT NULL,          -- SHA-256 of the fact's fields (FactIdentity): the same mark from two files is one
                    fact INTEGER NOT NULL,           -- FNV-1a of the same fields: the order of a student's marks, what a conflict's winner names
                    subject TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    class TEXT,
                    kind TEXT NOT NULL,
                    period TEXT,
                    value TEXT NOT NULL,
                    date TEXT,
                    work TEXT,
                    weight REAL,
                    file_id INTEGER NOT NULL,
                    sheet TEXT,
                    row INTEGER,
                    col INTEGER,
                    sign TEXT,
                    PRIMARY KEY (student_id, identity)
                ) WITHOUT ROWID
                """)
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO mark_new (student_id, identity, fact, subject, year, class, kind, period, value, date, work, weight, file_id, sheet, row, col, sign)
                SELECT student_id, ?, fact, subject, year, class, kind, period, value, date, work, weight, file_id, sheet, row, col, sign
                FROM mark WHERE student_id = ? AND fact = ?
                """)
        let marks = try Row.fetchCursor(
            db,
            sql: """
                SELECT m.student_id, m.fact, m.subject, m.year, m.kind, m.period, m.value, m.date, m.work, m.sign,
                       CASE WHEN m.kind = 'current' THEN NULL ELSE f.source_kind END AS source,
                       ROW_NUMBER() OVER (PARTITION BY m.student_id, m.subject, m.year, m.kind, m.period, m.value, m.date, m.work, m.sign,
                                          CASE WHEN m.kind = 'current' THEN NULL ELSE f.source_kind END ORDER BY m.fact) AS ordinal
                FROM mark m JOIN file f ON f.id = m.file_id
                """)
        while let r = try marks.next() {
            let identity = FactIdentity.mark(
                student: r["student_id"], subject: r["subject"], year: r["year"], kind: r["kind"], period: r["period"],
                value: r["value"], date: r["date"], work: r["work"], sign: r["sign"], source: r["source"])
            try insert.execute(arguments: [identity.stored(ordinal: r["ordinal"]), r["student_id"] as String, r["fact"] as Int64])
        }
        try db.execute(
            sql: """
                DROP TABLE mark;
                ALTER TABLE mark_new RENAME TO mark;
                CREATE INDEX mark_key ON mark(student_id, subject, year, period) WHERE kind <> 'current';
                """)

        try identify(
            db, "exam",
            partition: "student_id, subject, form, year, date, mark, primary_score, test_score, retake, no_result, "
                + "CASE WHEN no_result IS NULL THEN NULL ELSE level END"
        ) { r in
            .exam(
                student: r["student_id"], subject: r["subject"], form: r["form"], year: r["year"], date: r["date"], mark: r["mark"],
                primaryScore: r["primary_score"], testScore: r["test_score"], retake: r["retake"], noResult: r["no_result"], level: r["level"])
        }
        try identify(db, "achievement", partition: "student_id, grp, category, event, level, result, date, year, doc_number, scan_sha256") { r in
            .achievement(
                student: r["student_id"], group: r["grp"], category: r["category"], event: r["event"], level: r["level"], result: r["result"],
                date: r["date"], year: r["year"], documentNumber: r["doc_number"], scanSHA256: r["scan_sha256"])
        }
        try identify(db, "encouragement", partition: "student_id, kind, area, order_number, order_date, year") { r in
            .encouragement(
                student: r["student_id"], kind: r["kind"], area: r["area"], orderNumber: r["order_number"], orderDate: r["order_date"],
                year: r["year"])
        }
        try identify(db, "development", partition: "student_id, kind, category, indicator, value, date, year") { r in
            .development(
                student: r["student_id"], kind: r["kind"], category: r["category"], indicator: r["indicator"], value: r["value"],
                date: r["date"], year: r["year"])
        }
    }

    /// A table of facts with a rowid: an identity column, filled, under a unique index.
    private static func identify(_ db: Database, _ table: String, partition: String, _ fields: (Row) -> FactIdentity) throws {
        try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN identity BLOB")
        let update = try db.makeStatement(sql: "UPDATE \(table) SET identity = ? WHERE id = ?")
        let rows = try Row.fetchCursor(db, sql: "SELECT *, ROW_NUMBER() OVER (PARTITION BY \(partition) ORDER BY fact) AS ordinal FROM \(table)")
        while let r = try rows.next() {
            try update.execute(arguments: [fields(r).stored(ordinal: r["ordinal"]), r["id"] as Int64])
        }
        try db.execute(sql: "CREATE UNIQUE INDEX \(table)_identity ON \(table)(identity)")
    }
}
