import CivilDate
public import Ledger
public import Policy
public import Records

/// One mark that went into a final mark, and where it came from.
public struct Component: Sendable, Hashable {
    /// `год 2025/2026`, `ОГЭ`, `1 полугодие 2024/2025`.
    public var label: String
    public var value: MarkValue
    public var file: String
    public var cell: String?

    /// `год 2025/2026: 4 (Ведомость 9А.xlsx, 9А!K5)`.
    public var description: String {
        "\(label): \(value) (\(file)\(cell.map { ", \($0)" } ?? ""))"
    }
}

/// A student's final mark in a subject, with what it was computed from, or
/// no mark and the reason.
public struct FinalMark: Sendable {
    public var subject: String
    public var label: String
    public var value: MarkValue?
    public var components: [Component]
    /// `(4 + 5) / 2 = 4,5 → 5`, `годовая отметка 8 класса (2024/2025)`.
    public var formula: String
    /// Why there is no mark (a missing component, `н/а`, an open conflict).
    public var problem: String?
    public var isExamSubject: Bool
}

/// A point the deputy head must look at.
public struct AttestatFlag: Sendable, Hashable {
    public var subject: String?
    public var message: String
    public var action: String
}

/// An honours decision and every condition it rested on.
public struct HonoursDecision: Sendable {
    /// The award (`аттестат с отличием`, a medal), or `nil`.
    public var award: String?
    public var attestat: String?
    /// Each condition checked: `все итоговые отметки «отлично» — да`.
    public var conditions: [String]
    /// A candidate failing exactly one condition of an award, and which.
    public var nearMiss: String?
}

/// A graduate's final marks and honours.
public struct Graduate: Sendable {
    public var record: StudentRecord
    public var schoolClass: String
    public var marks: [FinalMark]
    public var honours: HonoursDecision
    public var flags: [AttestatFlag]

    public var complete: Bool { marks.allSatisfy { $0.value != nil } }
}

/// Computes final marks by the rules of REGULATIONS.md, from what the ledger holds.
public struct FinalMarkCalculator: Sendable {
    public let rules: AttestatRules
    public let policy: Policy

    public init(rules: AttestatRules, policy: Policy) {
        self.rules = rules
        self.policy = policy
    }

    /// The ordinary rounding of arithmetic on an exact mean: x.5 up, below down.
    public static func rounded(sum: Int, count: Int) -> Int {
        (2 * sum + count) / (2 * count)
    }

    /// `4,33`
    static func decimal(sum: Int, count: Int) -> String {
        let hundredths = (sum * 100 * 2 + count) / (2 * count)
        let f = hundredths % 100
        return f == 0 ? "\(hundredths / 100)" : "\(hundredths / 100),\(f < 10 ? "0" : "")\(f % 10 == 0 ? f / 10 : f)"
    }

    public func graduate(_ record: StudentRecord, year: AcademicYear) -> Graduate? {
        guard let enrolment = record.enrolments.first(where: { $0.year == year }), let grade = rules.grade(enrolment.grade) else { return nil }
        let marks = Marks(record: record, policy: policy)
        var finals: [FinalMark]
        switch grade.method {
        case .annualAndExam: finals = basic(record, marks, grade, year)
        case .meanOfYears: finals = secondary(record, marks, grade, year)
        }
        let order = Dictionary(policy.subjects.terms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        finals.sort { (order[$0.subject] ?? 999, $0.subject) < (order[$1.subject] ?? 999, $1.subject) }
        var flags = finals.compactMap { f in f.problem.map { AttestatFlag(subject: f.label, message: $0, action: "пришлите файл с недостающей отметкой или решите расхождение; отметка в книгу не вносится, пока её нет") } }
        let honours = grade.method == .annualAndExam ? basicHonours(record, finals, grade, year) : medals(record, finals, grade, year)
        if let near = honours.nearMiss { flags.append(AttestatFlag(subject: nil, message: near, action: "проверьте, нет ли ошибки в отметках или баллах")) }
        return Graduate(record: record, schoolClass: enrolment.schoolClass, marks: finals, honours: honours, flags: flags)
    }

    // MARK: - 9th grade

    private func basic(_ r: StudentRecord, _ marks: Marks, _ grade: AttestatRules.Grade, _ year: AcademicYear) -> [FinalMark] {
        var studied = marks.subjects(in: year)
        let courses = grade.mathematics.flatMap { $0.enabled ? $0 : nil }
        var results: [FinalMark] = []
        // Exam subjects: the required ones and those the student chose (from the exam results).
        let examResults = r.exams.filter { $0.year == year && grade.examForms.contains($0.form) }
        var examSubjects = grade.requiredExamSubjects
        for e in examResults.sorted(by: { ($0.date ?? .distantFuture, $0.subject) < ($1.date ?? .distantFuture, $1.subject) })
        where !examSubjects.contains(e.subject) && examSubjects.count < grade.requiredExamSubjects.count + grade.chosenExamSubjects {
            examSubjects.append(e.subject)
        }
        for subject in examSubjects {
            let label = self.label(subject)
            var components: [Component] = []
            var problem: String?
            if let courses, subject == courses.subject {
                for course in courses.courses where studied.contains(course) || marks.annual(course, year) != nil {
                    switch marks.annual(course, year) {
                    case .value(let v, let c): components.append(c.with(label: "\(self.label(course)), год \(year)")); _ = v
                    case .conflict(let why): problem = why
                    case nil: problem = "нет годовой отметки по курсу «\(self.label(course))»"
                    }
                    studied.remove(course)
                }
                if components.isEmpty && problem == nil { problem = "нет годовых отметок по курсам математики (\(courses.courses.map(self.label).joined(separator: ", ")))" }
            } else {
                switch marks.annual(subject, year) {
                case .value(_, let c): components.append(c.with(label: "год \(year)"))
                case .conflict(let why): problem = why
                case nil: problem = "нет годовой отметки за \(year)"
                }
            }
            studied.remove(subject)
            switch marks.exam(subject, year, forms: grade.examForms) {
            case .value(_, let c): components.append(c)
            case .conflict(let why): problem = problem ?? why
            case nil: problem = problem ?? "нет отметки за экзамен (\(grade.examForms.map(\.rawValue).joined(separator: "/")))"
            }
            results.append(mean(subject, label, components, problem: problem, exam: true))
        }
        // Other subjects of the year: the annual mark.
        for subject in studied.sorted() {
            let label = self.label(subject)
            switch marks.annual(subject, year) {
            case .value(let v, let c): results.append(word(subject, label, v, [c.with(label: "год \(year)")], formula: "годовая отметка"))
            case .conflict(let why): results.append(FinalMark(subject: subject, label: label, value: nil, components: [], formula: "", problem: why, isExamSubject: false))
            case nil: results.append(FinalMark(subject: subject, label: label, value: nil, components: [], formula: "", problem: "нет годовой отметки за \(year)", isExamSubject: false))
            }
        }
        // Subjects finished before the graduating year: the annual mark of the last year studied.
        let covered = Set(results.map(\.subject)).union(courses.map { Set($0.courses) } ?? [])
        for (subject, last) in marks.finishedBefore(year) where !covered.contains(subject) {
            let label = self.label(subject)
            if case .value(let v, let c) = marks.annual(subject, last) {
                results.append(word(subject, label, v, [c.with(label: "год \(last)")], formula: "годовая отметка последнего года изучения (\(last))"))
            }
        }
        return results
    }

    // MARK: - 11th grade

    private func secondary(_ r: StudentRecord, _ marks: Marks, _ grade: AttestatRules.Grade, _ year: AcademicYear) -> [FinalMark] {
        let years = (0..<max(1, grade.years)).map { AcademicYear(startYear: year.startYear - $0) }.reversed()
        var subjects = Set(years.flatMap { marks.subjects(in: $0) })
        var results: [FinalMark] = []
        var groups: [(subject: String, parts: [String])] = []
        if let courses = grade.mathematics, courses.enabled {
            let present = courses.courses.filter { subjects.contains($0) }
            if !present.isEmpty {
                groups.append((courses.subject, present))
                subjects.subtract(present)
            }
        }
        groups += subjects.sorted().map { ($0, [$0]) }
        for (subject, parts) in groups {
            let label = self.label(subject)
            let studiedNow = parts.contains { marks.subjects(in: year).contains($0) }
            if !studiedNow {
                // Finished before the graduating year: the last annual mark.
                let last = years.last { y in parts.contains { marks.subjects(in: y).contains($0) } } ?? year
                if case .value(let v, let c) = marks.annual(parts[0], last) {
                    results.append(word(subject, label, v, [c.with(label: "год \(last)")], formula: "годовая отметка последнего года изучения (\(last))"))
                } else {
                    results.append(FinalMark(subject: subject, label: label, value: nil, components: [], formula: "", problem: "нет годовой отметки за \(last)", isExamSubject: false))
                }
                continue
            }
            var components: [Component] = []
            var problem: String?
            for part in parts {
                for y in years where marks.subjects(in: y).contains(part) {
                    let periodMarks = marks.periodMarks(part, y)
                    for p in periodMarks {
                        switch p {
                        case .value(_, let c): components.append(c)
                        case .conflict(let why): problem = problem ?? why
                        }
                    }
                    if periodMarks.isEmpty { problem = problem ?? "нет отметок за полугодия (четверти) \(y)" + (parts.count > 1 ? " по курсу «\(self.label(part))»" : "") }
                    switch marks.annual(part, y) {
                    case .value(_, let c): components.append(c.with(label: (parts.count > 1 ? self.label(part) + ", " : "") + "год \(y)"))
                    case .conflict(let why): problem = problem ?? why
                    case nil: problem = problem ?? "нет годовой отметки за \(y)" + (parts.count > 1 ? " по курсу «\(self.label(part))»" : "")
                    }
                }
            }
            // A pass/fail or exempt subject carries its word, from the last annual mark.
            if let last = components.last, last.value.points == nil, problem == nil {
                results.append(word(subject, label, last.value, [last], formula: "отметка «\(last.value)»"))
                continue
            }
            results.append(mean(subject, label, components, problem: problem, exam: false))
        }
        return results
    }

    // MARK: - Honours

    private func basicHonours(_ r: StudentRecord, _ finals: [FinalMark], _ grade: AttestatRules.Grade, _ year: AcademicYear) -> HonoursDecision {
        guard let h = grade.honours else { return HonoursDecision(award: nil, attestat: nil, conditions: [], nearMiss: nil) }
        var conditions: [Condition] = []
        let numeric = finals.compactMap { $0.value?.points }
        let missing = finals.count { $0.value == nil }
        let allFive = missing == 0 && numeric.allSatisfy { $0 == 5 }
        let below = finals.filter { ($0.value?.points ?? 0) < 5 && $0.value?.points != nil }.map(\.label)
        conditions.append(Condition(text: "все итоговые отметки «отлично»" + (below.isEmpty ? "" : " (ниже: \(below.joined(separator: ", ")))")
                                    + (missing > 0 ? " (есть предметы без итоговой отметки)" : ""), ok: allFive, shortBy: below.count + missing))
        for f in finals where f.isExamSubject {
            let exams = r.exams.filter { $0.year == year && $0.subject == f.subject && grade.examForms.contains($0.form) }
            let counted = exams.filter { h.retakesCount || !$0.retake }
            let passed = counted.contains { ($0.mark?.points ?? 0) >= h.examMinimumMark }
            let retook = exams.contains { $0.retake }
            conditions.append(Condition(text: "экзамен «\(f.label)» сдан не ниже «\(h.examMinimumMark)»" + (h.retakesCount ? "" : " с первой попытки")
                                        + (retook && !h.retakesCount ? " (была пересдача)" : ""), ok: passed, shortBy: passed ? 0 : 1))
        }
        return decide([(label: h.label, attestat: h.label, conditions: conditions)])
    }

    private func medals(_ r: StudentRecord, _ finals: [FinalMark], _ grade: AttestatRules.Grade, _ year: AcademicYear) -> HonoursDecision {
        let ege = r.exams.filter { $0.year == year && $0.form == .ege && !$0.retake }
        let russian = ege.filter { $0.subject == "russian" }.compactMap(\.testScore).max()
        let others = ege.filter { $0.subject != "russian" }
        let basicMath = ege.first { $0.subject == "mathematics" && ($0.level ?? "").lowercased().hasPrefix("баз") }
        let onlyRussianAndBasic = Set(ege.map(\.subject)) == ["russian", "mathematics"] && basicMath != nil && !ege.contains { $0.subject == "mathematics" && $0.testScore != nil }
        let complete = finals.allSatisfy { $0.value != nil }
        let fours = finals.filter { $0.value?.points == 4 }.map(\.label)
        let lower = finals.filter { ($0.value?.points ?? 5) < 4 }.map(\.label)
        var candidates: [(label: String, attestat: String, conditions: [Condition])] = []
        for m in grade.medals {
            var c: [Condition] = []
            c.append(Condition(text: "итоговые отметки есть по всем предметам", ok: complete, shortBy: finals.count { $0.value == nil }))
            c.append(Condition(text: "нет итоговых отметок ниже «хорошо»" + (lower.isEmpty ? "" : " (ниже: \(lower.joined(separator: ", ")))"),
                               ok: lower.isEmpty, shortBy: lower.count))
            c.append(Condition(text: "отметок «хорошо» не больше \(m.maxFours)" + (fours.isEmpty ? "" : " (их \(fours.count): \(fours.joined(separator: ", ")))"),
                               ok: fours.count <= m.maxFours, shortBy: max(0, fours.count - m.maxFours)))
            c.append(Condition(text: "ЕГЭ по русскому языку не ниже \(Int(m.russianScore)) баллов" + (russian.map { " (\(Int($0)))" } ?? " (нет результата)"),
                               ok: (russian ?? -1) >= m.russianScore, shortBy: 1))
            if let need = m.basicMathematicsMark, onlyRussianAndBasic {
                let got = basicMath?.mark?.points
                c.append(Condition(text: "базовая математика на «\(need)» (сданы только русский язык и базовая математика)" + (got.map { " (\($0))" } ?? ""),
                                   ok: (got ?? 0) >= need, shortBy: 1))
            } else {
                let best = others.compactMap { e in e.testScore.map { (e.subject, $0) } }.max { $0.1 < $1.1 }
                c.append(Condition(text: "ЕГЭ по другому предмету не ниже \(Int(m.otherScore)) баллов" + (best.map { " (лучший: \(self.label($0.0)), \(Int($0.1)))" } ?? " (нет результата)"),
                                   ok: (best?.1 ?? -1) >= m.otherScore, shortBy: 1))
            }
            candidates.append((m.label, m.attestat, c))
        }
        return decide(candidates)
    }

    /// One condition of an award; `shortBy` counts what is missing (marks below, scores short).
    struct Condition {
        var text: String
        var ok: Bool
        var shortBy: Int
    }

    /// The first award whose conditions all hold; otherwise, for the first
    /// award missed by one thing only (one condition, one mark), that thing.
    private func decide(_ awards: [(label: String, attestat: String, conditions: [Condition])]) -> HonoursDecision {
        var lines: [String] = []
        var near: String?
        for award in awards {
            for c in award.conditions { lines.append("\(award.label): \(c.text) — \(c.ok ? "да" : "нет")") }
            let failed = award.conditions.filter { !$0.ok }
            if failed.isEmpty { return HonoursDecision(award: award.label, attestat: award.attestat, conditions: lines, nearMiss: nil) }
            if failed.count == 1, failed[0].shortBy <= 1, near == nil { near = "кандидат: \(award.label) — не выполнено одно условие: \(failed[0].text)" }
        }
        return HonoursDecision(award: nil, attestat: nil, conditions: lines, nearMiss: near)
    }

    // MARK: - Helpers

    private func label(_ subject: String) -> String { policy.subjects.term(id: subject)?.label ?? subject }

    /// The rounded mean of the components (all five-point), or the problem.
    private func mean(_ subject: String, _ label: String, _ components: [Component], problem: String?, exam: Bool) -> FinalMark {
        if let problem { return FinalMark(subject: subject, label: label, value: nil, components: components, formula: "", problem: problem, isExamSubject: exam) }
        if let na = components.first(where: { $0.value == .notAssessed }) {
            return FinalMark(subject: subject, label: label, value: nil, components: components, formula: "",
                             problem: "«\(na.label)»: не аттестован (н/а)", isExamSubject: exam)
        }
        let points = components.compactMap { $0.value.points }
        guard points.count == components.count, !points.isEmpty else {
            return FinalMark(subject: subject, label: label, value: nil, components: components, formula: "",
                             problem: "составляющие не на пятибалльной шкале: \(components.map { $0.value.description }.joined(separator: ", "))", isExamSubject: exam)
        }
        let sum = points.reduce(0, +)
        let value = FinalMarkCalculator.rounded(sum: sum, count: points.count)
        let formula = points.count == 1 ? "\(points[0])"
            : "(\(points.map(String.init).joined(separator: " + "))) / \(points.count) = \(FinalMarkCalculator.decimal(sum: sum, count: points.count)) → \(value)"
        return FinalMark(subject: subject, label: label, value: .points(value), components: components, formula: formula, problem: nil, isExamSubject: exam)
    }

    /// A final mark taken from one mark: five-point, or a word (`зачтено`, `освобожден`); `н/а` is a problem.
    private func word(_ subject: String, _ label: String, _ value: MarkValue, _ components: [Component], formula: String) -> FinalMark {
        if value == .notAssessed {
            return FinalMark(subject: subject, label: label, value: nil, components: components, formula: "", problem: "не аттестован (н/а)", isExamSubject: false)
        }
        if value == .fail {
            return FinalMark(subject: subject, label: label, value: nil, components: components, formula: "", problem: "«не зачтено»", isExamSubject: false)
        }
        return FinalMark(subject: subject, label: label, value: value, components: components, formula: formula, problem: nil, isExamSubject: false)
    }
}

/// A student's marks, with conflicts taken into account: an open conflict is
/// no value; a decided one is the value the rule chose.
struct Marks {
    enum Lookup {
        case value(MarkValue, Component)
        case conflict(String)
    }

    let record: StudentRecord
    let policy: Policy

    func subjects(in year: AcademicYear) -> Set<String> {
        Set(record.marks.filter { $0.year == year && $0.kind != .current }.map(\.subject))
    }

    /// Subjects with marks in earlier years but not in `year`, with the last year studied.
    func finishedBefore(_ year: AcademicYear) -> [(String, AcademicYear)] {
        let now = subjects(in: year)
        var last: [String: AcademicYear] = [:]
        for m in record.marks where m.year < year && m.kind == .annual && !now.contains(m.subject) {
            if last[m.subject].map({ m.year > $0 }) ?? true { last[m.subject] = m.year }
        }
        return last.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func annual(_ subject: String, _ year: AcademicYear) -> Lookup? {
        effective(subject, year, "year", label: "год \(year)")
    }

    func periodMarks(_ subject: String, _ year: AcademicYear) -> [Lookup] {
        let periods = policy.periods.terms.compactMap { policy.period(id: $0.id) }.filter { [.quarter, .halfYear, .trimester].contains($0.kind) }
        return periods.compactMap { p in effective(subject, year, p.id, label: "\(p.label) \(year)") }
    }

    /// The exam mark: the state exam's result (the last one with a mark), else an `exam` period mark.
    func exam(_ subject: String, _ year: AcademicYear, forms: [ExamForm]) -> Lookup? {
        let results = record.exams.filter { $0.year == year && $0.subject == subject && forms.contains($0.form) && $0.mark != nil }
            .sorted { ($0.date ?? .distantFuture, $0.retake ? 1 : 0) < ($1.date ?? .distantFuture, $1.retake ? 1 : 0) }
        if let e = results.last, let mark = e.mark {
            return .value(mark, Component(label: e.form.rawValue + (e.retake ? " (пересдача)" : ""), value: mark, file: file(e.source), cell: e.source.cell))
        }
        return effective(subject, year, "exam", label: "экзамен \(year)")
    }

    private func effective(_ subject: String, _ year: AcademicYear, _ period: String, label: String) -> Lookup? {
        let found = record.marks.filter { $0.kind != .current && $0.subject == subject && $0.year == year && $0.period == period }
        guard let first = found.first else { return nil }
        let values = Set(found.map(\.value))
        if values.count == 1 { return .value(first.value, component(first, label)) }
        if let c = record.conflicts.first(where: { $0.subject == subject && $0.year == year && $0.period == period }), !c.open,
           let winner = found.first(where: { $0.fact == c.winnerFact }) {
            return .value(winner.value, component(winner, label + " (по правилу «\(c.rule ?? "")»)"))
        }
        let periodLabel = policy.period(id: period)?.label ?? period
        return .conflict("расхождение отметок за «\(periodLabel)» \(year): \(found.map { "\($0.value) (\(file($0.source)))" }.joined(separator: " и ")); решите его")
    }

    private func component(_ m: StudentRecord.MarkRow, _ label: String) -> Component {
        Component(label: label, value: m.value, file: file(m.source), cell: m.source.cell)
    }

    private func file(_ s: SourceRef) -> String { record.files[s.fileID]?.name ?? "?" }
}

extension Component {
    func with(label: String) -> Component {
        var copy = self
        if !copy.label.contains("по правилу") { copy.label = label } else { copy.label = label + " " + copy.label.drop(while: { $0 != "(" }) }
        return copy
    }
}

extension CivilDate {
    static let distantFuture = CivilDate(year: 9999, month: 12, day: 31)!
}
