public import Policy
public import StrictJSON
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
#endif

/// What an import yields, and which fields each kind of record knows.
public enum RecordKind: String, Sendable, Hashable, CaseIterable {
    case roster
    case periodMark = "period-mark"
    case currentMark = "current-mark"
    case exam
    case achievement
    case encouragement
    case personalResult = "personal-result"
    case metasubjectResult = "metasubject-result"
    case attestatIssue = "attestat-issue"

    static let identity: Set<String> = ["student", "surname", "name", "patronymic", "journalId", "birthDate", "class", "year"]

    /// Field names a profile of this kind may map.
    public var fields: Set<String> {
        switch self {
        case .roster: RecordKind.identity.union(["snils", "sex", "enrolled", "left"])
        case .periodMark: RecordKind.identity.union(["subject", "period", "mark"])
        case .currentMark: RecordKind.identity.union(["date", "subject", "mark", "work", "weight"])
        case .exam: RecordKind.identity.union(["subject", "form", "level", "primaryScore", "testScore", "mark", "date", "retake"])
        case .achievement:
            RecordKind.identity.union([
                "group", "category", "event", "level", "result", "date", "subject", "organiser",
                "documentKind", "documentNumber", "scan", "sha256", "gir", "otherOrganisation", "consent"
            ])
        case .encouragement: RecordKind.identity.union(["kind", "area", "orderNumber", "orderDate", "basis"])
        case .personalResult, .metasubjectResult: RecordKind.identity.union(["category", "indicator", "value", "date", "basis"])
        case .attestatIssue: RecordKind.identity.union(AttestatIssueFields.names)
        }
    }

    /// In Russian, for reports: «контингент», «отметки за периоды»…
    public var russian: String {
        switch self {
        case .roster: "контингент"
        case .periodMark: "отметки за периоды"
        case .currentMark: "текущие отметки"
        case .exam: "результаты ГИА"
        case .achievement: "достижения"
        case .encouragement: "поощрения"
        case .personalResult: "личностные результаты"
        case .metasubjectResult: "метапредметные результаты"
        case .attestatIssue: "выдача аттестатов"
        }
    }
}

/// How a profile's rows are laid out.
public enum Layout: String, Sendable, Hashable {
    /// One record per row, columns named by the fields' headers.
    case table
    /// A summary sheet: `№ | ФИО | <subject> | <subject>…`, the period in the title block.
    case subjectColumns = "subject-columns"
    /// Two header rows: a subject merged over its period columns, period labels below.
    case subjectColumnsPeriods = "subject-columns-periods"
    /// `№ | ФИО | Период | <subject>…`: several rows per student, one per period.
    case subjectColumnsPeriodRows = "subject-columns-period-rows"
    /// A subject teacher's sheet: `№ | ФИО | 1 ч | 2 ч | … | Годовая`, the
    /// subject and class in the title or the sheet's name.
    case periodColumns = "period-columns"
    /// The class journal's grid: ФИО down, lesson dates across (or a month
    /// over day numbers), marks and absences in the cells, period marks in
    /// columns at the right; the subject and class in the title.
    case dateColumns = "date-columns"
    /// One JSON file per scanned certificate.
    case sidecar

    /// Fields this layout reads from the title block or the sheet's name.
    var titleFields: [String] {
        switch self {
        case .periodColumns, .dateColumns: ["subject"]
        default: []
        }
    }

    /// Layouts whose data columns are subjects, periods or dates named in the header.
    var hasHeaderColumns: Bool { self != .table && self != .sidecar }
}

/// Columns a profile knows and deliberately leaves out of its records
/// («№», «Средний балл»): their cells are counted and the report says why.
public struct IgnoredColumns: Sendable, Hashable {
    public var headers: [String]
    /// Why, in Russian, for the report: «номер по порядку», «вычисляется из отметок».
    public var reason: String

    public var keys: [String] { headers.map(TextKey.compact) }
}

/// One field of a profile: the headers (or JSON keys) it accepts.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var headers: [String]
    public var required: Bool
    /// May come from the title block above the header row (class, year, period).
    public var fromTitle: Bool

    public var keys: [String] { headers.map(TextKey.compact) }
}

/// An import profile (`schemas/profiles/*.json`): how to recognise one shape
/// of export by its headers and turn its rows into records. A new journal's
/// export is supported by adding a profile, not code.
public struct ImportProfile: Sendable, Hashable {
    public var id: String
    public var label: String
    public var record: RecordKind
    public var layout: Layout
    public var fields: [FieldSpec]
    /// Header spellings of columns read and left out on purpose.
    public var ignored: [IgnoredColumns]
    /// Alternatives of which one must be present in full (`[["student"], ["surname", "name"]]`).
    public var anyOf: [[String]]
    /// Fields of which at least one must be among the headers: what tells
    /// this shape from others with the same identity columns.
    public var needsOneOf: [String]
    public var file: String
    /// Compact header key → field name.
    let fieldForHeader: [String: String]
    /// Compact header key → why the column is left out.
    let ignoredReason: [String: String]

    init(
        id: String, label: String, record: RecordKind, layout: Layout, fields: [FieldSpec], ignored: [IgnoredColumns],
        anyOf: [[String]], needsOneOf: [String], file: String
    ) {
        self.id = id
        self.label = label
        self.record = record
        self.layout = layout
        self.fields = fields
        self.ignored = ignored
        self.anyOf = anyOf
        self.needsOneOf = needsOneOf
        self.file = file
        fieldForHeader = Dictionary(fields.flatMap { f in f.keys.map { ($0, f.name) } }, uniquingKeysWith: { a, _ in a })
        ignoredReason = Dictionary(ignored.flatMap { i in i.keys.map { ($0, i.reason) } }, uniquingKeysWith: { a, _ in a })
    }

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }

    /// Fields that must be found among the headers (fields that may come
    /// from the title block are checked per record instead).
    public var requiredInHeader: [FieldSpec] { fields.filter { $0.required && !$0.fromTitle } }
}

/// The profiles in force, loaded from a folder and checked against the policy.
public struct ProfileSet: Sendable {
    public var profiles: [ImportProfile]

    public init(profiles: [ImportProfile]) { self.profiles = profiles }

    /// Loads every `*.json` of `folder`, in name order. Refuses an unknown
    /// key, an unknown field for the record kind, a duplicate id, a source
    /// kind the policy does not define.
    public static func load(folder: String, policy: Policy) throws(SchemaError) -> ProfileSet {
        let names: [String]
        do {
            names = try Files.names(in: folder).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        } catch {
            throw SchemaError(file: folder, path: "", message: "папка профилей импорта не открывается: \(error.reason)")
        }
        var profiles: [ImportProfile] = []
        for name in names.sorted() {
            let path = folder + "/" + name
            let display = "profiles/" + name
            let bytes: [UInt8]
            do { bytes = try Files.read(path, limit: 16 << 20) } catch {
                throw SchemaError(file: display, path: "", message: "файл не читается")
            }
            let profile = try parse(bytes, file: display, policy: policy)
            if let other = profiles.first(where: { $0.id == profile.id }) {
                throw SchemaError(file: display, path: "id", message: "профиль «\(profile.id)» уже описан в \(other.file)")
            }
            profiles.append(profile)
        }
        if profiles.isEmpty {
            throw SchemaError(file: folder, path: "", message: "в папке нет ни одного профиля импорта (*.json)")
        }
        return ProfileSet(profiles: profiles)
    }

    /// Reads one profile.
    public static func parse(_ bytes: [UInt8], file: String, policy: Policy) throws(SchemaError) -> ImportProfile {
        let root = try JSONObjectReader.document(bytes, file: file)
        let id = try root.string("id")
        let label = try root.string("label")
        let recordText = try root.string("record")
        guard let record = RecordKind(rawValue: recordText) else {
            throw root.fail("record", "вид записей «\(recordText)» неизвестен; допустимые: \(RecordKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let layoutText = try root.string("layout")
        guard let layout = Layout(rawValue: layoutText) else {
            throw root.fail(
                "layout",
                "раскладка «\(layoutText)» неизвестна; допустимые: table, subject-columns, subject-columns-periods, subject-columns-period-rows, sidecar")
        }
        if [.subjectColumns, .subjectColumnsPeriods, .subjectColumnsPeriodRows, .periodColumns].contains(layout), record != .periodMark {
            throw root.fail("layout", "раскладка с предметами или периодами по столбцам бывает только у отметок за периоды (period-mark)")
        }
        if layout == .dateColumns, record != .currentMark {
            throw root.fail("layout", "сетка журнала с датами по столбцам бывает только у текущих отметок (current-mark)")
        }
        if layout == .sidecar, record != .achievement {
            throw root.fail("layout", "файлы-описания сканов (sidecar) бывают только у достижений (achievement)")
        }
        if root.value("source") != nil {
            throw root.fail(
                "source",
                "вид источника больше не задаётся в профиле: его задаёт папка, куда положен файл (pipeline.json, «sources»), а не вид таблицы; удалите ключ")
        }
        var fields: [FieldSpec] = []
        var seenHeaders: [String: String] = [:]
        for (name, reader) in try root.namedObjects("fields") {
            guard record.fields.contains(name) else {
                throw reader.fail(nil, "поле «\(name)» не бывает у записей «\(record.rawValue)»; допустимые: \(record.fields.sorted().joined(separator: ", "))")
            }
            let headers = try reader.strings("headers")
            guard !headers.isEmpty else { throw reader.fail("headers", "нужен хотя бы один заголовок") }
            for header in headers {
                let key = TextKey.compact(header)
                guard !key.isEmpty else { throw reader.fail("headers", "заголовок «\(header)» пуст после нормализации") }
                if let other = seenHeaders[key], other != name {
                    throw reader.fail("headers", "заголовок «\(header)» уже относится к полю «\(other)»")
                }
                seenHeaders[key] = name
            }
            fields.append(
                FieldSpec(
                    name: name, headers: headers, required: try reader.bool("required", default: false),
                    fromTitle: try reader.bool("title", default: false)))
            try reader.finish()
        }
        var anyOf: [[String]] = []
        if let value = root.value("anyOf") {
            guard case .array(let groups) = value else { throw root.fail("anyOf", "ожидался список списков имён полей") }
            for group in groups {
                guard case .array(let names) = group else { throw root.fail("anyOf", "ожидался список списков имён полей") }
                var list: [String] = []
                for n in names {
                    guard case .string(let s) = n, fields.contains(where: { $0.name == s }) else {
                        throw root.fail("anyOf", "ссылка на поле, которого нет в fields")
                    }
                    list.append(s)
                }
                anyOf.append(list)
            }
        }
        var ignored: [IgnoredColumns] = []
        for reader in try root.objects("ignore") {
            let headers = try reader.strings("headers")
            guard !headers.isEmpty else { throw reader.fail("headers", "нужен хотя бы один заголовок") }
            for header in headers {
                let key = TextKey.compact(header)
                guard !key.isEmpty else { throw reader.fail("headers", "заголовок «\(header)» пуст после нормализации") }
                if let other = seenHeaders[key], other != "ignore" {
                    throw reader.fail("headers", "заголовок «\(header)» уже относится к полю «\(other)»")
                }
                seenHeaders[key] = "ignore"
            }
            ignored.append(IgnoredColumns(headers: headers, reason: try reader.string("reason")))
            try reader.finish()
        }
        for name in layout.titleFields where fields.first(where: { $0.name == name })?.fromTitle != true {
            throw root.fail("fields", "раскладке \(layout.rawValue) нужно поле «\(name)» с \"title\": true: оно читается из заголовка листа или имени листа")
        }
        let needsOneOf = try root.strings("needsOneOf")
        for name in needsOneOf where !fields.contains(where: { $0.name == name }) {
            throw root.fail("needsOneOf", "ссылка на поле «\(name)», которого нет в fields")
        }
        try root.finish()
        return ImportProfile(
            id: id, label: label, record: record, layout: layout, fields: fields, ignored: ignored, anyOf: anyOf,
            needsOneOf: needsOneOf, file: file)
    }
}
