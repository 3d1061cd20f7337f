import CivilDate
import Policy
import Records
import Spreadsheet

/// Builds records of each kind from a row's fields, through a `FieldReader`
/// that checks every value against the policy. A row with an error yields
/// no record; its findings say why.
enum RecordBuilder {
    static func build(_ kind: RecordKind, _ r: FieldReader, absences: inout Int) -> [Record] {
        switch kind {
        case .roster: roster(r).map { [.roster($0)] } ?? []
        case .periodMark: periodMark(r).map { [.mark($0)] } ?? []
        case .currentMark: currentMarks(r, absences: &absences).map(Record.mark)
        case .exam: exam(r).map { [.exam($0)] } ?? []
        case .achievement: achievement(r).map { [.achievement($0)] } ?? []
        case .encouragement: encouragement(r).map { [.encouragement($0)] } ?? []
        case .personalResult: development(r, kind: .personal).map { [.development($0)] } ?? []
        case .metasubjectResult: development(r, kind: .metasubject).map { [.development($0)] } ?? []
        case .attestatIssue: attestatIssue(r).map { [.attestatIssue($0)] } ?? []
        }
    }

    // MARK: - Roster

    static func roster(_ r: FieldReader) -> RosterEntry? {
        guard let who = r.student() else { return nil }
        guard let name = who.name else {
            r.error("E-FIELD-MISSING", "student", "в контингенте нужно ФИО обучающегося")
            return nil
        }
        guard r.hasValue("birthDate") else {
            r.error("E-FIELD-MISSING", "birthDate", "не заполнена дата рождения: без неё обучающегося не отличить от тёзки")
            return nil
        }
        guard let birth = who.birthDate else { return nil }
        let age = r.env.context.today.year - birth.year
        guard birth < r.env.context.today, (4...25).contains(age) else {
            r.error("E-BIRTHDATE", "birthDate", "дата рождения \(birth.russian) невозможна для обучающегося школы (возраст \(age)); проверьте год")
            return nil
        }
        guard let schoolClass = r.schoolClass(required: true) else { return nil }
        var snils: SNILS?
        if let t = r.text("snils", limit: 30) {
            switch SNILS.parse(t) {
            case .success(let s): snils = s
            case .failure(.format):
                r.error("E-SNILS-FORMAT", "snils", "СНИЛС «\(t)» не из 11 цифр; пишите как 112-233-445 95")
                return nil
            case .failure(.checksum(let expected)):
                r.error(
                    "E-SNILS-CHECKSUM", "snils",
                    "в СНИЛС «\(t)» не сходится контрольное число (по первым девяти цифрам должно быть \(expected < 10 ? "0" : "")\(expected)); проверьте номер по документу"
                )
                return nil
            }
        }
        var sex: Sex?
        if let t = r.text("sex", limit: 20) {
            sex = Sex(parsing: t)
            if sex == nil {
                r.env.diagnostics.warning("W-SEX", r.location("sex"), "пол «\(t)» не распознан (ожидалось м или ж); оставлен пустым")
            }
        }
        let enrolled = r.hasValue("enrolled") ? r.date("enrolled") : nil
        let left = r.hasValue("left") ? r.date("left") : nil
        if r.hasValue("enrolled") && enrolled == nil || r.hasValue("left") && left == nil { return nil }
        let year = r.statedYear() ?? enrolled.map { r.env.policy.academicYear(containing: $0) } ?? r.env.context.defaultYear
        let student = Student(name: name, birthDate: birth, sex: sex, snils: snils, journalID: who.journalID)
        return RosterEntry(
            student: student,
            enrolment: Enrolment(studentID: student.id, year: year, schoolClass: schoolClass, enrolled: enrolled, left: left),
            provenance: r.provenance(nil))
    }

    // MARK: - Marks

    /// A period mark; the subject and period come from the fields (or, for
    /// summary sheets, from the column, passed in as field values).
    static func periodMark(_ r: FieldReader) -> Mark? {
        guard let who = r.student() else { return nil }
        guard let subject = r.subject("subject"), let period = r.period("period") else { return nil }
        guard let text = r.required("mark", "отметка"), let value = r.mark(text, field: "mark", period: period) else { return nil }
        guard let year = r.year(for: nil, dateField: nil) else { return nil }
        return Mark(
            student: who, subject: subject, year: year, schoolClass: who.schoolClass, period: period.id,
            kind: period.markKind, value: value, provenance: r.provenance("mark"))
    }

    /// Current marks: a cell may hold several (`5/4`, `5 4`); `н` is an absence, not a mark;
    /// `5-`, `4+` are the base mark with the sign kept (or an error, as the policy says).
    /// A row of absences is checked like a row of marks: its student, subject and date must be right.
    static func currentMarks(_ r: FieldReader, absences: inout Int) -> [Mark] {
        guard let cell = r.text("mark", limit: 40) else { return [] }
        let policy = r.env.policy
        // A spelling that is one value (`н/а`, `не зачтено`) is not split into two.
        let parts =
            policy.markValue(cell) != nil
            ? [cell]
            : cell.split(whereSeparator: { $0 == "/" || $0 == " " || $0 == "," || $0 == ";" }).map(String.init)
        var values: [(value: MarkValue, sign: String?)] = []
        var absent = false
        for part in parts {
            if policy.isAbsence(part) {
                absent = true
                continue
            }
            var text = part
            var sign: String?
            if policy.markValue(text) == nil, text.count > 1, let last = text.last, ["+", "-", "−", "–"].contains(last),
                let base = policy.markValue(String(text.dropLast())), base.value.points != nil
            {
                guard policy.currentMarkSigns == .keep else {
                    r.error(
                        "E-MARK-SIGN", "mark",
                        "«\(cell)»: отметки со знаком не принимаются по положению (currentMarkSigns: reject); исправьте на «\(String(text.dropLast()))»")
                    return []
                }
                text = String(text.dropLast())
                sign = last == "+" ? "+" : "-"
            }
            guard let (value, scale) = policy.markValue(text) else {
                r.error(
                    "E-MARK-UNKNOWN", "mark",
                    "«\(cell)» не отметка; в журнале допустимы отметки 1–5 (две через «/», со знаком: «5-», «4+») и пропуски: \(policy.absenceSpellings.joined(separator: ", "))"
                )
                return []
            }
            guard policy.currentMarkScales.contains(scale) else {
                r.error(
                    "E-MARK-SCALE", "mark",
                    "«\(part)» не бывает текущей отметкой; допустимо: \(policy.currentMarkScales.compactMap { policy.scale(id: $0)?.label }.joined(separator: ", "))"
                )
                return []
            }
            values.append((value, sign))
        }
        guard let who = r.student(), let subject = r.subject("subject") else { return [] }
        guard r.hasValue("date") else {
            r.error("E-FIELD-MISSING", "date", "не заполнена дата урока")
            return []
        }
        guard let date = r.date("date") else { return [] }
        guard let year = r.year(for: date, dateField: "date", runYearExpected: true) else { return [] }
        if absent { absences += 1 }
        guard !values.isEmpty else { return [] }
        let weight = r.hasValue("weight") ? r.number("weight") : nil
        if r.hasValue("weight") && weight == nil { return [] }
        if let weight, !(0...FieldReader.maxWeight).contains(weight) {
            r.error(
                "E-WEIGHT", "weight",
                "вес отметки \(CellValue.format(weight)) невозможен: в журналах вес от 0 до \(CellValue.format(FieldReader.maxWeight)); проверьте столбец веса")
            return []
        }
        let work = r.text("work", limit: 200)
        return values.map {
            Mark(
                student: who, subject: subject, year: year, schoolClass: who.schoolClass, period: nil, kind: .current,
                value: $0.value, date: date, work: work, weight: weight, sign: $0.sign, provenance: r.provenance("mark"))
        }
    }

    // MARK: - State exams

    /// A state exam's row. The subject may carry its level (ЕГЭ «Математика П»:
    /// mathematics, profile level); a row whose result cell holds one of the
    /// rules' words («не явился», «аннулирован») is a registration without a result.
    static func exam(_ r: FieldReader) -> ExamResult? {
        guard let who = r.student(), let (subject, named) = examSubject(r) else { return nil }
        let names = r.env.context.examNames
        let formText =
            r.text("form", limit: 40)
            ?? r.env.title.lines.compactMap { line in
                line.split(separator: " ").compactMap { ExamForm(parsing: String($0)) }.first?.rawValue
            }.first
        guard let formText else {
            r.error("E-FIELD-MISSING", "form", "не указана форма экзамена: ОГЭ, ЕГЭ или ГВЭ")
            return nil
        }
        guard let form = ExamForm(parsing: formText) else {
            r.error("E-EXAM-FORM", "form", "форма «\(formText)» не из ОГЭ, ЕГЭ, ГВЭ")
            return nil
        }
        if let named, named.form != form {
            r.error("E-EXAM-FORM", "form", "предмет «\(r.text("subject") ?? "")» — уровень \(named.form.rawValue), а в строке форма \(form.rawValue)")
            return nil
        }
        var level = named
        var levelText = named?.level
        if let t = r.text("level", limit: 40) {
            let known = names.levels(subject: subject, form: form)
            if known.isEmpty {
                levelText = levelText ?? t
            } else if let l = names.level(spelling: t, subject: subject, form: form) {
                if let named, named.level != l.level {
                    r.error("E-EXAM-LEVEL", "level", "в названии предмета уровень «\(named.level)», а в столбце уровня — «\(t)»; исправьте одно из них")
                    return nil
                }
                level = l
                levelText = l.level
            } else {
                r.error(
                    "E-EXAM-LEVEL", "level",
                    "уровень «\(t)» не распознан; для \(form.rawValue) по этому предмету: \(known.map(\.level).joined(separator: ", "))")
                return nil
            }
        }
        // A registration without a result: the word may stand in the mark or a score cell.
        let resultFields = ["mark", "testScore", "primaryScore"]
        let noResult = resultFields.lazy.compactMap { r.cellText($0) }.first { names.isNoResult($0) }
        if let noResult {
            if let other = resultFields.first(where: { f in r.cellText(f).map { !names.isNoResult($0) } ?? false }) {
                r.error("E-EXAM-SCORE", other, "в строке и «\(noResult)», и результат «\(r.cellText(other)!)»: оставьте одно")
                return nil
            }
        }
        var primary: Double?
        var test: Double?
        var mark: MarkValue?
        if noResult == nil {
            primary = r.number("primaryScore")
            test = r.number("testScore")
            if r.hasValue("primaryScore") && primary == nil || r.hasValue("testScore") && test == nil { return nil }
            for (field, score, limit) in [("primaryScore", primary, 100.0), ("testScore", test, 100.0)] {
                if let score, !(0...limit).contains(score) {
                    r.error("E-EXAM-SCORE", field, "балл \(CellValue.format(score)) вне допустимых 0–\(Int(limit))")
                    return nil
                }
            }
            if let t = r.text("mark", limit: 20) {
                guard let (value, scale) = r.env.policy.markValue(t), ["five-point", "not-assessed"].contains(scale) else {
                    let words = names.noResultWords.isEmpty ? "" : " или «\(names.noResultWords.prefix(3).joined(separator: "», «"))»"
                    r.error("E-MARK-SCALE", "mark", "«\(t)» не отметка за экзамен; допустимы 2–5, н/а\(words)")
                    return nil
                }
                mark = value
            }
            if mark == nil, primary == nil, test == nil {
                r.error(
                    "E-FIELD-MISSING", "mark",
                    "нет ни отметки, ни баллов: строка ничего не сообщает о результате"
                        + (names.noResultWords.isEmpty
                            ? "" : "; если результата нет, напишите «\(names.noResultWords[0])» или другое слово из правил аттестации"))
                return nil
            }
            if let level, level.result == .testScore, test == nil {
                r.error("E-FIELD-MISSING", "testScore", "для \(form.rawValue) уровня «\(level.level)» нужен тестовый балл")
                return nil
            }
            if let level, level.result == .mark, mark == nil {
                r.error("E-FIELD-MISSING", "mark", "для \(form.rawValue) уровня «\(level.level)» нужна отметка")
                return nil
            }
        }
        let date = r.hasValue("date") ? r.date("date") : nil
        if r.hasValue("date"), date == nil { return nil }
        guard let year = r.year(for: date, dateField: "date") else { return nil }
        // The result's own cell: the mark, else the score, else the word standing for no result.
        let cell = resultFields.first { r.cellText($0) != nil }
        return ExamResult(
            student: who, subject: subject, form: form, level: levelText, primaryScore: primary,
            testScore: test, mark: mark, date: date, year: year, retake: r.flag("retake"), noResult: noResult,
            provenance: r.provenance(cell))
    }

    /// The exam's subject: a policy subject, or a subject named with its level.
    /// Neither: an error suggesting the nearest of both.
    static func examSubject(_ r: FieldReader) -> (String, ExamNames.Level?)? {
        guard let t = r.required("subject", "предмет") else { return nil }
        let names = r.env.context.examNames
        if r.env.policy.subjects.match(t) == nil {
            if let level = names.level(named: t) { return (level.subject, level) }
            if let near = names.nearestName(t), near.distance <= max(2, TextKey.compact(t).count / 3),
                r.env.policy.subjects.nearest(t).map({ TextKey.distance(TextKey.compact(t), TextKey.compact($0.label)) >= near.distance }) ?? true
            {
                r.error(
                    "E-SUBJECT-UNKNOWN", "subject",
                    "предмет «\(t.prefix(60))» не найден ни в списке предметов положения, ни среди названий экзаменов по уровням; возможно, имелся в виду «\(near.name)»"
                )
                return nil
            }
        }
        guard let id = r.subject(named: t, field: "subject") else { return nil }
        return (id, nil)
    }

    // MARK: - Achievements

    static func achievement(_ r: FieldReader) -> Achievement? {
        guard let who = r.student() else { return nil }
        let policy = r.env.policy
        guard let categoryText = r.required("category", "категория достижения") else { return nil }
        var group: ResultGroup?
        if let groupText = r.text("group", limit: 200) {
            group = policy.group(matching: groupText)
            if group == nil {
                let hint = policy.nearestGroup(groupText).map { "возможно, «\($0.label)»; " } ?? ""
                let allowed = policy.groups.filter { $0.kind == .achievements || $0.kind == .academic }.map { "«\($0.label)» (п. \($0.section ?? "3.2"))" }
                r.error(
                    "E-CATEGORY-UNKNOWN", "group",
                    "направления «\(groupText.prefix(60))» нет в положении школы (п. 3.2); \(hint)допустимые: \(allowed.joined(separator: ", "))")
                return nil
            }
            guard group!.kind == .achievements || group!.kind == .academic else {
                r.error(
                    "E-CATEGORY-UNKNOWN", "group",
                    "«\(group!.label)» (п. \(group!.section ?? "")) — не направление достижений; для него есть свой профиль импорта")
                return nil
            }
        } else {
            // The category decides when exactly one group has it; else the policy's default group.
            let holders = policy.groups.filter { ($0.kind == .achievements || $0.kind == .academic) && $0.categories.match(categoryText) != nil }
            group = holders.count == 1 ? holders[0] : policy.group(id: policy.achievementsDefaultGroup)
        }
        guard let group else { return nil }
        guard let category = group.categories.match(categoryText) else {
            let hint = group.categories.nearest(categoryText).map { "возможно, «\($0.label)»; " } ?? ""
            r.error(
                "E-CATEGORY-UNKNOWN", "category",
                "категории «\(categoryText.prefix(60))» нет в группе «\(group.label)» (п. \(group.section ?? "3.2") положения); \(hint)допустимые: \(group.categories.labels.joined(separator: "; "))"
            )
            return nil
        }
        guard let event = r.required("event", "название мероприятия") else { return nil }
        var level: Term?
        if r.hasValue("level") {
            level = r.term("level", in: policy.eventLevels, what: "уровень мероприятия", code: "E-LEVEL-UNKNOWN", section: nil, required: false)
            if level == nil { return nil }
        }
        var result: Term?
        if r.hasValue("result") {
            result = r.term("result", in: policy.eventResults, what: "результат участия", code: "E-RESULT-UNKNOWN", section: nil, required: false)
            if result == nil { return nil }
        }
        let date = r.hasValue("date") ? r.date("date") : nil
        if r.hasValue("date"), date == nil { return nil }
        guard let year = r.year(for: date, dateField: "date") else { return nil }
        var subject: String?
        if let t = r.text("subject", limit: 100) {
            guard let s = r.subject(named: t, field: "subject") else { return nil }
            subject = s
        }
        var certificate: Certificate?
        if r.text("documentKind", limit: 200) != nil {
            guard
                let kind = r.term(
                    "documentKind", in: policy.documentKinds, what: "вид подтверждающего документа",
                    code: "E-DOCUMENT-KIND", section: policy.documentSection, required: false)
            else { return nil }
            certificate = Certificate(
                kind: kind.id, number: r.text("documentNumber", limit: 100),
                scanFile: r.text("scan", limit: 255), sha256: r.text("sha256", limit: 80)?.lowercased())
        } else if let scan = r.text("scan", limit: 255) {
            r.error(
                "E-DOCUMENT-KIND", "documentKind", "указан скан «\(scan)», но не вид документа (п. \(policy.documentSection)): диплом, грамота, сертификат…")
            return nil
        }
        let other = r.text("otherOrganisation", limit: 300)
        let otherFlag = other.map { !["нет", "0", "-"].contains($0.lowercased()) } ?? false
        let consent = r.text("consent", limit: 200)
        if otherFlag, consent == nil || ["нет", "-", "0"].contains(consent!.lowercased()) {
            r.error(
                "E-CONSENT-MISSING", "consent",
                "достижение получено в другой организации (\(other!.prefix(60))): по п. \(policy.otherOrganisationsSection) положения оно учитывается только по заявлению обучающегося или родителей (законных представителей); укажите дату и номер заявления в столбце «Согласие»"
            )
            return nil
        }
        return Achievement(
            student: who, group: group.id, category: category.id, event: event, level: level?.id, result: result?.id,
            date: date, year: year, subject: subject, organiser: r.text("organiser", limit: 300), certificate: certificate,
            gir: r.flag("gir"), otherOrganisation: otherFlag ? other : nil, consent: otherFlag ? consent : nil,
            provenance: r.provenance(nil))
    }

    // MARK: - Encouragements

    static func encouragement(_ r: FieldReader) -> Encouragement? {
        guard let who = r.student() else { return nil }
        let policy = r.env.policy
        guard
            let kind = r.term(
                "kind", in: policy.encouragementKinds, what: "вид поощрения", code: "E-ENCOURAGEMENT-KIND",
                section: policy.encouragementSection, required: true),
            let area = r.term(
                "area", in: policy.encouragementAreas, what: "вид деятельности", code: "E-ENCOURAGEMENT-AREA",
                section: policy.encouragementSection, required: true)
        else { return nil }
        let orderDate = r.hasValue("orderDate") ? r.date("orderDate") : nil
        if r.hasValue("orderDate"), orderDate == nil { return nil }
        guard let year = r.year(for: orderDate, dateField: "orderDate") else { return nil }
        return Encouragement(
            student: who, kind: kind.id, area: area.id, orderNumber: r.text("orderNumber", limit: 60), orderDate: orderDate,
            year: year, basis: r.text("basis", limit: 500), provenance: r.provenance(nil))
    }

    // MARK: - Personal and metasubject results

    static func development(_ r: FieldReader, kind: DevelopmentResult.Kind) -> DevelopmentResult? {
        guard let who = r.student() else { return nil }
        let groupKind: ResultGroup.Kind = kind == .personal ? .personal : .metasubject
        guard let group = r.env.policy.groups.first(where: { $0.kind == groupKind }) else {
            r.error("E-CATEGORY-UNKNOWN", "category", "в положении школы нет группы \(kind == .personal ? "личностных" : "метапредметных") результатов")
            return nil
        }
        guard
            let category = r.term(
                "category", in: group.categories, what: kind == .personal ? "личностный результат" : "группа универсальных учебных действий",
                code: "E-CATEGORY-UNKNOWN", section: group.section, required: true),
            let value = r.required("value", "уровень или значение")
        else { return nil }
        let date = r.hasValue("date") ? r.date("date") : nil
        if r.hasValue("date"), date == nil { return nil }
        guard let year = r.year(for: date, dateField: "date") else { return nil }
        return DevelopmentResult(
            kind: kind, student: who, category: category.id, indicator: r.text("indicator", limit: 300), value: value,
            date: date, year: year, basis: r.text("basis", limit: 500), provenance: r.provenance(nil))
    }
}
