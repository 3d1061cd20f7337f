import CivilDate
import Ledger
import Policy
import Records

/// A student's period and annual marks, indexed for the rules, with
/// conflicts taken into account (an open conflict is no value; a decided one
/// is the value the rule chose), and the grade the student was in each year.
struct StudentMarks {
    enum Lookup {
        case value(MarkValue, Component)
        case conflict(String)
    }

    private struct Key: Hashable {
        var subject: String
        var year: Int
        var period: String
    }

    let record: StudentRecord
    let policy: Policy
    /// The graduating year and grade.
    let year: AcademicYear
    let grade: Int
    private var byKey: [Key: [StudentRecord.MarkRow]] = [:]
    private var grades: [Int: Int] = [:]
    /// Subject → the years it has an annual mark in.
    private(set) var annualYears: [String: Set<AcademicYear>] = [:]
    /// Years with any period or annual mark.
    private(set) var markedYears: Set<AcademicYear> = []

    init(record: StudentRecord, policy: Policy, year: AcademicYear, grade: Int) {
        self.record = record
        self.policy = policy
        self.year = year
        self.grade = grade
        for e in record.enrolments { grades[e.year.startYear] = e.grade }
        for m in record.marks where m.kind != .current {
            guard let period = m.period else { continue }
            byKey[Key(subject: m.subject, year: m.year.startYear, period: period), default: []].append(m)
            markedYears.insert(m.year)
            if m.kind == .annual { annualYears[m.subject, default: []].insert(m.year) }
            // A year without an enrolment: the class the marks were given in says the grade.
            if grades[m.year.startYear] == nil, let c = m.schoolClass, let sc = SchoolClass(parsing: c) { grades[m.year.startYear] = sc.grade }
        }
    }

    /// The grade the student was in during `y`: the enrolment, else the class
    /// the marks name, else counted back from the graduating year.
    func grade(of y: AcademicYear) -> Int {
        grades[y.startYear] ?? grade - (year.startYear - y.startYear)
    }

    /// The (latest) year the student spent in grade `g`.
    func year(ofGrade g: Int) -> AcademicYear {
        if g == grade { return year }
        let known = grades.filter { $0.value == g && $0.key <= year.startYear }.map(\.key).max()
        return AcademicYear(startYear: known ?? year.startYear - (grade - g))
    }

    /// The grades (of `among`) the student has an annual mark in a subject for.
    func annualGrades(_ subject: String, among: [Int]) -> [Int] {
        (annualYears[subject] ?? []).map(grade(of:)).filter { among.contains($0) }.sorted()
    }

    func annual(_ subject: String, _ y: AcademicYear) -> Lookup? {
        effective(subject, y, "year", label: "год \(y)", kind: .annual)
    }

    /// Quarter, half-year and trimester marks of a year, in the policy's order.
    func periodMarks(_ subject: String, _ y: AcademicYear) -> [Lookup] {
        policy.periods.terms.compactMap { policy.period(id: $0.id) }.filter { [.quarter, .halfYear, .trimester].contains($0.kind) }
            .compactMap { p in effective(subject, y, p.id, label: "\(p.label) \(y)", kind: .period) }
    }

    private func effective(_ subject: String, _ y: AcademicYear, _ period: String, label: String, kind: Component.Kind) -> Lookup? {
        guard let found = byKey[Key(subject: subject, year: y.startYear, period: period)], let first = found.first else { return nil }
        if found.allSatisfy({ $0.value == first.value }) { return .value(first.value, component(first, label, kind)) }
        let conflict = record.conflicts.first { $0.subject == subject && $0.year == y && $0.period == period }
        // A person's decision outranks every source: its value, with the decision as its provenance.
        if let c = conflict, let d = c.decision, let value = d.markValue {
            return .value(value, Component(label: label + " (решение по конфликту № \(c.id))", value: value, kind: kind, file: d.provenance, cell: nil))
        }
        if let c = conflict, !c.open, let winner = found.first(where: { $0.fact == c.winnerFact }) {
            return .value(winner.value, component(winner, label + " (по правилу «\(c.rule ?? "")»)", kind))
        }
        let periodLabel = policy.period(id: period)?.label ?? period
        let number = conflict.map { " (конфликт № \($0.id): uchet resolve \($0.id) --value … --reason «…»)" } ?? ""
        return .conflict(
            "расхождение отметок за «\(periodLabel)» \(y): \(found.map { "\($0.value) (\(file($0.source)))" }.joined(separator: " и ")); решите его\(number)")
    }

    private func component(_ m: StudentRecord.MarkRow, _ label: String, _ kind: Component.Kind) -> Component {
        Component(label: label, value: m.value, kind: kind, file: file(m.source), cell: m.source.cell)
    }

    func file(_ s: SourceRef) -> String { record.files[s.fileID]?.name ?? "?" }
}
