public import Records
public import StrictJSON
import FileIO

/// How final marks, passing, honours and medals are decided, as data
/// (`schemas/attestat-rules.json`). REGULATIONS.md says what each value
/// means; nothing of it is named in code.
public struct AttestatRules: Sendable {
    public enum Method: String, Sendable {
        /// 9th grade: exam subjects by the mean of the annual and the exam mark, others by the annual mark.
        case annualAndExam = "annual-and-exam"
        /// 11th grade: the mean of every period and annual mark of the level's years.
        case meanOfYears = "mean-of-years"
    }

    /// How the courses of mathematics and its exam make the final mark.
    public enum MathematicsMethod: String, Sendable, CaseIterable {
        /// round(((A + G + V) / 3 + E) / 2)
        case coursesMeanThenExam = "courses-mean-then-exam"
        /// round((A + G + V + E) / 4)
        case coursesAndExamEqual = "courses-and-exam-equal"
    }

    /// Mathematics as one subject or as courses (Алгебра, Геометрия, Вероятность и статистика).
    public struct Mathematics: Sendable {
        public var subject: String
        public var courses: [String]
        /// How the courses count with the exam (9th grade); `nil` where no exam enters.
        public var method: MathematicsMethod?
    }

    /// The subjects of a level's attestat.
    public struct Curriculum: Sendable {
        /// A class's own list (учебный план), replacing the default.
        public struct ClassList: Sendable {
            public var classes: [String]
            public var subjects: [String]

            public init(classes: [String], subjects: [String]) {
                self.classes = classes
                self.subjects = subjects
            }
        }

        /// The level's grades (5–9, 10–11): marks of other grades never enter.
        public var grades: [Int]
        /// Never in an attestat (primary school's subjects).
        public var neverInAttestat: Set<String>
        /// Electives that stay out of the attestat.
        public var electives: Set<String>
        public var classes: [ClassList]

        /// The list the rules give for a class, if any.
        public func listed(for schoolClass: String) -> [String]? {
            let key = SchoolClass(parsing: schoolClass)?.description ?? schoolClass
            return classes.first { $0.classes.contains(key) }?.subjects
        }

        /// Whether a subject can enter this level's attestat at all.
        public func admits(_ subject: String) -> Bool { !neverInAttestat.contains(subject) && !electives.contains(subject) }
    }

    /// A result that counts: a form (and level), at or above a score or a mark.
    public struct ExamCondition: Sendable {
        public var subject: String
        public var form: ExamForm
        public var level: String?
        public var minimumScore: Double?
        public var minimumMark: Int?

        /// `ЕГЭ (профильный) не ниже 27 баллов`, `ОГЭ не ниже «3»`.
        public var text: String {
            form.rawValue + (level.map { " (\($0))" } ?? "") + " " + threshold
        }

        /// `не ниже 27 баллов`, `не ниже «3»`.
        public var threshold: String {
            if let s = minimumScore { return "не ниже \(s == s.rounded() ? String(Int(s)) : String(s)) баллов" }
            return "не ниже «\(minimumMark ?? 0)»"
        }
    }

    /// A subject every graduate takes, and the results that pass it.
    public struct RequiredExam: Sendable {
        public var subject: String
        public var passIf: [ExamCondition]
    }

    /// How many subjects a student of a form chooses, and their minimum
    /// (`nil`: a result below it does not block the attestat).
    public struct ChosenExams: Sendable {
        public var form: ExamForm
        public var count: Int?
        public var minimumMark: Int?
    }

    public struct Exams: Sendable {
        public var forms: [ExamForm]
        public var required: [RequiredExam]
        public var chosen: [ChosenExams]

        public func chosen(_ form: ExamForm) -> ChosenExams? { chosen.first { $0.form == form } }
    }

    /// The 9th grade's attestat with honours.
    public struct Honours: Sendable {
        public var label: String
        /// Every final mark «5» (pass/fail and exempt subjects aside).
        public var allFinalMarksFive: Bool
        /// Whether a result obtained at a retake keeps honours.
        public var retakesCount: Bool
    }

    /// One way to meet a medal's exam conditions.
    public struct MedalRoute: Sendable {
        public var label: String
        public var form: ExamForm
        public var subjects: [ExamCondition]
        /// One more subject of the form, not named above, at or above this score.
        public var otherSubjectMinimumScore: Double?
        /// The route holds only when the student took no other subject in the form.
        public var onlyTheseSubjects: Bool
    }

    public struct Medal: Sendable {
        public var label: String
        public var attestat: String
        public var maxFours: Int
        public var routes: [MedalRoute]
    }

    public struct Grade: Sendable {
        public var grade: Int
        public var level: String
        public var method: Method
        public var curriculum: Curriculum
        public var mathematics: Mathematics?
        public var exams: Exams
        public var honours: Honours?
        public var medals: [Medal]
    }

    public var version: String
    public var source: String
    public var words: [String: String]
    public var examNames: ExamNames
    public var grades: [Grade]

    /// The rules' file in a school's `schemas/` folder.
    public static let fileName = "attestat-rules.json"

    public func grade(_ n: Int) -> Grade? { grades.first { $0.grade == n } }

    /// `отлично`, `зачтено`, `освобожден`.
    public func word(_ value: MarkValue) -> String? { words[value.code] }

    /// Reads and checks the rules: an unknown key, a wrong type, a subject the
    /// policy does not know, a form that is not ОГЭ/ЕГЭ/ГВЭ, a level no exam
    /// has, a grade described twice: each refused, naming the key.
    public static func load(path: String, policy: Policy, displayName: String? = nil) throws(SchemaError) -> AttestatRules {
        let name = displayName ?? path
        let bytes: [UInt8]
        do {
            bytes = try Files.read(path, limit: 16 << 20)
        } catch {
            throw SchemaError(file: name, path: "", message: "файл правил аттестации не читается: \(error.reason)")
        }
        return try parse(bytes, file: name, policy: policy)
    }

    public static func parse(_ bytes: [UInt8], file: String, policy: Policy) throws(SchemaError) -> AttestatRules {
        try RulesLoader(policy: policy).rules(try JSONObjectReader.document(bytes, file: file))
    }
}
