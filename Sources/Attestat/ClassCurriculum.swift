import Ledger
import Policy
import Records

/// What a graduating class studied for its attestat (учебный план): the
/// subjects of the level's curriculum and the grades each was studied in.
/// The rules' list for the class when they give one; otherwise every subject
/// with an annual mark for any of its students in the level's grades.
/// Primary school's subjects and electives never enter.
public struct ClassCurriculum: Sendable {
    /// Subjects in the policy's order; mathematics once where its courses make one subject.
    public var subjects: [String]
    /// Subject → the level's grades in which any student of the class has an annual mark in it.
    public var studied: [String: Set<Int>]
    /// Courses of mathematics the class has annual marks in, in the graduating grade.
    public var courses: [String]
    /// The list comes from the rules (`curriculum.classes`), not from the marks.
    public var listed: Bool

    /// The subject a mark counts under: a course of mathematics counts as mathematics.
    static func fold(_ subject: String, _ rules: AttestatRules.Grade) -> String {
        guard let m = rules.mathematics, m.courses.contains(subject) else { return subject }
        return m.subject
    }

    static func of(_ students: [StudentMarks], schoolClass: String, rules: AttestatRules.Grade, policy: Policy) -> ClassCurriculum {
        let curriculum = rules.curriculum
        var studied: [String: Set<Int>] = [:]
        var courses: Set<String> = []
        for marks in students {
            for (subject, years) in marks.annualYears where curriculum.admits(subject) {
                for y in years {
                    let g = marks.grade(of: y)
                    guard curriculum.grades.contains(g), g <= rules.grade else { continue }
                    studied[fold(subject, rules), default: []].insert(g)
                    if g == rules.grade, rules.mathematics?.courses.contains(subject) == true { courses.insert(subject) }
                }
            }
        }
        let listed = curriculum.listed(for: schoolClass)
        var subjects = Set(listed.map { $0.map { fold($0, rules) } } ?? Array(studied.keys))
        subjects = subjects.filter { curriculum.admits($0) }
        let order = Dictionary(policy.subjects.terms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let sorted = subjects.sorted { (order[$0] ?? 999, $0) < (order[$1] ?? 999, $1) }
        let taught = (rules.mathematics?.courses ?? []).filter { courses.contains($0) }
        return ClassCurriculum(subjects: sorted, studied: studied.filter { subjects.contains($0.key) }, courses: taught, listed: listed != nil)
    }
}
