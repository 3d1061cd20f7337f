public import SystemPackage
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// The file operations every module needs, one way each: read a file whole,
/// write one so a crash never leaves half of it under its name, make folders.
public enum Files {
    /// A file's bytes. Refuses more than `limit` bytes (policies, sidecars and
    /// settings are small; a large file named like one is not read into memory).
    public static func read(_ path: String, limit: Int = 1 << 30) throws(FileError) -> [UInt8] {
        let fd = try open(path)
        defer { try? fd.close() }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n: Int
            do {
                n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw FileError(.read, path: path, errno: error as? Errno ?? .ioError)
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit { throw FileError(.read, path: path, errno: .fileTooLarge) }
        }
    }

    /// Reads a file in chunks, handing each to `body` (hashing a scan, copying it).
    public static func forEachChunk(_ path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws(FileError) {
        let fd = try open(path)
        defer { try? fd.close() }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n: Int
            do {
                n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw FileError(.read, path: path, errno: error as? Errno ?? .ioError)
            }
            if n == 0 { return }
            chunk.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// Writes `bytes` to a temporary name beside `path` (`<path>.tmp-<pid>-<n>`),
    /// flushes it to the disk, and renames it into place: a reader sees the old
    /// file or the new one, never half of one; a crash leaves only the
    /// temporary, which the next run sweeps (its process is gone). The folder
    /// is made when missing. Owner-only by default (personal data).
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], permissions: FilePermissions = [.ownerReadWrite]) throws(FileError) {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeFolders(String(path[..<slash]))
        }
        let temp = path + ".tmp-\(getpid())-\(counter.add(1, ordering: .relaxed).newValue)"
        try write(bytes, creating: temp, options: [.create, .truncate, .closeOnExec], permissions: permissions, reportedAs: path)
        guard rename(temp, path) == 0 else {
            let failure = Errno(rawValue: errno)
            _ = unlink(temp)
            throw FileError(.rename, path: path, errno: failure)
        }
    }

    /// Creates `path` with `bytes`, failing when it exists (a key is never
    /// replaced), with its permissions from the first byte, flushed to the disk.
    public static func createNew(_ path: String, _ bytes: [UInt8], permissions: FilePermissions) throws(FileError) {
        try write(bytes, creating: path, options: [.create, .exclusiveCreate, .closeOnExec], permissions: permissions, reportedAs: path)
    }

    /// Opens `target` with `options`, sets its permissions, writes `bytes` whole and flushes
    /// them to the disk; on any failure the file is removed and the error names `reportedAs`.
    private static func write(
        _ bytes: [UInt8], creating target: String, options: FileDescriptor.OpenOptions, permissions: FilePermissions,
        reportedAs path: String
    ) throws(FileError) {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(target), .writeOnly, options: options, permissions: permissions)
        } catch {
            throw FileError(.write, path: path, errno: error as? Errno ?? .ioError)
        }
        do {
            try fd.closeAfter {
                guard fchmod(fd.rawValue, permissions.rawValue) == 0 else { throw Errno(rawValue: errno) }
                _ = try bytes.withUnsafeBytes { try fd.writeAll($0) }
                guard fsync(fd.rawValue) == 0 else { throw Errno(rawValue: errno) }
            }
        } catch {
            _ = unlink(target)
            throw FileError(.write, path: path, errno: error as? Errno ?? .ioError)
        }
    }

    /// `mkdir -p`, owner-only for what it makes.
    public static func makeFolders(_ path: String, permissions: FilePermissions = [.ownerReadWriteExecute]) throws(FileError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") where part != "." {
            built += "/" + part
            if mkdir(built, permissions.rawValue) != 0, errno != EEXIST {
                throw FileError(.makeFolder, path: path, errno: Errno(rawValue: errno))
            }
        }
    }

    /// The names in a folder, sorted, without `.` and `..`.
    public static func names(in folder: String) throws(FileError) -> [String] {
        guard let dir = opendir(folder) else { throw FileError(.open, path: folder, errno: Errno(rawValue: errno)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The names in a folder, or none when it cannot be read (a folder that is not there yet).
    public static func namesIfAny(in folder: String) -> [String] {
        (try? names(in: folder)) ?? []
    }

    /// True when `path` names something (a file, a folder, a link).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func open(_ path: String) throws(FileError) -> FileDescriptor {
        do {
            let fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
            var info = stat()
            if fstat(fd.rawValue, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                try? fd.close()
                throw Errno.isDirectory
            }
            return fd
        } catch {
            throw FileError(.open, path: path, errno: error as? Errno ?? .ioError)
        }
    }

    /// Temporary names of one process never meet, whatever thread writes.
    private static let counter = Atomic<Int>(0)
}

/// The machine the run is on.
public enum Machine {
    /// Cores available, for worker counts.
    public static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
