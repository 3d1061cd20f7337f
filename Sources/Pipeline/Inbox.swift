public import CivilDate
import Spreadsheet
import SystemText
#if canImport(Glibc)
import Glibc
import FileIO
#endif

/// The inbox folder and its parts: files waiting at the top level,
/// `.work/<run>/` for files a run has claimed, `processed/<date>/` and
/// `rejected/<date>/` for files that are done.
public struct Inbox: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public var workRoot: String { root + "/.work" }
    public func processed(on date: CivilDate) -> String { root + "/processed/" + date.iso8601 }
    public func rejected(on date: CivilDate) -> String { root + "/rejected/" + date.iso8601 }

    /// A file waiting at the top level or in a source folder.
    public struct Candidate: Sendable, Hashable {
        /// Its path inside the inbox: `9А.xlsx`, or `journal/9А.csv` in a source folder.
        public var name: String
        public var size: Int
        public var modified: Double
        public var isLink: Bool
    }

    /// Files at the top level, with what is skipped: subfolders, dot-files,
    /// Excel and LibreOffice lock files (`~$*`, `.~lock.*#`), partial
    /// downloads (`*.part`, `*.tmp`), and files changed within `settle`
    /// seconds (they may still be copying). Returns the files ready and the
    /// number still settling.
    public func list(settle: Double, now: Double, sources: [String] = []) -> (ready: [Candidate], settling: Int) {
        var ready: [Candidate] = []
        var settling = 0
        for folder in [nil] + sources.map(Optional.some) {
            let path = folder.map { root + "/" + $0 } ?? root
            guard let dir = opendir(path) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard !Inbox.isSkipped(name) else { continue }
                var info = stat()
                guard lstat(path + "/" + name, &info) == 0 else { continue }
                let type = info.st_mode & S_IFMT
                guard type == S_IFREG || type == S_IFLNK else { continue }
                let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
                if now - modified < settle {
                    settling += 1
                    continue
                }
                ready.append(Candidate(name: folder.map { $0 + "/" + name } ?? name, size: Int(info.st_size), modified: modified, isLink: type == S_IFLNK))
            }
        }
        ready.sort { $0.name < $1.name }
        return (ready, settling)
    }

    /// The source folder of a path inside the inbox (`journal` of `journal/9А.csv`), `nil` at the top.
    public static func folder(of name: String) -> String? {
        guard let slash = name.firstIndex(of: "/") else { return nil }
        return String(name[..<slash])
    }

    /// The file's own name, without its source folder.
    public static func baseName(_ name: String) -> String {
        guard let slash = name.lastIndex(of: "/") else { return name }
        return String(name[name.index(after: slash)...])
    }

    /// True when `name` is a regular file at the top of the inbox changed
    /// within `settle` seconds (still being copied, perhaps).
    public func isSettling(_ name: String, settle: Double, now: Double) -> Bool {
        var info = stat()
        guard !Inbox.isSkipped(name), lstat(root + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return now - modified < settle
    }

    /// Names intake never takes.
    public static func isSkipped(_ name: String) -> Bool {
        if name.hasPrefix(".") || name.hasPrefix("~$") { return true }
        let lower = name.lowercased()
        if lower.hasSuffix(".part") || lower.hasSuffix(".tmp") || lower.hasSuffix(".crdownload") { return true }
        if name.hasSuffix(".report.txt") || name.hasSuffix(".report.xlsx") { return true }
        return name == "README.md"
    }

    /// Scans and photos: they come with a sidecar and go where it goes (the
    /// names `uchet check` also takes for a scan waiting for its sidecar).
    public static func isAttachment(_ name: String) -> Bool {
        ScanFormat.isScanName(name)
    }
}

/// A run's claim on files: `.work/<run>/`, held by an exclusive lock on
/// `.work/<run>.lock` for the run's life. A file is claimed by an atomic
/// rename into the folder, so two runs never take the same file; a folder
/// whose lock nobody holds belongs to a run that died, and the next run
/// adopts its files.
public final class WorkClaim: @unchecked Sendable {
    public let folder: String
    private let lockPath: String
    private let lockFD: Int32
    private let inbox: Inbox

    public init(inbox: Inbox, runID: String) throws {
        self.inbox = inbox
        try Files.makeFolders(inbox.workRoot)
        folder = inbox.workRoot + "/" + runID
        lockPath = folder + ".lock"
        lockFD = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lockFD >= 0, flock(lockFD, LOCK_EX | LOCK_NB) == 0 else { throw PipelineError.io("блокировка \(lockPath) не берётся: \(systemErrorText())") }
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else { throw PipelineError.io("папка \(folder) не создаётся: \(systemErrorText())") }
    }

    deinit {
        for name in listNames(folder) { _ = rmdir(folder + "/" + name) }
        _ = rmdir(folder)
        _ = unlink(lockPath)
        close(lockFD)
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
        guard let dir = opendir(inbox.workRoot) else { return [] }
        var folders: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name != ".", name != "..", !name.hasSuffix(".lock"), inbox.workRoot + "/" + name != folder else { continue }
            var info = stat()
            guard stat(inbox.workRoot + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            folders.append(name)
        }
        closedir(dir)
        var adopted: [String] = []
        for run in folders.sorted() {
            let lock = inbox.workRoot + "/" + run + ".lock"
            let fd = open(lock, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue } // alive
            let old = inbox.workRoot + "/" + run
            for name in WorkClaim.files(in: old) {
                var target = name
                if let sub = Inbox.folder(of: name) { _ = mkdir(folder + "/" + sub, 0o700) }
                if access(folder + "/" + target, F_OK) == 0 {
                    target = (Inbox.folder(of: name).map { $0 + "/" } ?? "") + run + "-" + Inbox.baseName(name)
                }
                if rename(old + "/" + name, folder + "/" + target) == 0 { adopted.append(target) }
            }
            for name in listNames(old) { _ = rmdir(old + "/" + name) }
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
        for name in listNames(folder) {
            var info = stat()
            if lstat(folder + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                out += listNames(folder + "/" + name).map { name + "/" + $0 }
            } else {
                out.append(name)
            }
        }
        return out.sorted()
    }
}

/// Held while a run lists and claims files (`.work/intake.lock`).
final class IntakeLock {
    private var fd: Int32

    init(inbox: Inbox) throws {
        try Files.makeFolders(inbox.workRoot)
        fd = open(inbox.workRoot + "/intake.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PipelineError.io("блокировка приёма не берётся: \(systemErrorText())") }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw PipelineError.io("блокировка приёма не берётся: \(systemErrorText())") }
        }
    }

    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}

public enum PipelineError: Error, CustomStringConvertible, Sendable {
    case io(String)
    case internalFailure(String)

    public var description: String {
        switch self {
        case .io(let m): m
        case .internalFailure(let m): "внутренняя ошибка: \(m)"
        }
    }
}

func listNames(_ folder: String) -> [String] {
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != ".", name != ".." { names.append(name) }
    }
    return names.sorted()
}


/// Moves a file into `folder` (created if needed), keeping its name unless
/// taken, then `stem-<hash8>.ext`; returns the new path.
func moveFile(_ path: String, into folder: String, hash: String) throws -> String {
    try Files.makeFolders(folder)
    let name = String(path.split(separator: "/").last ?? "")
    var target = folder + "/" + name
    // A name already there (the same file dropped again, or another file of
    // that name) gets the content's hash, then a number: nothing is replaced.
    let dot = name.lastIndex(of: ".") ?? name.endIndex
    var copy = 1
    while access(target, F_OK) == 0 {
        target = folder + "/" + name[..<dot] + "-" + hash.prefix(8) + (copy > 1 ? "-\(copy)" : "") + name[dot...]
        copy += 1
    }
    guard rename(path, target) == 0 else { throw PipelineError.io("файл \(name) не переносится в \(folder): \(systemErrorText())") }
    return target
}

/// Temporary files a killed writer left behind: every output is written to
/// a temporary name and renamed into place, so a kill between the two
/// leaves `<name>.tmp-<pid>[-<n>]` (Uchet's own writes) or `<name>.XXXXXX`
/// (libzip's, for workbooks and packages). The next run removes them: ours
/// when their process is gone, libzip's only by the holder of the outputs
/// lock (no other process writes workbooks or packages then).
public enum Leftovers {
    /// Removes leftovers under `folder` (recursively); returns how many.
    @discardableResult
    public static func sweep(_ folder: String, libzip: Bool) -> Int {
        var removed = 0
        for name in listNames(folder) where name != "." && name != ".." {
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR where isWorkbookScratch(name):
                for part in listNames(path) where unlink(path + "/" + part) == 0 { removed += 1 }
                _ = rmdir(path)
            case S_IFDIR: removed += sweep(path, libzip: libzip)
            case S_IFREG where isOurs(name) || (libzip && isLibzip(name)): if unlink(path) == 0 { removed += 1 }
            default: break
            }
        }
        return removed
    }

    /// `…​.tmp-<pid>` or `…​.tmp-<pid>-<n>` whose process no longer runs.
    static func isOurs(_ name: String) -> Bool {
        guard let range = name.range(of: ".tmp-", options: .backwards) else { return false }
        let parts = name[range.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let pid = Int32(parts[0]) else { return false }
        return isGone(pid)
    }

    /// `.uchet-xlsx-<pid>-XXXXXX`: the workbook writer's scratch folder, its process gone.
    static func isWorkbookScratch(_ name: String) -> Bool {
        guard name.hasPrefix(".uchet-xlsx-") else { return false }
        let parts = name.dropFirst(".uchet-xlsx-".count).split(separator: "-")
        guard parts.count == 2, let pid = Int32(parts[0]) else { return false }
        return isGone(pid)
    }

    /// True when no process `pid` runs any more (its leftovers are no one's).
    static func isGone(_ pid: Int32) -> Bool { kill(pid, 0) != 0 && errno == ESRCH }

    /// `<name>.xlsx.XXXXXX` or `<name>.zip.XXXXXX` (mkstemp's six characters).
    static func isLibzip(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        let suffix = name[name.index(after: dot)...]
        let stem = name[..<dot].lowercased()
        return suffix.count == 6 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            && (stem.hasSuffix(".xlsx") || stem.hasSuffix(".zip"))
    }
}
