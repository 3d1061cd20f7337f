public import Policy
public import Records
public import StrictJSON
#if canImport(Glibc)
import Glibc
#endif

/// How final marks and honours are decided, as data (`schemas/attestat-rules.json`).
public struct AttestatRules: Sendable {
    public enum Method: String, Sendable {
        /// 9th grade: exam subjects by the mean of the annual and the exam mark, others by the annual mark.
        case annualAndExam = "annual-and-exam"
        /// 11th grade: the mean of every period and annual mark of the last years.
        case meanOfYears = "mean-of-years"
    }

    /// Mathematics taught as several courses whose marks make one final mark.
    public struct Courses: Sendable {
        public var enabled: Bool
        public var subject: String
        public var courses: [String]
    }

    public struct Honours: Sendable {
        public var label: String
        public var allFinalMarksFive: Bool
        public var examMinimumMark: Int
        public var retakesCount: Bool
    }

    public struct Medal: Sendable {
        public var id: String
        public var label: String
        public var attestat: String
        public var maxFours: Int
        public var russianScore: Double
        public var otherScore: Double
        /// Where only Russian and basic mathematics were taken, the basic mathematics mark that stands for the other subject.
        public var basicMathematicsMark: Int?
    }

    public struct Grade: Sendable {
        public var grade: Int
        public var level: String
        public var method: Method
        public var years: Int
        public var examForms: [ExamForm]
        public var requiredExamSubjects: [String]
        public var chosenExamSubjects: Int
        public var mathematics: Courses?
        public var honours: Honours?
        public var medals: [Medal]
    }

    public var version: String
    public var source: String
    public var words: [String: String]
    public var grades: [Grade]

    public func grade(_ n: Int) -> Grade? { grades.first { $0.grade == n } }

    /// `5 (отлично)`, `зачтено`, `освобожден`.
    public func word(_ value: MarkValue) -> String? { words[value.code] }

    /// Reads and checks the rules: unknown keys, subjects the policy does not
    /// know, forms that are not ОГЭ/ЕГЭ/ГВЭ, a grade described twice are refused.
    public static func load(path: String, policy: Policy, displayName: String? = nil) throws(SchemaError) -> AttestatRules {
        let name = displayName ?? path
        guard let f = fopen(path, "rb") else { throw SchemaError(file: name, path: "", message: "файл правил аттестации не открывается") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            bytes += chunk[0..<n]
            if n < chunk.count { break }
        }
        fclose(f)
        return try parse(bytes, file: name, policy: policy)
    }

    public static func parse(_ bytes: [UInt8], file: String, policy: Policy) throws(SchemaError) -> AttestatRules {
        let root = try JSONObjectReader.document(bytes, file: file)
        let version = try root.string("version")
        let source = try root.string("source")
        let wordsReader = try root.object("words")
        var words: [String: String] = [:]
        for key in wordsReader.keys {
            guard MarkValue(code: key) != nil else { throw wordsReader.fail(key, "«\(key)» не отметка: ключи — 1–5, pass, fail, na, exempt") }
            words[key] = try wordsReader.string(key)
        }
        try wordsReader.finish()
        func subject(_ id: String, _ r: JSONObjectReader, _ key: String) throws(SchemaError) {
            guard policy.subjects.contains(id: id) else { throw r.fail(key, "предмета «\(id)» нет в положении \(policy.id)") }
        }
        var grades: [Grade] = []
        for g in try root.objects("grades", required: true) {
            let number = try g.int("grade")
            guard number == 9 || number == 11 else { throw g.fail("grade", "аттестаты выдаются за 9 и 11 классы") }
            guard !grades.contains(where: { $0.grade == number }) else { throw g.fail("grade", "\(number) класс описан дважды") }
            guard let method = Method(rawValue: try g.string("method")) else { throw g.fail("method", "способ расчёта: annual-and-exam или mean-of-years") }
            var forms: [ExamForm] = []
            for text in try g.strings("examForms") {
                guard let form = ExamForm(parsing: text) else { throw g.fail("examForms", "«\(text)» не ОГЭ, ЕГЭ или ГВЭ") }
                forms.append(form)
            }
            let required = try g.strings("requiredExamSubjects")
            for id in required { try subject(id, g, "requiredExamSubjects") }
            var courses: Courses?
            if let c = try g.optionalObject("mathematicsAsCourses") {
                courses = Courses(enabled: try c.bool("enabled", default: false), subject: try c.string("subject"), courses: try c.strings("courses"))
                try subject(courses!.subject, c, "subject")
                for id in courses!.courses { try subject(id, c, "courses") }
                try c.finish()
            }
            var honours: Honours?
            if let h = try g.optionalObject("honours") {
                honours = Honours(label: try h.string("label"), allFinalMarksFive: try h.bool("allFinalMarksFive", default: true),
                                  examMinimumMark: try h.optionalInt("examMinimumMark") ?? 3, retakesCount: try h.bool("retakesCount", default: false))
                try h.finish()
            }
            var medals: [Medal] = []
            for m in try g.objects("medals") {
                medals.append(Medal(id: try m.string("id"), label: try m.string("label"), attestat: try m.string("attestat"),
                                    maxFours: try m.int("maxFours"), russianScore: try m.optionalDouble("russianScore") ?? 0,
                                    otherScore: try m.optionalDouble("otherScore") ?? 0, basicMathematicsMark: try m.optionalInt("basicMathematicsMark")))
                try m.finish()
            }
            grades.append(Grade(grade: number, level: try g.string("level"), method: method, years: try g.optionalInt("years") ?? 1,
                                examForms: forms, requiredExamSubjects: required, chosenExamSubjects: try g.optionalInt("chosenExamSubjects") ?? 0,
                                mathematics: courses, honours: honours, medals: medals))
            try g.finish()
        }
        try root.finish()
        return AttestatRules(version: version, source: source, words: words, grades: grades)
    }
}
