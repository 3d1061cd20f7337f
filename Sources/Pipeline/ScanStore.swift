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
