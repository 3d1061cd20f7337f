import CivilDate
import Records
public import StrictJSON
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
#endif

extension Policy {
    /// Reads and checks a policy file. Refuses, naming the place: an unknown
    /// key, a missing one, a duplicate id or spelling, a reference to an id
    /// that is not defined.
    public static func load(path: String, displayName: String? = nil) throws(SchemaError) -> Policy {
        let name = displayName ?? path
        let bytes: [UInt8]
        do {
            bytes = try Files.read(path, limit: 16 << 20)
        } catch {
            throw SchemaError(file: name, path: "", message: "файл положения не читается: \(error.reason)")
        }
        return try parse(bytes, file: name)
    }

    /// Reads a policy from its JSON bytes.
    public static func parse(_ bytes: [UInt8], file: String) throws(SchemaError) -> Policy {
        let root = try JSONObjectReader.document(bytes, file: file)
        let loader = PolicyLoader(file: file)
        return try loader.policy(root)
    }
}

private struct PolicyLoader {
    let file: String

    func policy(_ root: JSONObjectReader) throws(SchemaError) -> Policy {
        let id = try root.string("id")
        let version = try root.string("version")
        let school = try root.string("school")
        let document = try root.string("document")

        let yearStart = try academicYearStart(root)
        let groups = try resultGroups(root)

        let records = try root.object("recordCategories")
        let markCategory = try reference(records, "marks", groups: groups)
        let examCategory = try reference(records, "exams", groups: groups)
        let defaultGroup = try records.string("achievementsDefault")
        guard let achievementsDefault = groups.first(where: { $0.id == defaultGroup && $0.kind == .achievements }) else {
            throw records.fail("achievementsDefault", "ссылка «\(defaultGroup)» не указывает на группу достижений (kind: achievements)")
        }
        try records.finish()

        let encouragement = try root.object("encouragements")
        let encouragementSection = try encouragement.string("section")
        let encouragementKinds = try index(encouragement, "kinds", what: "вид поощрения")
        let encouragementAreas = try index(encouragement, "areas", what: "вид деятельности")
        try encouragement.finish()

        let documents = try root.object("documents")
        let documentSection = try documents.string("section")
        let documentKinds = try index(documents, "kinds", what: "вид документа")
        try documents.finish()

        let eventLevels = try index(root, "eventLevels", what: "уровень мероприятия")
        let eventResults = try index(root, "eventResults", what: "результат участия")

        let scales = try markScales(root)
        let currentMarkScales = try root.strings("currentMarkScales")
        for scaleID in currentMarkScales where !scales.contains(where: { $0.id == scaleID }) {
            throw root.fail("currentMarkScales", "ссылка на шкалу «\(scaleID)», которой нет в markScales")
        }
        let signsText = try root.optionalString("currentMarkSigns") ?? MarkSigns.keep.rawValue
        guard let signs = MarkSigns(rawValue: signsText) else {
            throw root.fail("currentMarkSigns", "«\(signsText)» — допустимы keep (отметка «5-» читается как 5, знак сохраняется) или reject (ошибка)")
        }
        let absences = try root.strings("absenceSpellings")

        let (periods, periodDetails) = try self.periods(root, scales: scales)
        let subjects = try index(root, "subjects", what: "предмет")

        let retention = try self.retention(root)

        let sections = try root.object("sections")
        let otherOrganisations = try sections.string("otherOrganisations")
        let gir = try sections.string("gir")
        let materialSupport = try sections.optionalString("materialSupport")
        try sections.finish()

        let sourceKinds = try index(root, "sourceKinds", what: "вид источника")
        let rules = try conflictRules(root, sourceKinds: sourceKinds)
        try root.finish()

        var policy = Policy(
            id: id, version: version, school: school, document: document, file: file,
            yearStartMonth: yearStart.month, yearStartDay: yearStart.day,
            groups: groups, markCategory: markCategory, examCategory: examCategory, achievementsDefaultGroup: achievementsDefault.id,
            encouragementSection: encouragementSection, encouragementKinds: encouragementKinds, encouragementAreas: encouragementAreas,
            documentSection: documentSection, documentKinds: documentKinds, eventLevels: eventLevels, eventResults: eventResults,
            markScales: scales, currentMarkScales: currentMarkScales, absenceSpellings: absences,
            periods: periods, periodDetails: periodDetails, subjects: subjects, retention: retention,
            otherOrganisationsSection: otherOrganisations, girSection: gir, materialSupportSection: materialSupport,
            conflictRules: rules, sourceKinds: sourceKinds)
        policy.markSpellings = MarkSpellings(scales: scales, absences: absences)
        policy.currentMarkSigns = signs
        return policy
    }

    /// `academicYear.start`: the month and day a school year begins (`09-01`).
    private func academicYearStart(_ root: JSONObjectReader) throws(SchemaError) -> (month: Int, day: Int) {
        let year = try root.object("academicYear")
        let start = try year.string("start")
        let parts = start.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, CivilDate(year: 2001, month: parts[0], day: parts[1]) != nil else {
            throw year.fail("start", "ожидалась дата начала учебного года в виде ММ-ДД, например 09-01")
        }
        try year.finish()
        return (parts[0], parts[1])
    }

    /// `resultGroups`: the regulation's groups of results, each with its categories.
    private func resultGroups(_ root: JSONObjectReader) throws(SchemaError) -> [ResultGroup] {
        var groups: [ResultGroup] = []
        var groupIDs: Set<String> = []
        for g in try root.objects("resultGroups", required: true) {
            let term = try self.term(g)
            guard groupIDs.insert(term.id).inserted else { throw g.fail("id", "группа «\(term.id)» уже описана выше") }
            guard let kind = ResultGroup.Kind(rawValue: try g.string("kind")) else {
                throw g.fail("kind", "вид группы должен быть одним из: academic, achievements, personal, metasubject")
            }
            let categories = try index(g, "categories", what: "категория")
            try g.finish()
            groups.append(ResultGroup(term: term, kind: kind, categories: categories))
        }
        return groups
    }

    /// `markScales`, each spelling of a mark belonging to one value only.
    private func markScales(_ root: JSONObjectReader) throws(SchemaError) -> [MarkScale] {
        var scales: [MarkScale] = []
        for s in try root.objects("markScales", required: true) {
            let scaleID = try s.string("id")
            guard !scales.contains(where: { $0.id == scaleID }) else { throw s.fail("id", "шкала «\(scaleID)» уже описана выше") }
            var values: [MarkScale.Value] = []
            for v in try s.objects("values", required: true) {
                let code = try v.string("value")
                guard let value = MarkValue(code: code) else {
                    throw v.fail("value", "значение отметки «\(code)» не из допустимых: 1–5, pass, fail, na, exempt")
                }
                values.append(MarkScale.Value(value: value, label: try v.string("label"), spellings: try v.strings("spellings")))
                try v.finish()
            }
            scales.append(MarkScale(id: scaleID, label: try s.string("label"), values: values))
            try s.finish()
        }
        var spellingOwner: [String: String] = [:]
        for scale in scales {
            for value in scale.values {
                for spelling in value.spellings + [value.label] {
                    let key = spelling.lowercased().filter { !$0.isWhitespace }
                    if let owner = spellingOwner[key], owner != value.value.code {
                        throw SchemaError(
                            file: file, path: "markScales", message: "написание «\(spelling)» относится к двум отметкам: \(owner) и \(value.value.code)")
                    }
                    spellingOwner[key] = value.value.code
                }
            }
        }
        return scales
    }

    /// `periods`: the index of their terms and each period's details, its scales among `scales`.
    private func periods(_ root: JSONObjectReader, scales: [MarkScale]) throws(SchemaError) -> (TermIndex, [String: Period]) {
        var periodTerms: [Term] = []
        var periodDetails: [String: Period] = [:]
        for p in try root.objects("periods", required: true) {
            let term = try self.term(p)
            guard let kind = Period.Kind(rawValue: try p.string("kind")) else {
                throw p.fail("kind", "вид периода должен быть одним из: quarter, half-year, trimester, year, exam, final")
            }
            let periodScales = try p.strings("scales")
            for scaleID in periodScales where !scales.contains(where: { $0.id == scaleID }) {
                throw p.fail("scales", "ссылка на шкалу «\(scaleID)», которой нет в markScales")
            }
            var period = Period(term: term, kind: kind, number: try p.optionalInt("number"), scales: periodScales)
            period.titleForms = try p.strings("titleForms")
            try p.finish()
            periodTerms.append(term)
            periodDetails[term.id] = period
        }
        let periods = try makeIndex(periodTerms, path: "periods", what: "период")
        return (periods, periodDetails)
    }

    /// `retention`: the storage periods, with the three an archive package's inventory names.
    private func retention(_ root: JSONObjectReader) throws(SchemaError) -> [Retention] {
        var retention: [Retention] = []
        for r in try root.objects("retention", required: true) {
            let rid = try r.string("id")
            guard !retention.contains(where: { $0.id == rid }) else { throw r.fail("id", "срок «\(rid)» уже описан выше") }
            let permanent = try r.bool("permanent", default: false)
            let years = try r.optionalInt("years")
            guard permanent != (years != nil) else { throw r.fail("years", "укажите либо years (число лет), либо permanent: true") }
            retention.append(Retention(id: rid, label: try r.string("label"), years: years, afterLeaving: try r.bool("afterLeaving", default: false)))
            try r.finish()
        }
        for required in ["register-book", "final-marks-summary", "personal-file"] where !retention.contains(where: { $0.id == required }) {
            throw root.fail("retention", "нет срока хранения «\(required)»: он пишется в опись архивного пакета")
        }
        return retention
    }

    /// `conflictRules`: rankings of the source kinds the policy has.
    private func conflictRules(_ root: JSONObjectReader, sourceKinds: TermIndex) throws(SchemaError) -> [ConflictRule] {
        var rules: [ConflictRule] = []
        for r in try root.objects("conflictRules") {
            let ranking = try r.strings("ranking")
            for kind in ranking where !sourceKinds.contains(id: kind) {
                throw r.fail("ranking", "ссылка на вид источника «\(kind)», которого нет в sourceKinds")
            }
            let rid = try r.string("id")
            guard !rules.contains(where: { $0.id == rid }) else { throw r.fail("id", "правило «\(rid)» уже описано выше") }
            rules.append(ConflictRule(id: rid, label: try r.string("label"), ranking: ranking))
            try r.finish()
        }
        return rules
    }

    func term(_ r: JSONObjectReader) throws(SchemaError) -> Term {
        let id = try r.string("id")
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw r.fail("id", "id «\(id)» должен состоять из латинских букв, цифр и дефиса")
        }
        return Term(id: id, label: try r.string("label"), section: try r.optionalString("section"), synonyms: try r.strings("synonyms"))
    }

    func index(_ r: JSONObjectReader, _ key: String, what: String) throws(SchemaError) -> TermIndex {
        var terms: [Term] = []
        for item in try r.objects(key, required: true) {
            terms.append(try term(item))
            try item.finish()
        }
        return try makeIndex(terms, path: r.path.isEmpty ? key : "\(r.path).\(key)", what: what)
    }

    func makeIndex(_ terms: [Term], path: String, what: String) throws(SchemaError) -> TermIndex {
        do {
            return try TermIndex(terms)
        } catch {
            let message =
                error.isID
                ? "\(what) с id «\(error.key)» описан дважды"
                : "написание «\(error.key)» относится сразу к «\(error.first)» и «\(error.second)»; оставьте его у одного"
            throw SchemaError(file: file, path: path, message: message)
        }
    }

    func reference(_ r: JSONObjectReader, _ key: String, groups: [ResultGroup]) throws(SchemaError) -> CategoryReference {
        let text = try r.string(key)
        guard let ref = CategoryReference(text), let group = groups.first(where: { $0.id == ref.group }),
            group.categories.contains(id: ref.category)
        else {
            throw r.fail(key, "ссылка «\(text)» не указывает на категорию группы (ожидалось группа.категория из resultGroups)")
        }
        return ref
    }
}
