public import Ledger
public import Policy
import Records

/// A conflict in words, for the school's staff on the terminal (`uchet
/// conflicts`, the run's summary): the student by name, class and id, the
/// subject and period, every value with its file, cell and source kind, and
/// how it stands. Never written to a log.
public struct ConflictText: Sendable {
    public let policy: Policy

    public init(policy: Policy) { self.policy = policy }

    /// `№ 12. Ершова Ксения Игоревна, 9А, id 100234 — Физика, 2 четверть 2025/2026: не решён`, then a line per value.
    public func lines(_ c: ConflictItem, indent: String = "") -> [String] {
        let subject = policy.subjects.term(id: c.subject)?.label ?? c.subject
        let period = policy.period(id: c.period)?.label ?? c.period
        var out = ["\(indent)№ \(c.id). \(c.name), \(c.schoolClass ?? "класс не известен"), id \(c.student) — \(subject), \(period) \(c.year): \(state(c))"]
        for v in c.values {
            let kind = v.sourceKind.map { policy.sourceKinds.term(id: $0)?.label ?? $0 } ?? "источник не указан"
            out.append("\(indent)    \(v.value) — \(v.fileName)\(v.cell.map { ", \($0)" } ?? "") (\(kind))")
        }
        if let p = c.previous {
            if p.undoneAt != nil {
                out.append("\(indent)    прежнее решение «\(word(p.value))» (\(p.provenance)) отменено: \(p.undoneBy ?? ""), \(p.undoneAt?.prefix(16) ?? "")")
            } else {
                out.append(
                    "\(indent)    прежнее решение «\(word(p.value))» (\(p.provenance)) не видело значения "
                        + p.reopenedValues.map { "«\(word($0))»" }.joined(separator: ", ") + ": конфликт открыт снова")
            }
        }
        return out
    }

    /// `не решён`, `решён по правилу «…»: принято 5`, `решён: принято 4 (решение: …)`.
    public func state(_ c: ConflictItem) -> String {
        switch c.status {
        case "open": return "не решён"
        case "decided":
            guard let d = c.decision else { return "решён" }
            return "решён человеком: принято «\(word(d.value))» (\(d.provenance))"
        case "resolved":
            let rule = policy.conflictRules.first { $0.id == c.rule }?.label ?? (c.rule ?? "")
            return "решён по правилу «\(rule)»" + (c.chosen.map { ": принято «\($0)»" } ?? "")
        case "closed": return "закрыт: расходившееся значение ушло с отозванным файлом"
        default: return c.status
        }
    }

    private func word(_ code: String) -> String { MarkValue(code: code)?.description ?? code }
}
