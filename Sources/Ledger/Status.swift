import GRDB

/// What the ledger holds for one class in one year.
public struct ClassStatus: Sendable {
    public var year: Int
    public var schoolClass: String
    public var grade: Int
    public var students: Int
    public var currentMarks: Int
    public var periodMarks: Int
    public var exams: Int
    public var achievements: Int
    public var encouragements: Int
    public var developmentResults: Int
    public var openConflicts: Int
}

/// The ledger as a whole.
public struct LedgerStatus: Sendable {
    public var classes: [ClassStatus]
    public var files: Int
    public var rejections: Int
    public var students: Int
    public var lastRun: (id: String, finished: String?, status: String)?
    public var scans: Int
}

extension Ledger {
    public func status() throws -> LedgerStatus {
        try database.read { db in
            // Counts per student and year first, then joined to the class each student was in that year.
            // A row of `sql` counts as one fact, or as `n` of them when it has that column (a pack of current marks).
            func perClass(_ sql: String, counting n: String = "1") throws -> [String: Int] {
                var out: [String: Int] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.year AS year, e.class AS class, SUM(\(n)) AS n FROM (\(sql)) r
                        JOIN enrolment e ON e.student_id = r.student_id AND e.year = r.year GROUP BY e.year, e.class
                        """)
                {
                    out["\(row["year"] as Int)|\(row["class"] as String)"] = row["n"]
                }
                return out
            }
            let current = try perClass(
                "SELECT student_id, year, 1 AS n FROM mark WHERE kind = 'current' UNION ALL SELECT student_id, year, count FROM current_marks",
                counting: "r.n")
            let period = try perClass("SELECT student_id, year FROM mark WHERE kind <> 'current'")
            let exams = try perClass("SELECT student_id, year FROM exam")
            let achievements = try perClass("SELECT student_id, year FROM achievement")
            let encouragements = try perClass("SELECT student_id, year FROM encouragement")
            let development = try perClass("SELECT student_id, year FROM development")
            let conflicts = try perClass("SELECT student_id, year FROM conflict WHERE status = 'open'")
            var classes: [ClassStatus] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT year, class, grade, COUNT(*) AS n FROM enrolment GROUP BY year, class, grade ORDER BY year, grade, class")
            {
                let key = "\(row["year"] as Int)|\(row["class"] as String)"
                classes.append(
                    ClassStatus(
                        year: row["year"], schoolClass: row["class"], grade: row["grade"], students: row["n"],
                        currentMarks: current[key] ?? 0, periodMarks: period[key] ?? 0, exams: exams[key] ?? 0,
                        achievements: achievements[key] ?? 0, encouragements: encouragements[key] ?? 0,
                        developmentResults: development[key] ?? 0, openConflicts: conflicts[key] ?? 0))
            }
            let last = try Row.fetchOne(db, sql: "SELECT id, finished, status FROM run ORDER BY started DESC LIMIT 1")
            return LedgerStatus(
                classes: classes,
                files: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM file") ?? 0,
                rejections: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rejection") ?? 0,
                students: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM student") ?? 0,
                lastRun: last.map { ($0["id"], $0["finished"], $0["status"]) },
                scans: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scan") ?? 0)
        }
    }
}
