import GRDB
public import Policy
public import Records

/// A person's decision of a conflict, as the ledger keeps it.
public struct DecisionRow: Sendable, Hashable {
    public var id: Int64
    /// The mark chosen (its code: `5`, `pass`).
    public var value: String
    /// The values in conflict when it was decided (codes).
    public var seen: [String]
    public var reason: String
    public var by: String
    /// Local time, `2026-06-01T10:15:00`.
    public var at: String
    public var undoneAt: String?
    public var undoneBy: String?
    /// The run whose file brought a value the decision did not see, and those values.
    public var reopenedRun: String?
    public var reopenedValues: [String]

    public init(
        id: Int64, value: String, seen: [String], reason: String, by: String, at: String, undoneAt: String?, undoneBy: String?,
        reopenedRun: String?, reopenedValues: [String]
    ) {
        self.id = id
        self.value = value
        self.seen = seen
        self.reason = reason
        self.by = by
        self.at = at
        self.undoneAt = undoneAt
        self.undoneBy = undoneBy
        self.reopenedRun = reopenedRun
        self.reopenedValues = reopenedValues
    }

    /// In force: neither undone nor set aside by a value it did not see.
    public var isActive: Bool { undoneAt == nil && reopenedRun == nil }

    /// The decision as a source of a mark: `решение: Петрова А. А., 2026-06-01: по классному журналу`.
    public var provenance: String { "решение: \(by), \(at.prefix(10)): \(reason)" }

    /// The chosen mark as a value.
    public var markValue: MarkValue? { MarkValue(code: value) }
}

/// One conflict with everything a person needs to decide it.
public struct ConflictItem: Sendable {
    /// One differing value and where it came from.
    public struct Value: Sendable, Hashable {
        public var value: MarkValue
        public var fileName: String
        public var cell: String?
        public var sourceKind: String?
        public var fact: Int64
    }

    public var id: Int64
    public var student: StudentID
    public var name: FullName
    /// The class the student was in that year (else the latest one).
    public var schoolClass: String?
    public var subject: String
    public var year: AcademicYear
    public var period: String
    /// `open`, `resolved` (by a rule), `decided` (by a person), `closed` (the differing value was withdrawn).
    public var status: String
    public var rule: String?
    /// The value a rule chose.
    public var chosen: MarkValue?
    public var values: [Value]
    /// Every decision of this conflict, oldest first; the last active one is in force.
    public var decisions: [DecisionRow]

    /// The decision in force, if the conflict is decided.
    public var decision: DecisionRow? { status == "decided" ? decisions.last(where: \.isActive) : nil }
    /// The latest decision no longer in force (undone, or set aside by a new value), to cite.
    public var previous: DecisionRow? { decisions.last(where: { !$0.isActive }) }
}

/// A request a person made that the ledger refuses (an unknown conflict, a
/// file never accepted): a usage error, nothing changed.
public struct LedgerRefusal: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Ledger {
    /// Conflicts, open ones only unless `all`; of one school year and class
    /// (the class that year, or the student's latest) when given; or exactly `ids`.
    public func conflicts(year: AcademicYear? = nil, schoolClass: String? = nil, all: Bool = false, ids: [Int64]? = nil) throws -> [ConflictItem] {
        try database.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let ids {
                guard !ids.isEmpty else { return [] }
                conditions.append("c.id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))")
                arguments += StatementArguments(ids)
            } else if !all {
                conditions.append("c.status = 'open'")
            }
            if let year {
                conditions.append("c.year = ?")
                arguments += [year.startYear]
            }
            if let schoolClass {
                conditions.append(
                    """
                    (EXISTS (SELECT 1 FROM enrolment e WHERE e.student_id = c.student_id AND e.year = c.year AND e.class = ?)
                     OR (SELECT e.class FROM enrolment e WHERE e.student_id = c.student_id ORDER BY e.year DESC LIMIT 1) = ?)
                    """)
                arguments += [schoolClass, schoolClass]
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, c.student_id, c.subject, c.year, c.period, c.status, c.rule, c.winner_fact,
                           s.surname, s.name, s.patronymic,
                           COALESCE((SELECT e.class FROM enrolment e WHERE e.student_id = c.student_id AND e.year = c.year),
                                    (SELECT e.class FROM enrolment e WHERE e.student_id = c.student_id ORDER BY e.year DESC LIMIT 1)) AS class
                    FROM conflict c JOIN student s ON s.id = c.student_id
                    \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                    ORDER BY c.year, class, s.surname, s.name, c.student_id, c.subject, c.period, c.id
                    """, arguments: arguments)
            return try rows.map { r in
                let id: Int64 = r["id"]
                let values = try Conflicts.values(db, student: r["student_id"], subject: r["subject"], year: r["year"], period: r["period"])
                let winner: Int64? = r["winner_fact"]
                return ConflictItem(
                    id: id, student: StudentID(rawValue: r["student_id"]),
                    name: FullName(surname: r["surname"], name: r["name"], patronymic: r["patronymic"]),
                    schoolClass: r["class"], subject: r["subject"], year: AcademicYear(startYear: r["year"]), period: r["period"],
                    status: r["status"], rule: r["rule"], chosen: values.first { $0.fact == winner }?.value,
                    values: values, decisions: try Conflicts.decisions(db, conflict: id))
            }
        }
    }

    /// Records a person's decision: `value` for conflict `id`, who, when and
    /// why. A decision in force before is replaced (kept, marked undone).
    /// The student's outputs are asked for again.
    public func decide(conflict id: Int64, value: MarkValue, reason: String, by: String, at: String) throws -> ConflictItem {
        try database.write { db in
            let c = try Conflicts.row(db, id)
            guard c.status != "closed" else {
                throw LedgerRefusal("конфликт № \(id) закрыт: расходившееся значение ушло из учёта вместе с отозванным файлом, решать нечего")
            }
            let values = try Conflicts.values(db, student: c.student, subject: c.subject, year: c.year, period: c.period)
            if let active = try Conflicts.decisions(db, conflict: id).last(where: \.isActive) {
                try db.execute(sql: "UPDATE decision SET undone_at = ?, undone_by = ? WHERE id = ?", arguments: [at, by, active.id])
            }
            let seen = Set(values.map(\.value.code)).sorted()
            try db.execute(
                sql: """
                    INSERT INTO decision (conflict_id, value, seen_values, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [id, value.code, seen.joined(separator: "|"), reason, by, at])
            try db.execute(
                sql: "UPDATE conflict SET status = 'decided', rule = NULL, winner_fact = NULL, updated_run = ? WHERE id = ?",
                arguments: ["decision:\(db.lastInsertedRowID)", id])
            try Ledger.markPending(db, [c.student])
        }
        return try conflicts(ids: [id]).first!
    }

    /// Undoes the decision in force of conflict `id`: the conflict stands as
    /// the sources and the policy's rules leave it (open, or decided by a rule).
    public func undoDecision(conflict id: Int64, by: String, at: String, policy: Policy) throws -> ConflictItem {
        try database.write { db in
            let c = try Conflicts.row(db, id)
            guard c.status == "decided", let active = try Conflicts.decisions(db, conflict: id).last(where: \.isActive) else {
                throw LedgerRefusal("у конфликта № \(id) нет действующего решения: отменять нечего (uchet conflicts --all покажет его историю)")
            }
            try db.execute(sql: "UPDATE decision SET undone_at = ?, undone_by = ? WHERE id = ?", arguments: [at, by, active.id])
            try db.execute(sql: "UPDATE conflict SET status = 'open' WHERE id = ?", arguments: [id])
            try Conflicts.reevaluate(db, conflict: id, policy: policy, runID: "undo:\(active.id)")
            try Ledger.markPending(db, [c.student])
        }
        return try conflicts(ids: [id]).first!
    }
}

/// The conflict queries and updates shared by the merge, decisions and withdrawals.
enum Conflicts {
    struct Key {
        var student: String
        var subject: String
        var year: Int
        var period: String
        var status: String
    }

    static func row(_ db: Database, _ id: Int64) throws -> Key {
        guard let r = try Row.fetchOne(db, sql: "SELECT student_id, subject, year, period, status FROM conflict WHERE id = ?", arguments: [id]) else {
            throw LedgerRefusal("в учёте нет конфликта № \(id); номера открытых конфликтов покажет uchet conflicts (все — uchet conflicts --all)")
        }
        return Key(student: r[0], subject: r[1], year: r[2], period: r[3], status: r[4])
    }

    /// The values in conflict now, each with its file and cell.
    static func values(_ db: Database, student: String, subject: String, year: Int, period: String) throws -> [ConflictItem.Value] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT m.value, m.sheet, m.row, m.col, f.name, f.source_kind, m.fact FROM mark m INDEXED BY mark_key JOIN file f ON f.id = m.file_id
                    WHERE m.student_id = ? AND m.subject = ? AND m.year = ? AND m.period = ? AND m.kind <> 'current'
                    ORDER BY f.name, f.sha256, m.row, m.col, m.fact
                    """), arguments: [student, subject, year, period]
        ).map { r in
            guard let value = MarkValue(code: r[0]) else { throw UnreadableRow(table: "mark", student: student, column: "value", value: r[0]) }
            let source = SourceRef(fileID: 0, sheet: r[1], row: r[2], column: r[3])
            return ConflictItem.Value(value: value, fileName: r[4], cell: source.cell, sourceKind: r[5], fact: r[6])
        }
    }

    static func decisions(_ db: Database, conflict id: Int64) throws -> [DecisionRow] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, value, seen_values, reason, decided_by, decided_at, undone_at, undone_by, reopened_run, reopened_values
                    FROM decision WHERE conflict_id = ? ORDER BY id
                    """), arguments: [id]
        ).map { r in
            DecisionRow(
                id: r[0], value: r[1], seen: split(r[2]), reason: r[3], by: r[4], at: r[5], undoneAt: r[6], undoneBy: r[7],
                reopenedRun: r[8], reopenedValues: split(r[9]))
        }
    }

    private static func split(_ text: String?) -> [String] {
        (text ?? "").split(separator: "|").map(String.init)
    }

    /// A decided conflict whose values now include one its decision did not
    /// see (nor choose): opened again, the decision marked as set aside by
    /// this run. True when it was opened.
    static func reopenIfUnseen(_ db: Database, conflict id: Int64, values: Set<String>, runID: String) throws -> Bool {
        guard let active = try decisions(db, conflict: id).last(where: \.isActive) else { return false }
        let unseen = values.subtracting(active.seen).subtracting([active.value])
        guard !unseen.isEmpty else { return false }
        try db.execute(
            sql: "UPDATE decision SET reopened_run = ?, reopened_values = ? WHERE id = ?",
            arguments: [runID, unseen.sorted().joined(separator: "|"), active.id])
        try db.execute(sql: "UPDATE conflict SET status = 'open', rule = NULL, winner_fact = NULL, updated_run = ? WHERE id = ?", arguments: [runID, id])
        return true
    }

    /// Sets a conflict's state from the values it has now: `closed` with one
    /// value or none, kept `decided` while its decision saw every value,
    /// `decided` again when the value that set its decision aside has gone,
    /// else as the policy's rules decide (open or resolved).
    static func reevaluate(_ db: Database, conflict id: Int64, policy: Policy, runID: String) throws {
        let c = try row(db, id)
        let marks = try ConflictValues.fetch(db, student: c.student, subject: c.subject, year: c.year, period: c.period)
        let values = Set(marks.map { $0["value"] as String })
        if values.count < 2 {
            try db.execute(sql: "UPDATE conflict SET status = 'closed', rule = NULL, winner_fact = NULL, updated_run = ? WHERE id = ?", arguments: [runID, id])
            return
        }
        if c.status == "decided" {
            _ = try reopenIfUnseen(db, conflict: id, values: values, runID: runID)
            return
        }
        // The value that set a decision aside went (its file withdrawn): the decision is in force again.
        if let last = try decisions(db, conflict: id).last, last.undoneAt == nil, last.reopenedRun != nil,
            values.isSubset(of: Set(last.seen + [last.value]))
        {
            try db.execute(sql: "UPDATE decision SET reopened_run = NULL, reopened_values = NULL WHERE id = ?", arguments: [last.id])
            try db.execute(sql: "UPDATE conflict SET status = 'decided', rule = NULL, winner_fact = NULL, updated_run = ? WHERE id = ?", arguments: [runID, id])
            return
        }
        let decision = ConflictRuling.decide(marks.map { (id: $0["id"], value: $0["value"], source: $0["source_kind"]) }, policy: policy)
        try db.execute(
            sql: "UPDATE conflict SET status = ?, rule = ?, winner_fact = ?, updated_run = ? WHERE id = ?",
            arguments: [decision.status, decision.rule, decision.winner, runID, id])
    }
}

/// The values in a conflict: every period mark of the student, subject, year
/// and period, with its fact and source kind, in file order.
enum ConflictValues {
    static func fetch(_ db: Database, student: String, subject: String, year: Int, period: String) throws -> [Row] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT m.fact AS id, m.value, f.source_kind FROM mark m INDEXED BY mark_key JOIN file f ON f.id = m.file_id
                WHERE m.student_id = ? AND m.subject = ? AND m.year = ? AND m.period = ? AND m.kind <> 'current'
                ORDER BY m.file_id, m.row, m.col
                """, arguments: [student, subject, year, period])
    }
}
