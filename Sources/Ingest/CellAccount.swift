/// How the reports say what became of a table's cells.
public enum CellAccount {
    /// «ячеек с данными 412: в записях 400, пропуски «н» 4; не стали записью 8 — пропущены по правилу 5, с ошибками 2, не взяты 1 (каждая названа ниже)».
    public static func line(_ t: CellTally) -> String {
        var text = "ячеек с данными \(t.cells): в записях \(t.inRecords)"
        if t.absences > 0 { text += ", пропуски уроков \(t.absences)" }
        guard t.noRecord > 0 else { return text + "; не стали записью: 0" }
        var parts: [String] = []
        if t.skipped > 0 { parts.append("пропущены по правилу \(t.skipped)") }
        if t.withErrors > 0 { parts.append("с ошибками \(t.withErrors)") }
        if t.notTaken > 0 { parts.append("не взяты \(t.notTaken)") }
        return text + "; не стали записью \(t.noRecord) — " + parts.joined(separator: ", ") + " (каждая названа в замечаниях)"
    }
}
