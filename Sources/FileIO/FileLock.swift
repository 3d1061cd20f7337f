import Synchronization
import SystemPackage
#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock (`flock`) on a lock file, held until `release()`
/// or until the lock goes away. Waiting never blocks a thread of the
/// cooperative pool: a lock another process holds is tried again after a
/// short sleep of the task.
public final class FileLock: Sendable {
    private let descriptor: Atomic<Int32>

    private init(_ fd: Int32) { descriptor = Atomic(fd) }

    /// The lock on `path` (created owner-only when missing), waiting for as long as another process holds it.
    public static func acquire(_ path: String) async throws -> FileLock {
        while true {
            if let lock = try tryAcquire(path) { return lock }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The lock on `path`, or nil when another process holds it.
    public static func tryAcquire(_ path: String) throws(FileError) -> FileLock? {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileError(.open, path: path, errno: .init(rawValue: errno)) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw FileError(.lock, path: path, errno: .init(rawValue: code))
        }
        return FileLock(fd)
    }

    /// Lets the lock go (closing the file); a second call does nothing.
    public func release() {
        let fd = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if fd >= 0 { close(fd) }
    }

    deinit { release() }
}
