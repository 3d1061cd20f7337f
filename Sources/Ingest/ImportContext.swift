public import CivilDate
public import Policy
public import Records
public import Spreadsheet

/// What an import needs besides the file: the policy in force, the
/// profiles, the school year to assume when a file does not say, today (for
/// dates in the future), and the inbox a sidecar's scan must stay inside.
public struct ImportContext: Sendable {
    public var policy: Policy
    public var profiles: ProfileSet
    public var defaultYear: AcademicYear
    public var today: CivilDate
    /// The folder scans must be inside; `nil` means the sidecar's own folder.
    public var inboxRoot: String?
    /// The folder files are dropped in, when it is not the one they are read
    /// from (a run reads claimed copies): a scan left behind there is named
    /// precisely (a folder, a device) instead of "not found".
    public var dropFolder: String?
    public var spreadsheetLimits: SpreadsheetLimits
    public var csvLimits: CSVLimits
    /// Exam subjects named with their level, and words meaning "no result"
    /// (the attestat rules' `examResults`).
    public var examNames: ExamNames

    public init(
        policy: Policy, profiles: ProfileSet, defaultYear: AcademicYear, today: CivilDate, inboxRoot: String? = nil,
        spreadsheetLimits: SpreadsheetLimits = .default, csvLimits: CSVLimits = .default, examNames: ExamNames = .none
    ) {
        self.policy = policy
        self.profiles = profiles
        self.defaultYear = defaultYear
        self.today = today
        self.inboxRoot = inboxRoot
        self.spreadsheetLimits = spreadsheetLimits
        self.csvLimits = csvLimits
        self.examNames = examNames
    }
}

/// A file's source kind and why: where the school put it, never what its
/// layout looks like. The conflict rule ranks by it.
public struct DeclaredSource: Sendable, Hashable {
    /// The policy's source kind id.
    public var kind: String
    /// Why, in Russian: «файл положен в inbox/journal (pipeline.json, «sources»)».
    public var reason: String

    public init(kind: String, reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// The policy's kind of a hand-kept sheet: what a file is unless its folder says otherwise.
    public static let handKeptKind = "manual"

    /// A file put at the top of the inbox (or checked from anywhere else).
    public static let handKept = DeclaredSource(
        kind: handKeptKind, reason: "файл положен не в папку источника из pipeline.json («sources»): по умолчанию это ведомость, заполненная вручную")
}

/// The file a record came from, for provenance and findings.
struct SourceFile: Sendable {
    var name: String
    var hash: String
    /// The folder it sits in (sidecar scans are looked up there).
    var folder: String
}
