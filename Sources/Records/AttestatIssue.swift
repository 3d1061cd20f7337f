public import CivilDate

/// An attestat handed out, as the school records it for the federal register
/// of education documents (ФИС ФРДО): the blank's series and number, the date
/// of issue, the register book's number; what the ledger lacks (СНИЛС,
/// citizenship, form of study) may be written beside it. Taken as written:
/// the ФРДО export checks every value and names the cell of each problem.
public struct AttestatIssue: Sendable, Hashable {
    public var student: StudentReference
    public var studentID: StudentID?
    /// The number in the register book of issued attestats.
    public var registerNumber: String?
    public var blankSeries: String?
    public var blankNumber: String?
    public var issueDate: CivilDate?
    /// `Оригинал` or `Дубликат`, as written (empty: an original).
    public var status: String?
    /// For a duplicate: the confirmation of loss, exchange, destruction, as written.
    public var lossConfirmation: String?
    public var exchangeConfirmation: String?
    public var destructionConfirmation: String?
    /// СНИЛС as written, for a student whose roster row has none.
    public var snils: String?
    /// Citizenship as written (an ОКСМ code or a country's name); empty: Russia.
    public var citizenship: String?
    /// Form of study as written; empty: очная.
    public var studyForm: String?
    public var year: AcademicYear
    public var provenance: Provenance

    public init(
        student: StudentReference, registerNumber: String?, blankSeries: String?, blankNumber: String?, issueDate: CivilDate?,
        status: String?, lossConfirmation: String?, exchangeConfirmation: String?, destructionConfirmation: String?,
        snils: String?, citizenship: String?, studyForm: String?, year: AcademicYear, provenance: Provenance
    ) {
        self.student = student
        self.registerNumber = registerNumber
        self.blankSeries = blankSeries
        self.blankNumber = blankNumber
        self.issueDate = issueDate
        self.status = status
        self.lossConfirmation = lossConfirmation
        self.exchangeConfirmation = exchangeConfirmation
        self.destructionConfirmation = destructionConfirmation
        self.snils = snils
        self.citizenship = citizenship
        self.studyForm = studyForm
        self.year = year
        self.provenance = provenance
    }
}
