import Crypto
import Foundation
import GRDB
import Ledger

/// What tests and `make reliability` compare after a crash, a soak or a
/// rebuild: the ledger's content and the outbox's, in canonical form.
public enum LedgerDump {
    /// Every table's rows, sorted; file ids replaced by the file's hash, run
    /// ids and times left out (they differ between equal runs by nature).
    public static func lines(_ ledger: String) throws -> [String] {
        let db = try DatabaseQueue(path: ledger)
        return try db.read { db in
            var lines: [String] = []
            let queries = [
                "SELECT sha256, name, format, profiles, source_kind, records, skipped_rows, warnings FROM file",
                "SELECT s.id, s.surname, s.name, s.patronymic, s.birth_date, s.sex, s.snils, s.journal_id, f.sha256, s.sheet, s.row FROM student s JOIN file f ON f.id = s.file_id",
                "SELECT e.student_id, e.year, e.class, e.grade, e.enrolled, e.left_date, f.sha256, e.sheet, e.row FROM enrolment e JOIN file f ON f.id = e.file_id",
                "SELECT m.student_id, m.fact, m.subject, m.year, m.class, m.kind, m.period, m.value, m.date, m.work, m.weight, f.sha256, m.sheet, m.row, m.col FROM mark m JOIN file f ON f.id = m.file_id",
                "SELECT x.fact, x.student_id, x.subject, x.form, x.level, x.primary_score, x.test_score, x.mark, x.date, x.year, x.retake, x.no_result, f.sha256, x.sheet, x.row, x.col FROM exam x JOIN file f ON f.id = x.file_id",
                "SELECT a.fact, a.student_id, a.grp, a.category, a.event, a.level, a.result, a.date, a.year, a.doc_kind, a.doc_number, a.scan_name, a.scan_sha256, a.gir, a.other_org, a.consent, f.sha256, a.sheet, a.row FROM achievement a JOIN file f ON f.id = a.file_id",
                "SELECT e.fact, e.student_id, e.kind, e.area, e.order_number, e.order_date, e.year, f.sha256, e.sheet, e.row FROM encouragement e JOIN file f ON f.id = e.file_id",
                "SELECT d.fact, d.student_id, d.kind, d.category, d.indicator, d.value, d.date, d.year, f.sha256, d.sheet, d.row FROM development d JOIN file f ON f.id = d.file_id",
                "SELECT student_id, subject, year, period, status, rule, winner_fact FROM conflict",
                "SELECT sha256, name, size FROM scan",
                "SELECT DISTINCT sha256, name FROM rejection",
                "SELECT student_id FROM pending_emit",
                "SELECT year, student_id, number FROM register_number",
                "SELECT kind, owner, path, sha256 FROM output",
                "SELECT c.tbl, c.student_id, c.fact, f.sha256, c.sheet, c.row, c.col FROM fact_copy c JOIN file f ON f.id = c.file_id",
                """
                SELECT c.student_id, c.subject, c.year, c.period, d.value, d.seen_values, d.reason, d.decided_by, d.undone_at IS NULL, d.reopened_values
                FROM decision d JOIN conflict c ON c.id = d.conflict_id
                """,
                "SELECT sha256, name, reason, withdrawn_by, facts_removed, facts_kept FROM withdrawal"
            ]
            for (i, sql) in queries.enumerated() {
                for row in try Row.fetchAll(db, sql: sql) {
                    lines.append("\(i)|" + row.databaseValues.map { $0.description }.joined(separator: "|"))
                }
            }
            // Current marks, packed in the ledger, as lines of the same form as rows of `mark` (query 3).
            let hashes = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, sha256 FROM file").map { ($0[0] as Int64, $0[1] as DatabaseValue) })
            for r in try CurrentMarks.rows(db) {
                let values =
                    ["student_id", "fact", "subject", "year", "class", "kind", "period", "value", "date", "work", "weight"].map { r[$0] as DatabaseValue }
                    + [hashes[r["file_id"]] ?? .null] + ["sheet", "row", "col"].map { r[$0] as DatabaseValue }
                lines.append("3|" + values.map { $0.description }.joined(separator: "|"))
            }
            return lines.sorted()
        }
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: empty when the file is sound.
    public static func integrityProblems(_ ledger: String) throws -> [String] {
        let db = try DatabaseQueue(path: ledger)
        return try db.read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let keys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { $0.description }
            return integrity + keys
        }
    }

    /// Every file under `folder` but the run reports (named by run), with
    /// its SHA-256: `path sha256`, sorted.
    public static func files(_ folder: String, skipping: [String] = ["reports/"]) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let relative = walker.nextObject() as? String {
            guard !skipping.contains(where: { relative.hasPrefix($0) }) else { continue }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue,
                let data = FileManager.default.contents(atPath: folder + "/" + relative)
            else { continue }
            out.append(relative + " " + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
        }
        return out.sorted()
    }
}
