import Ledger
import Policy
import Records

/// Honours by the rules' thresholds: the 9th grade's attestat with honours
/// (every final mark «5», ГИА passed without a retake), and the 11th grade's
/// medals «За особые успехи в учении» (приказ № 730: I degree — every final
/// mark «5»; II — at most the rules' number of «4»; for both, ГИА passed and
/// one of the medal's exam routes: ЕГЭ Russian and another subject at their
/// scores, basic mathematics «5» where only it and Russian were taken, or ГВЭ).
struct HonoursJudge {
    let calculator: FinalMarkCalculator
    let history: ExamHistory
    let finals: [FinalMark]
    let gia: GIAResult

    /// One condition of an award; `shortBy` counts what is missing (marks below, scores short).
    struct Condition {
        var text: String
        var ok: Bool
        var shortBy: Int
    }

    private var complete: Condition {
        let missing = finals.filter { $0.value == nil }.map(\.label)
        return Condition(
            text: "итоговые отметки есть по всем предметам" + (missing.isEmpty ? "" : " (нет: \(missing.joined(separator: ", ")))"),
            ok: missing.isEmpty, shortBy: missing.count)
    }

    private var giaPassed: Condition {
        Condition(text: "ГИА пройдена" + (gia.status == .pending ? " (не все результаты есть)" : ""), ok: gia.status == .passed, shortBy: 1)
    }

    func honours(_ g: AttestatRules.Grade) -> HonoursDecision {
        guard let h = g.honours else { return .none }
        var conditions = [complete]
        let below = finals.filter { ($0.value?.points ?? 5) < 5 }.map(\.label)
        if h.allFinalMarksFive {
            conditions.append(
                Condition(
                    text: "все итоговые отметки «отлично»" + (below.isEmpty ? "" : " (ниже: \(below.joined(separator: ", ")))"),
                    ok: below.isEmpty, shortBy: below.count))
        } else {
            conditions.append(Condition(text: "все итоговые отметки «отлично» — по правилам школы не требуется", ok: true, shortBy: 0))
        }
        conditions.append(giaPassed)
        if !h.retakesCount {
            let retaken = history.subjects.filter { history.retook($0) }.map(calculator.label)
            conditions.append(
                Condition(
                    text: "ГИА без пересдач" + (retaken.isEmpty ? "" : " (пересдача: \(retaken.joined(separator: ", ")))"),
                    ok: retaken.isEmpty, shortBy: retaken.count))
        }
        return decide([(h.label, h.label, conditions)])
    }

    func medals(_ g: AttestatRules.Grade) -> HonoursDecision {
        let fours = finals.filter { $0.value?.points == 4 }.map(\.label)
        let lower = finals.filter { ($0.value?.points ?? 5) < 4 }.map(\.label)
        var awards: [(label: String, attestat: String, conditions: [Condition])] = []
        for m in g.medals {
            var c = [complete]
            c.append(
                Condition(
                    text: "нет итоговых отметок ниже «хорошо»" + (lower.isEmpty ? "" : " (ниже: \(lower.joined(separator: ", ")))"),
                    ok: lower.isEmpty, shortBy: lower.count))
            c.append(
                Condition(
                    text: "отметок «хорошо» не больше \(m.maxFours)" + (fours.isEmpty ? "" : " (их \(fours.count): \(fours.joined(separator: ", ")))"),
                    ok: fours.count <= m.maxFours, shortBy: max(0, fours.count - m.maxFours)))
            c.append(giaPassed)
            let routes = m.routes.map(route)
            let met = routes.first { $0.ok }
            c.append(
                Condition(
                    text: met.map { "экзамены: \($0.text)" } ?? "экзамены: ни один путь не выполнен (" + routes.map(\.text).joined(separator: "; ") + ")",
                    ok: met != nil, shortBy: routes.map(\.shortBy).min() ?? 1))
            awards.append((m.label, m.attestat, c))
        }
        return decide(awards)
    }

    /// `ЕГЭ: русский язык 72 (не ниже 70) — да, другой предмет: Физика 80 (не ниже 70) — да`.
    private func route(_ r: AttestatRules.MedalRoute) -> Condition {
        var parts: [String] = []
        var short = 0
        for s in r.subjects {
            let row = history.latestResult(s.subject, form: r.form, level: s.level)
            let ok = row.flatMap { ExamHistory.meets($0, s) } ?? false
            let level = s.level.map { " (\($0))" } ?? ""
            parts.append("\(calculator.label(s.subject))\(level): \(row.map(history.result) ?? "нет результата"), нужно \(s.threshold) — \(ok ? "да" : "нет")")
            if !ok { short += 1 }
        }
        if let min = r.otherSubjectMinimumScore {
            let named = Set(r.subjects.map(\.subject))
            var best: (subject: String, score: Double)?
            for subject in history.subjects where !named.contains(subject) {
                for row in history.rows(subject, form: r.form) where ExamHistory.hasResult(row) {
                    if let score = history.latestResult(subject, form: r.form, level: row.level)?.testScore, score > (best?.score ?? -1) {
                        best = (subject, score)
                    }
                }
            }
            let ok = (best?.score ?? -1) >= min
            parts.append(
                "другой предмет: " + (best.map { "\(calculator.label($0.subject)) \(CellNumber.format($0.score))" } ?? "нет результата")
                    + ", нужно не ниже \(CellNumber.format(min)) баллов — \(ok ? "да" : "нет")")
            if !ok { short += 1 }
        }
        if r.onlyTheseSubjects {
            let others = history.rows.filter { row in
                row.form == r.form && !r.subjects.contains { $0.subject == row.subject && ($0.level == nil || $0.level == row.level) }
            }
            let names = Set(others.map { calculator.label($0.subject) + ($0.level.map { " (\($0))" } ?? "") }).sorted()
            parts.append("других предметов нет" + (names.isEmpty ? "" : " (есть: \(names.joined(separator: ", ")))") + " — \(names.isEmpty ? "да" : "нет")")
            if !names.isEmpty { short += 2 }
        }
        return Condition(text: "«\(r.label)»: " + parts.joined(separator: "; "), ok: short == 0, shortBy: max(1, short))
    }

    /// The first award whose conditions all hold; otherwise, for the first
    /// award missed by one thing only (one condition, one mark), that thing.
    private func decide(_ awards: [(label: String, attestat: String, conditions: [Condition])]) -> HonoursDecision {
        var lines: [String] = []
        var near: String?
        for award in awards {
            for c in award.conditions { lines.append("\(award.label): \(c.text) — \(c.ok ? "да" : "нет")") }
            let failed = award.conditions.filter { !$0.ok }
            if failed.isEmpty { return HonoursDecision(award: award.label, attestat: award.attestat, conditions: lines, nearMiss: nil) }
            if failed.count == 1, failed[0].shortBy <= 1, near == nil { near = "кандидат: \(award.label) — не выполнено одно условие: \(failed[0].text)" }
        }
        return HonoursDecision(award: nil, attestat: nil, conditions: lines, nearMiss: near)
    }
}
