import ArgumentParser
import Foundation
import HostileCorpus

@main
struct Reliability: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uchet-reliability",
        abstract: "Reliability proof for make reliability: hostile inputs, crash injection, disk full, soak, and the table.",
        subcommands: [Hostile.self, Crash.self, DiskFull.self, Soak.self, Table.self]
    )
}

struct Hostile: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every case of the hostile corpus through uchet run.")

    @Option(help: "Only cases whose name contains this.") var only: String?
    @Flag(help: "Print each report.") var verbose = false
    @Option(help: "Write the figures here (JSON).") var results: String?

    func run() throws {
        var all: [HostileResult] = []
        for c in HostileCorpus.cases where only.map({ c.name.contains($0) }) ?? true {
            let r = HostileRunner.run(c)
            print(
                (r.handled ? "ok    " : "FAIL  ") + r.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(format: " %6.2f s %5d MB  ", r.seconds, r.megabytes) + r.detail)
            if verbose { print(r.report) }
            all.append(r)
        }
        let handled = all.filter(\.handled).count
        let slowest = all.map(\.seconds).max() ?? 0
        let biggest = all.map(\.megabytes).max() ?? 0
        print(String(format: "hostile inputs: %d tried, %d handled; slowest %.2f s, largest %d MB", all.count, handled, slowest, biggest))
        if let results {
            try String(format: #"{"tried": %d, "handled": %d, "slowestSeconds": %.2f, "peakMB": %d}"#, all.count, handled, slowest, biggest)
                .write(toFile: results, atomically: true, encoding: .utf8)
        }
        if handled < all.count { throw ExitCode(1) }
    }
}

/// The table `make reliability` ends with, from the figures each part wrote.
struct Table: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the reliability table from the parts' JSON figures.")

    @Argument(help: "The folder holding hostile.json, fuzz.json, crash.json, disk-full.json, soak.json.") var folder: String

    func run() throws {
        func read(_ name: String) -> [String: Any] {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return [:] }
            return object
        }
        func int(_ o: [String: Any], _ k: String) -> Int { (o[k] as? NSNumber)?.intValue ?? 0 }
        func text(_ o: [String: Any], _ k: String) -> String { (o[k] as? NSNumber).map { "\($0)" } ?? "—" }
        let hostile = read("hostile.json"), fuzz = read("fuzz.json"), crash = read("crash.json"), full = read("disk-full.json"), soak = read("soak.json")
        let roundTwo = (soak["roundTwoMB"] as? [NSNumber])?.map(\.intValue) ?? []
        var rows: [(String, String, String)] = []
        rows.append(
            (
                "hostile inputs", "\(text(hostile, "tried")) tried",
                "\(text(hostile, "handled")) handled; slowest \(text(hostile, "slowestSeconds")) s, largest \(text(hostile, "peakMB")) MB"
            ))
        rows.append(
            (
                "fuzzing (xlsx, csv, profile)", "\(text(fuzz, "seconds")) s each",
                "\(text(fuzz, "executions")) executions, \(text(fuzz, "crashes")) crashes or hangs"
            ))
        rows.append(
            (
                "crash injection (SIGKILL)", "\(text(crash, "killPoints")) kill points",
                "\(text(crash, "insideRun")) inside a run (\(text(crash, "stageHits"))/5 stages), \(text(crash, "identical")) identical recoveries"
            ))
        rows.append(
            (
                "disk full (tmpfs)", "\(text(full, "tried")) sizes",
                "\(text(full, "consistent")) consistent with inputs kept, \(text(full, "recovered")) identical after rerun"
            ))
        rows.append(
            (
                "soak (uchet watch)", "\(text(soak, "drops")) files dropped",
                "\(text(soak, "lost")) lost, \(text(soak, "twice")) duplicated, \(text(soak, "left")) left; \(text(soak, "concurrentRuns")) concurrent runs, \(text(soak, "failedRuns")) failed"
            ))
        rows.append(
            (
                "peak memory", "",
                "watch \(text(soak, "peakMB")) MB (\(roundTwo.map(String.init).joined(separator: " → ")) MB over round two), hostile runs ≤ \(text(hostile, "peakMB")) MB"
            ))
        let widths = (rows.map(\.0.count).max() ?? 0, rows.map(\.1.count).max() ?? 0)
        print("| check | tried | result |\n|---|---|---|")
        for r in rows {
            print(
                "| \(r.0.padding(toLength: widths.0, withPad: " ", startingAt: 0)) | \(r.1.padding(toLength: widths.1, withPad: " ", startingAt: 0)) | \(r.2) |"
            )
        }
        let ok =
            int(hostile, "handled") == int(hostile, "tried") && int(hostile, "tried") > 0
            && int(fuzz, "crashes") == 0 && int(fuzz, "executions") > 0
            && int(crash, "identical") == int(crash, "killPoints") && int(crash, "killPoints") > 0
            && int(full, "consistent") == int(full, "tried") && int(full, "recovered") == int(full, "tried")
            && int(soak, "lost") == 0 && int(soak, "twice") == 0 && int(soak, "left") == 0 && int(soak, "drops") > 0
        if !ok { throw ExitCode(1) }
    }
}
