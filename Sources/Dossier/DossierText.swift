import CivilDate
public import Ledger
public import Policy
import Records

/// A dossier as a class teacher reads it: in Russian, a table of marks by
/// subject and period, exams, achievements, encouragements, results, conflicts.
public struct DossierText: Sendable {
    public let policy: Policy

    public init(policy: Policy) { self.policy = policy }

    public func text(_ r: StudentRecord) -> String {
        var out: [String] = []
        heading(r, into: &out)
        marks(r, into: &out)
        exams(r, into: &out)
        achievements(r, into: &out)
        encouragements(r, into: &out)
        development(r, into: &out)
        conflicts(r, into: &out)
        return out.joined(separator: "\n") + "\n"
    }

    /// Who the student is, and the regulation the record is kept under.
    private func heading(_ r: StudentRecord, into out: inout [String]) {
        out.append("Индивидуальный учёт результатов: \(r.name) (\(r.id))")
        var identity = ["дата рождения \(r.birthDate.russian)"]
        if let c = r.current { identity.append("класс \(c.schoolClass) (\(c.year) учебный год)") }
        if let j = r.journalID { identity.append("id в журнале \(j)") }
        out.append(identity.joined(separator: "; "))
        if r.achievements.contains(where: \.gir) {
            out.append(
                "Сведения о достижениях внесены в государственный информационный ресурс об одарённых детях (п. \(policy.girSection)): возможны особые условия аттестации."
            )
        }
        out.append("Положение: \(policy.document)")
    }

    /// A table a year: subjects by periods, and the count and mean of current marks.
    private func marks(_ r: StudentRecord, into out: inout [String]) {
        let periods = policy.periods.terms.map(\.id)
        let years = Set(r.marks.map(\.year)).sorted()
        for year in years {
            let marks = r.marks.filter { $0.year == year }
            let used = periods.filter { p in marks.contains { $0.period == p } }
            out.append("")
            out.append("Отметки, \(year) учебный год (п. \(policy.markCategory.section(in: policy)))")
            let header = ["предмет".padded(40)] + used.map { (policy.period(id: $0)?.label ?? $0).shortPeriod.padded(7) } + ["текущих (средний)"]
            out.append(header.joined())
            let subjects = Set(marks.map(\.subject)).sorted { (rank($0), $0) < (rank($1), $1) }
            for subject in subjects {
                let own = marks.filter { $0.subject == subject }
                var line = (policy.subjects.term(id: subject)?.label ?? subject).padded(40)
                for p in used {
                    let values = own.filter { $0.period == p }.map { $0.value.description }
                    line += (values.isEmpty ? "—" : Array(Set(values)).sorted().joined(separator: "/")).padded(7)
                }
                let current = own.filter { $0.kind == .current }.compactMap { $0.value.points }
                if !current.isEmpty {
                    let mean = Double(current.reduce(0, +)) / Double(current.count)
                    line += "\(current.count) (\(String(format2(mean))))"
                }
                out.append(line)
            }
        }
    }

    /// State exams: scores, mark or why there is none.
    private func exams(_ r: StudentRecord, into out: inout [String]) {
        if !r.exams.isEmpty {
            out.append("")
            out.append("Государственная итоговая аттестация")
            for e in r.exams.sorted(by: { ($0.year, $0.form.rawValue, $0.subject) < ($1.year, $1.form.rawValue, $1.subject) }) {
                var parts: [String] = []
                if let p = e.primaryScore { parts.append("первичный балл \(trim(p))") }
                if let t = e.testScore { parts.append("тестовый балл \(trim(t))") }
                if let m = e.mark { parts.append("отметка \(m)") }
                if let word = e.noResult { parts.append("без результата: \(word)") }
                if let l = e.level { parts.append(l) }
                out.append(
                    "  \(e.form.rawValue) \(policy.subjects.term(id: e.subject)?.label ?? e.subject): " + parts.joined(separator: ", ")
                        + (e.date.map { " (\($0.russian))" } ?? "") + (e.retake ? ", пересдача" : ""))
            }
        }
    }

    /// Achievements with their group, category and section of the regulation.
    private func achievements(_ r: StudentRecord, into out: inout [String]) {
        if !r.achievements.isEmpty {
            out.append("")
            out.append("Достижения")
            for a in r.achievements.sorted(by: { ($0.year, $0.date ?? CivilDate.distant, $0.event) < ($1.year, $1.date ?? CivilDate.distant, $1.event) }) {
                let group = policy.group(id: a.group)
                let category = group?.categories.term(id: a.category)
                var line = "  \(a.date?.russian ?? a.year.description) \(a.event)"
                let details = [a.level.flatMap { policy.eventLevels.term(id: $0)?.label }, a.result.flatMap { policy.eventResults.term(id: $0)?.label }]
                    .compactMap { $0 }
                if !details.isEmpty { line += " — " + details.joined(separator: ", ") }
                line += " [\(group?.label ?? a.group) → \(category?.label ?? a.category), п. \(category?.section ?? group?.section ?? "")]"
                if let kind = a.documentKind { line += "; \(policy.documentKinds.term(id: kind)?.label ?? kind)" + (a.documentNumber.map { " № \($0)" } ?? "") }
                if a.scanSHA256 != nil { line += ", скан приложен" }
                out.append(line)
            }
        }
    }

    /// Encouragements with their orders.
    private func encouragements(_ r: StudentRecord, into out: inout [String]) {
        if !r.encouragements.isEmpty {
            out.append("")
            out.append("Поощрения (п. \(policy.encouragementSection))")
            for e in r.encouragements {
                out.append(
                    "  \(policy.encouragementKinds.term(id: e.kind)?.label ?? e.kind) за \(policy.encouragementAreas.term(id: e.area)?.label ?? e.area) деятельность"
                        + (e.orderNumber.map { ", приказ \($0)" } ?? "") + (e.orderDate.map { " от \($0.russian)" } ?? ""))
            }
        }
    }

    /// Personal and metasubject results.
    private func development(_ r: StudentRecord, into out: inout [String]) {
        for kind in [DevelopmentResult.Kind.personal, .metasubject] {
            let rows = r.development.filter { $0.kind == kind }
            guard !rows.isEmpty, let group = policy.groups.first(where: { $0.kind == (kind == .personal ? .personal : .metasubject) }) else { continue }
            out.append("")
            out.append("\(group.label) (п. \(group.section ?? ""))")
            for d in rows {
                out.append(
                    "  \(group.categories.term(id: d.category)?.label ?? d.category)" + (d.indicator.map { ", \($0)" } ?? "") + ": \(d.value)"
                        + (d.date.map { " (\($0.russian))" } ?? ""))
            }
        }
    }

    /// Where sources disagree, and how each was decided (or that it is not).
    private func conflicts(_ r: StudentRecord, into out: inout [String]) {
        if !r.conflicts.isEmpty {
            out.append("")
            out.append("Расхождения между источниками")
            for c in r.conflicts {
                let values = r.marks.filter { $0.kind != .current && $0.subject == c.subject && $0.year == c.year && $0.period == c.period }
                let listed = values.map { "\($0.value) (\(r.files[$0.source.fileID]?.name ?? "?"))" }.joined(separator: " и ")
                let subject = policy.subjects.term(id: c.subject)?.label ?? c.subject
                let period = policy.period(id: c.period)?.label ?? c.period
                let earlier =
                    c.previousDecision.map { d in
                        d.undoneAt != nil
                            ? "; прежнее решение «\(d.value)» отменено (\(d.undoneBy ?? ""), \(d.undoneAt?.prefix(10) ?? ""))"
                            : "; прежнее решение «\(MarkValue(code: d.value)?.description ?? d.value)» (\(d.provenance)) не видело значения \(d.reopenedValues.joined(separator: ", "))"
                    } ?? ""
                if c.open {
                    out.append("  конфликт № \(c.id): \(subject), \(period), \(c.year): \(listed) — не решено, нужно решение (uchet resolve \(c.id))\(earlier)")
                } else if let d = c.decision {
                    out.append(
                        "  конфликт № \(c.id): \(subject), \(period), \(c.year): \(listed) — принято \(d.markValue?.description ?? d.value) (\(d.provenance))")
                } else {
                    let chosen = values.first { $0.fact == c.winnerFact }?.value.description ?? "?"
                    let rule = policy.conflictRules.first { $0.id == c.rule }?.label ?? (c.rule ?? "")
                    out.append("  \(subject), \(period), \(c.year): \(listed) — принято \(chosen) по правилу «\(rule)»")
                }
            }
        }
    }

    private func rank(_ subject: String) -> Int { policy.subjects.terms.firstIndex { $0.id == subject } ?? 999 }

    private func trim(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}

extension CategoryReference {
    func section(in policy: Policy) -> String {
        policy.group(id: group)?.categories.term(id: category)?.section ?? policy.group(id: group)?.section ?? "3.2"
    }
}

extension String {
    func padded(_ width: Int) -> String { self.count >= width ? self + " " : self + String(repeating: " ", count: width - self.count) }

    /// `1 четверть` → `1 ч`, `2 полугодие` → `2 п/г`.
    var shortPeriod: String {
        if hasSuffix("четверть") { return String(prefix(1)) + " ч" }
        if hasSuffix("полугодие") { return String(prefix(1)) + " п/г" }
        return self
    }
}

func format2(_ x: Double) -> String {
    let hundredths = Int((x * 100).rounded())
    let frac = hundredths % 100
    return "\(hundredths / 100),\(frac < 10 ? "0" : "")\(frac)"
}
