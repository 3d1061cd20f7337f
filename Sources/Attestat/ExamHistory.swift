import CivilDate
import Ledger
import Policy
import Records

/// A student's state exam rows of the graduating year in the forms a grade
/// takes, in the order they happened: first sittings, then retakes (a row
/// marked «пересдача» comes after the first sitting even when that row has
/// no date), each by date; at one date an annulment («аннулирован»,
/// «удалён») after the result it annuls. After a retake the latest result
/// counts; an annulment after a result leaves no result; two results of one
/// sitting that differ leave none either, until the files agree.
struct ExamHistory {
    typealias Row = StudentRecord.ExamRow

    let rows: [Row]
    let record: StudentRecord

    init(record: StudentRecord, year: AcademicYear, forms: [ExamForm]) {
        self.record = record
        let files = record.files
        func key(_ e: Row) -> (Int, CivilDate, Int, String, String, Int) {
            (
                e.retake ? 1 : 0, e.date ?? CivilDate(year: 9999, month: 12, day: 31)!, ExamHistory.isAnnulment(e) ? 1 : 0, files[e.source.fileID]?.name ?? "",
                e.source.sheet ?? "", e.source.row ?? 0
            )
        }
        // The additional period of the ГИА falls in September, in the next school year by its date:
        // its sittings (retakes most of all) belong to the graduating year.
        let september = CivilDate(year: year.startYear + 1, month: 9, day: 30)!
        func graduating(_ e: Row) -> Bool {
            e.year == year || e.year.startYear == year.startYear + 1 && (e.date.map { $0 <= september } ?? false)
        }
        rows = record.exams.filter { graduating($0) && forms.contains($0.form) }.sorted { key($0) < key($1) }
    }

    /// Registered, with a result (a mark or a score), not a word such as «не явился».
    static func hasResult(_ e: Row) -> Bool {
        e.noResult == nil && (e.mark != nil || e.testScore != nil || e.primaryScore != nil)
    }

    /// A row taking a result away: «аннулирован», «удалён» (from the exam, for a
    /// violation). «Не явился» after a result is a retake missed: the result stands.
    static func isAnnulment(_ e: Row) -> Bool {
        guard let word = e.noResult?.lowercased() else { return false }
        return word.contains("аннулир") || word.contains("удал")
    }

    /// Two rows of one sitting: the same form and level, date and retake mark.
    private static func sameSitting(_ a: Row, _ b: Row) -> Bool {
        a.form == b.form && a.level == b.level && a.date == b.date && a.retake == b.retake
    }

    private static func sameResult(_ a: Row, _ b: Row) -> Bool {
        a.mark == b.mark && a.testScore == b.testScore && a.primaryScore == b.primaryScore
    }

    /// Subjects with a row, in the order first registered.
    var subjects: [String] {
        var seen: [String] = []
        for e in rows where !seen.contains(e.subject) { seen.append(e.subject) }
        return seen
    }

    func rows(_ subject: String, form: ExamForm? = nil, level: String? = nil) -> [Row] {
        rows.filter { $0.subject == subject && (form == nil || $0.form == form) && (level == nil || $0.level == level) }
    }

    /// The result that counts: the latest row with a result, unless an annulment
    /// follows it or another row of the same sitting says otherwise (`nil` then;
    /// `unsettled` says why).
    func latestResult(_ subject: String, form: ExamForm? = nil, level: String? = nil) -> Row? {
        let r = rows(subject, form: form, level: level)
        guard let last = r.last(where: { ExamHistory.hasResult($0) || ExamHistory.isAnnulment($0) }), ExamHistory.hasResult(last) else {
            return nil
        }
        if r.contains(where: { ExamHistory.hasResult($0) && ExamHistory.sameSitting($0, last) && !ExamHistory.sameResult($0, last) }) {
            return nil
        }
        return last
    }

    /// Why a subject whose rows hold results has none that counts: two results of
    /// one sitting that differ (two protocols, a corrected file beside the old
    /// one), or an annulment after the result. `nil` when a result counts or
    /// the rows hold none.
    func unsettled(_ subject: String, form: ExamForm? = nil, level: String? = nil) -> String? {
        let r = rows(subject, form: form, level: level)
        guard latestResult(subject, form: form, level: level) == nil,
            let last = r.last(where: { ExamHistory.hasResult($0) || ExamHistory.isAnnulment($0) })
        else { return nil }
        if ExamHistory.isAnnulment(last) {
            return "\(describe(last)) (\(place(last))) — результат, полученный раньше, не засчитывается"
        }
        let differing = r.filter { ExamHistory.hasResult($0) && ExamHistory.sameSitting($0, last) }
        var seen: [Row] = []
        for row in differing where !seen.contains(where: { ExamHistory.sameResult($0, row) }) { seen.append(row) }
        let listed = seen.map { "\(result($0)) (\(place($0)))" }.joined(separator: " и ")
        return
            "\(last.form.rawValue)\(last.level.map { " (\($0))" } ?? "")\(last.date.map { " \($0.russian)" } ?? ""): результаты одного экзамена расходятся — \(listed); оставьте верный (исправьте или отзовите файл с неверным)"
    }

    /// Whether a subject was sat more than once with a result (two sittings, not
    /// two copies of one protocol), or a row says it is a retake.
    func retook(_ subject: String) -> Bool {
        let r = rows(subject)
        if r.contains(where: { $0.retake }) { return true }
        let sittings = Dictionary(grouping: r.filter(ExamHistory.hasResult)) { "\($0.form.rawValue)|\($0.level ?? "")" }
        return sittings.values.contains { group in group.contains { !ExamHistory.sameSitting($0, group[0]) } }
    }

    /// Whether a result meets a condition; `nil` when the result has no value of the kind it asks for.
    static func meets(_ e: Row, _ c: AttestatRules.ExamCondition) -> Bool? {
        if let min = c.minimumScore { return e.testScore.map { $0 >= min } }
        if let min = c.minimumMark { return e.mark?.points.map { $0 >= min } }
        return nil
    }

    /// `ЕГЭ (профильный): 72 балла`, `ОГЭ: «4»`, `ОГЭ: не явился`.
    func describe(_ e: Row) -> String {
        e.form.rawValue + (e.level.map { " (\($0))" } ?? "") + ": " + result(e)
    }

    /// `72 балла`, `«4»`, `не явился`.
    func result(_ e: Row) -> String {
        if let word = e.noResult { return word }
        var parts: [String] = []
        if let t = e.testScore { parts.append("\(CellNumber.format(t)) балл\(CellNumber.ending(t))") }
        if let m = e.mark { parts.append("«\(m)»") }
        if parts.isEmpty, let p = e.primaryScore { parts.append("первичный балл \(CellNumber.format(p))") }
        return parts.joined(separator: ", ")
    }

    /// `ОГЭ`, `ОГЭ (пересдача)` with its file and cell.
    func component(_ e: Row, value: MarkValue) -> Component {
        Component(
            label: e.form.rawValue + (e.level.map { " (\($0))" } ?? "") + (e.retake ? " (пересдача)" : ""), value: value, kind: .exam,
            file: file(e), cell: e.source.cell)
    }

    /// `ЕГЭ 2026.xlsx, ЕГЭ!D14`
    func place(_ e: Row) -> String { file(e) + (e.source.cell.map { ", \($0)" } ?? "") }

    private func file(_ e: Row) -> String { record.files[e.source.fileID]?.name ?? "?" }
}

/// Scores as a school writes them: `72`, `72,5`.
enum CellNumber {
    static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(String(x).map { $0 == "." ? "," : $0 })
    }

    /// `балл`, `балла`, `баллов` after a number.
    static func ending(_ x: Double) -> String {
        guard x == x.rounded() else { return "а" }
        let n = Int(x) % 100
        if (11...14).contains(n) { return "ов" }
        switch n % 10 {
        case 1: return ""
        case 2, 3, 4: return "а"
        default: return "ов"
        }
    }
}
