import Ledger
import Policy
import Records

/// Whether a graduate passed the state final assessment (ГИА) by the rules'
/// minimums: every required subject by one of its routes (ЕГЭ Russian ≥ 24,
/// mathematics profile ≥ 27 or basic ≥ «3», ГВЭ ≥ «3»…), and each chosen
/// subject at or above its form's minimum where the rules set one (9th
/// grade: every exam ≥ «3»; a chosen ЕГЭ subject does not block). After a
/// retake the latest result counts.
struct GIACheck {
    let exams: AttestatRules.Exams
    let policy: Policy

    func decide(_ history: ExamHistory) -> GIAResult {
        var lines: [String] = []
        var failures: [String] = []
        var missing: [String] = []
        let required = exams.required.map(\.subject)
        for r in exams.required {
            let label = self.label(r.subject)
            let verdicts = r.passIf.compactMap { c in
                history.latestResult(r.subject, form: c.form, level: c.level).map { (condition: c, row: $0, met: ExamHistory.meets($0, c)) }
            }
            let routes = r.passIf.map(\.text).joined(separator: " или ")
            if let ok = verdicts.first(where: { $0.met == true }) {
                lines.append("\(label): \(history.describe(ok.row)) — сдан (\(ok.condition.text))")
            } else if let bad = verdicts.first(where: { $0.met == false }) {
                let text = "\(label): \(history.describe(bad.row)) — ниже минимума (нужно: \(routes)); \(history.place(bad.row))"
                failures.append(text)
                lines.append(text)
            } else if let why = r.passIf.lazy.compactMap({ history.unsettled(r.subject, form: $0.form, level: $0.level) }).first {
                let text = "\(label): \(why)"
                missing.append(text)
                lines.append(text)
            } else if let last = history.rows(r.subject).last {
                let levelHint = last.level == nil && r.passIf.contains { $0.form == last.form && $0.level != nil } ? " (не указан уровень экзамена)" : ""
                let text = "\(label): \(history.describe(last))\(levelHint) — результата, который засчитывается, нет (нужно: \(routes)); \(history.place(last))"
                missing.append(text)
                lines.append(text)
            } else {
                let text = "\(label): нет записи о ГИА (нужно: \(routes))"
                missing.append(text)
                lines.append(text)
            }
        }
        for subject in history.subjects where !required.contains(subject) {
            let label = self.label(subject)
            let rows = history.rows(subject)
            let counts = rows.contains { exams.chosen($0.form)?.minimumMark != nil }
            guard let result = history.latestResult(subject) else {
                let text =
                    history.unsettled(subject).map { "\(label): \($0)" }
                    ?? "\(label): \(history.describe(rows.last!)) — результата нет; \(history.place(rows.last!))"
                if counts { missing.append(text) }
                lines.append(text)
                continue
            }
            guard let min = exams.chosen(result.form)?.minimumMark else {
                lines.append("\(label): \(history.describe(result)) — предмет по выбору, на аттестат не влияет")
                continue
            }
            switch result.mark?.points {
            case .some(let p) where p >= min: lines.append("\(label): \(history.describe(result)) — сдан (не ниже «\(min)»)")
            case .some:
                let text = "\(label): \(history.describe(result)) — ниже «\(min)»; \(history.place(result))"
                failures.append(text)
                lines.append(text)
            case .none:
                let text = "\(label): \(history.describe(result)) — нет отметки по пятибалльной шкале; \(history.place(result))"
                missing.append(text)
                lines.append(text)
            }
        }
        let status: GIAResult.Status = !failures.isEmpty ? .failed : !missing.isEmpty ? .pending : .passed
        return GIAResult(
            status: status, lines: lines, failures: failures, missing: missing,
            retook: history.subjects.contains { history.retook($0) })
    }

    private func label(_ subject: String) -> String { policy.subjects.term(id: subject)?.label ?? subject }
}
