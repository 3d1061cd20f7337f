import Foundation
import GRDB
import Spreadsheet
import TestSupport
import Testing

@Suite(.serialized) struct FRDOTests {
    struct Graduate {
        var id: String
        var journalID: String
        var surname: String
        var name: String
        var patronymic: String
        var birth: String
        var schoolClass: String
        var number: Int
        var sex: String
        var snils: String
    }

    /// The school's sheet of issued attestats, as a deputy head fills it.
    static func issueSheet(_ path: String, _ rows: [(Graduate, blank: String, snils: String)]) throws {
        let writer = try XLSXWriter(path: path)
        let sheet = try writer.addSheet("Выдача")
        try sheet.addRow(texts: ["Выдача аттестатов, 2025/2026 учебный год"])
        try sheet.addRow(texts: ["№", "ID", "ФИО", "Дата рождения", "Класс", "Рег. №", "Серия бланка", "Номер бланка аттестата", "Дата выдачи", "СНИЛС"])
        for (i, r) in rows.enumerated() {
            let birth = r.0.birth.split(separator: "-")
            try sheet.addRow([
                .number(i + 1), .text(r.0.journalID), .text("\(r.0.surname) \(r.0.name) \(r.0.patronymic)"),
                .text("\(birth[2]).\(birth[1]).\(birth[0])"), .text(r.0.schoolClass), .number(r.0.number), .empty,
                .text(r.blank), .text("27.06.2026"), .text(r.snils)
            ])
        }
        try writer.close()
    }

    @Test func issuedAttestatsInTheRegistersColumnsAndBadInputListedByCell() throws {
        let school = try DemoFolder(students: 150, seed: 7)
        let first = try school.run()
        // 1: the demo's deliberate mistakes are rejected, the rest accepted.
        #expect(first.status == 1, "\(first.stderr)")
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        let graduates = try db.read { db in
            try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, s.journal_id, s.surname, s.name, s.patronymic, s.birth_date, s.sex, s.snils, e.class, r.number
                    FROM register_number r JOIN student s ON s.id = r.student_id JOIN enrolment e ON e.student_id = s.id AND e.year = r.year
                    WHERE r.year = 2025 AND s.journal_id IS NOT NULL AND s.snils IS NOT NULL AND s.sex IS NOT NULL AND s.patronymic IS NOT NULL
                    ORDER BY r.number LIMIT 5
                    """
            ).map {
                Graduate(
                    id: $0["id"], journalID: $0["journal_id"], surname: $0["surname"], name: $0["name"], patronymic: $0["patronymic"],
                    birth: $0["birth_date"], schoolClass: $0["class"], number: $0["number"], sex: $0["sex"], snils: $0["snils"])
            }
        }
        try #require(graduates.count == 5, "the demo school has graduates with register numbers")
        func formatted(_ d: String) -> String {
            let a = Array(d)
            return String(a[0..<3]) + "-" + String(a[3..<6]) + "-" + String(a[6..<9]) + " " + String(a[9..<11])
        }

        // A clean sheet for one graduate: written, exit 0.
        let good = graduates[0]
        try FRDOTests.issueSheet(school.dir.file("inbox/Выдача аттестатов.xlsx"), [(good, "10240000123456", formatted(good.snils))])
        let taken = try school.run()
        #expect(taken.stdout.contains("принято 1"), "\(taken.stdout)")
        let clean = try Uchet.run(["frdo", "--year", "2025/2026"], in: school.path)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("строк: 1, ошибок: 0"), "\(clean.stdout)")
        let path = school.path + "/outbox/frdo/2025-2026/ФРДО-аттестаты.xlsx"
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
        #expect(mode == 0o600)
        let reader = try XLSXReader(path: path)
        #expect(reader.sheets.first?.name == "Шаблон")
        let rows = try reader.rows(reader.sheets[0])
        #expect(
            rows[0].cells.map(\.value.text) == [
                "Название документа", "Вид документа", "Статус документа", "Подтверждение утраты", "Подтверждение обмена", "Подтверждение уничтожения",
                "Серия документа", "Номер документа", "Дата выдачи", "Регистрационный номер", "Фамилия получателя", "Имя получателя",
                "Отчество получателя", "Дата рождения получателя", "Пол получателя", "СНИЛС", "Гражданство получателя (код страны по ОКСМ)", "Форма обучения"
            ])
        let line = (1...18).map { rows[1][$0]?.text ?? "" }
        let birth = good.birth.split(separator: "-")
        #expect(line[0].hasPrefix(good.schoolClass.hasPrefix("9") ? "Аттестат об основном общем образовании" : "Аттестат о среднем общем образовании"))
        #expect(Array(line[2...5]) == ["Оригинал", "Нет", "Нет", "Нет"])
        #expect(Array(line[7...9]) == ["10240000123456", "27.06.2026", String(good.number)])
        #expect(Array(line[10...13]) == [good.surname, good.name, good.patronymic, "\(birth[2]).\(birth[1]).\(birth[0])"])
        #expect(line[14] == (good.sex == "м" ? "Муж" : "Жен"))
        #expect(line[15] == formatted(good.snils))
        #expect(line[15].range(of: #"^\d{3}-\d{3}-\d{3} \d{2}$"#, options: .regularExpression) != nil)
        #expect(Array(line[16...17]) == ["643", "Очная"])

        // Bad input: a missing blank number, a Latin look-alike in a surname, a СНИЛС whose check number is wrong.
        let (noBlank, latin, badSNILS) = (graduates[1], graduates[2], graduates[3])
        let latinSurname = String(latin.surname.prefix(1)) + String(latin.surname.dropFirst().map { $0 == "а" ? "a" : $0 == "о" ? "o" : $0 == "е" ? "e" : $0 })
        try #require(latinSurname != latin.surname, "the surname has a letter with a Latin look-alike")
        let birthText = latin.birth.split(separator: "-").reversed().joined(separator: ".")
        try school.dir.write(
            "inbox/Контингент-исправление.csv",
            text: "ID;Фамилия;Имя;Отчество;Дата рождения;Класс;Пол;Учебный год\n"
                + "\(latin.journalID);\(latinSurname);\(latin.name);\(latin.patronymic);\(birthText);\(latin.schoolClass);\(latin.sex);2025/2026\n")
        let roster = try school.run()
        #expect(roster.stdout.contains("принято 1"), "\(roster.stdout)")
        var wrong = Array(formatted(badSNILS.snils))
        wrong[wrong.count - 1] = wrong.last == "0" ? "1" : "0"
        try FRDOTests.issueSheet(
            school.dir.file("inbox/Выдача аттестатов 2.xlsx"),
            [(noBlank, "", formatted(noBlank.snils)), (latin, "10240000123458", formatted(latin.snils)), (badSNILS, "10240000123459", String(wrong))])
        let second = try school.run()
        #expect(second.stdout.contains("принято 1"), "\(second.stdout)")
        let bad = try Uchet.run(["frdo", "--year", "2025/2026"], in: school.path)
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.contains("строк: 4, ошибок: 3"), "\(bad.stdout)")
        let sheet = try XLSXReader(path: path)
        let template = try sheet.rows(sheet.sheets[0])
        #expect(template.count == 5, "the sheet is written with every row, the bad ones too")
        func row(of g: Graduate) -> Int? { template.first { $0[10]?.text == String(g.number) }?.number }
        let errors = try ClassReportTests.table(path, sheet: "Ошибки", first: "Ячейка")
        func finding(_ code: String) -> [String: CellValue]? { errors.first { $0["Код"]?.text == code } }
        #expect(errors.count == 3, "\(errors)")
        let blank = try #require(finding("E-FRDO-BLANK"))
        #expect(blank["Ячейка"]?.text == "Шаблон!H\(try #require(row(of: noBlank)))")
        #expect(blank["ID"]?.text == noBlank.id)
        let letter = try #require(finding("E-FRDO-LATIN"))
        #expect(letter["Ячейка"]?.text == "Шаблон!K\(try #require(row(of: latin)))")
        #expect(letter["Что не так и что сделать"]?.text.contains("латинская буква") == true)
        let snils = try #require(finding("E-SNILS-CHECKSUM"))
        #expect(snils["Ячейка"]?.text == "Шаблон!P\(try #require(row(of: badSNILS)))")
        #expect(bad.stdout.contains("Шаблон!H\(row(of: noBlank)!)"), "\(bad.stdout)")
        // The report beside the workbook lists the same, and names no student but by id.
        let report = try String(contentsOfFile: school.path + "/outbox/frdo/2025-2026/ФРДО-аттестаты.report.txt", encoding: .utf8)
        #expect(report.contains("E-FRDO-LATIN") && report.contains("E-SNILS-CHECKSUM") && report.contains("E-FRDO-BLANK"))
        #expect(!report.contains(noBlank.surname) && !report.contains(badSNILS.surname))
        #expect(!bad.stdout.contains(noBlank.surname))

        // The register book of the attestat workbook, returned with the blank number and the date of issue filled, saved on its own.
        let fifth = graduates[4]
        let book = try XLSXReader(path: school.path + "/outbox/attestat/2025-2026/\(fifth.schoolClass).xlsx")
        let bookRows = try book.rows(try #require(book.sheets.first { $0.name == "Книга регистрации" }))
        let header = bookRows[1].cells.map(\.value.text)
        let blankColumn = try #require(header.firstIndex(of: "Номер бланка аттестата")) + 1
        let dateColumn = try #require(header.firstIndex(of: "Дата выдачи")) + 1
        let mine = try #require(bookRows.first { $0[1]?.text == String(fifth.number) })
        let returned = try XLSXWriter(path: school.dir.file("inbox/Книга регистрации \(fifth.schoolClass).xlsx"))
        let copy = try returned.addSheet("Книга регистрации")
        try copy.addRow([.text(bookRows[0][1]!.text)])
        try copy.addRow(header.map { .text($0) })
        try copy.addRow(
            (1...header.count).map { column -> XLSXCell? in
                if column == blankColumn { return .text("10240000123460") }
                if column == dateColumn { return .text("30.06.2026") }
                return mine[column].map { XLSXCell($0) }
            })
        try returned.close()
        let third = try school.run()
        #expect(third.stdout.contains("принято 1"), "\(third.stdout)")
        let withBook = try Uchet.run(["frdo", "--year", "2025/2026"], in: school.path)
        #expect(withBook.stdout.contains("строк: 5, ошибок: 3"), "\(withBook.stdout)")
        let final = try XLSXReader(path: path)
        let fromBook = try #require(try final.rows(final.sheets[0]).first { $0[10]?.text == String(fifth.number) })
        #expect(fromBook[8]?.text == "10240000123460")
        #expect(fromBook[9]?.text == "30.06.2026")
        #expect(fromBook[11]?.text == fifth.surname)

        // The first graduate leaves in March (a roster sent later says so): the number stays theirs,
        // the attestat workbook drops them from the book, and the register gets no row for them.
        let goodBirth = good.birth.split(separator: "-").reversed().joined(separator: ".")
        try school.dir.write(
            "inbox/Контингент-выбыл.csv",
            text: "ID;Фамилия;Имя;Отчество;Дата рождения;Класс;Пол;Учебный год;Дата выбытия\n"
                + "\(good.journalID);\(good.surname);\(good.name);\(good.patronymic);\(goodBirth);\(good.schoolClass);\(good.sex);2025/2026;01.03.2026\n")
        let left = try school.run()
        #expect(left.stdout.contains("принято 1"), "\(left.stdout)")
        let afterLeaving = try Uchet.run(["frdo", "--year", "2025/2026"], in: school.path)
        #expect(afterLeaving.status == 1, "\(afterLeaving.stdout)")
        #expect(afterLeaving.stdout.contains("строк: 5, ошибок: 4"), "\(afterLeaving.stdout)")
        let leftErrors = try ClassReportTests.table(path, sheet: "Ошибки", first: "Ячейка")
        let register = try #require(leftErrors.first { $0["Код"]?.text == "E-FRDO-REGISTER" })
        #expect(register["ID"]?.text == good.id)
        #expect(register["Что не так и что сделать"]?.text.contains("выбыл") == true, "\(register)")
    }
}
