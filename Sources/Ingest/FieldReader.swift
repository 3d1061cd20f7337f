import CivilDate
import Policy
import Records
import Spreadsheet

#if canImport(Glibc)
    import Glibc
#endif

/// The fields of one logical record, as cells: field name → value and column.
struct RowValues {
    struct Value {
        var value: CellValue
        var column: Int?
    }

    var row: Int?
    var sheet: String?
    var fields = Fields()
    /// Header columns of the fields, so a finding about an empty cell points at it.
    var columns: [String: Int] = [:]

    subscript(_ name: String) -> Value? { fields[name] }

    /// A row's fields by name. A row has a handful (a journal line eight): looked up
    /// by comparing names, which are short ASCII strings, rather than hashing each
    /// name in a dictionary made afresh for every row and every mark of it.
    struct Fields: Sequence {
        private var entries: [(key: String, value: Value)] = []

        init() {}

        subscript(_ name: String) -> Value? {
            get {
                for entry in entries where entry.key == name { return entry.value }
                return nil
            }
            set {
                if let i = entries.firstIndex(where: { $0.key == name }) {
                    if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
                } else if let newValue {
                    entries.append((name, newValue))
                }
            }
        }

        var isEmpty: Bool { entries.isEmpty }

        mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }

        func filter(_ isIncluded: ((key: String, value: Value)) -> Bool) -> Fields {
            var kept = Fields()
            kept.entries = entries.filter(isIncluded)
            return kept
        }

        func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> { entries.makeIterator() }
    }
}

/// Values a sheet repeats row after row (the same student, class, date,
/// subject), parsed once per sheet.
final class RowMemo {
    var names = TextMemo<FullName?>()
    var classes = TextMemo<SchoolClass?>()
    var dates = TextMemo<CivilDate?>()
    var subjects = TextMemo<String>()
    /// First texts of rows: the footer word they open with, or `nil` for a student's row.
    var footers = TextMemo<String?>()
}

/// What a text was found to mean, remembered for the rest of the sheet. An
/// export repeats one student's name, class and subject on hundreds of rows
/// in a row: the last text is compared first (one `memcmp`), the dictionary
/// (a hash of the text) only when it differs.
struct TextMemo<Value> {
    private var known: [RawKey: Value] = [:]
    private var last: (text: String, value: Value)?

    /// The value remembered for `text`, or `nil` when it was not seen.
    mutating func lookup(_ text: String) -> Value? {
        if let last, RawKey.same(last.text, text) { return last.value }
        guard let value = known[RawKey(text)] else { return nil }
        last = (text, value)
        return value
    }

    mutating func store(_ text: String, _ value: Value) {
        known[RawKey(text)] = value
        last = (text, value)
    }
}

/// A string compared and hashed by its UTF-8 bytes. Swift's own String
/// hashing normalises Unicode first, which for Cyrillic text costs more than
/// the lookup saves; texts read from one file are byte-for-byte repeats.
struct RawKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: RawKey, b: RawKey) -> Bool { same(a.text, b.text) }

    /// Byte-for-byte equality: one `memcmp`, not a walk over the UTF-8 view.
    static func same(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// What every row of a sheet shares: the policy and context, the file, the
/// title block, the findings, the env.memo. One object, so making a reader per
/// row costs one reference, not a copy of the env.policy.
final class ReaderEnvironment {
    let context: ImportContext
    let policy: Policy
    let source: SourceFile
    let title: TitleBlock
    let diagnostics: Diagnostics
    let memo: RowMemo

    init(context: ImportContext, source: SourceFile, title: TitleBlock, diagnostics: Diagnostics, memo: RowMemo = RowMemo()) {
        self.context = context
        self.policy = context.policy
        self.source = source
        self.title = title
        self.diagnostics = diagnostics
        self.memo = memo
    }
}

/// Reads typed values out of a record's cells and checks them against the
/// policy, reporting every problem at its cell with a stable code and a
/// message saying what to do. Each reader returns `nil` after reporting.
struct FieldReader {
    static let maxNameLength = 200
    static let maxTextLength = 2000
    /// The largest weight of a current mark a journal gives (МЭШ and ЭлЖур: up to 10; 100 leaves room).
    static let maxWeight = 100.0

    let env: ReaderEnvironment
    let values: RowValues

    private func column(_ field: String?) -> Int? {
        guard let field else { return nil }
        return values[field]?.column ?? values.columns[field]
    }

    func location(_ field: String?) -> Location {
        Location(file: env.source.name, sheet: values.sheet, row: values.row, column: column(field))
    }

    func provenance(_ field: String?) -> Provenance {
        Provenance(fileHash: env.source.hash, fileName: env.source.name, sheet: values.sheet, row: values.row, column: column(field))
    }

    func error(_ code: String, _ field: String?, _ message: String) {
        env.diagnostics.error(code, location(field), message)
    }

    // MARK: - Text

    /// True when the field's cell holds something.
    func hasValue(_ field: String) -> Bool {
        guard let v = values[field] else { return false }
        return !v.value.text.trimmed.isEmpty
    }

    /// The trimmed text of a field, `nil` when empty; overlong text is an error.
    func text(_ field: String, limit: Int = FieldReader.maxTextLength) -> String? {
        guard let v = values[field] else { return nil }
        let t = v.value.text.trimmed
        if t.isEmpty { return nil }
        // A text has no more characters than UTF-8 bytes: only a long one is counted by characters.
        if t.utf8.count > limit, t.count > limit {
            error(
                "E-VALUE-TOO-LONG", field,
                "значение длиннее \(limit) знаков (\(t.utf8.count) байт): так не бывает в этом столбце; проверьте, не вставился ли в ячейку чужой текст")
            return nil
        }
        return t
    }

    /// A cell's text, trimmed, without checking its length (`nil` when empty).
    func cellText(_ field: String) -> String? {
        guard let t = values[field]?.value.text.trimmed, !t.isEmpty else { return nil }
        return t
    }

    /// A text the record cannot do without.
    func required(_ field: String, _ what: String) -> String? {
        if values[field] == nil || values[field]!.value.text.trimmed.isEmpty {
            error("E-FIELD-MISSING", field, "не заполнено: \(what); заполните ячейку или удалите строку")
            return nil
        }
        return text(field)
    }

    // MARK: - Dates and years

    /// A date from a date cell, an Excel serial, or text (`01.09.2025`, `2025-09-01`).
    func date(_ field: String) -> CivilDate? {
        guard let v = values[field] else { return nil }
        switch v.value {
        case .date(let d): return d.isTimeOnly ? invalidDate(field, v.value.text) : d.date
        case .number(let n):
            if let d = ExcelDateSystem.d1900.dateTime(serial: n), n >= 1, n == n.rounded() { return d.date }
            return invalidDate(field, v.value.text)
        case .string(let s):
            let t = s.trimmed
            if t.isEmpty { return nil }
            if let known = env.memo.dates.lookup(t) { return known ?? invalidDate(field, t) }
            if let (a, b) = FieldReader.slashDayAndMonth(t), a != b, a <= 12, b <= 12 {
                // A CSV saved with English settings writes month first (04/01/26 is April 1).
                error(
                    "E-DATE-AMBIGUOUS", field,
                    "дата «\(t)» читается и как \(a).\(b), и как \(b).\(a) (с косой чертой месяц пишут первым в английских настройках Excel); "
                        + "сохраните выгрузку с датами вида 01.04.2026")
                return nil
            }
            let parsed = CivilDate(parsing: t)
            env.memo.dates.store(t, parsed)
            return parsed ?? invalidDate(field, t)
        default:
            return invalidDate(field, v.value.text)
        }
    }

    /// The first two numbers of `d/m/y`, when the text is written with slashes.
    static func slashDayAndMonth(_ t: String) -> (Int, Int)? {
        guard t.utf8.contains(UInt8(ascii: "/")) else { return nil }
        let parts = t.split(separator: "/")
        guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), parts[2].prefix(4).allSatisfy(\.isNumber) else { return nil }
        return (a, b)
    }

    private func invalidDate(_ field: String, _ text: String) -> CivilDate? {
        error("E-DATE-FORMAT", field, "«\(text.prefix(40))» не дата; пишите даты как 01.09.2025 или форматом даты в Excel")
        return nil
    }

    /// The school year: the field, else the title block; `nil` when neither says.
    func statedYear() -> AcademicYear? {
        if let t = text("year") {
            if let y = AcademicYear(parsing: t) { return y }
            error("E-YEAR", "year", "«\(t.prefix(30))» не учебный год; пишите как 2025/2026")
            return nil
        }
        return env.title.year
    }

    /// The year of a record: stated, else the year its date falls in, else the run's year.
    /// A date outside a stated year is an error. Gradebook dumps are a year's
    /// journal: for them (`runYearExpected`) the run's year counts as stated.
    func year(for date: CivilDate?, dateField: String?, runYearExpected: Bool = false) -> AcademicYear? {
        let stated = statedYear() ?? (runYearExpected ? env.context.defaultYear : nil)
        if let date {
            if date > env.context.today {
                error("E-DATE-FUTURE", dateField, "дата \(date.russian) ещё не наступила; проверьте год")
                return nil
            }
            let containing = env.policy.academicYear(containing: date)
            if let stated, stated != containing {
                let bounds = env.policy.bounds(of: stated)
                error(
                    "E-DATE-YEAR", dateField,
                    "дата \(date.russian) вне учебного года \(stated) (\(bounds.lowerBound.russian)–\(bounds.upperBound.russian)); исправьте дату или год")
                return nil
            }
            return stated ?? containing
        }
        return stated ?? env.context.defaultYear
    }

    // MARK: - Who

    /// The student the record names: journal id, ФИО (one column or three), birth date, class.
    func student() -> StudentReference? {
        let journalID = text("journalId", limit: 64)
        if let journalID, journalID.contains(where: { $0 == "," || $0 == ";" || $0 == "/" || $0.isWhitespace }) {
            // «307109, 920397»: two students on one row; the second would be dropped.
            error(
                "E-STUDENT-ID", "journalId",
                "в ячейке идентификатора «\(journalID.prefix(40))» несколько значений: у строки один обучающийся; разнесите по строкам")
            return nil
        }
        var name: FullName?
        var written: String?
        if let full = text("student", limit: FieldReader.maxNameLength) {
            written = full
            if let known = env.memo.names.lookup(full) {
                name = known
            } else {
                name = FullName(full: full)
                env.memo.names.store(full, name)
            }
            if name == nil, journalID == nil {
                error("E-STUDENT-NAME", "student", "ФИО «\(full.prefix(40))» неполное: нужны хотя бы фамилия и имя")
                return nil
            }
        } else if values["student"]?.value.text.trimmed.isEmpty == false {
            return nil // too long, reported
        } else if let surname = text("surname", limit: 100), let first = text("name", limit: 100) {
            name = FullName(surname: surname, name: first, patronymic: text("patronymic", limit: 100))
        }
        if name == nil, journalID == nil {
            let field =
                values["student"] != nil || values.columns["student"] != nil
                ? "student"
                : values["surname"] != nil || values.columns["surname"] != nil ? "surname" : "journalId"
            error("E-FIELD-MISSING", field, "не указан обучающийся: заполните ФИО (или идентификатор из журнала)")
            return nil
        }
        let birth = hasValue("birthDate") ? date("birthDate") : nil
        return StudentReference(journalID: journalID, name: name, written: written, birthDate: birth, schoolClass: schoolClass(required: false))
    }

    /// The class: the field, else the title block.
    func schoolClass(required: Bool) -> SchoolClass? {
        if let t = text("class", limit: 20) {
            if let known = env.memo.classes.lookup(t) {
                if let c = known { return c }
            } else {
                let parsed = SchoolClass(parsing: t)
                env.memo.classes.store(t, parsed)
                if let c = parsed { return c }
            }
            error("E-CLASS", "class", "«\(t)» не класс; пишите как 9А или 10 Б")
            return nil
        }
        if let c = env.title.schoolClass { return c }
        if required {
            error("E-FIELD-MISSING", "class", "не указан класс: добавьте столбец «Класс» или строку «Класс: 9А» над таблицей")
        }
        return nil
    }

    // MARK: - The policy's vocabularies

    func subject(_ field: String) -> String? {
        guard let t = required(field, "предмет") else { return nil }
        return subject(named: t, field: field)
    }

    func subject(named t: String, field: String) -> String? {
        if let id = env.memo.subjects.lookup(t) { return id }
        if let s = env.policy.subjects.match(t) {
            env.memo.subjects.store(t, s.id)
            return s.id
        }
        let hint = env.policy.subjects.nearest(t).map { "; возможно, имелся в виду «\($0.label)»" } ?? "; допустимые названия — в списке предметов положения"
        error("E-SUBJECT-UNKNOWN", field, "предмет «\(t.prefix(60))» не найден в списке предметов положения\(hint)")
        return nil
    }

    func period(_ field: String) -> Period? {
        if let t = text(field, limit: 60) {
            if let p = env.policy.period(matching: t) { return p }
            let hint = env.policy.periods.nearest(t).map { "; возможно, «\($0.label)»" } ?? ""
            error("E-PERIOD-UNKNOWN", field, "период «\(t)» не распознан\(hint); допустимые: \(env.policy.periods.labels.joined(separator: ", "))")
            return nil
        }
        if values.columns[field] != nil {
            // The sheet has a column for the period: an empty cell in it is not the title's period.
            error("E-FIELD-MISSING", field, "не указан период в строке: заполните ячейку столбца периода")
            return nil
        }
        if let p = env.title.period { return p }
        error("E-PERIOD-MISSING", field, "не указан период: добавьте столбец «Период» или строку с периодом над таблицей (например «1 четверть»)")
        return nil
    }

    /// A mark for a period: on one of the scales that period allows.
    func mark(_ text: String, field: String, period: Period) -> MarkValue? {
        guard let (value, scale) = env.policy.markValue(text) else {
            error("E-MARK-UNKNOWN", field, "«\(text.prefix(20))» не отметка; допустимы 1–5, зачтено/не зачтено, н/а, осв")
            return nil
        }
        guard period.scales.contains(scale) else {
            let allowed = period.scales.compactMap { env.policy.scale(id: $0)?.label }.joined(separator: ", ")
            error(
                "E-MARK-SCALE", field,
                "отметка «\(text)» (\(env.policy.scale(id: scale)?.label ?? scale)) не бывает за период «\(period.label)»; допустимо: \(allowed)")
            return nil
        }
        return value
    }

    /// A number as people write one: digits, a sign, a decimal point or comma
    /// (`1,5`). Swift's own parsing also takes `nan`, `inf`, `1e1` and `0x1p3`,
    /// which no journal means and no later step can use.
    func number(_ field: String) -> Double? {
        guard let v = values[field] else { return nil }
        switch v.value {
        case .number(let n) where n.isFinite: return n
        case .string(let s):
            let t = s.trimmed
            if t.isEmpty { return nil }
            if FieldReader.isPlainDecimal(t), let n = Double(String(t.map { $0 == "," ? "." : $0 })) { return n }
            error("E-NUMBER", field, "«\(t.prefix(20))» не число")
            return nil
        default:
            error("E-NUMBER", field, "«\(v.value.text.prefix(20))» не число")
            return nil
        }
    }

    /// `4`, `-2`, `1.5`, `1,5`, `.5`: a sign, digits, at most one decimal separator.
    static func isPlainDecimal(_ t: String) -> Bool {
        var digits = 0
        var separators = 0
        for (i, b) in t.utf8.enumerated() {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."), UInt8(ascii: ","): separators += 1
            case UInt8(ascii: "-") where i == 0, UInt8(ascii: "+") where i == 0: break
            default: return false
            }
        }
        return digits > 0 && separators <= 1
    }

    /// Yes/no: `да`, `+`, `1`, `есть`, `true` are yes; empty, `нет`, `-`, `0` no.
    func flag(_ field: String) -> Bool {
        guard let v = values[field] else { return false }
        switch v.value {
        case .bool(let b): return b
        case .number(let n): return n != 0
        default:
            if v.value.text.trimmed == "+" { return true }
            let t = TextKey.compact(v.value.text)
            if t.isEmpty || ["нет", "0", "false", "н"].contains(t) || v.value.text.trimmed == "-" { return false }
            return true
        }
    }

    /// A term of one of the policy's lists; the message names the list and its section.
    func term(_ field: String, in index: TermIndex, what: String, code: String, section: String?, required: Bool) -> Term? {
        let value = required ? self.required(field, what) : text(field, limit: 200)
        guard let t = value else { return nil }
        if let term = index.match(t) { return term }
        let hint = index.nearest(t).map { "возможно, «\($0.label)»; " } ?? ""
        let cite = section.map { " (п. \($0) положения)" } ?? ""
        error(code, field, "\(what) «\(t.prefix(60))» нет в положении\(cite); \(hint)допустимые: \(index.labels.joined(separator: ", "))")
        return nil
    }
}
