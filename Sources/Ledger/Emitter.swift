public import Policy
public import Records
public import Settings

/// Writes outputs for students whose records changed (dossiers, attestat sheets…).
public protocol Emitter: Sendable {
    /// For the summary: `досье`, `ведомости аттестатов`.
    var name: String { get }
    /// Writes what depends on these students; returns how many files it wrote.
    func emit(students: [StudentID], context: EmitContext) async throws -> Int
}

/// What emitters need: the ledger, the policy, the settings, the run.
public struct EmitContext: Sendable {
    public var ledger: Ledger
    public var policy: Policy
    public var settings: PipelineSettings
    public var runID: String

    public init(ledger: Ledger, policy: Policy, settings: PipelineSettings, runID: String) {
        self.ledger = ledger
        self.policy = policy
        self.settings = settings
        self.runID = runID
    }
}
