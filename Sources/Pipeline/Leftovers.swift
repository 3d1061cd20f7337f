import CivilDate
import Spreadsheet
import SystemPackage
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
#endif

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
        for name in Files.namesIfAny(in: folder) where name != "." && name != ".." {
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR where isWorkbookScratch(name):
                for part in Files.namesIfAny(in: path) where unlink(path + "/" + part) == 0 { removed += 1 }
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
            let pid = Int32(parts[0])
        else { return false }
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
