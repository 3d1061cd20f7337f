public import CivilDate
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
public final class PipelineRun: @unchecked Sendable {
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

    public init(settings: PipelineSettings, policy: Policy, profiles: ProfileSet, sources: SourceFolders, ledger: Ledger, progress: any RunProgress,
                stop: StopFlag = StopFlag(), emitters: [any Emitter] = [], logger: Logger, examNames: ExamNames = .none) {
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
        let runID = now.runID
        let inbox = Inbox(root: settings.inbox)
        try Files.makeFolders(settings.inbox)
        try Files.makeFolders(settings.outbox)
        try ledger.startRun(id: runID, at: now.iso)
        let claim = try WorkClaim(inbox: inbox, runID: runID)
        let adopted = claim.adoptOrphans()
        if !adopted.isEmpty { progress.note("подобраны файлы прерванного запуска: \(adopted.count)") }

        // Intake: claim data files, and the scans their sidecars name. One run claims at a
        // time (a short lock), so a batch dropped together is taken by one run: its rosters
        // and the files naming their students go through together.
        let intake = try IntakeLock(inbox: inbox)
        let listing = inbox.list(settle: settle ? settings.settleSeconds : 0, now: now.seconds, sources: sources.names)
        Stage.reached("intake", logger: logger)
        var importContext = ImportContext(policy: policy, profiles: profiles, defaultYear: settings.academicYear, today: now.date,
                                          inboxRoot: claim.folder, examNames: examNames)
        importContext.dropFolder = inbox.root
        let context = importContext
        let scans = Set(listing.ready.filter { Inbox.isAttachment($0.name) && !$0.isLink }.map(\.name))
        var claimed: [String] = adopted
        for candidate in listing.ready where !Inbox.isAttachment(candidate.name) || candidate.isLink {
            // A sidecar whose scan is still being copied waits for it (the next pass takes both).
            if candidate.name.lowercased().hasSuffix(".json"), !candidate.isLink,
               let scan = FileImporter.sidecarScan(path: inbox.root + "/" + candidate.name, context: context), !scan.contains("/"),
               !scans.contains(FileWork.beside(candidate.name, scan)),
               inbox.isSettling(FileWork.beside(candidate.name, scan), settle: settle ? settings.settleSeconds : 0, now: now.seconds) {
                continue
            }
            if claim.claim(candidate.name) { claimed.append(candidate.name) }
        }
        var attachments: [String: String] = [:]   // sidecar → scan
        for name in claimed where name.lowercased().hasSuffix(".json") {
            guard let written = FileImporter.sidecarScan(path: claim.path(name), context: context), !written.contains("/") else { continue }
            let scan = FileWork.beside(name, written)
            if scans.contains(scan), claim.claim(scan) { attachments[name] = scan } else if access(claim.path(scan), F_OK) == 0 { attachments[name] = scan }
        }
        intake.release()
        let claimedScans = Set(attachments.values)
        let dataFiles = claimed.filter { !claimedScans.contains($0) && !(Inbox.isAttachment($0) && adopted.contains($0)) }
        let waiting = scans.subtracting(claimedScans).sorted()
        progress.started(files: dataFiles.count)
        Stage.reached("parse", logger: logger)

        var outcomes: [FileOutcome] = []
        var stages = StageTimes()
        // Content merged before, known at the start: parse tasks check against it without
        // touching the database (the writer holds it); the merge checks again in its transaction.
        let known = try ledger.mergedHashes()
        let work = FileWork(run: self, claim: claim, runID: runID, now: now, attachments: attachments, known: known)

        // Rosters first: the files after them name students the rosters bring.
        var rosters: [String] = []
        var others: [String] = []
        for name in dataFiles {
            if FileImporter.sniff(path: claim.path(name), context: context) == .roster { rosters.append(name) } else { others.append(name) }
        }
        for name in rosters where !stop.requested {
            let result = work.parse(name, context: context, roster: nil)
            stages.parse += result.seconds
            let clock = Stopwatch()
            outcomes.append(try work.settle(result))
            stages.merge += clock.elapsed
        }
        let roster = try ledger.rosterIndex()

        // Everything else: parsed in parallel, merged one file at a time as results come.
        let width = max(1, settings.workers == 0 ? Machine.cores : settings.workers)
        try await withThrowingTaskGroup(of: ParsedFile.self) { group in
            var next = 0
            func schedule() {
                let name = others[next]
                next += 1
                group.addTask { work.parse(name, context: context, roster: roster) }
            }
            while next < others.count, next < width, !stop.requested { schedule() }
            for try await parsed in group {
                stages.parse += parsed.seconds
                let clock = Stopwatch()
                outcomes.append(try work.settle(parsed))
                stages.merge += clock.elapsed
                if next < others.count, !stop.requested { schedule() }
            }
        }
        // Whatever is still claimed (files not started because of a stop, scans adopted
        // without their sidecar) goes back to the inbox, untouched.
        for name in claim.files {
            if let sub = Inbox.folder(of: name) { try? Files.makeFolders(inbox.root + "/" + sub) }
            _ = rename(claim.path(name), inbox.root + "/" + name)
        }

        // Emit: outputs of the students whose records changed (in this run or a killed one).
        var emitted: [String: Int] = [:]
        let emitClock = Stopwatch()
        defer { _ = emitClock }
        if !stop.requested {
            Stage.reached("emit", logger: logger)
            try ledger.withOutputsLock {
                Leftovers.sweep(settings.outbox, libzip: true)
                for kept in [inbox.root + "/processed", inbox.root + "/rejected", settings.scansFolder] { Leftovers.sweep(kept, libzip: false) }
                let pending = try ledger.pendingEmits()
                guard !pending.isEmpty else { return }
                let emitContext = EmitContext(ledger: ledger, policy: policy, settings: settings, runID: runID)
                for emitter in emitters {
                    emitted[emitter.name] = try emitter.emit(students: pending.students, context: emitContext)
                }
                try ledger.clearPending(pending)
            }
        }
        stages.emit = emitClock.elapsed
        progress.done()

        Stage.reached("report", logger: logger)
        let end = LocalTime.now()
        var summary = RunSummary(runID: runID, started: now.iso, finished: end.iso, seconds: clock.elapsed, files: outcomes,
                                 settling: listing.settling, waitingScans: waiting, conflictsOpen: try ledger.openConflicts(),
                                 emitted: emitted, interrupted: stop.requested, stages: stages)
        let opened = Array(Set(outcomes.flatMap(\.openedConflicts)))
        summary.newConflictLines = try ledger.conflicts(ids: opened).flatMap { ConflictText(policy: policy).lines($0, indent: "  ") }
        let folder = settings.outbox + "/reports/" + runID
        try Files.writeAtomically(folder + "/summary.json", Array((summary.json.serialized(pretty: true) + "\n").utf8))
        try ledger.finishRun(id: runID, at: end.iso, status: stop.requested ? "interrupted" : "done",
                             accepted: summary.accepted, rejected: summary.rejected, duplicates: summary.duplicates)
        try? ledger.checkpoint()
        return summary
    }

}

/// A file read and checked, waiting for the writer.
struct ParsedFile: Sendable {
    var name: String
    var path: String
    var result: FileImport?
    var duplicateHash: String?
    /// Seconds spent reading and checking it.
    var seconds: Double = 0
}

/// The per-file steps: parse and validate (any task), then settle (the
/// single writer): merge and move to `processed/`, or report and move to
/// `rejected/`, or, for content merged before, move as a duplicate.
struct FileWork: Sendable {
    let run: PipelineRun
    let claim: WorkClaim
    let runID: String
    let now: LocalTime
    let attachments: [String: String]
    let known: Set<String>

    var inbox: Inbox { Inbox(root: run.settings.inbox) }

    /// Where a finished file is kept: under `processed/<date>/` or `rejected/<date>/`, in its
    /// source folder (`journal/`) when it came from one, so the same files put back into the
    /// inbox the same way declare the same source kinds.
    func kept(_ day: String, _ name: String) -> String {
        Inbox.folder(of: name).map { day + "/" + $0 } ?? day
    }

    /// A scan a sidecar names, in the sidecar's own folder of the inbox.
    static func beside(_ sidecar: String, _ scan: String) -> String {
        (Inbox.folder(of: sidecar).map { $0 + "/" } ?? "") + scan
    }

    func parse(_ name: String, context: ImportContext, roster: RosterIndex?) -> ParsedFile {
        let clock = Stopwatch()
        var parsed = parseUntimed(name, context: context, roster: roster)
        parsed.seconds = clock.elapsed
        return parsed
    }

    private func parseUntimed(_ name: String, context: ImportContext, roster: RosterIndex?) -> ParsedFile {
        let path = claim.path(name)
        var info = stat()
        let shown = Inbox.baseName(name)
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            var result = FileImport(path: path, fileName: shown, fileHash: "", format: .unknown, sheets: [], records: [],
                                    findings: [Finding("E-FILE-LINK", .error, Location(file: shown),
                                                       "это символическая ссылка, а не файл; положите в inbox сам файл")],
                                    absences: 0, rowsWithErrors: 0, sourceKind: nil)
            result.fileHash = SHA256Hex.of(Array(name.utf8))
            return ParsedFile(name: name, path: path, result: result)
        }
        if let hash = try? SHA256Hex.of(file: path), known.contains(hash) {
            return ParsedFile(name: name, path: path, result: nil, duplicateHash: hash)
        }
        var result = FileImporter.run(path: path, context: context, displayName: shown, source: run.sources.declaration(folder: Inbox.folder(of: name)))
        if let roster, result.records.contains(where: { if case .roster = $0 { false } else { true } }) {
            StudentResolver.resolve(&result, roster: roster)
        }
        return ParsedFile(name: name, path: path, result: result)
    }

    func settle(_ parsed: ParsedFile) throws -> FileOutcome {
        let scan = attachments[parsed.name]
        guard let result = parsed.result else {
            let hash = parsed.duplicateHash ?? ""
            let stored = try moveWithScan(parsed.path, scan: scan, into: kept(inbox.processed(on: now.date), parsed.name), hash: hash)
            let outcome = FileOutcome(name: parsed.name, sha256: hash, status: .duplicate, profiles: [], records: 0, inserted: 0, errors: 0,
                                      warnings: 0, skippedRows: 0, storedAs: relative(stored), report: nil, conflictsOpened: 0,
                                      conflictsResolved: 0, byKind: [:])
            run.progress.finished(file: parsed.name, status: .duplicate, records: 0)
            return outcome
        }
        let errors = result.errorCount
        let warnings = result.findings.count { $0.severity == .warning }
        // A file-level error (no profile, unreadable…) rejects the file whatever the setting.
        let fileLevel = result.findings.contains { $0.severity == .error && $0.location.row == nil }
        let reject = errors > 0 && (run.settings.onInvalidRow == .rejectFile || fileLevel || result.records.isEmpty)
        if reject {
            let folder = kept(inbox.rejected(on: now.date), parsed.name)
            let report = try FileReport.write(for: result, verdict: "файл отклонён, в учёт не внесено ничего",
                                              advice: "Исправьте ошибки в файле и положите его в inbox снова.",
                                              beside: folder + "/" + Inbox.baseName(parsed.name), runID: runID, time: now.iso)
            let stored = try moveWithScan(parsed.path, scan: scan, into: folder, hash: result.fileHash)
            try run.ledger.recordRejection(sha256: result.fileHash, name: parsed.name, runID: runID, errors: errors, report: relative(report), at: now.iso)
            run.progress.finished(file: parsed.name, status: .rejected, records: 0)
            return FileOutcome(name: parsed.name, sha256: result.fileHash, status: .rejected, profiles: result.profiles, records: result.records.count,
                               inserted: 0, errors: errors, warnings: warnings, skippedRows: 0, storedAs: relative(stored), report: relative(report),
                               conflictsOpened: 0, conflictsResolved: 0, byKind: [:], cells: result.cells, source: result.sourceKind,
                               sourceReason: result.sourceReason)
        }
        try keepScans(result, scan: scan)
        let folder = kept(inbox.processed(on: now.date), parsed.name)
        let target = folder + "/" + Inbox.baseName(parsed.name)
        let merged: MergeOutcome
        do {
            merged = try run.ledger.merge(result, source: MergeSource(runID: runID, received: now.iso, storedAs: relative(target)), policy: run.policy)
        } catch let duplicate as DuplicateFile {
            // Another run merged the same content a moment ago.
            let stored = try moveWithScan(parsed.path, scan: scan, into: folder, hash: duplicate.sha256)
            run.progress.finished(file: parsed.name, status: .duplicate, records: 0)
            return FileOutcome(name: parsed.name, sha256: duplicate.sha256, status: .duplicate, profiles: [], records: 0, inserted: 0, errors: 0,
                               warnings: 0, skippedRows: 0, storedAs: relative(stored), report: nil, conflictsOpened: 0, conflictsResolved: 0, byKind: [:])
        }
        // Every accepted file's report lies beside it: what was read, and every cell that
        // became no record; with findings, a workbook of them too.
        let verdict = errors > 0 ? "принят без строк с ошибками (\(result.rowsWithErrors))" : warnings > 0 ? "принят, есть предупреждения" : "принят"
        let advice = errors > 0 ? "Строки с ошибками в учёт не внесены: исправьте их и пришлите файл с этими строками снова."
            : warnings > 0 ? "Записи внесены в учёт. Проверьте предупреждения: значения прочитаны с поправкой или не взяты, источник стоит исправить."
            : result.findings.isEmpty ? "Записи внесены в учёт." : "Записи внесены в учёт. Ниже сказано, какие строки и столбцы пропущены по правилу и почему."
        let report = relative(try FileReport.write(for: result, verdict: verdict, advice: advice, beside: target, runID: runID, time: now.iso))
        let stored = try moveWithScan(parsed.path, scan: scan, into: folder, hash: result.fileHash)
        run.progress.finished(file: parsed.name, status: .accepted, records: merged.inserted)
        return FileOutcome(name: parsed.name, sha256: result.fileHash, status: .accepted, profiles: result.profiles, records: result.records.count,
                           inserted: merged.inserted, errors: errors, warnings: warnings, skippedRows: errors > 0 ? result.rowsWithErrors : 0,
                           storedAs: relative(stored), report: report, conflictsOpened: merged.conflictsOpened,
                           conflictsResolved: merged.conflictsResolved, byKind: merged.byKind, cells: result.cells, source: result.sourceKind,
                           sourceReason: result.sourceReason, notes: result.findings.count { $0.severity == .info },
                           openedConflicts: merged.openedConflicts)
    }

    /// Certificate scans are kept under their hash beside the ledger (`var/scans/`), for dossiers and archive packages.
    private func keepScans(_ result: FileImport, scan: String?) throws {
        let store = run.scanStore
        for record in result.records {
            guard case .achievement(let a) = record, let name = a.certificate?.scanFile, let sha = a.certificate?.sha256 else { continue }
            let source = claim.path(name)
            guard access(source, R_OK) == 0 else { continue }
            try store.keep(source, sha256: sha)
            try run.ledger.recordScan(sha256: sha, name: name, size: fileSize(source))
        }
    }

    private func moveWithScan(_ path: String, scan: String?, into folder: String, hash: String) throws -> String {
        let stored = try moveFile(path, into: folder, hash: hash)
        if let scan, access(claim.path(scan), F_OK) == 0 { _ = try moveFile(claim.path(scan), into: folder, hash: hash) }
        return stored
    }

    /// Paths in reports are relative to the working folder.
    func relative(_ path: String) -> String {
        let base = run.settings.folder + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}

extension PipelineRun {
    var scanStore: ScanStore { ScanStore(folder: settings.scansFolder) }
}

/// Scans kept by content: `var/scans/<sha256>`.
public struct ScanStore: Sendable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    public func path(_ sha256: String) -> String { folder + "/" + sha256 }

    func keep(_ source: String, sha256: String) throws {
        guard access(path(sha256), F_OK) != 0 else { return }
        try Files.writeAtomically(path(sha256), try Files.read(source))
    }
}

func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}

/// Where a run's time went: parsing (summed over workers), merging, emitting.
public struct StageTimes: Sendable {
    public var parse = 0.0
    public var merge = 0.0
    public var emit = 0.0
}

/// Wall time since creation.
public struct Stopwatch: Sendable {
    private let start = Stopwatch.now()
    public init() {}
    public var elapsed: Double { Stopwatch.now() - start }
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// The moment a run starts, in the machine's local time (a school's own zone).
public struct LocalTime: Sendable {
    public var date: CivilDate
    public var iso: String
    public var seconds: Double
    public var runID: String

    public static func now() -> LocalTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var t = spec.tv_sec
        var parts = tm()
        localtime_r(&t, &parts)
        let date = CivilDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let time = "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        let millis = Int(spec.tv_nsec / 1_000_000)
        let suffix = String(getpid(), radix: 36) + String(millis, radix: 36)
        return LocalTime(date: date, iso: date.iso8601 + "T" + time, seconds: Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9,
                         runID: date.iso8601 + "T" + time.split(separator: ":").joined(separator: "-") + "-" + suffix)
    }
}

/// The points a run passes: `intake` (inbox listed, nothing claimed yet),
/// `parse` (files claimed), `emit`, `report`. Each is logged at debug level
/// (`UCHET_LOG_LEVEL=debug`), which is how `make reliability` kills a run
/// inside a given stage. `UCHET_PAUSE_AT=intake:2` holds the run at a point
/// for that many seconds, to let a test change the inbox under it (a file
/// that disappears between listing and claiming). Nothing else changes.
enum Stage {
    static let pause: (point: String, seconds: Double)? = {
        guard let raw = getenv("UCHET_PAUSE_AT") else { return nil }
        let parts = String(cString: raw).split(separator: ":")
        guard parts.count == 2, let seconds = Double(parts[1]), seconds > 0, seconds <= 60 else { return nil }
        return (String(parts[0]), seconds)
    }()

    static func reached(_ point: String, logger: Logger) {
        logger.debug("этап: \(point)")
        if let pause, pause.point == point { usleep(UInt32(pause.seconds * 1_000_000)) }
    }
}
