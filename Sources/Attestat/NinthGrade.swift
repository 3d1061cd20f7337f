import Ledger
import Policy
import Records

/// The 9th grade (основное общее): Russian, mathematics and the chosen exam
/// subjects by the rounded mean of the annual and the exam mark; every other
/// subject of the curriculum by its 9th-grade annual mark, or, finished
/// earlier, by the annual mark of the last of grades 5–8 it was studied in.
extension MarkSheet {
    mutating func ninthGrade() {
        let required = rules.exams.required.map(\.subject)
        // The chosen subjects are those with an exam row, with or without a result: never guessed.
        let chosen = history.subjects.filter { !required.contains($0) }
        let forms = Set(required.flatMap { history.rows($0).map(\.form) })
        if let expected = forms.compactMap({ rules.exams.chosen($0)?.count }).max(), chosen.count != expected {
            let names = chosen.map { "«\(label($0))»" }.joined(separator: ", ")
            let formText = forms.map(\.rawValue).sorted().joined(separator: "/")
            flags.append(
                AttestatFlag(
                    subject: nil,
                    message: chosen.count < expected
                        ? "экзаменов по выбору в записях ГИА \(chosen.count) из \(expected) (\(formText))" + (chosen.isEmpty ? "" : ": \(names)")
                        : "экзаменов по выбору в записях ГИА \(chosen.count), а по правилам \(expected) (\(formText)): \(names)",
                    action: chosen.count < expected
                        ? "пришлите результаты ГИА по предметам по выбору (с «не явился», если результата нет)"
                        : "уточните, какие экзамены сдавались как ГИА, и исправьте файл результатов",
                    blocks: true))
        }
        let exams = required + chosen
        var subjects = exams
        for s in curriculum.subjects where !subjects.contains(s) { subjects.append(s) }
        for subject in subjects {
            finals.append(exams.contains(subject) ? examSubject(subject, required: required.contains(subject)) : otherSubject(subject))
        }
    }

    /// Mean of the annual mark (or the courses' marks) and the exam mark.
    private func examSubject(_ subject: String, required: Bool) -> FinalMark {
        var components: [Component] = []
        var problem: String?
        var courses: [String] = []
        let method = rules.mathematics.flatMap { $0.subject == subject ? $0.method : nil }
        if let mathematics = rules.mathematics, mathematics.subject == subject, marks.annual(subject, year) == nil {
            // Mathematics taught as courses: each course's annual mark.
            courses = curriculum.courses.isEmpty ? mathematics.courses.filter { marks.annualYears[$0]?.contains(year) == true } : curriculum.courses
            if courses.isEmpty {
                problem = "нет годовой отметки за \(year) ни по «\(label(subject))», ни по курсам (\(mathematics.courses.map(label).joined(separator: ", ")))"
            }
            for course in courses {
                switch marks.annual(course, year) {
                case .value(_, let c): components.append(c.with(label: "\(label(course)), год \(year)"))
                case .conflict(let why): problem = problem ?? why
                case nil: problem = problem ?? "нет годовой отметки по курсу «\(label(course))» за \(year)"
                }
            }
        } else {
            switch marks.annual(subject, year) {
            case .value(_, let c): components.append(c.with(label: "год \(year)"))
            case .conflict(let why): problem = why
            case nil: problem = "нет годовой отметки за \(year)"
            }
        }
        if let result = history.latestResult(subject) {
            let minimum =
                required
                ? rules.exams.required.first { $0.subject == subject }?.passIf.first { $0.form == result.form && $0.minimumMark != nil }?.minimumMark
                : rules.exams.chosen(result.form)?.minimumMark
            if let mark = result.mark {
                components.append(history.component(result, value: mark))
                if let p = mark.points, let minimum, p < minimum {
                    problem = problem ?? "\(history.describe(result)) — ниже «\(minimum)»\(MarkSheet.belowMinimum)"
                }
            } else {
                problem = problem ?? "\(history.describe(result)) — нет отметки по пятибалльной шкале (\(history.place(result)))"
            }
        } else if let why = history.unsettled(subject) {
            problem = problem ?? why
        } else if let row = history.rows(subject).last {
            problem = problem ?? "\(history.describe(row)) — результата нет (\(history.place(row)))"
        } else {
            problem = problem ?? "нет записи о ГИА по предмету (\(rules.exams.forms.map(\.rawValue).joined(separator: "/")))"
        }
        let barred = problem?.hasSuffix(MarkSheet.belowMinimum) == true
        guard let method, !courses.isEmpty else { return mean(subject, components, problem: problem, exam: true, barred: barred) }
        return mean(subject, components, problem: problem, exam: true, barred: barred) { points in
            let n = points.count - 1
            let c = points.dropLast().map(String.init).joined(separator: " + ")
            let e = points.last!
            let sum = points.dropLast().reduce(0, +)
            switch method {
            case .coursesMeanThenExam:
                return (ExactMean(numerator: sum + n * e, denominator: 2 * n), "((\(c)) / \(n) + \(e)) / 2")
            case .coursesAndExamEqual:
                return (ExactMean(numerator: sum + e, denominator: n + 1), "(\(c) + \(e)) / \(n + 1)")
            }
        }
    }

    /// The 9th-grade annual mark; for a subject finished earlier, the last annual mark of grades 5–8.
    private func otherSubject(_ subject: String) -> FinalMark {
        switch marks.annual(subject, year) {
        case .value(let v, let c): return single(subject, v, c.with(label: "год \(year)"), formula: "годовая отметка \(rules.grade) класса")
        case .conflict(let why): return .missing(subject, label(subject), why)
        case nil: break
        }
        let earlier = rules.curriculum.grades.filter { $0 < rules.grade }
        if curriculum.studied[subject]?.contains(rules.grade) ?? true {
            return .missing(subject, label(subject), "нет годовой отметки за \(year) (\(rules.grade) класс), а в учебном плане класса предмет есть")
        }
        let years = (marks.annualYears[subject] ?? []).filter { earlier.contains(marks.grade(of: $0)) }
        guard let last = years.max() else {
            return .missing(
                subject, label(subject),
                "нет годовой отметки ни за один из \(MarkSheet.range(earlier)) классов, а в учебном плане класса предмет есть "
                    + "(изучался в \(curriculum.studied[subject]!.sorted().map(String.init).joined(separator: ", ")) классе)")
        }
        let grade = marks.grade(of: last)
        // The class's last year of the subject decides, not the student's latest mark: a missing
        // 7th-grade mark is not made good by a 6th-grade one.
        if let lastStudied = curriculum.studied[subject]?.filter({ earlier.contains($0) }).max(), grade < lastStudied {
            return .missing(
                subject, label(subject),
                "нет годовой отметки за \(lastStudied) класс, последний год изучения предмета в классе (есть за \(grade) класс, \(last)): "
                    + "итоговая отметка — годовая последнего года изучения")
        }
        switch marks.annual(subject, last) {
        case .value(let v, let c):
            return single(subject, v, c.with(label: "год \(last)"), formula: "годовая отметка последнего года изучения (\(grade) класс, \(last))")
        case .conflict(let why): return .missing(subject, label(subject), why)
        case nil: return .missing(subject, label(subject), "нет годовой отметки за \(last)")
        }
    }
}
