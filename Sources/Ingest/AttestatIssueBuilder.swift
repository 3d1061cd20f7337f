import CivilDate
import Records

/// The fields of the school's sheet of issued attestats (profile `attestat-issue`).
enum AttestatIssueFields {
    static let names: Set<String> = [
        "registerNumber", "blankSeries", "blankNumber", "issueDate", "status", "lossConfirmation",
        "exchangeConfirmation", "destructionConfirmation", "snils", "citizenship", "studyForm"
    ]
}

extension RecordBuilder {
    /// A row of the school's sheet of issued attestats (or of the register
    /// book returned filled). The values are kept as written: an empty blank
    /// number, a СНИЛС that does not check, a Latin letter in a name are the
    /// ФРДО export's to report, each at its cell, all in one pass. Only the
    /// student and the issue date are read here: without them the row
    /// belongs to no one and no year.
    static func attestatIssue(_ r: FieldReader) -> AttestatIssue? {
        guard let who = r.student() else { return nil }
        let issueDate = r.hasValue("issueDate") ? r.date("issueDate") : nil
        if r.hasValue("issueDate"), issueDate == nil { return nil }
        guard let year = r.year(for: issueDate, dateField: "issueDate") else { return nil }
        var register = r.text("registerNumber", limit: 40)
        // A number typed into a numeric cell reads as `12`; keep it as the book writes it.
        if let n = register, n.hasSuffix(".0"), Int(n.dropLast(2)) != nil { register = String(n.dropLast(2)) }
        return AttestatIssue(
            student: who, registerNumber: register, blankSeries: r.text("blankSeries", limit: 40),
            blankNumber: r.text("blankNumber", limit: 60), issueDate: issueDate, status: r.text("status", limit: 40),
            lossConfirmation: r.text("lossConfirmation", limit: 200), exchangeConfirmation: r.text("exchangeConfirmation", limit: 200),
            destructionConfirmation: r.text("destructionConfirmation", limit: 200), snils: r.text("snils", limit: 40),
            citizenship: r.text("citizenship", limit: 100), studyForm: r.text("studyForm", limit: 60),
            year: year, provenance: r.provenance("blankNumber"))
    }
}
