public import CivilDate
public import Records

/// A group of results of section 3.2 and its categories.
public struct ResultGroup: Sendable {
    /// Which records the group's categories classify.
    public enum Kind: String, Sendable, Hashable {
        /// Learning results: marks, exams, projects and research.
        case academic
        /// Achievements in olympiads, contests, sport, ГТО… (3.2.2).
        case achievements
        /// Personal results (3.2.3).
        case personal
        /// Metasubject results: groups of universal learning actions (3.2.4).
        case metasubject
    }

    public var term: Term
    public var kind: Kind
    public var categories: TermIndex

    public var id: String { term.id }
    public var label: String { term.label }
    public var section: String? { term.section }
}

/// One of the policy's mark scales and the spellings of its values.
public struct MarkScale: Sendable, Hashable {
    public struct Value: Sendable, Hashable {
        public var value: MarkValue
        public var label: String
        public var spellings: [String]
    }

    public var id: String
    public var label: String
    public var values: [Value]
}

/// A period marks are given for.
public struct Period: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case quarter
        case halfYear = "half-year"
        case trimester, year, exam, final
    }

    public var term: Term
    public var kind: Kind
    public var number: Int?
    /// Scale ids a mark for this period may be on.
    public var scales: [String]
    /// How titles name the period besides its label and synonyms, in other
    /// cases of the word («годовых отметок», «за 1 четверти»): used only to
    /// read a sheet's title, never a cell.
    public var titleForms: [String] = []

    public var id: String { term.id }
    public var label: String { term.label }

    /// The kind of mark a period holds.
    public var markKind: MarkKind {
        switch kind {
        case .quarter, .halfYear, .trimester: .period
        case .year: .annual
        case .exam: .exam
        case .final: .final
        }
    }
}

/// What to do with a current mark written with a sign, «5-» or «4+».
public enum MarkSigns: String, Sendable, Hashable {
    /// The base mark counts; the sign is kept with it in the ledger and the dossier.
    case keep
    /// A signed mark is an error to fix at its cell.
    case reject
}

/// How long an output kind is kept (номенклатура дел).
public struct Retention: Sendable, Hashable {
    public var id: String
    public var label: String
    /// `nil` for permanent keeping.
    public var years: Int?
    /// Counted from the student's leaving rather than from the document's date.
    public var afterLeaving: Bool

    /// `постоянно`, `25 лет`, `3 года после выбытия`.
    public var description: String {
        guard let years else { return "постоянно" }
        let word =
            years % 10 == 1 && years % 100 != 11
            ? "год"
            : (2...4).contains(years % 10) && !(12...14).contains(years % 100) ? "года" : "лет"
        return "\(years) \(word)" + (afterLeaving ? " после выбытия" : "")
    }
}

/// A rule that decides between conflicting values from different sources.
public struct ConflictRule: Sendable, Hashable {
    public var id: String
    public var label: String
    /// Source kinds from most to least trusted (`electronic-journal`, `manual`, …).
    public var ranking: [String]
}

/// A school's regulation on individual accounting, as data: what results it
/// counts and under which section, the vocabularies files must use, the
/// mark scales and periods, the subjects, the retention periods.
public struct Policy: Sendable {
    public var id: String
    public var version: String
    public var school: String
    /// The regulation's title and approval, as reports cite it.
    public var document: String
    /// The file it was read from.
    public var file: String
    public var yearStartMonth: Int
    public var yearStartDay: Int

    public var groups: [ResultGroup]
    /// Where marks and exam results sit among the groups (`academic.assessment`).
    public var markCategory: CategoryReference
    public var examCategory: CategoryReference
    /// The group an achievement belongs to when a register does not say
    /// and its category alone does not decide.
    public var achievementsDefaultGroup: String

    public var encouragementSection: String
    public var encouragementKinds: TermIndex
    public var encouragementAreas: TermIndex
    public var documentSection: String
    public var documentKinds: TermIndex
    public var eventLevels: TermIndex
    public var eventResults: TermIndex
    public var markScales: [MarkScale] {
        didSet { markSpellings = MarkSpellings(scales: markScales, absences: absenceSpellings) }
    }
    /// Every spelling of every mark and absence, for lookups in O(1).
    var markSpellings = MarkSpellings(scales: [], absences: [])
    public var currentMarkScales: [String]
    /// What a sign after a current mark means («5-», «4+»).
    public var currentMarkSigns: MarkSigns = .keep
    public var absenceSpellings: [String] {
        didSet { markSpellings = MarkSpellings(scales: markScales, absences: absenceSpellings) }
    }
    public var periods: TermIndex
    public var periodDetails: [String: Period]
    public var subjects: TermIndex
    public var retention: [Retention]
    public var otherOrganisationsSection: String
    public var girSection: String
    /// Section letting results serve material support (МОУ СОШ № 2, 6.3); `nil` where the regulation has none.
    public var materialSupportSection: String?
    public var conflictRules: [ConflictRule]
    public var sourceKinds: TermIndex

    /// The group with this id.
    public func group(id: String) -> ResultGroup? { groups.first { $0.id == id } }

    /// The group a file's label names (`внеурочная деятельность`, `ДО`…).
    public func group(matching text: String) -> ResultGroup? {
        let key = TextKey.compact(text)
        return groups.first { $0.term.keys.contains(key) }
    }

    /// The nearest group label, for a suggestion.
    public func nearestGroup(_ text: String) -> ResultGroup? {
        let key = TextKey.compact(text)
        var best: (Int, ResultGroup)?
        for group in groups {
            for k in group.term.keys {
                let d = k.hasPrefix(key) || key.hasPrefix(k) ? 1 : TextKey.distance(key, k)
                if best == nil || d < best!.0 { best = (d, group) }
            }
        }
        guard let best, best.0 <= max(2, key.count / 3) else { return nil }
        return best.1
    }

    public func period(id: String) -> Period? { periodDetails[id] }

    /// The period a label names.
    public func period(matching text: String) -> Period? {
        periods.match(text).flatMap { periodDetails[$0.id] }
    }

    public func scale(id: String) -> MarkScale? { markScales.first { $0.id == id } }

    /// Reads a mark in any scale's spelling: `5`, `зач`, `н/а`, `осв.`.
    /// Returns the value and the scale it belongs to.
    public func markValue(_ text: String) -> (value: MarkValue, scale: String)? {
        // Compare as written first (`н/а` is not `на`), then as compact keys of two letters or more.
        if let hit = markSpellings.raw[MarkSpellings.raw(text)] { return hit }
        let key = TextKey.compact(text)
        return key.count > 1 ? markSpellings.compact[key] : nil
    }

    /// True when `text` marks an absence in a gradebook (`н`), not a mark.
    public func isAbsence(_ text: String) -> Bool {
        markSpellings.absences.contains(MarkSpellings.raw(text))
    }

    /// Retention of an output kind.
    public func retention(id: String) -> Retention? { retention.first { $0.id == id } }

    /// The academic year a date falls in, by this policy's year start.
    public func academicYear(containing date: CivilDate) -> AcademicYear {
        AcademicYear(containing: date, startMonth: yearStartMonth, startDay: yearStartDay)
    }

    /// The first and last day of a school year.
    public func bounds(of year: AcademicYear) -> ClosedRange<CivilDate> {
        let start = CivilDate(year: year.startYear, month: yearStartMonth, day: yearStartDay)!
        let next = CivilDate(year: year.startYear + 1, month: yearStartMonth, day: yearStartDay)!
        return start...next.adding(days: -1)
    }
}

/// The mark spellings of a policy, indexed.
struct MarkSpellings: Sendable {
    var raw: [String: (value: MarkValue, scale: String)] = [:]
    var compact: [String: (value: MarkValue, scale: String)] = [:]
    var absences: Set<String> = []

    init(scales: [MarkScale], absences: [String]) {
        for scale in scales {
            for value in scale.values {
                for spelling in value.spellings + [value.label] {
                    let r = MarkSpellings.raw(spelling)
                    if raw[r] == nil { raw[r] = (value.value, scale.id) }
                    let c = TextKey.compact(spelling)
                    if c.count > 1, compact[c] == nil { compact[c] = (value.value, scale.id) }
                }
            }
        }
        self.absences = Set(absences.map(MarkSpellings.raw))
    }

    /// Lower case, no whitespace: `Н/А ` → `н/а`.
    static func raw(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x41 }) { return text }
        return String(text.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace })
    }
}

/// `group.category`: a category of a result group.
public struct CategoryReference: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var category: String

    public init(group: String, category: String) {
        self.group = group
        self.category = category
    }

    init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        self.init(group: parts[0], category: parts[1])
    }

    public var description: String { "\(group).\(category)" }
}
