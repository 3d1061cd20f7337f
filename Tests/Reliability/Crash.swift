import ArgumentParser
import Foundation
import HostileCorpus
import LedgerDump
import TestSupport
#if canImport(Glibc)
    import Glibc
#endif

/// Kills `uchet run` with SIGKILL at random moments and once inside each
/// stage, runs it again, and compares ledger, outbox and input files with
/// one uninterrupted run.
struct Crash: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Crash injection: SIGKILL at random moments and in each stage, then recovery.")

    @Option(help: "Random kill moments.") var kills = 50
    @Option(help: "Demo school size.") var students = 150
    @Option(help: "Seed of the demo school and of the kill moments.") var seed = 23
    @Option(help: "Write the figures here (JSON).") var results: String?

    func run() throws {
        let template = try demoFolder(students: students, seed: seed)
        let reference = try copyFolder(template.path, prefix: "uchet-crash-ref")
        let clock = Date()
        let clean = try Uchet.run(["run", "--now"], in: reference.path)
        let duration = Date().timeIntervalSince(clock)
        // The demo school plants files that are meant to be rejected: a clean run exits 1, exactly.
        guard !clean.crashed, clean.status == 1 else {
            throw ReliabilityError("the clean run exited \(clean.status), not 1 (the demo's planted files rejected): \(clean.stderr)")
        }
        let expected = try FolderState(reference.path)
        let accepted = expected.inputs.filter { $0.hasPrefix("processed/") }.count
        print(
            String(
                format: "clean run: %.1f s, inputs %d, ledger rows %d, outbox files %d", duration, expected.inputs.count, expected.ledger.count,
                expected.outbox.count))

        enum Point {
            case stage(String, occurrence: Int)
            case moment(Double)
        }
        var points: [(String, Point)] = [
            ("stage intake", .stage("этап: intake", occurrence: 1)),
            ("stage parse", .stage("этап: parse", occurrence: 1)),
            ("stage merge", .stage("принят:", occurrence: max(1, accepted / 2))),
            ("stage emit", .stage("этап: emit", occurrence: 1)),
            ("stage report", .stage("этап: report", occurrence: 1))
        ]
        var random = SplitMix(seed: UInt64(seed))
        for i in 0..<kills { points.append(("random \(i + 1)", .moment(random.unit() * duration * 1.05))) }

        var inside = 0
        var identical = 0
        var failures: [String] = []
        var stageHits = 0
        for (label, point) in points {
            let trial = try copyFolder(template.path, prefix: "uchet-crash")
            let process = try Spawned(["run", "--now"], in: trial.path, environment: ["UCHET_LOG_LEVEL": "debug"])
            var reached = true
            switch point {
            case .stage(let marker, let occurrence):
                reached = process.waitFor(marker, occurrence: occurrence)
            case .moment(let seconds):
                _ = process.waitFor("\u{0}never\u{0}", timeout: seconds)
            }
            let killed = process.kill()
            if killed { inside += 1 }
            if case .stage = point, killed, reached { stageHits += 1 }
            let rerun = try Uchet.run(["run", "--now"], in: trial.path)
            let state = try FolderState(trial.path)
            if !rerun.crashed, let difference = state.difference(from: expected) {
                failures.append("\(label): \(difference)")
            } else if rerun.crashed {
                failures.append("\(label): the rerun crashed: \(rerun.stderr.suffix(300))")
            } else {
                identical += 1
            }
            print(
                "\(label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(killed ? "killed inside the run" : "run had ended      ") → \(failures.last.map { $0.hasPrefix(label + ":") ? "DIFFERS: " + $0 : "identical" } ?? "identical")"
            )
        }
        print("kill points: \(points.count) (inside the run \(inside), in each of 5 stages \(stageHits)/5), identical recoveries \(identical)")
        if let results {
            let json =
                #"{"killPoints": \#(points.count), "insideRun": \#(inside), "stageHits": \#(stageHits), "identical": \#(identical), "cleanSeconds": \#(String(format: "%.2f", duration))}"#
            try json.write(toFile: results, atomically: true, encoding: .utf8)
        }
        if !failures.isEmpty {
            for f in failures { print("FAIL " + f) }
            throw ExitCode(1)
        }
    }
}

/// A small seeded generator (kill moments are reproducible from `--seed`).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
