import Ledger
import Policy
import Records

/// The 11th grade (среднее общее): the rounded mean of every half-year (or
/// quarter) mark and annual mark of the level's grades (10th and 11th) in
/// which the subject was studied; a subject studied only in 10th grade: its
/// 10th-grade marks. No marks at all for an earlier grade of the level (a
/// transfer whose marks have not come in) is flagged. ЕГЭ scores do not enter.
extension MarkSheet {
    mutating func eleventhGrade() {
        let levelGrades = rules.curriculum.grades.filter { $0 <= rules.grade }
        let absent = levelGrades.filter { $0 < rules.grade && !marks.markedYears.contains(marks.year(ofGrade: $0)) }
        for g in absent {
            let y = marks.year(ofGrade: g)
            let reason = "нет ни одной отметки за \(g) класс (\(y))"
            covered.append(reason)
            flags.append(
                AttestatFlag(
                    subject: nil,
                    message: reason + ": итоговые отметки по предметам \(g) класса не выставляются (обучающийся, по-видимому, прибыл из другой школы)",
                    action: "пришлите отметки за \(g) класс (из личного дела или справки прежней школы) файлом в inbox", blocks: true))
        }
        for subject in curriculum.subjects {
            var parts = [subject]
            if let m = rules.mathematics, m.subject == subject {
                parts = ([subject] + m.courses).filter { !marks.annualGrades($0, among: levelGrades).isEmpty || curriculum.studied[$0] != nil }
                if parts.isEmpty { parts = [subject] }
            }
            var grades = curriculum.studied[subject] ?? []
            for part in parts { grades.formUnion(marks.annualGrades(part, among: levelGrades)) }
            if grades.isEmpty { grades = [rules.grade] }
            var components: [Component] = []
            var problem: String?
            for g in grades.sorted() {
                let y = marks.year(ofGrade: g)
                if absent.contains(g) {
                    problem = problem ?? "нет ни одной отметки за \(g) класс (\(y))"
                    continue
                }
                let own = parts.filter { marks.annualYears[$0]?.contains(y) == true || !marks.periodMarks($0, y).isEmpty }
                for part in own.isEmpty ? [parts[0]] : own {
                    let course = parts.count > 1 ? " по курсу «\(label(part))»" : ""
                    let periods = marks.periodMarks(part, y)
                    for p in periods {
                        switch p {
                        case .value(_, let c): components.append(parts.count > 1 ? c.with(label: "\(label(part)), \(c.label)") : c)
                        case .conflict(let why): problem = problem ?? why
                        }
                    }
                    if periods.isEmpty { problem = problem ?? "нет отметок за полугодия (четверти) \(y), \(g) класс\(course)" }
                    switch marks.annual(part, y) {
                    case .value(_, let c): components.append(c.with(label: (parts.count > 1 ? label(part) + ", " : "") + "год \(y)"))
                    case .conflict(let why): problem = problem ?? why
                    case nil: problem = problem ?? "нет годовой отметки за \(y), \(g) класс\(course)"
                    }
                }
            }
            finals.append(mean(subject, components, problem: problem, exam: false))
        }
    }
}
