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

    @Test func killedAtManyPointsAndRerunEndsAsOneUninterruptedRun() throws {
        let template = try DemoFolder(students: 60, seed: 21)
        let reference = try copy(template)
        let clock = Date()
        #expect(try Uchet.run(["run", "--now"], in: reference.path).status == 1)
        let duration = Date().timeIntervalSince(clock)
        let expected = try state(reference)
        #expect(expected.work.isEmpty)

        let points = 12
        var killedMidRun = 0
        for i in 0..<points {
            let trial = try copy(template)
            let process = try UchetProcess(["run", "--now"], in: trial.path)
            usleep(UInt32(duration * 1_000_000 * (Double(i) + 0.5) / Double(points)))
            if process.kill() { killedMidRun += 1 }
            let rerun = try Uchet.run(["run", "--now"], in: trial.path)
            #expect(!rerun.crashed)
            let got = try state(trial)
            #expect(got.ledger == expected.ledger, "kill point \(i): ledger differs")
            #expect(got.outbox == expected.outbox, "kill point \(i): outputs differ")
            #expect(got.done == expected.done, "kill point \(i): input files lost or doubled")
            #expect(got.waiting == expected.waiting, "kill point \(i): files left in the inbox")
            #expect(got.work.isEmpty, "kill point \(i): files left claimed")
        }
        #expect(killedMidRun >= points / 2, "most kills must land inside the run")
    }

    @Test func leftoversOfAKilledWriterAreRemovedByTheNextRun() throws {
        let school = try DemoFolder(students: 20, seed: 5)
        #expect(try school.run().status <= 1)
        // A process that has ended: its pid names nobody now.
        let gone = try UchetProcess(["--version"], in: school.path)
        let deadPID = gone.pid
        _ = gone.wait()
        let leftovers = ["outbox/dossiers/x.xml.tmp-\(deadPID)-7", "outbox/attestat/2025-2026/9А.xlsx.Ab3dE9",
                         "outbox/archive/2025-2026/test-2025-2026-9a.zip.q1W2e3", "inbox/rejected/2026-01-01/a.csv.report.txt.tmp-\(deadPID)",
                         "outbox/attestat/2025-2026/.uchet-xlsx-\(deadPID)-x1Y2z3/sheet1.xml"]
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
