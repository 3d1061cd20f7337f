import CivilDate
import Foundation
import Spreadsheet
import TestSupport
import Testing

@Suite struct CheckCommandTests {
    func marks(_ dir: TemporaryDirectory, bad: Bool) throws -> String {
        let path = dir.file("9А.xlsx")
        let writer = try XLSXWriter(path: path)
        let s = try writer.addSheet("Ведомость")
        try s.addRow(texts: ["Сводная ведомость 9А класса за 1 четверть 2025/2026 учебного года"])
        try s.addRow(texts: ["№", "ФИО", "Русский язык", "Алгебра"])
        try s.addRow([.number(1), .text("Иванов Иван Иванович"), .number(5), .number(bad ? 7 : 4)])
        try s.addRow([.number(2), .text("Петрова Анна Сергеевна"), .number(4), .text("н/а")])
        try writer.close()
        return path
    }

    @Test func cleanFileExitsZeroAndNamesTheProfileAndCategory() throws {
        let dir = try workingFolder()
        let run = try Uchet.run(["check", try marks(dir, bad: false)], in: dir.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("профиль «Сводная ведомость: предметы по столбцам, период в заголовке» (period-marks-wide)"))
        #expect(run.stdout.contains("отметки за периоды: 4 — п. 3.2.1 Учебные достижения"))
        #expect(run.stdout.contains("I-ROSTER-MISSING"))
    }

    @Test func aFileThatCannotBeOpenedIsSaidSoInRussian() throws {
        let dir = try workingFolder()
        let missing = try Uchet.run(["check", dir.file("нет такого.csv")], in: dir.path)
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("E-FILE-UNREADABLE: файл не читается: нет такого файла или папки (ENOENT)"), "\(missing.stdout)")
        // A folder named like a file.
        try FileManager.default.createDirectory(atPath: dir.file("папка.csv"), withIntermediateDirectories: true)
        let folder = try Uchet.run(["check", dir.file("папка.csv")], in: dir.path)
        #expect(folder.status == 1 && folder.stdout.contains("E-FILE-"), "\(folder.stdout)")
        #expect(!folder.stdout.contains("Is a directory") && !missing.stdout.contains("No such file"))
    }

    @Test func findingsExitOneAndComeAsJSON() throws {
        let dir = try workingFolder()
        let run = try Uchet.run(["check", try marks(dir, bad: true), "--format", "json"], in: dir.path)
        #expect(run.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let file = (json["files"] as! [[String: Any]])[0]
        let findings = (file["findings"] as! [[String: Any]]).filter { ($0["severity"] as? String) == "error" }
        #expect(findings.count == 1)
        #expect(findings[0]["code"] as? String == "E-MARK-UNKNOWN")
        #expect(findings[0]["place"] as? String == "Ведомость!D3")
        #expect(json["errors"] as? Int == 1)
    }

    @Test func badConfigurationExitsTwoNamingTheKey() throws {
        let dir = try workingFolder(extra: ",\n  \"onInvalidRows\": \"skip-row\"")
        let run = try Uchet.run(["check", try marks(dir, bad: false)], in: dir.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("неизвестный ключ «onInvalidRows»"))
        #expect(run.stderr.contains("pipeline.json"))
    }

    @Test func sidecarNamingAFileOutsideTheInbox() throws {
        let dir = try workingFolder()
        let sidecar = try dir.write(
            "скан.json",
            text: #"{"ФИО": "Иванов Иван Иванович", "class": "9А", "category": "олимпиада", "event": "x", "document": "диплом", "scan": "../../etc/passwd"}"#)
        let run = try Uchet.run(["check", sidecar], in: dir.path)
        #expect(run.status == 1)
        #expect(run.stdout.contains("E-SCAN-PATH"))
    }

    @Test func rosterAmongTheFilesResolvesStudents() throws {
        let dir = try workingFolder()
        let roster = dir.file("roster.xlsx")
        let writer = try XLSXWriter(path: roster)
        let s = try writer.addSheet("9А")
        try s.addRow(texts: ["Фамилия", "Имя", "Отчество", "Дата рождения", "Класс"])
        try s.addRow([.text("Иванов"), .text("Иван"), .text("Иванович"), .date(CivilDate(year: 2010, month: 3, day: 4)!), .text("9А")])
        try writer.close()
        let run = try Uchet.run(["check", roster, try marks(dir, bad: false)], in: dir.path)
        #expect(run.status == 1)
        #expect(run.stdout.contains("E-STUDENT-UNKNOWN: обучающийся Петрова А. С., 9А не найден в контингенте"))
        #expect(!run.stdout.contains("Иванов И. И."))
    }
}
