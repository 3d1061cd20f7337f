public import CivilDate

/// A mark on one of the policy's scales.
public enum MarkValue: Sendable, Hashable, CustomStringConvertible {
    /// Five-point scale: 1–5.
    case points(Int)
    /// зачтено
    case pass
    /// не зачтено
    case fail
    /// н/а: not assessed
    case notAssessed
    /// освобожден
    case exempt

    /// What a sheet or dossier shows: `5`, `зачтено`, `не зачтено`, `н/а`, `освобожден`.
    public var description: String {
        switch self {
        case .points(let n): String(n)
        case .pass: "зачтено"
        case .fail: "не зачтено"
        case .notAssessed: "н/а"
        case .exempt: "освобожден"
        }
    }

    /// A stable code for storage: `5`, `pass`, `fail`, `na`, `exempt`.
    public var code: String {
        switch self {
        case .points(let n): String(n)
        case .pass: "pass"
        case .fail: "fail"
        case .notAssessed: "na"
        case .exempt: "exempt"
        }
    }

    public init?(code: String) {
        switch code {
        case "pass": self = .pass
        case "fail": self = .fail
        case "na": self = .notAssessed
        case "exempt": self = .exempt
        default:
            guard let n = Int(code), (1...5).contains(n) else { return nil }
            self = .points(n)
        }
    }

    public var points: Int? {
        if case .points(let n) = self { return n }
        return nil
    }
}

/// What a mark is for.
public enum MarkKind: String, Sendable, Hashable, CaseIterable {
    /// A lesson's mark from the gradebook.
    case current
    /// A quarter's or half-year's mark.
    case period
    /// The year's mark.
    case annual
    /// An exam's mark (intermediate or state assessment).
    case exam
    /// The final mark that goes into the attestat.
    case final
}

/// A mark of a student in a subject.
public struct Mark: Sendable, Hashable {
    public var student: StudentReference
    public var studentID: StudentID?
    /// The policy's subject id.
    public var subject: String
    public var year: AcademicYear
    public var schoolClass: SchoolClass?
    /// The policy's period id (`q1`, `h2`, `year`, `exam`, `final`); `nil` for current marks.
    public var period: String?
    public var kind: MarkKind
    public var value: MarkValue
    /// The lesson's date, for current marks.
    public var date: CivilDate?
    /// Kind of work and its weight, for current marks.
    public var work: String?
    public var weight: Double?
    /// The sign a teacher wrote after a current mark (`+` or `-` in «5-»): kept, not counted.
    public var sign: String?
    public var provenance: Provenance

    public init(
        student: StudentReference, subject: String, year: AcademicYear, schoolClass: SchoolClass?, period: String?,
        kind: MarkKind, value: MarkValue, date: CivilDate? = nil, work: String? = nil, weight: Double? = nil, sign: String? = nil,
        provenance: Provenance
    ) {
        self.student = student
        self.subject = subject
        self.year = year
        self.schoolClass = schoolClass
        self.period = period
        self.kind = kind
        self.value = value
        self.date = date
        self.work = work
        self.weight = weight
        self.sign = sign
        self.provenance = provenance
    }
}

/// ОГЭ, ЕГЭ or ГВЭ.
public enum ExamForm: String, Sendable, Hashable, CaseIterable {
    case oge = "ОГЭ"
    case ege = "ЕГЭ"
    case gve = "ГВЭ"

    public init?(parsing text: String) {
        let t = text.uppercased().replacingYo().filter { $0.isLetter }
        switch t {
        case "ОГЭ", "OGE": self = .oge
        case "ЕГЭ", "EGE": self = .ege
        case "ГВЭ", "GVE": self = .gve
        default: return nil
        }
    }
}

/// A state exam result (ГИА).
public struct ExamResult: Sendable, Hashable {
    public var student: StudentReference
    public var studentID: StudentID?
    public var subject: String
    public var form: ExamForm
    /// `базовый` or `профильный`, for ЕГЭ mathematics.
    public var level: String?
    public var primaryScore: Double?
    /// ЕГЭ's 100-point score.
    public var testScore: Double?
    public var mark: MarkValue?
    public var date: CivilDate?
    public var year: AcademicYear
    /// A retake does not count for honours.
    public var retake: Bool
    /// A registration without a result: the word the row carries (`не явился`, `аннулирован`).
    public var noResult: String?
    public var provenance: Provenance

    public init(
        student: StudentReference, subject: String, form: ExamForm, level: String? = nil, primaryScore: Double? = nil,
        testScore: Double? = nil, mark: MarkValue? = nil, date: CivilDate? = nil, year: AcademicYear, retake: Bool = false,
        noResult: String? = nil, provenance: Provenance
    ) {
        self.student = student
        self.subject = subject
        self.form = form
        self.level = level
        self.primaryScore = primaryScore
        self.testScore = testScore
        self.mark = mark
        self.date = date
        self.year = year
        self.retake = retake
        self.noResult = noResult
        self.provenance = provenance
    }
}

/// A confirming document (4.7) and its scan.
public struct Certificate: Sendable, Hashable {
    /// The policy's document kind id.
    public var kind: String
    public var number: String?
    /// The scan's file name as given (in the inbox when it arrived).
    public var scanFile: String?
    /// SHA-256 of the scan, hex.
    public var sha256: String?

    public init(kind: String, number: String? = nil, scanFile: String? = nil, sha256: String? = nil) {
        self.kind = kind
        self.number = number
        self.scanFile = scanFile
        self.sha256 = sha256
    }
}

/// An achievement (3.2.1–3.2.2): an olympiad, a contest, a competition, ГТО…
public struct Achievement: Sendable, Hashable {
    public var student: StudentReference
    public var studentID: StudentID?
    /// The policy's result group id (`extracurricular`, `additional`, …).
    public var group: String
    /// The category id within the group.
    public var category: String
    public var event: String
    /// The policy's event level id.
    public var level: String?
    /// The policy's event result id.
    public var result: String?
    public var date: CivilDate?
    public var year: AcademicYear
    public var subject: String?
    public var organiser: String?
    public var certificate: Certificate?
    /// Listed in the state register of gifted children (3.4).
    public var gir: Bool
    /// Obtained in another organisation (section 5), and the consent that lets it count.
    public var otherOrganisation: String?
    public var consent: String?
    public var provenance: Provenance

    public init(
        student: StudentReference, group: String, category: String, event: String, level: String? = nil, result: String? = nil,
        date: CivilDate? = nil, year: AcademicYear, subject: String? = nil, organiser: String? = nil, certificate: Certificate? = nil,
        gir: Bool = false, otherOrganisation: String? = nil, consent: String? = nil, provenance: Provenance
    ) {
        self.student = student
        self.group = group
        self.category = category
        self.event = event
        self.level = level
        self.result = result
        self.date = date
        self.year = year
        self.subject = subject
        self.organiser = organiser
        self.certificate = certificate
        self.gir = gir
        self.otherOrganisation = otherOrganisation
        self.consent = consent
        self.provenance = provenance
    }
}

/// An encouragement (поощрение, 3.3), given by an order.
public struct Encouragement: Sendable, Hashable {
    public var student: StudentReference
    public var studentID: StudentID?
    public var kind: String
    public var area: String
    public var orderNumber: String?
    public var orderDate: CivilDate?
    public var year: AcademicYear
    public var basis: String?
    public var provenance: Provenance

    public init(
        student: StudentReference, kind: String, area: String, orderNumber: String? = nil, orderDate: CivilDate? = nil,
        year: AcademicYear, basis: String? = nil, provenance: Provenance
    ) {
        self.student = student
        self.kind = kind
        self.area = area
        self.orderNumber = orderNumber
        self.orderDate = orderDate
        self.year = year
        self.basis = basis
        self.provenance = provenance
    }
}

/// A personal (3.2.3) or metasubject (3.2.4) result: an indicator of a
/// category or a group of universal learning actions, with its level.
public struct DevelopmentResult: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case personal
        case metasubject
    }

    public var kind: Kind
    public var student: StudentReference
    public var studentID: StudentID?
    /// The policy's category id (personal) or learning-action group id (metasubject).
    public var category: String
    public var indicator: String?
    /// The level or value, as the school records it (`высокий`, `сформирован`, `4`).
    public var value: String
    public var date: CivilDate?
    public var year: AcademicYear
    /// What the result rests on: a diagnostic, an observation, a project.
    public var basis: String?
    public var provenance: Provenance

    public init(
        kind: Kind, student: StudentReference, category: String, indicator: String?, value: String, date: CivilDate?,
        year: AcademicYear, basis: String?, provenance: Provenance
    ) {
        self.kind = kind
        self.student = student
        self.category = category
        self.indicator = indicator
        self.value = value
        self.date = date
        self.year = year
        self.basis = basis
        self.provenance = provenance
    }
}

/// Any record an import yields.
public enum Record: Sendable, Hashable {
    case roster(RosterEntry)
    case mark(Mark)
    case exam(ExamResult)
    case achievement(Achievement)
    case encouragement(Encouragement)
    case development(DevelopmentResult)
    case attestatIssue(AttestatIssue)

    public var provenance: Provenance {
        switch self {
        case .roster(let r): r.provenance
        case .mark(let r): r.provenance
        case .exam(let r): r.provenance
        case .achievement(let r): r.provenance
        case .encouragement(let r): r.provenance
        case .development(let r): r.provenance
        case .attestatIssue(let r): r.provenance
        }
    }

    /// Who the record is about (a roster row names its student directly).
    public var student: StudentReference {
        switch self {
        case .roster(let r):
            StudentReference(journalID: r.student.journalID, name: r.student.name, birthDate: r.student.birthDate, schoolClass: r.enrolment.schoolClass)
        case .mark(let r): r.student
        case .exam(let r): r.student
        case .achievement(let r): r.student
        case .encouragement(let r): r.student
        case .development(let r): r.student
        case .attestatIssue(let r): r.student
        }
    }

    /// The resolved student id.
    public var studentID: StudentID? {
        get {
            switch self {
            case .roster(let r): r.student.id
            case .mark(let r): r.studentID
            case .exam(let r): r.studentID
            case .achievement(let r): r.studentID
            case .encouragement(let r): r.studentID
            case .development(let r): r.studentID
            case .attestatIssue(let r): r.studentID
            }
        }
        set {
            // The payload is moved out and back, not copied: setting a student's id on
            // hundreds of thousands of marks retained and released each of their texts.
            switch consume self {
            case .roster(let r): self = .roster(r)
            case .mark(var r):
                r.studentID = newValue
                self = .mark(r)
            case .exam(var r):
                r.studentID = newValue
                self = .exam(r)
            case .achievement(var r):
                r.studentID = newValue
                self = .achievement(r)
            case .encouragement(var r):
                r.studentID = newValue
                self = .encouragement(r)
            case .development(var r):
                r.studentID = newValue
                self = .development(r)
            case .attestatIssue(var r):
                r.studentID = newValue
                self = .attestatIssue(r)
            }
        }
    }
}
