import CivilDate
import Spreadsheet
import SystemPackage
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
#endif

/// A run's claim on files: `.work/<run>/`, held by an exclusive lock on
/// `.work/<run>.lock` for the run's life. A file is claimed by an atomic
/// rename into the folder, so two runs never take the same file; a folder
/// whose lock nobody holds belongs to a run that died, and the next run
/// adopts its files.
public final class WorkClaim: Sendable {
    public let folder: String
    private let lockPath: String
    private let lock: FileLock
    private let inbox: Inbox

    public init(inbox: Inbox, runID: String) throws {
        self.inbox = inbox
        try Files.makeFolders(inbox.workRoot)
        folder = inbox.workRoot + "/" + runID
        lockPath = folder + ".lock"
        guard let lock = try FileLock.tryAcquire(lockPath) else { throw ClaimTaken(lockPath: lockPath) }
        self.lock = lock
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else { throw FileError(.makeFolder, path: folder, errno: Errno(rawValue: errno)) }
    }

    deinit {
        for name in Files.namesIfAny(in: folder) { _ = rmdir(folder + "/" + name) }
        _ = rmdir(folder)
        _ = unlink(lockPath)
        lock.release()
    }

    /// Moves `name` (a path inside the inbox: `9А.xlsx`, `journal/9А.csv`) from the inbox
    /// into this run's folder, keeping its source folder; false when another run took it first.
    public func claim(_ name: String) -> Bool {
        if let sub = Inbox.folder(of: name) { _ = mkdir(folder + "/" + sub, 0o700) }
        return rename(inbox.root + "/" + name, folder + "/" + name) == 0
    }

    public func path(_ name: String) -> String { folder + "/" + name }

    /// Takes over the files of runs that died (their lock is free).
    public func adoptOrphans() -> [String] {
        var folders: [String] = []
        for name in Files.namesIfAny(in: inbox.workRoot) {
            guard !name.hasSuffix(".lock"), inbox.workRoot + "/" + name != folder else { continue }
            var info = stat()
            guard stat(inbox.workRoot + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            folders.append(name)
        }
        var adopted: [String] = []
        for run in folders.sorted() {
            let lock = inbox.workRoot + "/" + run + ".lock"
            guard let held = try? FileLock.tryAcquire(lock) else { continue } // alive, or not ours to take
            defer { held.release() }
            let old = inbox.workRoot + "/" + run
            for name in WorkClaim.files(in: old) {
                var target = name
                if let sub = Inbox.folder(of: name) { _ = mkdir(folder + "/" + sub, 0o700) }
                if access(folder + "/" + target, F_OK) == 0 {
                    target = (Inbox.folder(of: name).map { $0 + "/" } ?? "") + run + "-" + Inbox.baseName(name)
                }
                if rename(old + "/" + name, folder + "/" + target) == 0 { adopted.append(target) }
            }
            for name in Files.namesIfAny(in: old) { _ = rmdir(old + "/" + name) }
            _ = rmdir(old)
            _ = unlink(lock)
        }
        return adopted.sorted()
    }

    /// The files in this run's folder, with their source folders (`journal/9А.csv`).
    public var files: [String] { WorkClaim.files(in: folder) }

    /// Files of a claim folder: at its top and one level down (a source folder's).
    static func files(in folder: String) -> [String] {
        var out: [String] = []
        for name in Files.namesIfAny(in: folder) {
            var info = stat()
            if lstat(folder + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                out += Files.namesIfAny(in: folder + "/" + name).map { name + "/" + $0 }
            } else {
                out.append(name)
            }
        }
        return out.sorted()
    }
}

/// A run of the same id holds this claim already (two runs started in the same second).
public struct ClaimTaken: Error, Sendable, CustomStringConvertible {
    public var lockPath: String
    public var description: String { "блокировка \(lockPath) занята другим запуском с тем же именем: запустите uchet run ещё раз" }
}
