import Foundation
import GRDB
import LedgerDump
import TestSupport
import Testing

/// A school's working folder with a demo inbox.
struct DemoFolder {
    let dir: TemporaryDirectory

    /// The journal's exports go into `inbox/journal/`, as the repository's pipeline.json has it.
    static let journalSource = ",\n  \"sources\": {\"electronic-journal\": \"inbox/journal\"}"

    init(students: Int = 40, seed: Int = 7, extra: String = "", schemas: String = RepoPaths.schemas) throws {
        dir = try workingFolder(extra: DemoFolder.journalSource + extra, schemas: schemas)
        let demo = try Uchet.run(["demo", "--students", String(students), "--seed", String(seed)], in: dir.path)
        #expect(demo.status == 0, "\(demo.stderr)")
    }

    var path: String { dir.path }

    /// `timeout`: the hang guard; a school of hundreds run by a debug build on a busy machine needs more than the default.
    func run(_ args: [String] = [], timeout: Double = 120) throws -> UchetRun {
        try Uchet.run(["run", "--now"] + args, in: dir.path, timeout: timeout)
    }

    /// Names at the top of the inbox and in its journal folder (what is still waiting).
    var waiting: [String] {
        let top =
            (try? FileManager.default.contentsOfDirectory(atPath: path + "/inbox"))?.filter {
                !$0.hasPrefix(".") && !["processed", "rejected", "journal", "README.md"].contains($0)
            } ?? []
        let journal = (try? FileManager.default.contentsOfDirectory(atPath: path + "/inbox/journal"))?.map { "journal/" + $0 } ?? []
        return (top + journal).sorted()
    }

    func files(in folder: String) -> [String] {
        var out: [String] = []
        let base = path + "/" + folder
        guard let e = FileManager.default.enumerator(atPath: base) else { return [] }
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + f, isDirectory: &isDir), !isDir.boolValue { out.append(f) }
        }
        return out.sorted()
    }

    /// The ledger's content, canonical (see `LedgerDump`).
    func ledgerDump() throws -> [String] {
        try LedgerDump.lines(path + "/var/ledger.sqlite")
    }
}

@Suite(.serialized) struct PipelineTests {
    @Test func demoSchoolGoesThroughWithItsMistakesRejected() throws {
        let school = try DemoFolder()
        let run = try school.run()
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.contains("отклонено 3"))
        #expect(run.stdout.contains("Конфликты: новых 3, решено по правилу 2, открыто всего 1"))
        // Only what intake must leave alone stays in the inbox.
        #expect(school.waiting == ["~$Контингент 2025-2026.xlsx", "выгрузка журнала.csv.part"])
        let rejected = school.files(in: "inbox/rejected")
        #expect(rejected.filter { $0.hasSuffix(".report.txt") }.count == 3)
        // Every accepted file has its report: records read, and what became of every cell.
        let processed = school.files(in: "inbox/processed")
        let accepted = processed.filter { !$0.contains(".report.") && !$0.hasSuffix(".pdf") }
        let reports = processed.filter { $0.hasSuffix(".report.txt") }
        #expect(reports.count == accepted.count)
        for report in reports {
            let text = try String(contentsOfFile: school.path + "/inbox/processed/" + report, encoding: .utf8)
            #expect(text.contains("ячеек с данными") || text.contains("профиль «Файл-описание"), "\(report): \(text)")
        }
        // A summary sheet's «Средний балл» row: skipped by rule, the report says which and why.
        let svod = try #require(reports.first { $0.contains("Сводные ведомости") })
        let text = try String(contentsOfFile: school.path + "/inbox/processed/" + svod, encoding: .utf8)
        #expect(text.contains("не стали записью 1 — пропущены по правилу 1") && text.contains("I-ROWS-SKIPPED") && text.contains("«Средний балл»"), "\(text)")
        // The journal's exports are kept in their source folder.
        #expect(processed.contains { $0.hasSuffix("journal/Журнал 9А.csv") })
        #expect(rejected.filter { $0.hasSuffix(".report.xlsx") }.count == 3)
        #expect(rejected.contains { $0.hasSuffix("Доп. отметки 7А.xlsx") })
        let summaries = school.files(in: "outbox/reports").filter { $0.hasSuffix("summary.json") }
        #expect(summaries.count == 1)
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: school.path + "/outbox/reports/" + summaries[0]))) as! [String: Any]
        #expect((json["files"] as! [String: Any])["rejected"] as? Int == 3)
        #expect(try school.ledgerDump().contains { $0.hasPrefix("11|") } == false, "nothing left pending after the run")
    }

    @Test func runningAgainWithTheSameFilesChangesNothing() throws {
        let school = try DemoFolder(seed: 11)
        _ = try school.run()
        let before = try school.ledgerDump()
        // Drop every processed file into the inbox again.
        for file in school.files(in: "inbox/processed") {
            let name = (file as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: school.path + "/inbox/processed/" + file, toPath: school.path + "/inbox/" + name)
        }
        let again = try school.run()
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("принято 0, отклонено 0, повторов"))
        #expect(again.stdout.contains("Новых записей: нет"))
        #expect(try school.ledgerDump() == before)
    }

    @Test func exitCodesFollowTheOutcome() throws {
        let clean = try DemoFolder(seed: 3)
        // Take the deliberate mistakes out: everything else is accepted.
        for name in try FileManager.default.contentsOfDirectory(atPath: clean.path + "/inbox")
        where name.hasPrefix("Доп. отметки") || name.hasPrefix("Достижения из") || name.hasSuffix("-6.json") || name.hasSuffix("-6.pdf") {
            try FileManager.default.removeItem(atPath: clean.path + "/inbox/" + name)
        }
        #expect(try clean.run().status == 0)
        let broken = try workingFolder(extra: ",\n  \"settleSeconds\": -1")
        #expect(try Uchet.run(["run"], in: broken.path).status == 2)
    }

    @Test func filesAndFoldersAreOwnerOnly() throws {
        let school = try DemoFolder(seed: 5)
        _ = try school.run()
        for folder in ["var", "outbox", "outbox/reports", "inbox/processed", "inbox/rejected", "var/scans"] {
            let mode = try FileManager.default.attributesOfItem(atPath: school.path + "/" + folder)[.posixPermissions] as! Int
            #expect(mode & 0o077 == 0, "\(folder) is \(String(mode, radix: 8))")
        }
        for file in ["var/ledger.sqlite"] + school.files(in: "outbox").map({ "outbox/" + $0 }) + school.files(in: "var/scans").map({ "var/scans/" + $0 }) {
            let mode = try FileManager.default.attributesOfItem(atPath: school.path + "/" + file)[.posixPermissions] as! Int
            #expect(mode & 0o077 == 0, "\(file) is \(String(mode, radix: 8))")
        }
    }

    @Test func twoRunsStartedTogetherNeverTakeTheSameFile() throws {
        let school = try DemoFolder(seed: 13)
        let dataFiles = Set(school.waiting.filter { !$0.hasPrefix("~$") && !$0.hasSuffix(".part") && !$0.hasSuffix(".pdf") })
        let group = DispatchGroup()
        let results = Locked<[UchetRun]>([])
        for _ in 0..<2 {
            group.enter()
            DispatchQueue.global().async {
                if let run = try? school.run() { results.mutate { $0.append(run) } }
                group.leave()
            }
        }
        group.wait()
        #expect(results.value.count == 2)
        var taken: [String] = []
        for summary in school.files(in: "outbox/reports").filter({ $0.hasSuffix("summary.json") }) {
            let json =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: school.path + "/outbox/reports/" + summary))) as! [String: Any]
            taken += (json["details"] as! [[String: Any]]).map { $0["name"] as! String }
        }
        #expect(taken.count == Set(taken).count, "a file was taken twice")
        #expect(Set(taken) == dataFiles)
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        let files = try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM file") ?? 0 }
        #expect(files == dataFiles.count - 3)
    }

    @Test func badRowsAreSkippedUnderSkipRowAndListed() throws {
        let school = try workingFolder(extra: ",\n  \"onInvalidRow\": \"skip-row\"")
        try FileManager.default.createDirectory(atPath: school.file("inbox"), withIntermediateDirectories: true)
        try school.write(
            "inbox/roster.csv", text: "Фамилия;Имя;Отчество;Дата рождения;Класс\nИванов;Иван;Иванович;04.03.2010;9А\nПетрова;Анна;Сергеевна;12.07.2010;9А\n")
        try school.write(
            "inbox/marks.csv",
            text:
                "ФИО;Класс;Предмет;Период;Отметка\nИванов Иван Иванович;9А;Алгебра;1 четверть;5\nПетрова Анна Сергеевна;9А;Алгебра;1 четверть;7\nПетрова Анна Сергеевна;9А;Физика;1 четверть;4\n"
        )
        let run = try Uchet.run(["run", "--now"], in: school.path)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("отметки за периоды 2"))
        let processed = try FileManager.default.subpathsOfDirectory(atPath: school.file("inbox/processed"))
        let report = try #require(processed.first { $0.hasSuffix("marks.csv.report.txt") })
        let text = try String(contentsOfFile: school.file("inbox/processed/" + report), encoding: .utf8)
        #expect(text.contains("строка 3, столбец 5 — E-MARK-UNKNOWN"))
        #expect(text.contains("принят без строк с ошибками (1)"))
    }

    @Test func aLaterJournalExportResolvesAConflictByThePolicyRule() throws {
        let school = try workingFolder(extra: ",\n  \"sources\": {\"electronic-journal\": \"inbox/journal\"}")
        try FileManager.default.createDirectory(atPath: school.file("inbox/journal"), withIntermediateDirectories: true)
        try school.write("inbox/roster.csv", text: "Фамилия;Имя;Отчество;Дата рождения;Класс\nИванов;Иван;Иванович;04.03.2010;9А\n")
        // Two hand-kept sheets disagree: open.
        try school.write("inbox/a.csv", text: "Сводная ведомость 9А класса за 1 четверть 2025/2026 учебного года\n№;ФИО;Алгебра\n1;Иванов Иван Иванович;4\n")
        try school.write("inbox/b.csv", text: "Сводная ведомость 9А класса за 1 четверть 2025/2026 учебного года\n№;ФИО;Алгебра\n1;Иванов Иван Иванович;5\n")
        let first = try Uchet.run(["run", "--now"], in: school.path)
        #expect(first.stdout.contains("Конфликты: новых 1, решено по правилу 0, открыто всего 1"), "\(first.stdout)")
        // A hand-typed sheet with the journal export's columns, put at the top of the inbox:
        // its layout ranks it nowhere; it is one more hand-kept sheet and decides nothing.
        let journalColumns = "ФИО;Класс;Предмет;Период;Отметка\nИванов Иван Иванович;9А;Алгебра;1 четверть;5\n"
        try school.write("inbox/typed.csv", text: journalColumns + "\n")
        let typed = try Uchet.run(["run", "--now"], in: school.path)
        #expect(typed.stdout.contains("решено по правилу 0, открыто всего 1"), "\(typed.stdout)")
        // The electronic journal's export, put where the school keeps them, outranks both.
        try school.write("inbox/journal/journal.csv", text: journalColumns)
        let second = try Uchet.run(["run", "--now"], in: school.path)
        #expect(second.stdout.contains("Конфликты: новых 0, решено по правилу 1, открыто всего 0"), "\(second.stdout)")
        let db = try DatabaseQueue(path: school.file("var/ledger.sqlite"))
        let rule = try db.read { try String.fetchOne($0, sql: "SELECT rule FROM conflict") }
        #expect(rule == "journal-over-manual")
        let kinds = try db.read { try Row.fetchAll($0, sql: "SELECT name, source_kind, source_reason FROM file ORDER BY id") }
        #expect(kinds.map { $0[1] as String } == ["manual", "manual", "manual", "manual", "electronic-journal"])
        #expect((kinds.last![2] as String).contains("inbox/journal"))
        // The dossier names the kind and why.
        let dossier = try #require(FileManager.default.subpathsOfDirectory(atPath: school.file("outbox/dossiers")).first { $0.hasSuffix(".xml") })
        let xml = try String(contentsOfFile: school.file("outbox/dossiers/" + dossier), encoding: .utf8)
        #expect(xml.contains("kind=\"electronic-journal\" kindBasis=\"файл положен в папку inbox/journal"))
    }

    @Test func aRosterCannotGiveAStudentsIdToAnotherPerson() throws {
        let school = try workingFolder()
        let head = "ID;Фамилия;Имя;Отчество;Дата рождения;Класс\n"
        try school.write("inbox/roster.csv", text: head + "101;Абрамова;Екатерина;Игоревна;04.03.2014;5А\n102;Антонова;Дарья;Олеговна;11.07.2014;5А\n")
        let first = try Uchet.run(["run", "--now"], in: school.path)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        // The ids out of step by one row: each would rename the other student.
        try school.write("inbox/roster-jan.csv", text: head + "102;Абрамова;Екатерина;Игоревна;04.03.2014;5А\n101;Антонова;Дарья;Олеговна;11.07.2014;5А\n")
        let swapped = try Uchet.run(["run", "--now"], in: school.path)
        #expect(swapped.status == 1, "\(swapped.stdout)")
        let report = try String(
            contentsOfFile: school.file(
                "inbox/rejected/" + (try FileManager.default.contentsOfDirectory(atPath: school.file("inbox/rejected")).first!) + "/roster-jan.csv.report.txt"),
            encoding: .utf8)
        #expect(report.components(separatedBy: "E-ROSTER-IDENTITY").count - 1 == 2, "\(report)")
        // One СНИЛС on two students.
        try school.write(
            "inbox/roster-snils.csv",
            text: "ID;Фамилия;Имя;Отчество;Дата рождения;Класс;СНИЛС\n101;Абрамова;Екатерина;Игоревна;04.03.2014;5А;112-233-445 95\n"
                + "102;Антонова;Дарья;Олеговна;11.07.2014;5А;112-233-445 95\n")
        let sameSNILS = try Uchet.run(["run", "--now"], in: school.path)
        #expect(sameSNILS.status == 1, "\(sameSNILS.stdout)")
        // A newcomer given an id already on another row of the same file.
        try school.write("inbox/roster-new.csv", text: head + "101;Абрамова;Екатерина;Игоревна;04.03.2014;5А\n101;Новикова;Полина;Сергеевна;02.02.2014;5А\n")
        let copied = try Uchet.run(["run", "--now"], in: school.path)
        #expect(copied.status == 1, "\(copied.stdout)")
        // A new surname, the name and birth date as before: taken, with a warning.
        try school.write("inbox/roster-feb.csv", text: head + "102;Смирнова;Дарья;Олеговна;11.07.2014;5А\n")
        let renamed = try Uchet.run(["run", "--now"], in: school.path)
        #expect(renamed.status == 0, "\(renamed.stdout)")
        #expect(renamed.stdout.contains("принят с замечаниями"), "\(renamed.stdout)")
        let db = try DatabaseQueue(path: school.file("var/ledger.sqlite"))
        let names = try db.read { try Row.fetchAll($0, sql: "SELECT journal_id, surname, name FROM student ORDER BY journal_id") }
        #expect(names.map { "\($0[0] as String) \($0[1] as String) \($0[2] as String)" } == ["101 Абрамова Екатерина", "102 Смирнова Дарья"])
        // A roster without ids names the same students by name and birth date: no second Абрамова.
        try school.write("inbox/roster-noid.csv", text: "Фамилия;Имя;Отчество;Дата рождения;Класс\nАбрамова;Екатерина;Игоревна;04.03.2014;5Б\n")
        let noID = try Uchet.run(["run", "--now"], in: school.path)
        #expect(noID.status == 0, "\(noID.stdout)")
        let students = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM student") }
        #expect(students == 2)
        let moved = try db.read { try String.fetchOne($0, sql: "SELECT class FROM enrolment WHERE student_id = 'j101'") }
        #expect(moved == "5Б")
        // With other rosters in the ledger, one is not withdrawn: the students it repeated would lose their class.
        let before = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM enrolment") }
        let withdrawn = try Uchet.run(["withdraw", "roster-noid.csv", "--reason", "ошибка"], in: school.path)
        #expect(withdrawn.status == 2, "\(withdrawn.stdout)\(withdrawn.stderr)")
        #expect(withdrawn.stderr.contains("выгрузка контингента"), "\(withdrawn.stderr)")
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM enrolment") } == before)
    }

    @Test func filesInAnInboxFolderNoSourceNamesAreSaidToWaitUnread() throws {
        let school = try workingFolder()
        try FileManager.default.createDirectory(atPath: school.file("inbox/journal"), withIntermediateDirectories: true)
        try school.write("inbox/roster.csv", text: "Фамилия;Имя;Отчество;Дата рождения;Класс\nИванов;Иван;Иванович;04.03.2010;9А\n")
        try school.write("inbox/journal/journal.csv", text: "ФИО;Класс;Предмет;Период;Отметка\nИванов Иван Иванович;9А;Алгебра;1 четверть;5\n")
        let run = try Uchet.run(["run", "--now"], in: school.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Не прочитано: в inbox/journal/ файлов 1"), "\(run.stdout)")
        let summary = try String(
            contentsOfFile: school.file(
                "outbox/reports/" + (try FileManager.default.contentsOfDirectory(atPath: school.file("outbox/reports")).first { $0 != "classes" })!
                    + "/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"unreadFolders\"") && summary.contains("\"journal\""), "\(summary)")
        #expect(FileManager.default.fileExists(atPath: school.file("inbox/journal/journal.csv")), "left where it was")
    }

    @Test func aSourceKindThePolicyDoesNotHaveIsAConfigurationError() throws {
        let school = try workingFolder(extra: ",\n  \"sources\": {\"дневник\": \"inbox/dnevnik\"}")
        let run = try Uchet.run(["run", "--now"], in: school.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("sources.дневник") && run.stderr.contains("electronic-journal"), "\(run.stderr)")
        let outside = try workingFolder(extra: ",\n  \"sources\": {\"electronic-journal\": \"journal\"}")
        let wrong = try Uchet.run(["run", "--now"], in: outside.path)
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("прямо в папке inbox"), "\(wrong.stderr)")
    }
}

/// A value shared between threads in a test.
final class Locked<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func mutate(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}
