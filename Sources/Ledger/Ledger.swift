import CivilDate
public import GRDB
public import Ingest
public import Records
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
#endif

/// A failure of the ledger itself (not of the data): the file, and SQLite's words.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "учёт \(path): \(message)" }
}

/// The system of record: an SQLite database (through GRDB, WAL) holding every
/// file merged, every student, every record with its provenance, conflicts
/// and runs. Everything in `outbox/` can be regenerated from it.
///
/// One writer at a time (SQLite's lock, with a wait); every file is merged
/// in one transaction, so a killed run leaves the ledger as it was before
/// the file in flight.
public final class Ledger: Sendable {
    public let path: String
    public let database: DatabasePool

    /// Opens (creating the folder, owner-only, and the schema) the ledger at `path`.
    public init(path: String) throws {
        self.path = path
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        try Files.makeFolders(folder)
        var config = Configuration()
        config.journalMode = .wal
        // Another run may hold the write lock for the length of one file's merge.
        config.busyMode = .timeout(60)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 64 MB of page cache for the writer, whose merges revisit pages; 8 MB for each reader:
            // a reader's scans (a class report reads every period mark of the year) would otherwise
            // each fill 64 MB of memory with pages the operating system caches anyway.
            try db.execute(sql: "PRAGMA cache_size = \(db.configuration.readonly ? -8192 : -65536)")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Checkpoints (the only fsyncs in WAL mode with synchronous = NORMAL) every ~80 MB of
            // changes, not after every big file; `checkpoint()` folds the WAL in at the end of a run.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 20000")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            database = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(database)
        } catch {
            throw LedgerError(path: path, message: "база не открывается: \(error)")
        }
        for suffix in ["", "-wal", "-shm"] { _ = chmod(path + suffix, 0o600) }
    }

    // MARK: - Runs

    /// Folds the write-ahead log into the database file (end of a run).
    public func checkpoint() throws {
        try database.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }

    public func startRun(id: String, at time: String) throws {
        try database.write { db in
            try db.execute(sql: "INSERT INTO run (id, started, status) VALUES (?, ?, 'running')", arguments: [id, time])
        }
    }

    public func finishRun(id: String, at time: String, status: String, accepted: Int, rejected: Int, duplicates: Int) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE run SET finished = ?, status = ?, accepted = ?, rejected = ?, duplicates = ? WHERE id = ?",
                arguments: [time, status, accepted, rejected, duplicates, id])
        }
    }

    // MARK: - Files

    /// True when a file with this content was merged before.
    public func hasMerged(sha256: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM file WHERE sha256 = ?)", arguments: [sha256]) ?? false
        }
    }

    /// The content hashes of every file merged.
    public func mergedHashes() throws -> Set<String> {
        try database.read { db in Set(try String.fetchAll(db, sql: "SELECT sha256 FROM file")) }
    }

    public func recordRejection(sha256: String, name: String, runID: String, errors: Int, report: String, at time: String) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO rejection (sha256, name, run_id, errors, report, at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [sha256, name, runID, errors, report, time])
        }
    }

    /// Records a scan's content (kept under its hash beside the ledger).
    public func recordScan(sha256: String, name: String, size: Int) throws {
        try database.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO scan (sha256, name, size) VALUES (?, ?, ?)", arguments: [sha256, name, size])
        }
    }

    // MARK: - Students

    /// Every student with the classes they were enrolled in, for resolving names.
    public func rosterIndex() throws -> RosterIndex {
        try database.read { db in
            var index = RosterIndex()
            var classes: [String: [SchoolClass]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT student_id, class FROM enrolment") {
                if let c = SchoolClass(parsing: row["class"]) { classes[row["student_id"], default: []].append(c) }
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, surname, name, patronymic, birth_date, journal_id FROM student") {
                guard let birth = CivilDate(parsing: row["birth_date"] as String) else { continue }
                var student = Student(
                    name: FullName(surname: row["surname"], name: row["name"], patronymic: row["patronymic"]),
                    birthDate: birth, journalID: row["journal_id"])
                student.id = StudentID(rawValue: row["id"])
                index.add(student, classes: classes[student.id.rawValue] ?? [])
            }
            return index
        }
    }

    /// Conflicts no rule has decided.
    public func openConflicts() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conflict WHERE status = 'open'") ?? 0 }
    }

    // MARK: - Pending output

    /// Students whose outputs must be written again, with the request each
    /// one carries (see `clearPending`).
    public func pendingEmits() throws -> PendingOutputs {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT student_id, mark FROM pending_emit ORDER BY student_id")
            return PendingOutputs(requests: rows.map { (StudentID(rawValue: $0[0]), $0[1]) })
        }
    }

    /// Marks every student pending (for `uchet rebuild`).
    public func markAllPending() throws {
        try database.write { db in
            try Ledger.markPending(db, try String.fetchAll(db, sql: "SELECT id FROM student"))
        }
    }

    /// Asks for these students' outputs under a new request number.
    static func markPending(_ db: Database, _ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try db.execute(sql: "UPDATE emit_counter SET value = value + 1")
        let mark = try Int64.fetchOne(db, sql: "SELECT value FROM emit_counter") ?? 0
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO pending_emit (student_id, mark) VALUES (?, ?)
                ON CONFLICT(student_id) DO UPDATE SET mark = excluded.mark
                """)
        for id in ids { try statement.execute(arguments: [id, mark]) }
    }

    /// Clears the requests an emit has served; a student asked for again
    /// since (a newer request) stays pending.
    public func clearPending(_ served: PendingOutputs) throws {
        try database.write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM pending_emit WHERE student_id = ? AND mark = ?")
            for (id, mark) in served.requests { try statement.execute(arguments: [id.rawValue, mark]) }
        }
    }

    /// Runs `body` holding the outputs lock (`emit.lock` beside the ledger):
    /// one process at a time writes outputs, so a dossier read before a
    /// merge can never be written over one read after it.
    public func withOutputsLock<T>(_ body: () async throws -> T) async throws -> T {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let lock = try await FileLock.acquire(folder + "/emit.lock")
        defer { lock.release() }
        return try await body()
    }
}

/// Students whose outputs are to be written, each with its request number.
public struct PendingOutputs: Sendable {
    public var requests: [(student: StudentID, mark: Int64)]
    public var students: [StudentID] { requests.map(\.student) }
    public var isEmpty: Bool { requests.isEmpty }
    public var count: Int { requests.count }
}

extension Ledger {
    /// True when `error` means the disk is full: SQLite's SQLITE_FULL, or a
    /// write that failed with ENOSPC (its text, in Russian as our file layers
    /// carry it or in English as libzip's does).
    public static func isOutOfSpace(_ error: any Error) -> Bool {
        if let db = error as? DatabaseError, db.resultCode == .SQLITE_FULL { return true }
        return (error as? any SystemFailure)?.isOutOfSpace ?? false
    }
}
