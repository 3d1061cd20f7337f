import Foundation
import GRDB
import LedgerDump
import Spreadsheet
import TestSupport
import Testing

/// A small 9А: a roster and summary sheets of annual marks, each file written as the test asks.
struct SmallSchool {
    let dir: TemporaryDirectory

    static let roster = """
        Фамилия;Имя;Отчество;Дата рождения;Класс;СНИЛС
        Ершова;Ксения;Игоревна;12.03.2010;9А;112-233-445 95
        Ершова;Мария;Петровна;01.02.2010;9А;
        Иванов;Иван;Иванович;04.03.2010;9А;

        """

    init(journal: Bool = false) throws {
        dir = try workingFolder(extra: journal ? DemoFolder.journalSource : "")
        try FileManager.default.createDirectory(atPath: dir.file("inbox"), withIntermediateDirectories: true)
        try dir.write("inbox/roster.csv", text: SmallSchool.roster)
        let first = try run()
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    }

    var path: String { dir.path }

    /// A summary sheet of annual marks in physics (and algebra, when given) for 9А.
    func annual(_ name: String, _ rows: [(String, Int)], algebra: [Int]? = nil) throws {
        var text = "Сводная ведомость годовых отметок 9А класса 2025/2026 учебного года\n№;ФИО;Физика" + (algebra == nil ? "" : ";Алгебра") + "\n"
        for (i, (who, mark)) in rows.enumerated() { text += "\(i + 1);\(who);\(mark)" + (algebra.map { ";\($0[i])" } ?? "") + "\n" }
        try dir.write("inbox/" + name, text: text)
    }

    func run() throws -> UchetRun { try Uchet.run(["run", "--now"], in: path) }

    func uchet(_ args: [String]) throws -> UchetRun { try Uchet.run(args, in: path) }

    /// The ledger in canonical form (decisions and withdrawals included): equal before and after a refusal.
    func ledger() throws -> [String] { try LedgerDump.lines(path + "/var/ledger.sqlite") }

    func id(_ surname: String, _ name: String) throws -> String {
        let db = try DatabaseQueue(path: path + "/var/ledger.sqlite")
        return try #require(try db.read { try String.fetchOne($0, sql: "SELECT id FROM student WHERE surname = ? AND name = ?", arguments: [surname, name]) })
    }

    func dossier(_ id: String) throws -> String {
        try String(contentsOfFile: path + "/outbox/dossiers/2025-2026/9А/\(id).xml", encoding: .utf8)
    }

    /// Every text of a sheet of an outbox workbook, a row a line.
    func sheet(_ workbook: String, _ sheet: String) throws -> [String] {
        let reader = try XLSXReader(path: path + "/" + workbook)
        let found = try #require(reader.sheets.first { $0.name == sheet })
        return try reader.rows(found).map { row in row.cells.map(\.value.text).joined(separator: " | ") }
    }
}

@Suite(.serialized) struct PeopleDecideTests {
    @Test func conflictsAreListedDecidedUndoneAndReopenedByAThirdValue() throws {
        let school = try SmallSchool()
        try school.annual("Физика 9А.csv", [("Ершова Ксения Игоревна", 4), ("Иванов Иван Иванович", 5)])
        try school.annual("Сводная 9А.csv", [("Ершова Ксения Игоревна", 5), ("Иванов Иван Иванович", 5)])
        let run = try school.run()
        #expect(run.status == 0, "\(run.stderr)")
        // The summary names the new conflict: student, class, id, subject, period, each value with its file and cell.
        let ershova = try school.id("Ершова", "Ксения")
        #expect(run.stdout.contains("Конфликты: новых 1"), "\(run.stdout)")
        #expect(run.stdout.contains("Ершова Ксения Игоревна, 9А, id \(ershova) — Физика, Год 2025/2026: не решён"), "\(run.stdout)")
        #expect(run.stdout.contains("4 — Физика 9А.csv, C3") && run.stdout.contains("5 — Сводная 9А.csv, C3"), "\(run.stdout)")
        #expect(!run.stderr.contains("Ершова"), "logs carry no names: \(run.stderr)")
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        let number = try #require(try db.read { try Int.fetchOne($0, sql: "SELECT id FROM conflict") })

        let listed = try school.uchet(["conflicts"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("№ \(number). Ершова Ксения Игоревна, 9А, id \(ershova) — Физика, Год 2025/2026: не решён"), "\(listed.stdout)")
        #expect(listed.stdout.contains("4 — Физика 9А.csv, C3 (ведомость, заполненная вручную)"), "\(listed.stdout)")
        #expect(try school.uchet(["conflicts", "--class", "9Б"]).stdout.contains("Нерешённых конфликтов нет (класс 9Б)"))

        // Bad input: a clear Russian error, exit 2, nothing changed.
        let before = try school.ledger()
        let unknown = try school.uchet(["resolve", "999", "--value", "4", "--reason", "проверка"])
        #expect(unknown.status == 2 && unknown.stderr.contains("нет конфликта № 999"), "\(unknown.stderr)")
        let offScale = try school.uchet(["resolve", String(number), "--value", "7", "--reason", "проверка"])
        #expect(offScale.status == 2 && offScale.stderr.contains("«7» не отметка по шкале положения"), "\(offScale.stderr)")
        let noReason = try school.uchet(["resolve", String(number), "--value", "4"])
        #expect(noReason.status == 2 && noReason.stderr.contains("--reason"), "\(noReason.stderr)")
        let nothingToUndo = try school.uchet(["resolve", String(number), "--undo"])
        #expect(nothingToUndo.status == 2 && nothingToUndo.stderr.contains("нет действующего решения"), "\(nothingToUndo.stderr)")
        #expect(try school.ledger() == before)

        // A person decides: the highest-ranked source, with its own provenance, in every output.
        let resolve = try school.uchet(["resolve", String(number), "--value", "4", "--reason", "по классному журналу", "--by", "Петрова А. А."])
        #expect(resolve.status == 0, "\(resolve.stderr)")
        #expect(resolve.stdout.contains("решён человеком: принято «4» (решение: Петрова А. А., "), "\(resolve.stdout)")
        #expect(try school.uchet(["conflicts"]).stdout.contains("Нерешённых конфликтов нет"))
        #expect(try school.uchet(["conflicts", "--all"]).stdout.contains("решён человеком"))
        var xml = try school.dossier(ershova)
        #expect(xml.contains("status=\"decided\"") && xml.contains("chosen=\"4\""), "\(xml)")
        #expect(xml.contains("<decision value=\"4\" state=\"in-force\" by=\"Петрова А. А.\""), "\(xml)")
        let components = try school.sheet("outbox/attestat/2025-2026/9А.xlsx", "Составляющие")
        let physics = try #require(components.first { $0.hasPrefix("Ершова Ксения Игоревна | Физика") })
        #expect(physics.contains("| 4 |") && physics.contains("решение по конфликту № \(number)") && physics.contains("решение: Петрова А. А."), "\(physics)")
        let statement = try school.uchet(["statement", ershova])
        #expect(statement.status == 0, "\(statement.stderr)")
        let extract = try school.sheet("outbox/statements/\(ershova)-2025-2026.xlsx", "Выписка")
        #expect(extract.contains { $0.hasPrefix("Физика | 4*") } && extract.contains { $0.contains("решение: Петрова А. А.") }, "\(extract)")

        // Neither a later run nor a rebuild loses it; a value it saw again changes nothing.
        try school.annual("Физика 9А (копия).csv", [("Ершова Ксения Игоревна", 5), ("Иванов Иван Иванович", 4)])
        let again = try school.run()
        #expect(again.stdout.contains("Конфликты: новых 1,"), "Иванов's new conflict only: \(again.stdout)")
        #expect(try school.uchet(["rebuild"]).status == 0)
        xml = try school.dossier(ershova)
        #expect(xml.contains("status=\"decided\""), "\(xml)")

        // A third value opens it again, citing the decision.
        try school.annual("Физика 9А исправленная.csv", [("Ершова Ксения Игоревна", 3)])
        let third = try school.run()
        #expect(
            third.stdout.contains("№ \(number). Ершова Ксения Игоревна") && third.stdout.contains("прежнее решение «4»")
                && third.stdout.contains("не видело значения «3»"), "\(third.stdout)")
        #expect(try school.uchet(["conflicts", "--class", "9А"]).stdout.contains("№ \(number)."))
        xml = try school.dossier(ershova)
        #expect(xml.contains("state=\"reopened\"") && xml.contains("unseen=\"3\""), "\(xml)")

        // The file that brought the third value withdrawn: the decision is in force again.
        let back = try school.uchet(["withdraw", "Физика 9А исправленная.csv", "--reason", "не та ведомость"])
        #expect(back.status == 0 && back.stdout.contains("решён человеком: принято «4»"), "\(back.stdout)\(back.stderr)")
        try school.annual("Физика 9А исправленная 2.csv", [("Ершова Ксения Игоревна", 3), ("Иванов Иван Иванович", 5)])
        #expect(try school.run().stdout.contains("не видело значения «3»"))

        // Decided again, then undone: open once more, the undone decision kept.
        #expect(try school.uchet(["resolve", String(number), "--value", "3", "--reason", "исправленная ведомость"]).status == 0)
        let undo = try school.uchet(["resolve", String(number), "--undo", "--by", "Петрова А. А."])
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(undo.stdout.contains("не решён") && undo.stdout.contains("отменено: Петрова А. А."), "\(undo.stdout)")
        #expect(try school.dossier(ershova).contains("state=\"undone\""))
        let decisions = try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM decision") }
        #expect(decisions == 2)
    }

    @Test func withdrawTakesAFileOutAndKeepsWhatAnotherFileCarries() throws {
        let school = try SmallSchool()
        try school.annual("Ведомость 9А.csv", [("Ершова Ксения Игоревна", 4), ("Иванов Иван Иванович", 5)])
        try school.annual("Чужая ведомость.csv", [("Ершова Ксения Игоревна", 2), ("Иванов Иван Иванович", 5)])
        #expect(try school.run().stdout.contains("Конфликты: новых 1"))
        let ershova = try school.id("Ершова", "Ксения")
        let ivanov = try school.id("Иванов", "Иван")

        let before = try school.ledger()
        let never = try school.uchet(["withdraw", "Нет такого.csv", "--reason", "проверка"])
        #expect(never.status == 2 && never.stderr.contains("среди принятых в учёт нет файла «Нет такого.csv»"), "\(never.stderr)")
        #expect(try school.ledger() == before)

        let withdraw = try school.uchet(["withdraw", "Чужая ведомость.csv", "--reason", "ведомость другой школы", "--by", "Петрова А. А."])
        #expect(withdraw.status == 0, "\(withdraw.stderr)")
        #expect(withdraw.stdout.contains("записей убрано из учёта 1, остались по другим файлам 1"), "\(withdraw.stdout)")
        #expect(withdraw.stdout.contains("закрыт: расходившееся значение ушло с отозванным файлом"), "\(withdraw.stdout)")
        #expect(withdraw.stdout.contains("Выпущено заново: досье 2"), "\(withdraw.stdout)")
        // The file stays where it was kept; the withdrawal is recorded.
        let processed = try FileManager.default.subpathsOfDirectory(atPath: school.path + "/inbox/processed")
        #expect(processed.contains { $0.hasSuffix("Чужая ведомость.csv") })
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        let row = try #require(try db.read { try Row.fetchOne($0, sql: "SELECT name, reason, withdrawn_by FROM withdrawal") })
        #expect(row[0] as String == "Чужая ведомость.csv" && row[1] as String == "ведомость другой школы" && row[2] as String == "Петрова А. А.")
        // Иванов's 5 came in both files: it stays, citing the other one; Ершова's «2» is gone, and the conflict with it.
        let marks = try db.read {
            try Row.fetchAll(
                $0, sql: "SELECT m.student_id, m.value, f.name FROM mark m JOIN file f ON f.id = m.file_id WHERE m.subject = 'physics' ORDER BY m.student_id"
            )
            .map { "\($0[0] as String) \($0[1] as String) \($0[2] as String)" }
        }
        #expect(Set(marks) == ["\(ershova) 4 Ведомость 9А.csv", "\(ivanov) 5 Ведомость 9А.csv"], "\(marks)")
        #expect(try school.uchet(["conflicts"]).stdout.contains("Нерешённых конфликтов нет"))
        let xml = try school.dossier(ershova)
        #expect(!xml.contains("Чужая ведомость") && !xml.contains("<conflict "), "\(xml)")
        let book = try school.sheet("outbox/attestat/2025-2026/9А.xlsx", "Итоговые отметки")
        #expect(book.contains { $0.hasPrefix("1 | Ершова Ксения Игоревна |") && $0.contains("| 4 |") }, "\(book)")

        // Withdrawn once: again is refused; the same bytes dropped again are a duplicate, nothing comes back.
        let twice = try school.uchet(["withdraw", "Чужая ведомость.csv", "--reason", "ещё раз"])
        #expect(twice.status == 2 && twice.stderr.contains("уже отозван"), "\(twice.stderr)")
        try school.annual("Чужая ведомость.csv", [("Ершова Ксения Игоревна", 2), ("Иванов Иван Иванович", 5)])
        let dropped = try school.run()
        #expect(dropped.stdout.contains("повторов 1") && dropped.stdout.contains("Конфликты: новых 0"), "\(dropped.stdout)")
        // A file rejected, never accepted: nothing to withdraw.
        try school.dir.write(
            "inbox/Ошибочная.csv", text: "Сводная ведомость годовых отметок 9А класса 2025/2026 учебного года\n№;ФИО;Физика\n1;Иванов Иван Иванович;7\n")
        #expect(try school.run().status == 1)
        let beforeRejected = try school.ledger()
        let rejected = try school.uchet(["withdraw", "Ошибочная.csv", "--reason", "нет"])
        #expect(rejected.status == 2 && rejected.stderr.contains("не был принят в учёт: он отклонён"), "\(rejected.stderr)")
        #expect(try school.ledger() == beforeRejected)

        // The roster withdrawn: its enrolments go, a student it alone brought goes, the emptied class's workbook goes.
        let roster = try school.uchet(["withdraw", "roster.csv", "--reason", "контингент другой школы"])
        #expect(roster.status == 0, "\(roster.stderr)")
        #expect(roster.stdout.contains("из них зачислений 3, обучающихся, о которых в учёте больше ничего нет, убрано 1"), "\(roster.stdout)")
        #expect(roster.stdout.contains("Убрана ведомость аттестатов attestat/2025-2026/9А.xlsx"), "\(roster.stdout)")
        #expect(!FileManager.default.fileExists(atPath: school.path + "/outbox/attestat/2025-2026/9А.xlsx"))
        #expect(try school.uchet(["find", "Ершова", "Мария"]).status == 1)
        #expect(try school.uchet(["find", "Ершова", "Ксения"]).stdout.contains("класс не известен"))
    }

    @Test func withdrawKeepsTheRegisterNumbersGiven() throws {
        let school = try SmallSchool()
        try school.dir.write(
            "inbox/Годовые 9А.csv",
            text: """
                Сводная ведомость годовых отметок 9А класса 2025/2026 учебного года
                №;ФИО;Русский язык;Математика;Физика;Биология
                1;Иванов Иван Иванович;4;4;5;4

                """)
        func exams(_ day: Int) -> String {
            "ФИО;Класс;Предмет;Форма;Первичный балл;Тестовый балл;Отметка;Дата\n"
                + [("Русский язык", 4), ("Математика", 4), ("Физика", 5), ("Биология", 4)]
                .map { "Иванов Иван Иванович;9А;\($0.0);ОГЭ;30;;\($0.1);\(day).05.2026\n" }.joined()
        }
        try school.dir.write("inbox/ОГЭ 9А.csv", text: exams(20))
        #expect(try school.run().status == 0)
        let ivanov = try school.id("Иванов", "Иван")
        var book = try school.sheet("outbox/attestat/2025-2026/9А.xlsx", "Книга регистрации")
        #expect(book.contains { $0.hasPrefix("1 | Иванов Иван Иванович") }, "\(book)")

        // The exam results withdrawn: the attestat waits again, the number stays his and is said so.
        let withdraw = try school.uchet(["withdraw", "ОГЭ 9А.csv", "--reason", "протокол не того года"])
        #expect(withdraw.status == 0 && withdraw.stdout.contains("записей убрано из учёта 4"), "\(withdraw.stdout)\(withdraw.stderr)")
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        let numbers = try db.read { try Row.fetchAll($0, sql: "SELECT student_id, number FROM register_number").map { "\($0[0] as String) \($0[1] as Int)" } }
        #expect(numbers == ["\(ivanov) 1"])
        book = try school.sheet("outbox/attestat/2025-2026/9А.xlsx", "Книга регистрации")
        #expect(!book.contains { $0.contains("Иванов") }, "\(book)")
        let flags = try school.sheet("outbox/attestat/2025-2026/9А.xlsx", "Замечания")
        #expect(flags.contains { $0.contains("рег. № 1 был присвоен раньше") }, "\(flags)")
        // The right protocol comes in: the same number, not a new one.
        try school.dir.write("inbox/ОГЭ 9А, протокол.csv", text: exams(21))
        #expect(try school.run().status == 0)
        book = try school.sheet("outbox/attestat/2025-2026/9А.xlsx", "Книга регистрации")
        #expect(book.contains { $0.hasPrefix("1 | Иванов Иван Иванович") }, "\(book)")
    }

    @Test func findListsStudentsAndDossierTakesANameWhenItIsUnique() throws {
        let school = try SmallSchool()
        let ershova = try school.id("Ершова", "Ксения")
        let two = try school.uchet(["find", "Ершова"])
        #expect(two.status == 0, "\(two.stderr)")
        #expect(two.stdout.contains("Найдено: 2") && two.stdout.contains("\(ershova)  9А (2025/2026)  Ершова Ксения Игоревна, 12.03.2010"), "\(two.stdout)")
        #expect(try school.uchet(["find", "ершова", "ксен"]).stdout.contains("Найдено: 1"))
        #expect(try school.uchet(["find", "ЕРШОВА КСЕНИЯ"]).stdout.contains(ershova))
        #expect(try school.uchet(["find", "9А"]).stdout.contains("Найдено: 3"))
        #expect(try school.uchet(["find", "112-233-445 95"]).stdout.contains("Найдено: 1"))
        #expect(try school.uchet(["find", ershova]).stdout.contains("Ершова Ксения Игоревна"))
        let nobody = try school.uchet(["find", "Сидоров"])
        #expect(nobody.status == 1 && nobody.stdout.contains("никого не найдено"), "\(nobody.stdout)")

        let unique = try school.uchet(["dossier", "Ершова Ксения Игоревна"])
        #expect(unique.status == 0 && unique.stdout.contains("Ершова Ксения Игоревна"), "\(unique.stderr)")
        let ambiguous = try school.uchet(["dossier", "Ершова"])
        #expect(
            ambiguous.status == 2 && ambiguous.stderr.contains("подходит к нескольким обучающимся (2)") && ambiguous.stderr.contains(ershova),
            "\(ambiguous.stderr)")
        let statement = try school.uchet(["statement", "Иванов Иван"])
        #expect(statement.status == 0, "\(statement.stderr)")
        #expect(FileManager.default.fileExists(atPath: school.path + "/outbox/statements/\(try school.id("Иванов", "Иван"))-2025-2026.xlsx"))
        let none = try school.uchet(["statement", "Сидоров"])
        #expect(none.status == 2 && none.stderr.contains("в учёте нет обучающегося «Сидоров»"), "\(none.stderr)")
    }

    @Test func demoRefusesALiveSchoolAndMakesASchoolFolderOfItsOwn() throws {
        let school = try SmallSchool()
        let inbox = try FileManager.default.subpathsOfDirectory(atPath: school.path + "/inbox").sorted()
        let before = try school.ledger()
        let refused = try school.uchet(["demo", "--students", "40"])
        #expect(refused.status == 2, "\(refused.stdout)")
        #expect(
            refused.stderr.contains("учёт var/ledger.sqlite уже есть") && refused.stderr.contains("в inbox/processed/ уже лежат принятые файлы")
                && refused.stderr.contains("uchet demo --into"), "\(refused.stderr)")
        #expect(try school.uchet(["demo", "--students", "40", "--force"]).status == 2)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: school.path + "/inbox").sorted() == inbox)
        #expect(try school.ledger() == before)
        // Files taken in, the ledger moved away: still a real school.
        try FileManager.default.moveItem(atPath: school.path + "/var", toPath: school.path + "/var.moved")
        let processedOnly = try school.uchet(["demo", "--students", "40"])
        #expect(processedOnly.status == 2 && processedOnly.stderr.contains("inbox/processed/"), "\(processedOnly.stderr)")
        try FileManager.default.moveItem(atPath: school.path + "/var.moved", toPath: school.path + "/var")

        let made = try school.uchet(["demo", "--into", "demo-school", "--students", "40", "--seed", "7"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("cd demo-school && uchet run --now"), "\(made.stdout)")
        for part in [
            "pipeline.json", "schemas/attestat-rules.json", "schemas/dossier.xsd", "schemas/policies/maou-sosh-134.json", "schemas/profiles/roster.json"
        ] {
            #expect(FileManager.default.fileExists(atPath: school.path + "/demo-school/" + part), "\(part)")
        }
        let demoRun = try Uchet.run(["run", "--now"], in: school.path + "/demo-school")
        #expect(demoRun.status == 1 && demoRun.stdout.contains("отклонено 3"), "\(demoRun.stdout)\(demoRun.stderr)")
        #expect(try school.ledger() == before, "the real school's ledger is untouched")
        let again = try school.uchet(["demo", "--into", "demo-school"])
        #expect(again.status == 2 && again.stderr.contains("не пуста"), "\(again.stderr)")
    }
}
