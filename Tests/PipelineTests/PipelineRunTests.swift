import Attestat
import Demo
import Foundation
import GRDB
import Ingest
import Ledger
import Logging
import Pipeline
import Policy
import Settings
import TestSupport
import Testing

/// A pass of the pipeline in this process, on a small demo school, without the
/// binary or its emitters: what it takes, accepts and rejects, where the files
/// go, what its summary says (and never: a name), and that a second pass finds
/// nothing to do. Then the inbox's own rules: what is skipped, what is still
/// settling, and which leftovers of killed writers are swept.
@Suite struct PipelineRunTests {
    /// A school folder: pipeline.json with the journal's folder, the demo's files in the inbox.
    static func school(students: Int = 40, seed: UInt64 = 7) throws -> (TemporaryDirectory, DemoSchool.Report) {
        let dir = try workingFolder("uchet-pipeline", extra: ",\n  \"sources\": {\"electronic-journal\": \"inbox/journal\"}", inbox: true)
        let report = try DemoSchool.write(into: dir.file("inbox"), students: students, seed: seed, journalFolder: "journal")
        return (dir, report)
    }

    static func pass(_ folder: String) async throws -> RunSummary {
        let settings = try PipelineSettings.load(path: folder + "/pipeline.json")
        let policy = try Policy.load(path: settings.policyPath)
        // The exams' names come from the attestat rules, as `uchet run` has them.
        let rules = try AttestatRules.load(path: settings.schemasPath + "/" + AttestatRules.fileName, policy: policy)
        let run = PipelineRun(
            settings: settings, policy: policy, profiles: try ProfileSet.load(folder: settings.profilesPath, policy: policy),
            sources: try SourceFolders(settings: settings, policy: policy), ledger: try Ledger(path: settings.ledger),
            progress: LogProgress(logger: Logger(label: "test")), logger: Logger(label: "test"), examNames: rules.examNames)
        return try await run.run(settle: false)
    }

    /// Files under `folder`, relative to it.
    static func files(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    @Test func aPassAcceptsTheSchoolRejectsItsMistakesAndASecondPassFindsNothing() async throws {
        let (dir, report) = try PipelineRunTests.school()
        let summary = try await PipelineRunTests.pass(dir.path)
        let rejected = Set(summary.files.filter { $0.status == .rejected }.map { ($0.name as NSString).lastPathComponent })
        #expect(rejected == Set(report.mistakes.map { ($0.file as NSString).lastPathComponent }), "\(summary.text)")
        #expect(summary.accepted + summary.rejected == summary.files.count)
        #expect(summary.accepted > 0 && summary.byKind["roster"] == report.students, "\(summary.byKind)")
        #expect(summary.byKind["mark.current", default: 0] > 0)
        // Each file went where its outcome says, with its report beside a rejected one.
        let processed = PipelineRunTests.files(under: dir.file("inbox/processed"))
        let rejectedFiles = PipelineRunTests.files(under: dir.file("inbox/rejected"))
        for f in summary.files {
            let kept = f.status == .rejected ? rejectedFiles : processed
            #expect(kept.contains { $0.hasSuffix("/" + f.name) }, "\(f.name) \(f.status)")
            if f.status == .rejected { #expect(rejectedFiles.contains { $0.hasSuffix("/" + f.name + ".report.txt") }, "\(f.name)") }
        }
        // The summary names files and ids, never a student: no surname of the roster in it.
        let json = try String(contentsOfFile: dir.file("outbox/reports/\(summary.runID)/summary.json"), encoding: .utf8)
        let ledger = try Ledger(path: dir.file("var/ledger.sqlite"))
        let surnames = try await ledger.database.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT surname FROM student") }
        #expect(surnames.count > 10)
        for surname in surnames { #expect(!json.contains(surname), "\(surname)") }

        let second = try await PipelineRunTests.pass(dir.path)
        #expect(second.files.isEmpty, "\(second.text)")
        #expect(PipelineRunTests.files(under: dir.file("inbox/processed")).sorted() == processed.sorted())
    }

    @Test func theInboxSkipsWhatIsNotAnExportAndWaitsForFilesStillBeingCopied() throws {
        let dir = TemporaryDirectory("uchet-inbox")
        for name in ["Ведомость 9А.xlsx", "~$Ведомость 9А.xlsx", ".~lock.Ведомость 9А.xlsx#", "выгрузка.csv.part", "README.md", "старый.xlsx.report.txt"] {
            try dir.write("inbox/" + name, text: "x")
        }
        try dir.write("inbox/journal/Журнал 9А.csv", text: "x")
        try dir.write("inbox/elsewhere/Журнал 9Б.csv", text: "x")
        let inbox = Inbox(root: dir.file("inbox"))
        let now = Date().timeIntervalSince1970
        // Taken now (no settle time): the export at the top and the one in the declared source folder.
        let (ready, settling) = inbox.list(settle: 0, now: now + 60, sources: ["journal"])
        #expect(ready.map(\.name).sorted() == ["journal/Журнал 9А.csv", "Ведомость 9А.xlsx"].sorted(), "\(ready.map(\.name))")
        #expect(settling == 0)
        // Changed a moment ago: still being copied, so left for the next pass, and counted.
        let (early, waiting) = inbox.list(settle: 30, now: now, sources: ["journal"])
        #expect(early.isEmpty && waiting == 2, "\(early.map(\.name)) \(waiting)")
    }

    @Test func leftoversOfAKilledWriterAreSweptAndEverythingElseStays() throws {
        let dir = TemporaryDirectory("uchet-leftovers")
        // A process id no process has (the kernel's limit is far below it).
        let gone = "2147483000"
        let ours = "\(getpid())"
        try dir.write("outbox/dossiers/a.xml.tmp-\(gone)-3", text: "x")
        try dir.write("outbox/dossiers/b.xml.tmp-\(ours)-1", text: "x")
        try dir.write("outbox/attestat/9А.xlsx.Ab12Cd", text: "x")
        try dir.write("outbox/dossiers/c.xml", text: "x")
        #expect(Leftovers.sweep(dir.file("outbox"), libzip: false) == 1)
        #expect(Leftovers.sweep(dir.file("outbox"), libzip: true) == 1)
        #expect(PipelineRunTests.files(under: dir.file("outbox")).sorted() == ["dossiers/b.xml.tmp-\(ours)-1", "dossiers/c.xml"])
    }
}
