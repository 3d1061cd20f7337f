import CivilDate
public import Ledger
public import Policy
import Records
import XMLStream

/// The school as the dossier names it.
public struct SchoolInfo: Sendable {
    public var name: String
    public var code: String

    public init(name: String, code: String) {
        self.name = name
        self.code = code
    }
}

/// Writes a student's dossier (`schemas/dossier.xsd`) from the ledger's
/// record: deterministic (the same record gives the same bytes: every list
/// in a stable order, no times of writing inside).
public struct DossierBuilder: Sendable {
    public static let namespace = "urn:uchet:dossier:1"

    public let policy: Policy
    public let school: SchoolInfo

    public init(policy: Policy, school: SchoolInfo) {
        self.policy = policy
        self.school = school
    }

    public func xml(_ record: StudentRecord) throws -> [UInt8] {
        let sources = SourceTable(record)
        let periodRank = Dictionary(policy.periods.terms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let subjectRank = Dictionary(policy.subjects.terms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try XMLWriter.bytes(document: "\(record.id).xml", indent: true) { w in
            try w.startDocument()
            try w.startElement("dossier")
            try w.attribute("xmlns", DossierBuilder.namespace)
            try w.attribute("version", "1.0")
            try w.attribute("student", record.id.rawValue)
            try w.attribute("policy", policy.id)
            try w.attribute("policyVersion", policy.version)

            try w.element("school", ["name": school.name, "code": school.code, "regulation": policy.document])
            try identity(w, record, sources)
            try enrolments(w, record, sources)
            try results(w, record, sources, periodRank: periodRank, subjectRank: subjectRank)
            try encouragements(w, record, sources)
            try conflicts(w, record, sources, periodRank: periodRank)

            try w.startElement("sources")
            for (id, file) in sources.ordered {
                try w.startElement("source")
                try w.attribute("id", id)
                try w.attribute("sha256", file.sha256)
                try w.attribute("name", file.name)
                if let kind = file.sourceKind { try w.attribute("kind", kind) }
                if let reason = file.sourceReason { try w.attribute("kindBasis", reason) }
                try w.endElement()
            }
            try w.endElement()
            try w.endElement()
            try w.endDocument()
        }
    }

    // MARK: - Parts

    private func identity(_ w: XMLWriter, _ r: StudentRecord, _ sources: SourceTable) throws {
        try w.startElement("identity")
        try provenance(w, r.source, sources)
        try w.startElement("name")
        try w.attribute("surname", r.name.surname)
        try w.attribute("given", r.name.name)
        if let p = r.name.patronymic { try w.attribute("patronymic", p) }
        try w.endElement()
        try w.element("birthDate", text: r.birthDate.iso8601)
        if let sex = r.sex { try w.element("sex", text: sex.rawValue) }
        if let snils = r.snils.flatMap(SNILS.init(stored:)) {
            try w.element("snils", text: snils.description)
        }
        if let j = r.journalID { try w.element("journalId", text: j) }
        if let gir = r.achievements.filter(\.gir).min(by: { ($0.year, $0.event) < ($1.year, $1.event) }) {
            try w.startElement("gir")
            try w.attribute("section", policy.girSection)
            try provenance(w, gir.source, sources)
            try w.endElement()
        }
        try w.endElement()
    }

    private func enrolments(_ w: XMLWriter, _ r: StudentRecord, _ sources: SourceTable) throws {
        try w.startElement("enrolments")
        for e in r.enrolments.sorted(by: { $0.year < $1.year }) {
            try w.startElement("enrolment")
            try w.attribute("year", e.year.description)
            try w.attribute("class", e.schoolClass)
            if let d = e.enrolled { try w.attribute("enrolled", d.iso8601) }
            if let d = e.left { try w.attribute("left", d.iso8601) }
            try provenance(w, e.source, sources)
            try w.endElement()
        }
        try w.fullEndElement()
    }

    private func results(_ w: XMLWriter, _ r: StudentRecord, _ sources: SourceTable, periodRank: [String: Int], subjectRank: [String: Int]) throws {
        // What each category holds, then written in the policy's order of groups and categories.
        // Marks by year and subject, as positions in `r.marks` (no copies of the rows).
        var marksBy: [SubjectYear: [Int]] = [:]
        for (i, m) in r.marks.enumerated() { marksBy[SubjectYear(year: m.year.startYear, subject: m.subject), default: []].append(i) }
        let conflictState = ConflictState(r)
        let enrolledClass = Dictionary(r.enrolments.map { ($0.year.startYear, $0.schoolClass) }, uniquingKeysWith: { a, _ in a })
        try w.startElement("results")
        for group in policy.groups {
            // For each category of the group, in the policy's order, what the student has in it.
            var filled: [(category: Term, write: () throws -> Void)] = []
            for category in group.categories.terms {
                let ref = CategoryReference(group: group.id, category: category.id)
                let achievements = r.achievements.filter { $0.group == group.id && $0.category == category.id }
                let kind: DevelopmentResult.Kind? = group.kind == .personal ? .personal : group.kind == .metasubject ? .metasubject : nil
                let development = kind == nil ? [] : r.development.filter { $0.kind == kind && $0.category == category.id }
                let hasMarks = ref == policy.markCategory && !r.marks.isEmpty
                let hasExams = ref == policy.examCategory && !r.exams.isEmpty
                guard hasMarks || hasExams || !achievements.isEmpty || !development.isEmpty else { continue }
                filled.append(
                    (
                        category,
                        {
                            if hasMarks {
                                let keys = marksBy.keys.map { ($0, subjectRank[$0.subject] ?? 999) }.sorted { a, b in
                                    (a.0.year, a.1, a.0.subject) < (b.0.year, b.1, b.0.subject)
                                }
                                for (key, _) in keys {
                                    try self.subject(
                                        w, r.marks, marksBy[key]!, sources, periodRank: periodRank, conflicts: conflictState, enrolledClass: enrolledClass)
                                }
                            }
                            if hasExams {
                                let ordered = r.exams.sorted {
                                    ($0.year, $0.form.rawValue, subjectRank[$0.subject] ?? 999, $0.date ?? .distant, $0.source.row ?? 0)
                                        < ($1.year, $1.form.rawValue, subjectRank[$1.subject] ?? 999, $1.date ?? .distant, $1.source.row ?? 0)
                                }
                                for e in ordered { try self.exam(w, e, sources) }
                            }
                            for a in achievements.sorted(by: {
                                ($0.year, $0.date ?? .distant, $0.event, $0.source.row ?? 0) < ($1.year, $1.date ?? .distant, $1.event, $1.source.row ?? 0)
                            }) {
                                try self.achievement(w, a, sources)
                            }
                            for d in development.sorted(by: {
                                ($0.year, $0.date ?? .distant, $0.indicator ?? "", $0.value) < ($1.year, $1.date ?? .distant, $1.indicator ?? "", $1.value)
                            }) {
                                try self.development(w, d, sources)
                            }
                        }
                    ))
            }
            guard !filled.isEmpty else { continue }
            try w.startElement("group")
            try w.attribute("id", group.id)
            try w.attribute("section", group.section ?? "3.2")
            try w.attribute("label", group.label)
            for (category, write) in filled {
                try w.startElement("category")
                try w.attribute("id", category.id)
                try w.attribute("section", category.section ?? group.section ?? "3.2")
                try w.attribute("label", category.label)
                try write()
                try w.endElement()
            }
            try w.endElement()
        }
        try w.fullEndElement()
    }

    private func subject(
        _ w: XMLWriter, _ marks: [StudentRecord.MarkRow], _ positions: [Int], _ sources: SourceTable, periodRank: [String: Int],
        conflicts: ConflictState, enrolledClass: [Int: String]
    ) throws {
        guard let firstPosition = positions.first else { return }
        let first = marks[firstPosition]
        try w.startElement("subject")
        try w.attribute("id", first.subject)
        try w.attribute("label", policy.subjects.term(id: first.subject)?.label ?? first.subject)
        try w.attribute("year", first.year.description)
        // Period marks in the policy's order of periods, then current marks; by date, then fact.
        // The keys are worked out once per mark, not once per comparison.
        let ordered = positions.map { i -> (rank: Int, date: CivilDate, fact: Int64, i: Int) in
            let m = marks[i]
            return (m.kind == .current ? 1000 : periodRank[m.period ?? ""] ?? 999, m.date ?? .distant, m.fact, i)
        }.sorted { ($0.rank, $0.date, $0.fact) < ($1.rank, $1.date, $1.fact) }
        for key in ordered {
            let m = marks[key.i]
            try w.startElement("mark")
            try w.attribute("kind", m.kind.rawValue)
            if let p = m.period { try w.attribute("period", p) }
            try w.attribute("value", m.value.code)
            if let sign = m.sign { try w.attribute("sign", sign) }
            if let d = m.date { try w.attribute("date", d.iso8601) }
            if let work = m.work { try w.attribute("work", work) }
            if let weight = m.weight { try w.attribute("weight", decimal(weight)) }
            // The class is written only where it differs from the year's enrolment (a mark from another class).
            if let c = m.schoolClass, c != enrolledClass[m.year.startYear] { try w.attribute("class", c) }
            if let state = conflicts.state(of: m) { try w.attribute("conflict", state) }
            try provenance(w, m.source, sources)
            try w.endElement()
        }
        try w.endElement()
    }

    private func exam(_ w: XMLWriter, _ e: StudentRecord.ExamRow, _ sources: SourceTable) throws {
        try w.startElement("exam")
        try w.attribute("subject", e.subject)
        try w.attribute("label", policy.subjects.term(id: e.subject)?.label ?? e.subject)
        try w.attribute("form", e.form.rawValue)
        try w.attribute("year", e.year.description)
        if let l = e.level { try w.attribute("level", l) }
        if let p = e.primaryScore { try w.attribute("primaryScore", decimal(p)) }
        if let t = e.testScore { try w.attribute("testScore", decimal(t)) }
        if let m = e.mark { try w.attribute("mark", m.code) }
        if let word = e.noResult { try w.attribute("noResult", word) }
        if let d = e.date { try w.attribute("date", d.iso8601) }
        if e.retake { try w.attribute("retake", "true") }
        try provenance(w, e.source, sources)
        try w.endElement()
    }

    private func achievement(_ w: XMLWriter, _ a: StudentRecord.AchievementRow, _ sources: SourceTable) throws {
        try w.startElement("achievement")
        try w.attribute("event", a.event)
        try w.attribute("year", a.year.description)
        if let l = a.level {
            try w.attribute("level", l)
            try w.attribute("levelLabel", policy.eventLevels.term(id: l)?.label ?? l)
        }
        if let r = a.result {
            try w.attribute("result", r)
            try w.attribute("resultLabel", policy.eventResults.term(id: r)?.label ?? r)
        }
        if let d = a.date { try w.attribute("date", d.iso8601) }
        if let s = a.subject { try w.attribute("subject", s) }
        if let o = a.organiser { try w.attribute("organiser", o) }
        if a.gir { try w.attribute("gir", "true") }
        try provenance(w, a.source, sources)
        if let kind = a.documentKind {
            try w.startElement("document")
            try w.attribute("kind", kind)
            try w.attribute("label", policy.documentKinds.term(id: kind)?.label ?? kind)
            try w.attribute("section", policy.documentSection)
            if let n = a.documentNumber { try w.attribute("number", n) }
            if let sha = a.scanSHA256 {
                try w.attribute("scan", DossierBuilder.scanPath(sha256: sha, name: a.scanName))
                try w.attribute("sha256", sha)
            }
            try w.endElement()
        }
        if let other = a.otherOrganisation, let consent = a.consent {
            try w.element("otherOrganisation", ["name": other, "consent": consent, "section": policy.otherOrganisationsSection])
        }
        try w.endElement()
    }

    private func development(_ w: XMLWriter, _ d: StudentRecord.DevelopmentRow, _ sources: SourceTable) throws {
        try w.startElement("result")
        try w.attribute("year", d.year.description)
        if let i = d.indicator { try w.attribute("indicator", i) }
        try w.attribute("value", d.value)
        if let date = d.date { try w.attribute("date", date.iso8601) }
        if let b = d.basis { try w.attribute("basis", b) }
        try provenance(w, d.source, sources)
        try w.endElement()
    }

    private func encouragements(_ w: XMLWriter, _ r: StudentRecord, _ sources: SourceTable) throws {
        try w.startElement("encouragements")
        try w.attribute("section", policy.encouragementSection)
        for e in r.encouragements.sorted(by: { ($0.year, $0.orderDate ?? .distant, $0.kind) < ($1.year, $1.orderDate ?? .distant, $1.kind) }) {
            try w.startElement("encouragement")
            try w.attribute("kind", e.kind)
            try w.attribute("kindLabel", policy.encouragementKinds.term(id: e.kind)?.label ?? e.kind)
            try w.attribute("area", e.area)
            try w.attribute("areaLabel", policy.encouragementAreas.term(id: e.area)?.label ?? e.area)
            try w.attribute("section", policy.encouragementKinds.term(id: e.kind)?.section ?? policy.encouragementSection)
            try w.attribute("year", e.year.description)
            if let n = e.orderNumber { try w.attribute("order", n) }
            if let d = e.orderDate { try w.attribute("orderDate", d.iso8601) }
            if let b = e.basis { try w.attribute("basis", b) }
            try provenance(w, e.source, sources)
            try w.endElement()
        }
        try w.fullEndElement()
    }

    private func conflicts(_ w: XMLWriter, _ r: StudentRecord, _ sources: SourceTable, periodRank: [String: Int]) throws {
        try w.startElement("conflicts")
        for c in r.conflicts.sorted(by: { ($0.year, $0.subject, periodRank[$0.period] ?? 999) < ($1.year, $1.subject, periodRank[$1.period] ?? 999) }) {
            let values = r.marks.filter { $0.kind != .current && $0.subject == c.subject && $0.year == c.year && $0.period == c.period }
                .sorted { ($0.source.fileID, $0.fact) < ($1.source.fileID, $1.fact) }
            guard values.count >= 2 else { continue }
            try w.startElement("conflict")
            try w.attribute("id", String(c.id))
            try w.attribute("subject", c.subject)
            try w.attribute("year", c.year.description)
            try w.attribute("period", c.period)
            try w.attribute("status", c.open ? "open" : c.decision != nil ? "decided" : "resolved")
            if let rule = c.rule { try w.attribute("rule", rule) }
            if let d = c.decision {
                try w.attribute("chosen", d.value)
            } else if let winner = c.winnerFact, let chosen = values.first(where: { $0.fact == winner }) {
                try w.attribute("chosen", chosen.value.code)
            }
            for v in values.sorted(by: { (sources.id($0.source.fileID), $0.fact) < (sources.id($1.source.fileID), $1.fact) }) {
                try w.startElement("value")
                try w.attribute("value", v.value.code)
                if let kind = r.files[v.source.fileID]?.sourceKind { try w.attribute("sourceKind", kind) }
                try provenance(w, v.source, sources)
                try w.endElement()
            }
            for (d, state) in [(c.previousDecision, c.previousDecision?.undoneAt != nil ? "undone" : "reopened"), (c.decision, "in-force")] {
                guard let d else { continue }
                try w.startElement("decision")
                try w.attribute("value", d.value)
                try w.attribute("state", state)
                try w.attribute("by", d.by)
                try w.attribute("at", d.at)
                try w.attribute("reason", d.reason)
                try w.attribute("src", d.provenance)
                if !d.reopenedValues.isEmpty { try w.attribute("unseen", d.reopenedValues.joined(separator: " ")) }
                try w.endElement()
            }
            try w.endElement()
        }
        try w.fullEndElement()
    }

    private func provenance(_ w: XMLWriter, _ source: SourceRef, _ sources: SourceTable) throws {
        try w.attribute("src", sources.id(source.fileID))
        if let cell = source.cell { try w.attribute("at", cell) }
    }

    /// The scan's name inside an archive package: its hash and its extension.
    public static func scanPath(sha256: String, name: String?) -> String {
        let ext =
            name.flatMap { n in n.lastIndex(of: ".").map { String(n[$0...]).lowercased() } }
            .flatMap { $0.count <= 6 && $0.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } ? $0 : nil } ?? ""
        return "scans/" + sha256 + ext
    }

    func decimal(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }
}

/// Source files numbered `s1`, `s2`… by name and hash: stable for the same files.
struct SourceTable {
    let ordered: [(id: String, file: SourceFileRow)]
    private let byFile: [Int64: String]

    init(_ r: StudentRecord) {
        let files = r.files.values.sorted { ($0.name, $0.sha256) < ($1.name, $1.sha256) }
        ordered = files.enumerated().map { ("s\($0.offset + 1)", $0.element) }
        byFile = Dictionary(ordered.map { ($0.file.id, $0.id) }, uniquingKeysWith: { a, _ in a })
    }

    func id(_ fileID: Int64) -> String { byFile[fileID] ?? "s0" }
}

/// A subject in one academic year: how a dossier groups marks.
struct SubjectYear: Hashable {
    var year: Int
    var subject: String
}

/// Which marks a conflict concerns, and how it stands.
struct ConflictState {
    private var byKey: [String: StudentRecord.ConflictRow] = [:]

    init(_ r: StudentRecord) {
        for c in r.conflicts { byKey["\(c.year.startYear)|\(c.subject)|\(c.period)"] = c }
    }

    /// `open`; or, decided by a rule, `chosen` or `set-aside`; `nil` when no conflict.
    func state(of m: StudentRecord.MarkRow) -> String? {
        guard !byKey.isEmpty, m.kind != .current, let period = m.period, let c = byKey["\(m.year.startYear)|\(m.subject)|\(period)"] else { return nil }
        if c.open { return "open" }
        if let d = c.decision { return d.value == m.value.code ? "chosen" : "set-aside" }
        return c.winnerFact == m.fact ? "chosen" : "set-aside"
    }
}

extension CivilDate {
    /// A date after every real one, for sorting missing dates last.
    static let distant = CivilDate(year: 9999, month: 12, day: 31)!
}
