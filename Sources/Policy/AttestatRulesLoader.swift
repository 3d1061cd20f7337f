import Records
import StrictJSON

/// Reads `attestat-rules.json` key by key, checking each value against the policy.
struct RulesLoader {
    let policy: Policy

    func rules(_ root: JSONObjectReader) throws(SchemaError) -> AttestatRules {
        let version = try root.string("version")
        let source = try root.string("source")
        let wordsReader = try root.object("words")
        var words: [String: String] = [:]
        for key in wordsReader.keys {
            guard MarkValue(code: key) != nil else { throw wordsReader.fail(key, "«\(key)» не отметка: ключи — 1–5, pass, fail, na, exempt") }
            words[key] = try wordsReader.string(key)
        }
        try wordsReader.finish()
        let names = try examNames(try root.object("examResults"))
        var grades: [AttestatRules.Grade] = []
        for g in try root.objects("grades", required: true) {
            let grade = try self.grade(g, names: names)
            guard !grades.contains(where: { $0.grade == grade.grade }) else { throw g.fail("grade", "\(grade.grade) класс описан дважды") }
            grades.append(grade)
        }
        try root.finish()
        return AttestatRules(version: version, source: source, words: words, examNames: names, grades: grades)
    }

    // MARK: - Exam results

    func examNames(_ r: JSONObjectReader) throws(SchemaError) -> ExamNames {
        var levels: [ExamNames.Level] = []
        for l in try r.objects("levels") {
            let subject = try self.subject(l, "subject")
            let form = try self.form(l, "form")
            let level = try l.string("level")
            guard !level.isEmpty else { throw l.fail("level", "пустое название уровня") }
            guard let result = ExamNames.Level.Result(rawValue: try l.string("result")) else {
                throw l.fail("result", "результат уровня: testScore (тестовый балл) или mark (отметка)")
            }
            let names = try l.strings("names")
            for (i, name) in names.enumerated() where policy.subjects.match(name) != nil {
                throw l.fail("names[\(i)]", "«\(name)» — название предмета «\(policy.subjects.match(name)!.label)» в положении: уровень по нему не узнать")
            }
            let spellings = try l.strings("spellings")
            guard !levels.contains(where: { $0.subject == subject && $0.form == form && $0.level == level }) else {
                throw l.fail("level", "уровень «\(level)» для \(form.rawValue) описан дважды")
            }
            levels.append(ExamNames.Level(subject: subject, form: form, level: level, result: result, names: names, spellings: spellings))
            try l.finish()
        }
        let words = try r.strings("noResult")
        for (i, w) in words.enumerated() {
            if policy.markValue(w) != nil { throw r.fail("noResult[\(i)]", "«\(w)» — отметка в положении, а не отсутствие результата") }
            if TextKey.compact(w).isEmpty { throw r.fail("noResult[\(i)]", "пустое слово") }
        }
        try r.finish()
        do {
            return try ExamNames(levels: levels, noResultWords: words)
        } catch {
            throw r.fail("levels", "название «\(error.name)» у двух уровней")
        }
    }

    // MARK: - Grades

    func grade(_ g: JSONObjectReader, names: ExamNames) throws(SchemaError) -> AttestatRules.Grade {
        let number = try g.int("grade")
        guard number == 9 || number == 11 else { throw g.fail("grade", "аттестаты выдаются за 9 и 11 классы") }
        guard let method = AttestatRules.Method(rawValue: try g.string("method")) else {
            throw g.fail("method", "способ расчёта: annual-and-exam или mean-of-years")
        }
        let curriculum = try self.curriculum(try g.object("curriculum"), grade: number)
        var mathematics: AttestatRules.Mathematics?
        if let m = try g.optionalObject("mathematics") {
            let subject = try self.subject(m, "subject")
            let courses = try m.strings("courses")
            guard !courses.isEmpty else { throw m.fail("courses", "нет курсов") }
            for i in courses.indices { try known(courses[i], m, "courses[\(i)]") }
            var mathMethod: AttestatRules.MathematicsMethod?
            if let text = try m.optionalString("method") {
                guard method == .annualAndExam else { throw m.fail("method", "способ учёта экзамена нужен только там, где экзамен входит в итоговую отметку") }
                guard let mm = AttestatRules.MathematicsMethod(rawValue: text) else {
                    throw m.fail("method", "«\(text)»: допустимо \(AttestatRules.MathematicsMethod.allCases.map(\.rawValue).joined(separator: " или "))")
                }
                mathMethod = mm
            } else if method == .annualAndExam {
                throw m.fail("method", "нет обязательного ключа «method»: courses-mean-then-exam или courses-and-exam-equal")
            }
            mathematics = AttestatRules.Mathematics(subject: subject, courses: courses, method: mathMethod)
            try m.finish()
        }
        let exams = try self.exams(try g.object("exams"), names: names)
        var honours: AttestatRules.Honours?
        if let h = try g.optionalObject("honours") {
            guard method == .annualAndExam else { throw g.fail("honours", "для этого класса отличие — медали (medals)") }
            honours = AttestatRules.Honours(
                label: try h.string("label"), allFinalMarksFive: try required(h, "allFinalMarksFive"),
                retakesCount: try required(h, "retakesCount"))
            try h.finish()
        }
        var medals: [AttestatRules.Medal] = []
        for m in try g.objects("medals") {
            guard method == .meanOfYears else { throw g.fail("medals", "медали — для 11 класса; для 9 класса — honours") }
            medals.append(try medal(m, names: names, forms: exams.forms))
        }
        let level = try g.string("level")
        try g.finish()
        return AttestatRules.Grade(
            grade: number, level: level, method: method, curriculum: curriculum, mathematics: mathematics,
            exams: exams, honours: honours, medals: medals)
    }

    func curriculum(_ c: JSONObjectReader, grade: Int) throws(SchemaError) -> AttestatRules.Curriculum {
        var grades: [Int] = []
        guard let list = c.value("grades"), case .array(let items) = list, !items.isEmpty else {
            throw c.fail("grades", "нужен список классов уровня, например [5, 6, 7, 8, 9]")
        }
        for (i, item) in items.enumerated() {
            guard case .number(let d) = item, d == d.rounded(), (1...11).contains(Int(d)) else { throw c.fail("grades[\(i)]", "ожидался номер класса 1–11") }
            grades.append(Int(d))
        }
        guard grades.contains(grade) else { throw c.fail("grades", "в списке нет самого \(grade) класса") }
        let never = try c.strings("neverInAttestat")
        for i in never.indices { try known(never[i], c, "neverInAttestat[\(i)]") }
        let electives = try c.strings("electives")
        for i in electives.indices { try known(electives[i], c, "electives[\(i)]") }
        var lists: [AttestatRules.Curriculum.ClassList] = []
        for l in try c.objects("classes") {
            var classes: [String] = []
            for (i, text) in try l.strings("classes").enumerated() {
                guard let sc = SchoolClass(parsing: text), sc.grade == grade else { throw l.fail("classes[\(i)]", "«\(text)» не \(grade) класс") }
                classes.append(sc.description)
            }
            let subjects = try l.strings("subjects")
            for i in subjects.indices { try known(subjects[i], l, "subjects[\(i)]") }
            lists.append(.init(classes: classes, subjects: subjects))
            try l.finish()
        }
        try c.finish()
        return AttestatRules.Curriculum(grades: grades.sorted(), neverInAttestat: Set(never), electives: Set(electives), classes: lists)
    }

    func exams(_ e: JSONObjectReader, names: ExamNames) throws(SchemaError) -> AttestatRules.Exams {
        var forms: [ExamForm] = []
        for (i, text) in try e.strings("forms").enumerated() {
            guard let form = ExamForm(parsing: text) else { throw e.fail("forms[\(i)]", "«\(text)» не ОГЭ, ЕГЭ или ГВЭ") }
            forms.append(form)
        }
        guard !forms.isEmpty else { throw e.fail("forms", "нет форм экзамена") }
        var required: [AttestatRules.RequiredExam] = []
        for r in try e.objects("required") {
            let subject = try self.subject(r, "subject")
            var conditions: [AttestatRules.ExamCondition] = []
            for c in try r.objects("passIf") { conditions.append(try condition(c, subject: subject, names: names, forms: forms)) }
            guard !conditions.isEmpty else { throw r.fail("passIf", "нет ни одного условия сдачи") }
            required.append(.init(subject: subject, passIf: conditions))
            try r.finish()
        }
        var chosen: [AttestatRules.ChosenExams] = []
        for c in try e.objects("chosen") {
            let form = try self.form(c, "form")
            guard forms.contains(form) else { throw c.fail("form", "\(form.rawValue) нет среди форм (forms)") }
            let count = try c.optionalInt("count")
            if let count, count < 0 { throw c.fail("count", "число предметов не бывает отрицательным") }
            chosen.append(.init(form: form, count: count, minimumMark: try mark(c, "minimumMark")))
            try c.finish()
        }
        try e.finish()
        return AttestatRules.Exams(forms: forms, required: required, chosen: chosen)
    }

    func medal(_ m: JSONObjectReader, names: ExamNames, forms: [ExamForm]) throws(SchemaError) -> AttestatRules.Medal {
        var routes: [AttestatRules.MedalRoute] = []
        for r in try m.objects("routes") {
            let form = try self.form(r, "form")
            var subjects: [AttestatRules.ExamCondition] = []
            for s in try r.objects("subjects") {
                let subject = try self.subject(s, "subject")
                subjects.append(try condition(s, subject: subject, names: names, forms: forms, form: form))
            }
            let other = try r.optionalDouble("otherSubjectMinimumScore")
            routes.append(
                .init(
                    label: try r.string("label"), form: form, subjects: subjects, otherSubjectMinimumScore: other,
                    onlyTheseSubjects: try r.bool("onlyTheseSubjects", default: false)))
            try r.finish()
        }
        guard !routes.isEmpty else { throw m.fail("routes", "нет ни одного пути к медали (ЕГЭ, ГВЭ)") }
        let maxFours = try m.int("maxFours")
        guard maxFours >= 0 else { throw m.fail("maxFours", "число не бывает отрицательным") }
        let medal = AttestatRules.Medal(
            label: try m.string("label"), attestat: try m.string("attestat"),
            maxFours: maxFours, routes: routes)
        try m.finish()
        return medal
    }

    /// `{"form": "ЕГЭ", "level": "базовый", "minimumMark": 3}`; a subject key, when present, is read by the caller.
    func condition(_ c: JSONObjectReader, subject: String, names: ExamNames, forms: [ExamForm], form fixed: ExamForm? = nil) throws(SchemaError)
        -> AttestatRules.ExamCondition
    {
        let form: ExamForm
        if let fixed { form = fixed } else { form = try self.form(c, "form") }
        guard forms.contains(form) else { throw c.fail("form", "\(form.rawValue) нет среди форм экзамена этого класса") }
        let level = try c.optionalString("level")
        if let level, names.levels(subject: subject, form: form).allSatisfy({ $0.level != level }) {
            throw c.fail("level", "уровня «\(level)» нет у \(form.rawValue) по предмету «\(label(subject))» (examResults.levels)")
        }
        let score = try c.optionalDouble("minimumScore")
        let mark = try self.mark(c, "minimumMark")
        guard (score == nil) != (mark == nil) else { throw c.fail(nil, "нужен ровно один из ключей minimumScore (тестовый балл) или minimumMark (отметка)") }
        if let score, !(0...100).contains(score) { throw c.fail("minimumScore", "балл вне 0–100") }
        try c.finish()
        return .init(subject: subject, form: form, level: level, minimumScore: score, minimumMark: mark)
    }

    // MARK: - Values

    func subject(_ r: JSONObjectReader, _ key: String) throws(SchemaError) -> String {
        let id = try r.string(key)
        try known(id, r, key)
        return id
    }

    func known(_ id: String, _ r: JSONObjectReader, _ key: String) throws(SchemaError) {
        guard policy.subjects.contains(id: id) else {
            let hint = policy.subjects.nearest(id).map { "; возможно, «\($0.id)» (\($0.label))" } ?? ""
            throw r.fail(key, "предмета «\(id)» нет в положении \(policy.id)\(hint)")
        }
    }

    func form(_ r: JSONObjectReader, _ key: String) throws(SchemaError) -> ExamForm {
        let text = try r.string(key)
        guard let form = ExamForm(parsing: text) else { throw r.fail(key, "«\(text)» не ОГЭ, ЕГЭ или ГВЭ") }
        return form
    }

    func mark(_ r: JSONObjectReader, _ key: String) throws(SchemaError) -> Int? {
        guard let m = try r.optionalInt(key) else { return nil }
        guard (1...5).contains(m) else { throw r.fail(key, "отметка 1–5") }
        return m
    }

    func required(_ r: JSONObjectReader, _ key: String) throws(SchemaError) -> Bool {
        guard r.has(key) else { throw r.fail(key, "нет обязательного ключа «\(key)»") }
        return try r.bool(key, default: false)
    }

    func label(_ subject: String) -> String { policy.subjects.term(id: subject)?.label ?? subject }
}
