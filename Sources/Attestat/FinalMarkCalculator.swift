public import Ledger
public import Policy
public import Records

/// Computes a graduating class's final marks, ГИА, what bars an attestat,
/// honours and medals, by the rules of REGULATIONS.md as
/// `attestat-rules.json` gives them, from what the ledger holds.
public struct FinalMarkCalculator: Sendable {
    public let rules: AttestatRules
    public let policy: Policy

    public init(rules: AttestatRules, policy: Policy) {
        self.rules = rules
        self.policy = policy
    }

    /// The ordinary rounding of arithmetic on an exact mean: x.5 up, below down.
    public static func rounded(sum: Int, count: Int) -> Int {
        ExactMean(numerator: sum, denominator: count).rounded
    }

    /// The graduates of one class in `year`: the class's curriculum from all
    /// of them, then each one's marks. Students of other grades are left out.
    public func graduates(_ records: [StudentRecord], schoolClass: String, year: AcademicYear) -> [Graduate] {
        var byGrade: [Int: [StudentMarks]] = [:]
        for r in records {
            guard let e = r.enrolments.first(where: { $0.year == year }), rules.grade(e.grade) != nil else { continue }
            byGrade[e.grade, default: []].append(StudentMarks(record: r, policy: policy, year: year, grade: e.grade))
        }
        var out: [Graduate] = []
        for (grade, students) in byGrade.sorted(by: { $0.key < $1.key }) {
            let g = rules.grade(grade)!
            let curriculum = ClassCurriculum.of(students, schoolClass: schoolClass, rules: g, policy: policy)
            out += students.map { graduate($0, curriculum: curriculum, rules: g, schoolClass: schoolClass) }
        }
        return out
    }

    /// One student, the curriculum taken from the student's own marks.
    public func graduate(_ record: StudentRecord, year: AcademicYear) -> Graduate? {
        guard let e = record.enrolments.first(where: { $0.year == year }) else { return nil }
        return graduates([record], schoolClass: e.schoolClass, year: year).first
    }

    /// The curriculum a class's records make (for the sheets and the command's summary).
    public func curriculum(_ records: [StudentRecord], schoolClass: String, year: AcademicYear, grade: Int) -> ClassCurriculum? {
        guard let g = rules.grade(grade) else { return nil }
        let students = records.map { StudentMarks(record: $0, policy: policy, year: year, grade: grade) }
        return ClassCurriculum.of(students, schoolClass: schoolClass, rules: g, policy: policy)
    }

    func graduate(_ marks: StudentMarks, curriculum: ClassCurriculum, rules g: AttestatRules.Grade, schoolClass: String) -> Graduate {
        let history = ExamHistory(record: marks.record, year: marks.year, forms: g.exams.forms)
        var sheet = MarkSheet(calculator: self, marks: marks, history: history, curriculum: curriculum, rules: g)
        switch g.method {
        case .annualAndExam: sheet.ninthGrade()
        case .meanOfYears: sheet.eleventhGrade()
        }
        let order = Dictionary(policy.subjects.terms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let finals = sheet.finals.sorted { (order[$0.subject] ?? 999, $0.subject) < (order[$1.subject] ?? 999, $1.subject) }
        let gia = GIACheck(exams: g.exams, policy: policy).decide(history)
        var flags = sheet.flags
        let action =
            "пришлите файл с недостающей отметкой или решите расхождение; пока отметки нет, аттестат не выдаётся и номер в книге регистрации не присваивается"
        for f in finals {
            guard let problem = f.problem, !sheet.covered.contains(where: { problem.hasPrefix($0) }) else { continue }
            flags.append(
                AttestatFlag(
                    subject: f.label, message: problem,
                    action: f.barred ? "аттестат не выдаётся: см. лист «Без аттестата»" : action, blocks: true))
        }
        for line in gia.missing where !flags.contains(where: { $0.subject.map { line.hasPrefix($0 + ":") } ?? false }) {
            flags.append(
                AttestatFlag(
                    subject: nil, message: "ГИА: " + line,
                    action: "пришлите результаты ГИА (протокол) файлом в inbox; пока результата нет, аттестат не выдаётся", blocks: true))
        }
        let failures = barring(finals) + gia.failures.map { "ГИА не пройдена: " + $0 }
        var honours = HonoursDecision.none
        if failures.isEmpty {
            let judge = HonoursJudge(calculator: self, history: history, finals: finals, gia: gia)
            honours = g.method == .annualAndExam ? judge.honours(g) : judge.medals(g)
            if let near = honours.nearMiss {
                flags.append(AttestatFlag(subject: nil, message: near, action: "проверьте, нет ли ошибки в отметках или баллах", blocks: false))
            }
        }
        return Graduate(
            record: marks.record, schoolClass: schoolClass, grade: g.grade, marks: finals, gia: gia, failures: failures,
            honours: honours, flags: flags)
    }

    /// An annual or final «2»/«1» (or «не зачтено»): no attestat.
    private func barring(_ finals: [FinalMark]) -> [String] {
        var out: [String] = []
        for f in finals {
            for c in f.components where c.kind == .annual {
                if let p = c.value.points, p <= 2 {
                    out.append("годовая отметка «\(p)» по предмету «\(f.label)» (\(c.label); \(c.file)\(c.cell.map { ", \($0)" } ?? ""))")
                }
                if c.value == .fail { out.append("«не зачтено» по предмету «\(f.label)» (\(c.label); \(c.file)\(c.cell.map { ", \($0)" } ?? ""))") }
            }
            if let p = f.value?.points, p <= 2 { out.append("итоговая отметка «\(p)» по предмету «\(f.label)» (\(f.formula))") }
        }
        return out
    }

    func label(_ subject: String) -> String { policy.subjects.term(id: subject)?.label ?? subject }
}
