import Foundation
import TestSupport
import Testing

/// Killing a run (SIGKILL) at any moment and running again ends in the same
/// ledger and outputs as one uninterrupted run, with every input file in
/// `processed/` or `rejected/`.
@Suite(.serialized) struct CrashTests {
    /// A copy of a prepared working folder.
    func copy(_ template: DemoFolder) throws -> TemporaryDirectory {
        let dir = TemporaryDirectory("uchet-crash")
        for name in try FileManager.default.contentsOfDirectory(atPath: template.path) {
            try FileManager.default.copyItem(atPath: template.path + "/" + name, toPath: dir.path + "/" + name)
        }
        return dir
    }

    func state(_ dir: TemporaryDirectory) throws -> (ledger: [String], outbox: [String], done: [String], waiting: [String], work: [String]) {
        let view = DemoFolder(existing: dir)
        let done = (view.files(in: "inbox/processed") + view.files(in: "inbox/rejected"))
            .map { ($0 as NSString).lastPathComponent }.filter { !$0.contains(".report.") }.sorted()
        let outbox = view.files(in: "outbox").filter { !$0.hasPrefix("reports/") }
        return (try view.ledgerDump(), outbox, done, view.waiting, view.files(in: "inbox/.work").filter { !$0.hasSuffix(".lock") })
    }

    /// Kill points anchored to what the run says, never to the clock: held at each
    /// stage by the product's own hook (`UCHET_PAUSE_AT`) and killed there, and
    /// killed just after the first, a middle and the last but one file is merged.
    @Test func killedAtManyPointsAndRerunEndsAsOneUninterruptedRun() throws {
        let template = try DemoFolder(students: 60, seed: 21)
        let reference = try copy(template)
        let clean = try Uchet.run(["run", "--now"], in: reference.path)
        #expect(clean.status == 1)
        let expected = try state(reference)
        #expect(expected.work.isEmpty)
        // Files accepted, as the run counts them («принято N»); each logs «принят: …» when merged.
        let accepted = try #require(clean.stdout.firstMatch(of: /принято (\d+)/).flatMap { Int($0.1) })
        #expect(accepted > 3)

        var points: [(label: String, marker: String, occurrence: Int, pause: String?)] =
            ["intake", "parse", "emit", "report"].map { ("stage \($0)", "этап: \($0)", 1, "\($0):60") }
        for n in [1, accepted / 2, accepted - 1] { points.append(("after file \(n)", "принят:", n, nil)) }
        for point in points {
            let trial = try copy(template)
            var environment = ["UCHET_LOG_LEVEL": "debug"]
            if let pause = point.pause { environment["UCHET_PAUSE_AT"] = pause }
            let process = try Spawned(["run", "--now"], in: trial.path, environment: environment)
            #expect(process.waitFor(point.marker, occurrence: point.occurrence), "\(point.label): the run never said «\(point.marker)»")
            // Held at a stage, the run is certainly alive; after a file it may not be, at the last stages.
            let killed = process.kill()
            if point.pause != nil { #expect(killed, "\(point.label): the run had ended before the kill") }
            let rerun = try Uchet.run(["run", "--now"], in: trial.path)
            #expect(!rerun.crashed)
            let got = try state(trial)
            #expect(got.ledger == expected.ledger, "\(point.label): ledger differs")
            #expect(got.outbox == expected.outbox, "\(point.label): outputs differ")
            #expect(got.done == expected.done, "\(point.label): input files lost or doubled")
            #expect(got.waiting == expected.waiting, "\(point.label): files left in the inbox")
            #expect(got.work.isEmpty, "\(point.label): files left claimed")
        }
    }

    @Test func leftoversOfAKilledWriterAreRemovedByTheNextRun() throws {
        let school = try DemoFolder(students: 20, seed: 5)
        #expect(try school.run().status == 1)
        // A process that has ended: its pid names nobody now.
        let gone = try UchetProcess(["--version"], in: school.path)
        let deadPID = gone.pid
        _ = gone.wait()
        let leftovers = [
            "outbox/dossiers/x.xml.tmp-\(deadPID)-7", "outbox/attestat/2025-2026/9А.xlsx.Ab3dE9",
            "outbox/archive/2025-2026/test-2025-2026-9a.zip.q1W2e3", "inbox/rejected/2026-01-01/a.csv.report.txt.tmp-\(deadPID)",
            "outbox/attestat/2025-2026/.uchet-xlsx-\(deadPID)-x1Y2z3/sheet1.xml"
        ]
        for path in leftovers { try school.dir.write(path, text: "частично записано") }
        // A writer still at work (this test's own pid) is left alone.
        let alive = "outbox/dossiers/y.xml.tmp-\(getpid())-1"
        try school.dir.write(alive, text: "пишется")
        try school.dir.write("inbox/extra.csv", text: "ФИО;Класс;Предмет;Период;Отметка\n")
        _ = try school.run()
        for path in leftovers { #expect(!FileManager.default.fileExists(atPath: school.path + "/" + path), "\(path) left") }
        #expect(!FileManager.default.fileExists(atPath: school.path + "/outbox/attestat/2025-2026/.uchet-xlsx-\(deadPID)-x1Y2z3"))
        #expect(FileManager.default.fileExists(atPath: school.path + "/" + alive))
    }
}

extension DemoFolder {
    /// A view of an existing working folder.
    init(existing: TemporaryDirectory) { dir = existing }
}
