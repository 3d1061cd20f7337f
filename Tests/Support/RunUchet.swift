import Foundation
#if canImport(Glibc)
    public import Glibc
#endif

/// What a run of the `uchet` binary did.
public struct UchetRun: Sendable {
    public var status: Int32
    /// True when the process ended by a signal (a crash), not an exit.
    public var crashed: Bool
    public var stdout: String
    public var stderr: String
    /// Peak resident memory of the process, in kilobytes.
    public var maxRSSKilobytes: Int
}

/// Runs the built `uchet` binary (next to the test bundle in `.build/<config>/`).
public enum Uchet {
    public static var binary: String {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        var folder = here
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("uchet").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return here.appendingPathComponent("uchet").path
    }

    /// Runs `uchet args…` in `directory`, with a hang guard of `timeout` seconds.
    public static func run(
        _ args: [String], in directory: String? = nil, environment: [String: String] = [:],
        timeout: Double = 120
    ) throws -> UchetRun {
        let out = TemporaryDirectory("uchet-run")
        let stdoutPath = out.file("stdout")
        let stderrPath = out.file("stderr")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // GNU time forks (not vfork: the peak it reports is not the test
        // runner's), the shell changes folder and becomes uchet.
        let rssPath = out.file("rss")
        let argv =
            [
                "/usr/bin/time", "-f", "%M", "-o", rssPath,
                "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory ?? ".", binary
            ] + args
        let pid = try spawn(argv, environment: environment, actions: &actions)
        var status: Int32 = 0
        var usage = rusage()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = wait4(pid, &status, 0, &usage)
                break
            }
            usleep(2000)
        }
        let timeReport = (try? String(contentsOfFile: rssPath, encoding: .utf8)) ?? ""
        let peak = timeReport.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let exited = (status & 0x7F) == 0
        let signalled = !exited || timeReport.contains("terminated by signal")
        return UchetRun(
            status: signalled ? -1 : (status >> 8) & 0xFF,
            crashed: signalled,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "",
            maxRSSKilobytes: peak ?? Int(usage.ru_maxrss))
    }
}

/// A `uchet` process started in the background, to be killed mid-run.
public final class UchetProcess: @unchecked Sendable {
    public let pid: Int32

    public init(_ args: [String], in directory: String) throws {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, Uchet.binary] + args
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, cArgs, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        self.pid = pid
    }

    /// SIGKILL, then reap. Returns true when the process was still running.
    @discardableResult
    public func kill() -> Bool {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { return false }
        Glibc.kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return true
    }

    public func signal(_ sig: Int32) { Glibc.kill(pid, sig) }

    /// Waits for the exit; the exit code, or -1 after a signal.
    public func wait() -> Int32 {
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
    }
}

/// `posix_spawn` of `argv[0]` with this process's environment plus
/// `environment`; throws what posix_spawn returned.
public func spawn(_ argv: [String], environment: [String: String], actions: inout posix_spawn_file_actions_t) throws -> pid_t {
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let cArgs = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        cArgs.forEach { free($0) }
        cEnv.forEach { free($0) }
    }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
    return pid
}
