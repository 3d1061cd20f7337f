public import CivilDate
import Spreadsheet
import SystemPackage
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
            for name in Files.namesIfAny(in: path) {
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

    /// Subfolders of the inbox intake does not look in (not a source `pipeline.json`
    /// names, not `processed/`, `rejected/` or a hidden one) that hold files: a
    /// journal dump saved into `inbox/journal/` of a school that declared no such
    /// source would wait there unread and unsaid. Folder name → files in it.
    public func unreadFolders(sources: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for name in Files.namesIfAny(in: root) where !name.hasPrefix(".") && !["processed", "rejected"].contains(name) && !sources.contains(name) {
            var info = stat()
            guard lstat(root + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            let files = Files.namesIfAny(in: root + "/" + name).filter { !Inbox.isSkipped($0) }.count
            if files > 0 { out[name] = files }
        }
        return out
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
    guard rename(path, target) == 0 else { throw FileError(.rename, path: target, errno: Errno(rawValue: errno)) }
    return target
}
