import Foundation
#if canImport(Glibc)
    public import Glibc
#endif

/// A `uchet` process whose stderr the harness reads line by line (to kill it
/// at a stage it logs), with extra environment.
public final class Spawned {
    public let pid: pid_t
    private let errFD: Int32
    private var pending: [UInt8] = []
    public private(set) var exited = false
    public private(set) var status: Int32 = 0
    /// Peak resident memory once the process has been reaped, in KB.
    public private(set) var maxRSSKilobytes = 0
    /// Every stderr line read so far.
    public private(set) var lines: [String] = []

    /// Where GNU time writes the peak memory, for a process started `timed`.
    private let peakFile: String?

    /// `timed`: run under GNU time, which forks (the peak a vfork'd spawn reports is the
    /// test runner's); the pid is then time's, so a timed process is waited for, not killed.
    public init(_ args: [String], in folder: String, environment: [String: String] = [:], timed: Bool = false) throws {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw POSIXError(.EIO) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        peakFile = timed ? NSTemporaryDirectory() + "uchet-peak-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" : nil
        let argv =
            (peakFile.map { ["/usr/bin/time", "-f", "%M", "-o", $0] } ?? [])
            + ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", folder, Uchet.binary] + args
        let child: pid_t
        do {
            child = try spawn(argv, environment: environment, actions: &actions)
        } catch {
            close(pipeFDs[1])
            close(pipeFDs[0])
            throw error
        }
        close(pipeFDs[1])
        pid = child
        errFD = pipeFDs[0]
        _ = fcntl(errFD, F_SETFL, fcntl(errFD, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if !exited {
            Glibc.kill(pid, SIGKILL)
            reap(block: true)
        }
        close(errFD)
    }

    private func reap(block: Bool) {
        guard !exited else { return }
        var s: Int32 = 0
        var usage = rusage()
        if wait4(pid, &s, block ? 0 : WNOHANG, &usage) == pid {
            exited = true
            status = s
            maxRSSKilobytes = Int(usage.ru_maxrss)
        }
    }

    /// Reads stderr until a line containing `marker`, the nth time; false if the
    /// process ended first or `timeout` passed.
    public func waitFor(_ marker: String, occurrence: Int = 1, timeout: Double = 120) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var seen = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            let n = read(errFD, &chunk, chunk.count)
            if n > 0 {
                pending += chunk[0..<n]
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[..<nl], as: UTF8.self)
                    pending.removeSubrange(...nl)
                    lines.append(line)
                    if line.contains(marker) {
                        seen += 1
                        if seen >= occurrence { return true }
                    }
                }
                continue
            }
            if n == 0 {
                reap(block: true)
                return false
            }
            reap(block: false)
            if exited { return false }
            usleep(1000)
        }
        return false
    }

    /// Reads and drops what is waiting on stderr (a long-running process
    /// must not block on a full pipe).
    public func drain() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while read(errFD, &chunk, chunk.count) > 0 {}
    }

    /// SIGKILL; true when the process was still running.
    @discardableResult
    public func kill() -> Bool {
        reap(block: false)
        if exited { return false }
        Glibc.kill(pid, SIGKILL)
        reap(block: true)
        return true
    }

    /// Drains stderr and waits for the exit; the exit code, -1 after a signal.
    public func wait() -> Int32 {
        var chunk = [UInt8](repeating: 0, count: 65536)
        _ = fcntl(errFD, F_SETFL, fcntl(errFD, F_GETFL) & ~O_NONBLOCK)
        while true {
            let n = read(errFD, &chunk, chunk.count)
            guard n > 0 else { break }
            pending += chunk[0..<n]
        }
        lines += String(decoding: pending, as: UTF8.self).split(separator: "\n").map(String.init)
        pending = []
        reap(block: true)
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
    }

    /// Peak resident memory of the process now, in KB (VmHWM).
    public var peakKilobytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Resident memory of the process now, in KB (VmRSS).
    public var residentKilobytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    public func signal(_ sig: Int32) { Glibc.kill(pid, sig) }

    /// Waits for the exit and tells it as `Uchet.run` would (standard output is not kept).
    public func finish() -> UchetRun {
        let code = wait()
        var peak = maxRSSKilobytes
        if let peakFile {
            let text = (try? String(contentsOfFile: peakFile, encoding: .utf8)) ?? ""
            peak = text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? peak
            try? FileManager.default.removeItem(atPath: peakFile)
        }
        let signalled = code < 0 || lines.contains { $0.contains("terminated by signal") }
        return UchetRun(status: signalled ? -1 : code, crashed: signalled, stdout: "", stderr: lines.joined(separator: "\n"), maxRSSKilobytes: peak)
    }
}
