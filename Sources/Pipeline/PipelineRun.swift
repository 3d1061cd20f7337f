import CivilDate
import Dispatch
public import Ingest
public import Ledger
public import Logging
public import Policy
import Records
public import Settings
import StrictJSON
import Synchronization
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
    import Digest
#endif

/// Asks a run or a watch to stop after the file in flight (SIGINT, SIGTERM).
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func request() { flag.store(true, ordering: .relaxed) }
    public var requested: Bool { flag.load(ordering: .relaxed) }
}

/// One pass of the pipeline, as the data flows: intake (claim), parse and
/// validate (in parallel), merge (the single writer, rosters first), emit.
public final class PipelineRun: Sendable {
    let settings: PipelineSettings
    let policy: Policy
    let profiles: ProfileSet
    let ledger: Ledger
    let progress: any RunProgress
    let stop: StopFlag
    let emitters: [any Emitter]
    let logger: Logger
    let sources: SourceFolders
    let examNames: ExamNames
    /// Where settled files are freed, beside the writer.
    static let freeing = DispatchQueue(label: "uchet.freeing", qos: .utility)

    public init(
        settings: PipelineSettings, policy: Policy, profiles: ProfileSet, sources: SourceFolders, ledger: Ledger, progress: any RunProgress,
        stop: StopFlag = StopFlag(), emitters: [any Emitter] = [], logger: Logger, examNames: ExamNames = .none
    ) {
        self.sources = sources
        self.settings = settings
        self.policy = policy
        self.profiles = profiles
        self.ledger = ledger
        self.progress = progress
        self.stop = stop
        self.emitters = emitters
        self.logger = logger
        self.examNames = examNames
    }

    /// Runs one pass. `settle: false` takes files however recently they changed (`--now`).
    public func run(settle: Bool = true) async throws -> RunSummary {
        let clock = Stopwatch()
        let now = LocalTime.now()
        let inbox = Inbox(root: settings.inbox)
        try Files.makeFolders(settings.inbox)
        try Files.makeFolders(settings.outbox)
        try ledger.startRun(id: now.runID, at: now.iso)
        let claim = try WorkClaim(inbox: inbox, runID: now.runID)
        let taken = try await intake(inbox: inbox, claim: claim, now: now, settle: settle)
        progress.started(files: taken.dataFiles.count)
        await Stage.reached("parse", logger: logger)

        var stages = StageTimes()
        let outcomes = try await parseAndMerge(taken, claim: claim, now: now, stages: &stages)
        // Whatever is still claimed (files not started because of a stop, scans adopted
        // without their sidecar) goes back to the inbox, untouched.
        for name in claim.files {
            if let sub = Inbox.folder(of: name) { try? Files.makeFolders(inbox.root + "/" + sub) }
            _ = rename(claim.path(name), inbox.root + "/" + name)
        }

        let emitClock = Stopwatch()
        let emitted = stop.requested ? [:] : try await emit(inbox: inbox, runID: now.runID)
        stages.emit = emitClock.elapsed
        progress.done()

        await Stage.reached("report", logger: logger)
        let end = LocalTime.now()
        var summary = RunSummary(
            runID: now.runID, started: now.iso, finished: end.iso, seconds: clock.elapsed, files: outcomes,
            settling: taken.settling, waitingScans: taken.waitingScans, unreadFolders: taken.unreadFolders, conflictsOpen: try ledger.openConflicts(),
            emitted: emitted, interrupted: stop.requested, stages: stages)
        let opened = Array(Set(outcomes.flatMap(\.openedConflicts)))
        summary.newConflictLines = try ledger.conflicts(ids: opened).flatMap { ConflictText(policy: policy).lines($0, indent: "  ") }
        try Files.writeAtomically(
            settings.outbox + "/reports/" + now.runID + "/summary.json",
            Array((summary.json.serialized(pretty: true) + "\n").utf8))
        try ledger.finishRun(
            id: now.runID, at: end.iso, status: stop.requested ? "interrupted" : "done",
            accepted: summary.accepted, rejected: summary.rejected, duplicates: summary.duplicates)
        try? ledger.checkpoint()
        return summary
    }

    /// What intake took: the data files, the scans their sidecars name, and what waits.
    struct Intake {
        var context: ImportContext
        var dataFiles: [String]
        /// Sidecar → its scan.
        var attachments: [String: String]
        var settling: Int
        var waitingScans: [String]
        /// Inbox subfolders no source names, with their files (not read).
        var unreadFolders: [String: Int] = [:]
    }

    /// Claims data files, and the scans their sidecars name. One run claims at a
    /// time (a short lock), so a batch dropped together is taken by one run: its
    /// rosters and the files naming their students go through together.
    func intake(inbox: Inbox, claim: WorkClaim, now: LocalTime, settle: Bool) async throws -> Intake {
        let adopted = claim.adoptOrphans()
        if !adopted.isEmpty { progress.note("подобраны файлы прерванного запуска: \(adopted.count)") }
        try Files.makeFolders(inbox.workRoot)
        let lock = try await FileLock.acquire(inbox.workRoot + "/intake.lock")
        defer { lock.release() }
        let settleSeconds = settle ? settings.settleSeconds : 0
        let listing = inbox.list(settle: settleSeconds, now: now.seconds, sources: sources.names)
        await Stage.reached("intake", logger: logger)
        var context = ImportContext(
            policy: policy, profiles: profiles, defaultYear: settings.academicYear, today: now.date,
            inboxRoot: claim.folder, examNames: examNames)
        context.dropFolder = inbox.root
        let scans = Set(listing.ready.filter { Inbox.isAttachment($0.name) && !$0.isLink }.map(\.name))
        var claimed: [String] = adopted
        for candidate in listing.ready where !Inbox.isAttachment(candidate.name) || candidate.isLink {
            // A sidecar whose scan is still being copied waits for it (the next pass takes both).
            if candidate.name.lowercased().hasSuffix(".json"), !candidate.isLink,
                let scan = FileImporter.sidecarScan(path: inbox.root + "/" + candidate.name, context: context), !scan.contains("/"),
                !scans.contains(FileWork.beside(candidate.name, scan)),
                inbox.isSettling(FileWork.beside(candidate.name, scan), settle: settleSeconds, now: now.seconds)
            {
                continue
            }
            if claim.claim(candidate.name) { claimed.append(candidate.name) }
        }
        var attachments: [String: String] = [:]
        for name in claimed where name.lowercased().hasSuffix(".json") {
            guard let written = FileImporter.sidecarScan(path: claim.path(name), context: context), !written.contains("/") else { continue }
            let scan = FileWork.beside(name, written)
            if scans.contains(scan), claim.claim(scan) { attachments[name] = scan } else if access(claim.path(scan), F_OK) == 0 { attachments[name] = scan }
        }
        let claimedScans = Set(attachments.values)
        return Intake(
            context: context,
            dataFiles: claimed.filter { !claimedScans.contains($0) && !(Inbox.isAttachment($0) && adopted.contains($0)) },
            attachments: attachments, settling: listing.settling, waitingScans: scans.subtracting(claimedScans).sorted(),
            unreadFolders: inbox.unreadFolders(sources: sources.names))
    }

    /// Rosters first (the files after them name students the rosters bring), then
    /// everything else parsed in parallel and merged one file at a time as results come.
    func parseAndMerge(_ taken: Intake, claim: WorkClaim, now: LocalTime, stages: inout StageTimes) async throws -> [FileOutcome] {
        var outcomes: [FileOutcome] = []
        let context = taken.context
        // Content merged before, known at the start: parse tasks check against it without
        // touching the database (the writer holds it); the merge checks again in its transaction.
        let work = FileWork(run: self, claim: claim, runID: now.runID, now: now, attachments: taken.attachments, known: try ledger.mergedHashes())
        let files = taken.dataFiles
        // What each file's headers match: rosters go first, and the parse takes the match.
        // Held only here (not also in an array), each dropped as its file's parse starts.
        var sniffed = Dictionary(
            zip(files, await Parallel.map(files.count) { [claim] i in FileImporter.sniff(path: claim.path(files[i]), context: context) }),
            uniquingKeysWith: { first, _ in first })
        let rosters = files.filter { sniffed[$0]?.kind == .roster }
        let others = files.filter { sniffed[$0]?.kind != .roster }
        for name in rosters where !stop.requested {
            // Each roster is checked against the students the ledger has by then (the rosters before it merged).
            let result = work.parse(name, context: context, roster: try ledger.rosterIndex(), sniff: sniffed.removeValue(forKey: name))
            stages.parse += result.seconds
            let clock = Stopwatch()
            outcomes.append(try work.settle(result))
            stages.merge += clock.elapsed
        }
        let roster = try ledger.rosterIndex()
        let width = max(1, settings.workers == 0 ? Machine.cores : settings.workers)
        var times = stages
        try await withThrowingTaskGroup(of: ParsedFile.self) { group in
            var next = 0
            func schedule() {
                let name = others[next]
                next += 1
                let sniff = sniffed.removeValue(forKey: name)
                group.addTask { work.parse(name, context: context, roster: roster, sniff: sniff) }
            }
            while next < others.count, next < width, !stop.requested { schedule() }
            for try await parsed in group {
                times.parse += parsed.seconds
                let clock = Stopwatch()
                outcomes.append(try work.settle(parsed))
                times.merge += clock.elapsed
                // A settled file's records and plan (hundreds of thousands of values) are freed on
                // another thread: freeing them took the one writer a sixth of its time.
                Self.freeing.async { withExtendedLifetime(parsed) {} }
                if next < others.count, !stop.requested { schedule() }
            }
        }
        stages = times
        return outcomes
    }

    /// Outputs of the students whose records changed (in this run or a killed one),
    /// under the outputs lock; leftovers of killed writers swept first.
    func emit(inbox: Inbox, runID: String) async throws -> [String: Int] {
        await Stage.reached("emit", logger: logger)
        return try await ledger.withOutputsLock {
            Leftovers.sweep(settings.outbox, libzip: true)
            for kept in [inbox.root + "/processed", inbox.root + "/rejected", settings.scansFolder] { Leftovers.sweep(kept, libzip: false) }
            let pending = try ledger.pendingEmits()
            guard !pending.isEmpty else { return [:] }
            let context = EmitContext(ledger: ledger, policy: policy, settings: settings, runID: runID)
            let students = pending.students
            // Side by side: each emitter writes files of its own and shares only the ledger's
            // writer; the attestat workbooks and class reports are written one class at a
            // time, and beside the dossiers they use the core the dossiers would leave idle.
            let emitted = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for emitter in emitters {
                    group.addTask { (emitter.name, try await emitter.emit(students: students, context: context)) }
                }
                var emitted: [String: Int] = [:]
                for try await (name, count) in group { emitted[name] = count }
                return emitted
            }
            try ledger.clearPending(pending)
            return emitted
        }
    }

}
