import CivilDate
import Ingest
import Ledger
import Logging
import Policy
import Records
import Settings
import StrictJSON
import Synchronization
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
    import Digest
#endif

/// A file read and checked, waiting for the writer.
struct ParsedFile: Sendable {
    var name: String
    var path: String
    var result: FileImport?
    var duplicateHash: String?
    /// Its marks prepared for the merge, in the parse task (the merge is the one writer).
    var plan: MarkPlan?
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

    /// `sniff`: what `FileImporter.sniff` matched in the file, with the same context.
    func parse(_ name: String, context: ImportContext, roster: RosterIndex?, sniff: Sniff? = nil) -> ParsedFile {
        let clock = Stopwatch()
        var parsed = parseUntimed(name, context: context, roster: roster, sniff: sniff)
        parsed.seconds = clock.elapsed
        return parsed
    }

    private func parseUntimed(_ name: String, context: ImportContext, roster: RosterIndex?, sniff: Sniff?) -> ParsedFile {
        let path = claim.path(name)
        var info = stat()
        let shown = Inbox.baseName(name)
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            var result = FileImport(
                path: path, fileName: shown, fileHash: "", format: .unknown, sheets: [], records: [],
                findings: [
                    Finding(
                        "E-FILE-LINK", .error, Location(file: shown),
                        "это символическая ссылка, а не файл; положите в inbox сам файл")
                ],
                absences: 0, rowsWithErrors: 0, sourceKind: nil)
            result.fileHash = SHA256Hex.of(Array(name.utf8))
            return ParsedFile(name: name, path: path, result: result)
        }
        let hash = try? SHA256Hex.of(file: path)
        if let hash, known.contains(hash) {
            return ParsedFile(name: name, path: path, result: nil, duplicateHash: hash)
        }
        // Hashed once: the import takes the hash (a file that cannot be read is reported by the import).
        var result = FileImporter.run(
            path: path, context: context, displayName: shown, source: run.sources.declaration(folder: Inbox.folder(of: name)),
            hash: hash, sniff: sniff)
        if let roster {
            // A roster is checked against the ledger's students; any other file's students are resolved by them.
            if result.records.contains(where: { if case .roster = $0 { false } else { true } }) {
                StudentResolver.resolve(&result, roster: roster)
            } else {
                StudentResolver.checkRoster(&result, roster: roster)
            }
        }
        let plan = result.records.isEmpty ? nil : MarkPlan(result)
        return ParsedFile(name: name, path: path, result: result, plan: plan)
    }

    func settle(_ parsed: ParsedFile) throws -> FileOutcome {
        let scan = attachments[parsed.name]
        guard let result = parsed.result else {
            let hash = parsed.duplicateHash ?? ""
            let stored = try moveWithScan(parsed.path, scan: scan, into: kept(inbox.processed(on: now.date), parsed.name), hash: hash)
            let outcome = FileOutcome(
                name: parsed.name, sha256: hash, status: .duplicate, profiles: [], records: 0, inserted: 0, errors: 0,
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
            let report = try FileReport.write(
                for: result, verdict: "файл отклонён, в учёт не внесено ничего",
                advice: "Исправьте ошибки в файле и положите его в inbox снова.",
                beside: folder + "/" + Inbox.baseName(parsed.name), runID: runID, time: now.iso)
            let stored = try moveWithScan(parsed.path, scan: scan, into: folder, hash: result.fileHash)
            try run.ledger.recordRejection(sha256: result.fileHash, name: parsed.name, runID: runID, errors: errors, report: relative(report), at: now.iso)
            run.progress.finished(file: parsed.name, status: .rejected, records: 0)
            return FileOutcome(
                name: parsed.name, sha256: result.fileHash, status: .rejected, profiles: result.profiles, records: result.records.count,
                inserted: 0, errors: errors, warnings: warnings, skippedRows: 0, storedAs: relative(stored), report: relative(report),
                conflictsOpened: 0, conflictsResolved: 0, byKind: [:], cells: result.cells, source: result.sourceKind,
                sourceReason: result.sourceReason)
        }
        try keepScans(result, scan: scan)
        let folder = kept(inbox.processed(on: now.date), parsed.name)
        let target = folder + "/" + Inbox.baseName(parsed.name)
        let merged: MergeOutcome
        do {
            merged = try run.ledger.merge(
                result, source: MergeSource(runID: runID, received: now.iso, storedAs: relative(target)), policy: run.policy, plan: parsed.plan)
        } catch let duplicate as DuplicateFile {
            // Another run merged the same content a moment ago.
            let stored = try moveWithScan(parsed.path, scan: scan, into: folder, hash: duplicate.sha256)
            run.progress.finished(file: parsed.name, status: .duplicate, records: 0)
            return FileOutcome(
                name: parsed.name, sha256: duplicate.sha256, status: .duplicate, profiles: [], records: 0, inserted: 0, errors: 0,
                warnings: 0, skippedRows: 0, storedAs: relative(stored), report: nil, conflictsOpened: 0, conflictsResolved: 0, byKind: [:])
        }
        // Every accepted file's report lies beside it: what was read, and every cell that
        // became no record; with findings, a workbook of them too.
        let verdict = errors > 0 ? "принят без строк с ошибками (\(result.rowsWithErrors))" : warnings > 0 ? "принят, есть предупреждения" : "принят"
        let advice =
            errors > 0
            ? "Строки с ошибками в учёт не внесены: исправьте их и пришлите файл с этими строками снова."
            : warnings > 0
                ? "Записи внесены в учёт. Проверьте предупреждения: значения прочитаны с поправкой или не взяты, источник стоит исправить."
                : result.findings.isEmpty
                    ? "Записи внесены в учёт." : "Записи внесены в учёт. Ниже сказано, какие строки и столбцы пропущены по правилу и почему."
        let report = relative(try FileReport.write(for: result, verdict: verdict, advice: advice, beside: target, runID: runID, time: now.iso))
        let stored = try moveWithScan(parsed.path, scan: scan, into: folder, hash: result.fileHash)
        run.progress.finished(file: parsed.name, status: .accepted, records: merged.inserted)
        return FileOutcome(
            name: parsed.name, sha256: result.fileHash, status: .accepted, profiles: result.profiles, records: result.records.count,
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
