import ArgumentParser
import Foundation
import HostileCorpus
import LedgerDump
import TestSupport
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet watch` fed some 500 files over a few minutes: a demo school's
/// exports cut into small files, files copied in slowly, files that must be
/// rejected, the same files dropped again, and `uchet run` started beside
/// the watcher now and then. At the end the ledger must equal the ledger of
/// one run over the same files (nothing lost, nothing twice), every file
/// dropped must be in processed/ or rejected/ once per drop, and the
/// watcher's memory must stay flat.
struct Soak: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Soak: uchet watch fed ~500 files with duplicates, rejects and concurrent runs.")

    @Option(help: "Demo school size.") var students = 200
    @Option(help: "Seed of the demo school and of the schedule.") var seed = 29
    @Option(help: "Files to make (about).") var files = 500
    @Option(help: "Seconds over which the files arrive.") var seconds = 150.0
    @Option(help: "Write the figures here (JSON).") var results: String?

    /// One file to drop: its name and bytes; `slow` files are written in two halves a second apart.
    struct Drop {
        var name: String
        var bytes: [UInt8]
        var slow = false
        var again = false
    }

    func run() throws {
        let template = try demoFolder(students: students, seed: seed)
        var random = SplitMix(seed: UInt64(seed))
        let (rosters, unique) = try makeFiles(template.path + "/inbox", random: &random)

        // Reference: one run over the same files, rosters first as IT would drop them.
        let reference = try HostileRunner.workingFolder("uchet-soak-ref")
        for d in rosters + unique { try Data(d.bytes).write(to: URL(fileURLWithPath: reference.path + "/inbox/" + d.name)) }
        let clean = try Uchet.run(["run", "--now"], in: reference.path, timeout: 600)
        guard !clean.crashed else { throw ReliabilityError("the reference run crashed") }
        let expected = try LedgerDump.lines(reference.path + "/var/ledger.sqlite")

        // The schedule: rosters, then the rest shuffled, with duplicates of earlier files mixed in.
        // A certificate's scan and its sidecar travel together, the scan first, as a person drops them.
        var units: [[Drop]] = []
        for d in unique where !d.name.hasSuffix(".pdf") {
            let scan = d.name.hasSuffix(".json") ? unique.first { $0.name == String(d.name.dropLast(5)) + ".pdf" } : nil
            units.append((scan.map { [$0] } ?? []) + [d])
        }
        for i in stride(from: units.count - 1, to: 0, by: -1) { units.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        var schedule = units.flatMap { $0 }
        let loose = unique.filter { u in u.name.hasSuffix(".pdf") && !schedule.contains { $0.name == u.name } }
        schedule += loose
        var duplicates = 0
        for _ in 0..<max(10, files / 20) {
            let at = Int(random.next() % UInt64(schedule.count / 2)) + schedule.count / 2
            var copy = schedule[Int(random.next() % UInt64(at / 2))]
            if copy.name.hasSuffix(".json") || copy.name.hasSuffix(".pdf") { continue }
            copy.again = true
            copy.slow = false
            schedule.insert(copy, at: at)
            duplicates += 1
        }
        schedule = rosters + schedule
        print(
            "soak: \(schedule.count) drops (\(unique.count + rosters.count) distinct files, \(duplicates) dropped again, \(unique.filter(\.slow).count) copied slowly) over \(Int(seconds)) s"
        )

        let soak = try HostileRunner.workingFolder("uchet-soak")
        let inbox = soak.path + "/inbox"
        let watch = try Spawned(["watch", "--interval", "1"], in: soak.path)
        var samples: [Int] = []
        var runs = 0
        var runFailures = 0
        let started = Date()
        let gap = seconds / Double(schedule.count)
        var nextRun = 8.0
        var concurrent: [UchetProcess] = []
        var pending = Array(schedule.reversed())
        var lastSample = 0.0
        while !pending.isEmpty {
            let elapsed = Date().timeIntervalSince(started)
            let drop = pending.removeLast()
            // A dropped-again file waits until its first copy has left the inbox.
            if drop.again, FileManager.default.fileExists(atPath: inbox + "/" + drop.name) {
                pending.insert(drop, at: max(0, pending.count - 5))
                usleep(200_000)
                continue
            }
            try place(drop, in: inbox)
            if elapsed >= nextRun {
                concurrent.append(try UchetProcess(["run"], in: soak.path))
                runs += 1
                nextRun += 10
            }
            concurrent.removeAll { c in
                var s: Int32 = 0
                guard waitpid(c.pid, &s, WNOHANG) == c.pid else { return false }
                if (s & 0x7F) != 0 || (s >> 8) & 0xFF > 1 { runFailures += 1 }
                return true
            }
            watch.drain()
            if elapsed - lastSample >= 1 {
                samples.append(watch.residentKilobytes)
                lastSample = elapsed
            }
            if drop.name == rosters.last?.name { try waitUntilTaken(inbox, timeout: 60) }
            let target = Double(schedule.count - pending.count) * gap
            let ahead = target - Date().timeIntervalSince(started)
            if ahead > 0 { usleep(UInt32(ahead * 1_000_000)) }
        }
        for c in concurrent where c.wait() > 1 { runFailures += 1 }
        try waitUntilTaken(inbox, timeout: 300) {
            watch.drain()
            samples.append(watch.residentKilobytes)
        }
        let afterFirst = watch.residentKilobytes

        // Round two: every distinct file again under a new name, in batches (all
        // duplicates now): passes go on, the ledger no longer grows, so the
        // watcher's memory must not either.
        var second = 0
        for (i, d) in (rosters + unique).filter({ !$0.name.hasSuffix(".pdf") && !$0.name.hasSuffix(".json") }).enumerated() {
            try place(Drop(name: "повтор-" + d.name, bytes: d.bytes), in: inbox)
            second += 1
            if i % 50 == 49 {
                try waitUntilTaken(inbox, timeout: 300) { watch.drain() }
                samples.append(watch.residentKilobytes)
            }
        }
        try waitUntilTaken(inbox, timeout: 300) { watch.drain() }
        let afterSecond = watch.residentKilobytes
        let peak = watch.peakKilobytes
        watch.signal(SIGTERM)
        let watchExit = watch.wait()
        let last = try Uchet.run(["run", "--now"], in: soak.path, timeout: 600)

        // Nothing lost, nothing twice.
        // Round two's rejects are rejections of their own (under their new names).
        let got = try LedgerDump.lines(soak.path + "/var/ledger.sqlite").filter { !($0.hasPrefix("10|") && $0.contains("|\"повтор-")) }
        let integrity = try LedgerDump.integrityProblems(soak.path + "/var/ledger.sqlite")
        let lost = Set(expected).subtracting(got).count
        let twice = got.count - Set(got).count + Set(got).subtracting(expected).count
        let placed = FolderState.inputs(soak.path)
        let waiting = placed.filter { $0.hasPrefix("waiting/") || $0.hasPrefix("claimed/") }
        let done = placed.count - waiting.count
        // Memory: the median of the last quarter against the median of the second.
        let quarter = max(1, samples.count / 4)
        func median(_ xs: ArraySlice<Int>) -> Int {
            let s = xs.sorted()
            return s.isEmpty ? 0 : s[s.count / 2]
        }
        let early = median(samples.dropFirst(quarter).prefix(quarter))
        let late = median(samples.suffix(quarter))
        let growth = early > 0 ? Double(late - early) / Double(early) : 0

        print(
            String(
                format: "soak: %d drops in %.0f s; watch exit %d (1: it saw rejects), concurrent runs %d (failed %d), final run exit %d",
                schedule.count, Date().timeIntervalSince(started), watchExit, runs, runFailures, last.status))
        print(
            "files: \(done) in processed/ or rejected/, \(waiting.count) left in the inbox; ledger rows \(got.count) (reference \(expected.count)): lost \(lost), twice \(twice); integrity \(integrity.isEmpty ? "ok" : "\(integrity.prefix(3))")"
        )
        print(
            String(
                format: "watch memory: peak %d MB; median %d MB early, %d MB late (%+.1f%%); by tenths: ", peak / 1024, early / 1024, late / 1024, growth * 100)
                + (0..<10).map { i in String(samples.isEmpty ? 0 : samples[min(samples.count - 1, i * samples.count / 10)] / 1024) }.joined(separator: " "))
        if let results {
            let json =
                #"{"drops": \#(schedule.count + second), "roundTwoMB": [\#(afterFirst / 1024), \#(afterSecond / 1024)], "distinct": \#(unique.count + rosters.count), "again": \#(duplicates), "done": \#(done), "left": \#(waiting.count), "lost": \#(lost), "twice": \#(twice), "peakMB": \#(peak / 1024), "earlyMB": \#(early / 1024), "lateMB": \#(late / 1024), "concurrentRuns": \#(runs), "failedRuns": \#(runFailures)}"#
            try json.write(toFile: results, atomically: true, encoding: .utf8)
        }
        let secondGrowth = afterFirst > 0 ? Double(afterSecond - afterFirst) / Double(afterFirst) : 0
        print(
            String(
                format: "round two: %d more drops (all seen before); watch memory %d MB after round one, %d MB after round two (%+.1f%%)",
                second, afterFirst / 1024, afterSecond / 1024, secondGrowth * 100))
        let flat = secondGrowth < 0.10
        guard lost == 0, twice == 0, integrity.isEmpty, waiting.isEmpty, done == schedule.count + second, runFailures == 0,
            watchExit == 0 || watchExit == 1, !last.crashed, flat
        else {
            if lost > 0 || twice > 0 {
                for line in Set(expected).subtracting(got).sorted().prefix(5) { print("lost: \(line.prefix(200))") }
                for line in Set(got).subtracting(expected).sorted().prefix(5) { print("extra: \(line.prefix(200))") }
                // Keep the first differing output of each side, to compare.
                if let line = Set(got).subtracting(expected).sorted().first, line.hasPrefix("13|") {
                    let path = line.split(separator: "|")[3].replacingOccurrences(of: "\"", with: "")
                    try? FileManager.default.createDirectory(atPath: "/tmp/uchet-soak-diff", withIntermediateDirectories: true)
                    _ = try? FileManager.default.removeItem(atPath: "/tmp/uchet-soak-diff/soak.xml")
                    _ = try? FileManager.default.removeItem(atPath: "/tmp/uchet-soak-diff/reference.xml")
                    try? FileManager.default.copyItem(atPath: soak.path + "/outbox/" + path, toPath: "/tmp/uchet-soak-diff/soak.xml")
                    try? FileManager.default.copyItem(atPath: reference.path + "/outbox/" + path, toPath: "/tmp/uchet-soak-diff/reference.xml")
                    print("kept in /tmp/uchet-soak-diff: \(path)")
                }
            }
            throw ExitCode(1)
        }
    }

    /// Writes a drop: at once under a temporary name then renamed, or slowly in two halves.
    func place(_ drop: Drop, in inbox: String) throws {
        let path = inbox + "/" + drop.name
        if drop.slow {
            let half = drop.bytes.count / 2
            guard let f = fopen(path, "wb") else { throw ReliabilityError("cannot write \(path)") }
            _ = drop.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, half, f) }
            fflush(f)
            usleep(700_000)
            _ = drop.bytes.withUnsafeBytes { fwrite($0.baseAddress! + half, 1, drop.bytes.count - half, f) }
            fclose(f)
        } else {
            let temp = inbox + "/.incoming-" + UUID().uuidString
            try Data(drop.bytes).write(to: URL(fileURLWithPath: temp))
            guard rename(temp, path) == 0 else { throw ReliabilityError("cannot rename into \(path)") }
        }
    }

    /// Waits until nothing is left at the top of the inbox or claimed.
    func waitUntilTaken(_ inbox: String, timeout: Double, tick: () -> Void = {}) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let left = FolderState.inputs(inbox + "/..").filter { $0.hasPrefix("waiting/") || $0.hasPrefix("claimed/") }
            if left.isEmpty { return }
            tick()
            usleep(500_000)
        }
        let left = FolderState.inputs(inbox + "/..").filter { $0.hasPrefix("waiting/") || $0.hasPrefix("claimed/") }
        throw ReliabilityError("files still in the inbox after \(Int(timeout)) s: \(left.prefix(5)) (\(left.count) in all)")
    }

    /// The demo school's files, journals cut into small files of the same
    /// shape, and some with a mark made impossible (to be rejected).
    func makeFiles(_ folder: String, random: inout SplitMix) throws -> (rosters: [Drop], rest: [Drop]) {
        var rosters: [Drop] = []
        var rest: [Drop] = []
        var journals: [(name: String, lines: [[UInt8]])] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name != "README.md" {
            guard !name.hasPrefix("~$"), !name.hasSuffix(".part") else { continue }
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
            if name.hasPrefix("Контингент") {
                rosters.append(Drop(name: name, bytes: bytes))
            } else if name.hasPrefix("Журнал"), name.hasSuffix(".csv") {
                journals.append((name, bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)))
            } else {
                rest.append(Drop(name: name, bytes: bytes, slow: random.next() % 10 == 0 && !name.hasSuffix(".json") && !name.hasSuffix(".pdf")))
            }
        }
        let dataLines = journals.reduce(0) { $0 + max(0, $1.lines.count - 2) }
        let wanted = max(1, files - rest.count - rosters.count)
        let perFile = max(5, dataLines / wanted)
        var bad = 0
        for journal in journals {
            let head = Array(journal.lines.prefix(2))
            let body = journal.lines.dropFirst(2).filter { !$0.isEmpty && $0 != [0x0D] }
            var part = 0
            var start = body.startIndex
            while start < body.endIndex {
                let end = min(start + perFile, body.endIndex)
                var lines = head + Array(body[start..<end])
                part += 1
                let base = String(journal.name.dropLast(4))
                var name = "\(base) часть \(part).csv"
                if random.next() % 25 == 0, let i = lines.indices.last, let at = find([0x3B, 0x35, 0x3B], in: lines[i]) {
                    // An impossible mark (the journal's marks are 2…5): the file must be rejected.
                    lines[i][at + 1] = 0x39
                    name = "\(base) часть \(part) с ошибкой.csv"
                    bad += 1
                }
                rest.append(Drop(name: name, bytes: Array(lines.joined(separator: [0x0A])) + [0x0A], slow: random.next() % 15 == 0))
                start = end
            }
        }
        print("journals cut into files of \(perFile) lines; \(bad) of them with an impossible mark")
        return (rosters, rest)
    }

    func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<i + needle.count]) == needle { return i }
        return nil
    }
}
