import ArgumentParser
import Foundation
import HostileCorpus
import LedgerDump
import TestSupport
#if canImport(Glibc)
    import Glibc
#endif

/// Runs the pipeline on a disk that fills up (a small tmpfs holding the
/// whole working folder), at several sizes so that the disk fills in
/// different stages. Each time: the ledger passes SQLite's integrity check,
/// no input file is lost, and after the disk is enlarged a rerun ends in
/// the same state as a run that never ran short.
struct DiskFull: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disk-full", abstract: "Disk-full: the ledger stays consistent, the inputs stay, a rerun recovers.")

    @Option(help: "Demo school size.") var students = 150
    @Option(help: "Seed of the demo school.") var seed = 23
    @Option(help: "Write the figures here (JSON).") var results: String?

    func run() throws {
        let template = try demoFolder(students: students, seed: seed)
        let reference = try copyFolder(template.path, prefix: "uchet-full-ref")
        let clean = try Uchet.run(["run", "--now"], in: reference.path)
        // The demo school plants files that are meant to be rejected: a clean run exits 1, exactly.
        guard !clean.crashed, clean.status == 1 else {
            throw ReliabilityError("the clean run exited \(clean.status), not 1 (the demo's planted files rejected): \(clean.stderr)")
        }
        let expected = try FolderState(reference.path)
        let inputs = Set(expected.inputs.map { String($0.split(separator: "/", maxSplits: 1)[1]) })
        let start = du(template.path)
        let finish = du(reference.path)
        print("working folder: \(start / 1024) KB before the run, \(finish / 1024) KB after")

        // Sizes from just above the inbox to most of the finished folder.
        let sizes = [0.02, 0.15, 0.35, 0.6, 0.85].map { start + Int(Double(finish - start) * $0) }
        var consistent = 0
        var recovered = 0
        var failures: [String] = []
        for size in sizes {
            let mount = TemporaryDirectory("uchet-full")
            guard mountTmpfs(mount.path, bytes: size) else {
                print("tmpfs cannot be mounted here (needs root); disk-full not tried")
                if let results { try #"{"tried": 0, "consistent": 0, "recovered": 0}"#.write(toFile: results, atomically: true, encoding: .utf8) }
                return
            }
            defer { _ = umount(mount.path) }
            let folder = mount.path + "/school"
            try FileManager.default.copyItem(atPath: template.path, toPath: folder)
            let full = try Uchet.run(["run", "--now"], in: folder)
            let message = (full.stderr + full.stdout).split(separator: "\n").first { $0.contains("нет места") }
            var problems: [String] = []
            if full.crashed { problems.append("crashed") }
            if full.status != 0, message == nil { problems.append("stopped without saying the disk is full") }
            if let integrity = try? LedgerDump.integrityProblems(folder + "/var/ledger.sqlite"), !integrity.isEmpty {
                problems.append("ledger integrity: \(integrity.prefix(2))")
            }
            let after = FolderState(inputsOnly: folder)
            let present = Set(after.inputs.map { String($0.split(separator: "/", maxSplits: 1)[1]) })
            if present != inputs { problems.append("inputs lost: \(inputs.subtracting(present).sorted().prefix(3))") }
            if problems.isEmpty { consistent += 1 }

            // More room, and a rerun ends where a run with room would have.
            _ = remountTmpfs(mount.path, bytes: 1 << 30)
            let rerun = try Uchet.run(["run", "--now"], in: folder)
            let state = try FolderState(folder)
            if rerun.crashed {
                problems.append("the rerun crashed")
            } else if let difference = state.difference(from: expected) {
                problems.append("after the rerun: \(difference)")
            } else {
                recovered += 1
            }
            let line = "\(size / 1024) KB: exit \(full.status)\(message.map { ", «\($0.prefix(140))»" } ?? ", no message about space")"
            print(line + (problems.isEmpty ? " → consistent, recovered" : " → " + problems.joined(separator: "; ")))
            if !problems.isEmpty { failures.append(line) }
        }
        print("disk-full: \(sizes.count) sizes tried, ledger consistent and inputs kept \(consistent), identical after rerun \(recovered)")
        if let results {
            try #"{"tried": \#(sizes.count), "consistent": \#(consistent), "recovered": \#(recovered)}"#.write(
                toFile: results, atomically: true, encoding: .utf8)
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    func du(_ path: String) -> Int {
        var total = 0
        guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
        while let relative = walker.nextObject() as? String {
            var info = stat()
            if lstat(path + "/" + relative, &info) == 0 { total += Int(info.st_blocks) * 512 }
        }
        return total
    }

    func mountTmpfs(_ path: String, bytes: Int) -> Bool {
        mount("tmpfs", path, "tmpfs", 0, "size=\(bytes)") == 0
    }

    func remountTmpfs(_ path: String, bytes: Int) -> Bool {
        mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT), "size=\(bytes)") == 0
    }
}
