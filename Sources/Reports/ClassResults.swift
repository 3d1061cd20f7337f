import GRDB
public import Ledger
public import Policy
public import Records

/// One class of the year, as the reports show it.
public struct ReportClass: Sendable, Hashable {
    public var name: String
    public var grade: Int
    /// Students enrolled in the class that year.
    public var students: Int
}

/// Students of a class in one period grouped by how they did: the class
/// summary's lines.
public struct StudentGroups: Sendable, Hashable {
    /// Every assessed mark «5».
    public var excellent = 0
    /// Every assessed mark «4» or «5», at least one «4».
    public var good = 0
    /// At least one «2» or «1».
    public var failing = 0
    /// At least one н/а.
    public var notAssessed = 0
    /// Students with at least one mark of the period.
    public var assessed = 0
}

/// The period and annual marks of a school year, counted by class, subject
/// and period: what the class reports are made of. Read from the ledger
/// with conflicts taken into account (a decided conflict counts the value
/// the rule chose; an open one counts as a conflict, no value).
public struct ClassResults: Sendable {
    public var year: AcademicYear
    /// Classes with at least one period or annual mark, in grade and letter order.
    public var classes: [ReportClass]
    /// Periods with marks, in the policy's order (quarters or half-years, then the year).
    public var periods: [Period]
    /// Subject ids with marks, in the policy's order.
    public var subjects: [String]
    /// class → subject → period id → tally.
    public var tallies: [String: [String: [String: MarkTally]]]
    /// class → period id → student groups.
    public var groups: [String: [String: StudentGroups]]

    /// The tally of a class's subject in a period (empty when nothing was given).
    public func tally(_ schoolClass: String, _ subject: String, _ period: String) -> MarkTally {
        tallies[schoolClass]?[subject]?[period] ?? MarkTally()
    }

    /// Every subject of a class in a period together.
    public func classTally(_ schoolClass: String, _ period: String) -> MarkTally {
        var t = MarkTally()
        for (_, byPeriod) in tallies[schoolClass] ?? [:] { if let p = byPeriod[period] { t.add(p) } }
        return t
    }

    /// A subject across the school in a period.
    public func schoolTally(subject: String?, _ period: String) -> MarkTally {
        var t = MarkTally()
        for c in classes {
            if let subject { t.add(tally(c.name, subject, period)) } else { t.add(classTally(c.name, period)) }
        }
        return t
    }

    /// Periods a class has marks for.
    public func periods(of schoolClass: String) -> [Period] {
        periods.filter { p in (tallies[schoolClass] ?? [:]).values.contains { $0[p.id] != nil } }
    }

    /// Subjects a class has marks in.
    public func subjects(of schoolClass: String) -> [String] {
        subjects.filter { tallies[schoolClass]?[$0] != nil }
    }

    /// The period before `period` among `among` (the change is measured from it).
    public static func previous(_ period: Period, among: [Period]) -> Period? {
        guard let i = among.firstIndex(of: period), i > 0 else { return nil }
        return among[i - 1]
    }

    /// Reads the year's period and annual marks. `upTo`: only periods up to
    /// and including this one in the policy's order (the report as it stood
    /// at the end of that period).
    public static func load(ledger: Ledger, policy: Policy, year: AcademicYear, upTo: Period? = nil) throws -> ClassResults {
        let order = policy.periods.terms.map(\.id)
        let limit = upTo.flatMap { order.firstIndex(of: $0.id) }
        let wanted: [Period] = order.enumerated().compactMap { i, id in
            guard let p = policy.period(id: id), [.quarter, .halfYear, .trimester, .year].contains(p.kind) else { return nil }
            if let limit, i > limit { return nil }
            return p
        }
        let wantedIDs = Set(wanted.map(\.id))
        return try ledger.database.read { db in
            var classes: [String: ReportClass] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT class, grade, COUNT(*) AS n FROM enrolment WHERE year = ? GROUP BY class, grade",
                arguments: [year.startYear])
            {
                classes[row["class"]] = ReportClass(name: row["class"], grade: row["grade"], students: row["n"])
            }
            // Decided conflicts: the winning fact of each (student, subject, period).
            var winners: [String: Int64] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT student_id, subject, period, winner_fact FROM conflict WHERE year = ? AND status = 'resolved'",
                arguments: [year.startYear])
            {
                if let w: Int64 = row["winner_fact"] { winners["\(row["student_id"] as String)|\(row["subject"] as String)|\(row["period"] as String)"] = w }
            }
            struct Found {
                var schoolClass: String
                var values: [(fact: Int64, value: String)]
            }
            var found: [String: Found] = [:]
            var keys: [String] = []
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT m.student_id, m.subject, m.period, m.value, m.fact, e.class
                    FROM mark m JOIN enrolment e ON e.student_id = m.student_id AND e.year = m.year
                    WHERE m.year = ? AND m.kind IN ('period', 'annual') AND m.period IS NOT NULL
                    """, arguments: [year.startYear])
            {
                let period: String = row["period"]
                guard wantedIDs.contains(period) else { continue }
                let key = "\(row["student_id"] as String)|\(row["subject"] as String)|\(period)"
                if found[key] == nil {
                    keys.append(key)
                    found[key] = Found(schoolClass: row["class"], values: [])
                }
                found[key]!.values.append((row["fact"], row["value"]))
            }
            var tallies: [String: [String: [String: MarkTally]]] = [:]
            // class|period|student → values, for the student groups.
            var perStudent: [String: [MarkValue]] = [:]
            for key in keys {
                let f = found[key]!
                let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                let (student, subject, period) = (parts[0], parts[1], parts[2])
                var value: MarkValue?
                let first = f.values[0].value
                if f.values.allSatisfy({ $0.value == first }) {
                    value = MarkValue(code: first)
                } else if let w = winners[key], let hit = f.values.first(where: { $0.fact == w }) {
                    value = MarkValue(code: hit.value)
                }
                var tally = tallies[f.schoolClass]?[subject]?[period] ?? MarkTally()
                if let value { tally.add(value) } else { tally.addConflict() }
                tallies[f.schoolClass, default: [:]][subject, default: [:]][period] = tally
                if let value { perStudent["\(f.schoolClass)|\(period)|\(student)", default: []].append(value) }
            }
            var groups: [String: [String: StudentGroups]] = [:]
            for (key, values) in perStudent {
                let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                var g = groups[parts[0]]?[parts[1]] ?? StudentGroups()
                let points = values.compactMap(\.points)
                g.assessed += 1
                if values.contains(.notAssessed) { g.notAssessed += 1 }
                if points.contains(where: { $0 <= 2 }) {
                    g.failing += 1
                } else if !points.isEmpty, points.allSatisfy({ $0 == 5 }), !values.contains(.notAssessed), !values.contains(.fail) {
                    g.excellent += 1
                } else if !points.isEmpty, points.allSatisfy({ $0 >= 4 }), !values.contains(.notAssessed), !values.contains(.fail) {
                    g.good += 1
                }
                groups[parts[0], default: [:]][parts[1]] = g
            }
            let subjectOrder = policy.subjects.terms.map(\.id)
            let present = Set(tallies.values.flatMap(\.keys))
            let periodsPresent = Set(tallies.values.flatMap { $0.values.flatMap(\.keys) })
            let reportClasses = tallies.keys.map { classes[$0] ?? ReportClass(name: $0, grade: SchoolClass(parsing: $0)?.grade ?? 0, students: 0) }
                .sorted {
                    (SchoolClass(parsing: $0.name).map { ($0.grade, $0.letter) } ?? ($0.grade, $0.name))
                        < (SchoolClass(parsing: $1.name).map { ($0.grade, $0.letter) } ?? ($1.grade, $1.name))
                }
            return ClassResults(
                year: year, classes: reportClasses, periods: wanted.filter { periodsPresent.contains($0.id) },
                subjects: subjectOrder.filter(present.contains) + present.subtracting(subjectOrder).sorted(),
                tallies: tallies, groups: groups)
        }
    }
}
