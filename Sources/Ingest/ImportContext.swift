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

    public init(policy: Policy, profiles: ProfileSet, defaultYear: AcademicYear, today: CivilDate, inboxRoot: String? = nil,
                spreadsheetLimits: SpreadsheetLimits = .default, csvLimits: CSVLimits = .default, examNames: ExamNames = .none) {
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

/// The file a record came from, for provenance and findings.
struct SourceFile: Sendable {
    var name: String
    var hash: String
    /// The folder it sits in (sidecar scans are looked up there).
    var folder: String
}
