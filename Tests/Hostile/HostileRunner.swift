import Foundation
public import TestSupport

/// Runs hostile cases through the real binary, one working folder each.
public enum HostileRunner {
    /// A working folder with the repository's policy, profiles and schemas, and an empty inbox.
    public static func workingFolder(_ prefix: String = "uchet-hostile") throws -> TemporaryDirectory {
        try TestSupport.workingFolder(prefix, inbox: true)
    }

    /// One file's line of a run's summary.
    public struct FileLine {
        public var status: String
        public var records: Int
        public var report: String?
    }

    /// The `details` of the run's summary, by file name.
    public static func summary(_ folder: String) -> [String: FileLine] {
        let reports = folder + "/outbox/reports"
        var out: [String: FileLine] = [:]
        for run in ((try? FileManager.default.contentsOfDirectory(atPath: reports)) ?? []).sorted() {
            guard let data = FileManager.default.contents(atPath: reports + "/" + run + "/summary.json"),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let details = json["details"] as? [[String: Any]]
            else { continue }
            for d in details {
                guard let name = d["name"] as? String else { continue }
                out[name] = FileLine(status: d["status"] as? String ?? "", records: d["records"] as? Int ?? 0, report: d["report"] as? String)
            }
        }
        return out
    }

    public static func run(_ hostile: HostileCase) -> HostileResult {
        func result(_ handled: Bool, _ detail: String, _ seconds: Double = 0, _ mb: Int = 0) -> HostileResult {
            HostileResult(name: hostile.name, what: hostile.what, handled: handled, detail: detail, seconds: seconds, megabytes: mb)
        }
        do {
            let dir = try workingFolder()
            let inbox = dir.file("inbox")
            try dir.write("inbox/roster.csv", text: HostileCorpus.roster)
            try dir.write("inbox/marks.csv", text: HostileCorpus.marks)
            try hostile.make(inbox)

            let clock = Date()
            let outcome: UchetRun
            if let during = hostile.during, let pause = hostile.environment["UCHET_PAUSE_AT"], let point = pause.split(separator: ":").first {
                // Acts while the run is held at its pause point: the moment the run says it is there, not after a guess of the clock.
                let process = try Spawned(
                    ["run", "--now"], in: dir.path, environment: hostile.environment.merging(["UCHET_LOG_LEVEL": "debug"]) { a, _ in a },
                    timed: true)
                guard process.waitFor("этап: \(point)", timeout: hostile.maxSeconds * 3) else { return result(false, "the run never reached \(point)") }
                try during(inbox)
                outcome = process.finish()
            } else {
                outcome = try Uchet.run(["run", "--now"], in: dir.path, environment: hostile.environment, timeout: hostile.maxSeconds * 3)
            }
            let seconds = Date().timeIntervalSince(clock)
            let mb = outcome.maxRSSKilobytes / 1024
            func fail(_ why: String) -> HostileResult { result(false, why, seconds, mb) }

            if outcome.crashed { return fail("crashed or hung: \(outcome.stderr.suffix(300))") }
            guard outcome.status == 0 || outcome.status == 1 else { return fail("exit \(outcome.status): \(outcome.stderr.suffix(300))") }
            if seconds > hostile.maxSeconds { return fail(String(format: "took %.1f s, bound %.0f s", seconds, hostile.maxSeconds)) }
            if mb > hostile.maxMegabytes { return fail("peak \(mb) MB, bound \(hostile.maxMegabytes) MB") }

            let lines = summary(dir.path)
            for good in ["roster.csv", "marks.csv"] {
                guard let line = lines[good], line.status == "accepted", line.records == 2 else {
                    return fail("the good school's \(good) did not go in whole: \(lines[good].map { "\($0.status), \($0.records)" } ?? "absent")")
                }
            }
            func reportText(_ line: FileLine) -> String {
                line.report.flatMap { try? String(contentsOfFile: dir.path + "/" + $0, encoding: .utf8) } ?? ""
            }
            switch hostile.outcome {
            case .rejected(let words):
                guard let line = lines[hostile.file] else { return fail("\(hostile.file) is not in the run's summary") }
                guard line.status == "rejected" else { return fail("\(hostile.file): \(line.status), expected rejected: \(reportText(line))") }
                let text = reportText(line)
                guard text.contains(words) else { return fail("report lacks «\(words)»: \(text)") }
                var r = result(true, "rejected: " + firstFinding(text), seconds, mb)
                r.report = text
                return r
            case .finding(let words):
                guard let line = lines[hostile.file] else { return fail("\(hostile.file) is not in the run's summary") }
                let text = reportText(line)
                guard line.status == "accepted" else { return fail("\(hostile.file): \(line.status): \(firstFinding(text))") }
                guard words.isEmpty || text.contains(words) else { return fail("report lacks «\(words)»: \(firstFinding(text))") }
                return result(true, "taken in, records \(line.records)" + (text.isEmpty ? "" : ": " + firstFinding(text)), seconds, mb)
            case .leftAlone(let words):
                if let line = lines[hostile.file] { return fail("\(hostile.file) was taken: \(line.status)") }
                let text = outcome.stdout + outcome.stderr
                if let words, !text.contains(words) { return fail("output lacks «\(words)»") }
                return result(true, "left alone, run went on", seconds, mb)
            }
        } catch {
            return result(false, "could not set up: \(error)")
        }
    }

    /// The first finding line of a report, for the table.
    static func firstFinding(_ report: String) -> String {
        let lines = report.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let header = lines.firstIndex(where: { $0 == "Ошибки:" || $0 == "Предупреждения:" }), header + 1 < lines.count else { return "" }
        return String(lines[header + 1].prefix(200))
    }
}
