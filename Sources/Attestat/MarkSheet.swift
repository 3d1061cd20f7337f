import Ledger
import Policy
import Records

/// One graduate's final marks as they are worked out: the marks, the flags
/// about the student as a whole, and the problems those flags already say.
struct MarkSheet {
    let calculator: FinalMarkCalculator
    let marks: StudentMarks
    let history: ExamHistory
    let curriculum: ClassCurriculum
    let rules: AttestatRules.Grade
    var finals: [FinalMark] = []
    var flags: [AttestatFlag] = []
    /// Mark problems a student-level flag already says (not flagged once per subject).
    var covered: [String] = []

    init(calculator: FinalMarkCalculator, marks: StudentMarks, history: ExamHistory, curriculum: ClassCurriculum, rules: AttestatRules.Grade) {
        self.calculator = calculator
        self.marks = marks
        self.history = history
        self.curriculum = curriculum
        self.rules = rules
    }

    var year: AcademicYear { marks.year }

    /// Ends the problem of a mark kept out by an exam below its minimum.
    static let belowMinimum = ": итоговая отметка не выставляется, ГИА не пройдена"

    func label(_ subject: String) -> String { calculator.label(subject) }

    /// The grades `g` covers, as a school says them: `5–8`, `10`.
    static func range(_ grades: [Int]) -> String {
        guard let first = grades.first, let last = grades.last else { return "" }
        return first == last ? "\(first)" : "\(first)–\(last)"
    }

    // MARK: - Making a mark

    /// The rounded mean of five-point components, with its exact fraction;
    /// `(3 + 4) / 2 = 7/2 = 3,5 → 4`. A word where every component is the
    /// same word (`зачтено`, `освобожден`).
    func mean(
        _ subject: String, _ components: [Component], problem: String?, exam: Bool, barred: Bool = false,
        expression: ((_ points: [Int]) -> (ExactMean, String))? = nil
    ) -> FinalMark {
        let label = self.label(subject)
        if let problem {
            var mark = FinalMark.missing(subject, label, problem, components: components, exam: exam)
            mark.barred = barred
            return mark
        }
        if let na = components.first(where: { $0.value == .notAssessed }) {
            return .missing(subject, label, "«\(na.label)»: не аттестован (н/а)", components: components, exam: exam)
        }
        if let fail = components.first(where: { $0.value == .fail }) {
            return .missing(subject, label, "«\(fail.label)»: не зачтено", components: components, exam: exam)
        }
        let points = components.compactMap { $0.value.points }
        if points.isEmpty, let word = components.last?.value, components.allSatisfy({ $0.value == word }) {
            return FinalMark(
                subject: subject, label: label, value: word, components: components, formula: "отметка «\(word)»", problem: nil, isExamSubject: exam)
        }
        guard points.count == components.count, !points.isEmpty else {
            return .missing(
                subject, label, "составляющие не на пятибалльной шкале: \(components.map { $0.value.description }.joined(separator: ", "))",
                components: components, exam: exam)
        }
        let (fraction, text) =
            expression?(points) ?? (
                ExactMean(numerator: points.reduce(0, +), denominator: points.count),
                points.count == 1 ? "" : "(\(points.map(String.init).joined(separator: " + "))) / \(points.count)"
            )
        let value = fraction.rounded
        let formula = fraction.denominator == 1 ? "\(value)" : "\(text) = \(fraction.text) → \(value)"
        return FinalMark(subject: subject, label: label, value: .points(value), components: components, formula: formula, problem: nil, isExamSubject: exam)
    }

    /// A final mark that is one mark: five-point or a word; `н/а` and `не зачтено` are problems.
    func single(_ subject: String, _ value: MarkValue, _ component: Component, formula: String) -> FinalMark {
        let label = self.label(subject)
        switch value {
        case .notAssessed: return .missing(subject, label, "не аттестован (н/а)", components: [component])
        case .fail: return .missing(subject, label, "«не зачтено»", components: [component])
        default: return FinalMark(subject: subject, label: label, value: value, components: [component], formula: formula, problem: nil, isExamSubject: false)
        }
    }
}
