import Foundation
import HostileCorpus
import LedgerDump
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A `uchet` process whose stderr the harness reads line by line (to kill it
/// at a stage it logs), with extra environment.
final class Spawned {
    let pid: pid_t
    private let errFD: Int32
    private var pending: [UInt8] = []
    private(set) var exited = false
    private(set) var status: Int32 = 0

    init(_ args: [String], in folder: String, environment: [String: String] = [:]) throws {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw POSIXError(.EIO) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", folder, Uchet.binary] + args
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
        if !exited { Glibc.kill(pid, SIGKILL); reap(block: true) }
        close(errFD)
    }

    private func reap(block: Bool) {
        guard !exited else { return }
        var s: Int32 = 0
        if waitpid(pid, &s, block ? 0 : WNOHANG) == pid {
            exited = true
            status = s
        }
    }

    /// Reads stderr until a line containing `marker`, the nth time; false if the
    /// process ended first or `timeout` passed.
    func waitFor(_ marker: String, occurrence: Int = 1, timeout: Double = 120) -> Bool {
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
                    if line.contains(marker) {
                        seen += 1
                        if seen >= occurrence { return true }
                    }
                }
                continue
            }
            if n == 0 { reap(block: true); return false }
            reap(block: false)
            if exited { return false }
            usleep(1000)
        }
        return false
    }

    /// Reads and drops what is waiting on stderr (a long-running process
    /// must not block on a full pipe).
    func drain() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while read(errFD, &chunk, chunk.count) > 0 {}
    }

    /// SIGKILL; true when the process was still running.
    @discardableResult
    func kill() -> Bool {
        reap(block: false)
        if exited { return false }
        Glibc.kill(pid, SIGKILL)
        reap(block: true)
        return true
    }

    /// Drains stderr and waits for the exit; the exit code, -1 after a signal.
    func wait() -> Int32 {
        var chunk = [UInt8](repeating: 0, count: 65536)
        _ = fcntl(errFD, F_SETFL, fcntl(errFD, F_GETFL) & ~O_NONBLOCK)
        while read(errFD, &chunk, chunk.count) > 0 {}
        reap(block: true)
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
    }

    /// Peak resident memory of the process now, in KB (VmHWM).
    var peakKilobytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Resident memory of the process now, in KB (VmRSS).
    var residentKilobytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

/// A working folder's state, as compared after a crash or a soak.
struct FolderState: Equatable {
    var ledger: [String]
    var outbox: [String]
    /// Input files by where they ended: `processed/name`, `rejected/name`, `waiting/name`, `claimed/name`.
    var inputs: [String]
    var integrity: [String]

    init(_ folder: String) throws {
        ledger = try LedgerDump.lines(folder + "/var/ledger.sqlite")
        integrity = try LedgerDump.integrityProblems(folder + "/var/ledger.sqlite")
        outbox = LedgerDump.files(folder + "/outbox")
        inputs = FolderState.inputs(folder)
    }

    init(inputsOnly folder: String) {
        ledger = []
        integrity = []
        outbox = []
        inputs = FolderState.inputs(folder)
    }

    static func inputs(_ folder: String) -> [String] {
        var inputs: [String] = []
        let fm = FileManager.default
        for place in ["processed", "rejected"] {
            for day in (try? fm.contentsOfDirectory(atPath: folder + "/inbox/" + place)) ?? [] {
                for name in (try? fm.contentsOfDirectory(atPath: folder + "/inbox/\(place)/\(day)")) ?? [] where !name.contains(".report.") {
                    inputs.append(place + "/" + name)
                }
            }
        }
        for name in (try? fm.contentsOfDirectory(atPath: folder + "/inbox")) ?? []
        where !["processed", "rejected", ".work", "README.md"].contains(name) {
            inputs.append("waiting/" + name)
        }
        if let runs = try? fm.contentsOfDirectory(atPath: folder + "/inbox/.work") {
            for run in runs {
                for name in (try? fm.contentsOfDirectory(atPath: folder + "/inbox/.work/" + run)) ?? [] where !name.hasSuffix(".lock") {
                    inputs.append("claimed/" + name)
                }
            }
        }
        return inputs.sorted()
    }

    /// What differs from `other`, in a few words.
    func difference(from other: FolderState) -> String? {
        var parts: [String] = []
        if !integrity.isEmpty { parts.append("integrity: \(integrity.prefix(3))") }
        if ledger != other.ledger {
            let a = Set(ledger), b = Set(other.ledger)
            parts.append("ledger: \(a.subtracting(b).count) rows extra, \(b.subtracting(a).count) missing")
        }
        if outbox != other.outbox {
            let a = Set(outbox), b = Set(other.outbox)
            parts.append("outbox: \(a.subtracting(b).sorted().prefix(3)) extra, \(b.subtracting(a).sorted().prefix(3)) missing")
        }
        if inputs != other.inputs {
            let a = Set(inputs), b = Set(other.inputs)
            parts.append("inputs: \(a.subtracting(b).sorted().prefix(3)) extra, \(b.subtracting(a).sorted().prefix(3)) missing")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

/// Copies a folder's content into a new temporary folder.
func copyFolder(_ source: String, prefix: String) throws -> TemporaryDirectory {
    let dir = TemporaryDirectory(prefix)
    for name in try FileManager.default.contentsOfDirectory(atPath: source) {
        try FileManager.default.copyItem(atPath: source + "/" + name, toPath: dir.path + "/" + name)
    }
    return dir
}

/// A working folder with a demo school's inbox.
func demoFolder(students: Int, seed: Int) throws -> TemporaryDirectory {
    let dir = try HostileRunner.workingFolder("uchet-reliability")
    let demo = try Uchet.run(["demo", "--students", String(students), "--seed", String(seed)], in: dir.path)
    guard demo.status == 0 else { throw ReliabilityError("uchet demo failed: \(demo.stderr)") }
    return dir
}

struct ReliabilityError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
