import CivilDate
import Testing
@testable import Records

@Suite struct SNILSTests {
    @Test(arguments: ["112-233-445 95", "987-654-321 83", "11223344595", "112 233 445 95", "001-001-997 00", "001-001-998 17"])
    func validNumbers(text: String) throws {
        #expect(try SNILS.parse(text).get().digits.count == 11)
    }

    @Test func checkNumberIsVerified() {
        #expect(SNILS.parse("112-233-445 96") == .failure(.checksum(expected: 95)))
        #expect(SNILS.parse("987-654-321 00") == .failure(.checksum(expected: 83)))
        #expect(SNILS.parse("001-001-999 00") == .failure(.checksum(expected: SNILS.checkNumber([0, 0, 1, 0, 0, 1, 9, 9, 9]))))
    }

    @Test func sumsOf100And101AndRemainder100GiveZero() {
        #expect(SNILS.checkNumber([9, 2, 0, 0, 0, 0, 0, 1, 0]) == 99)
        #expect(SNILS.checkNumber([9, 2, 0, 0, 0, 0, 0, 1, 1]) == 0) // 100
        #expect(SNILS.checkNumber([9, 2, 0, 0, 0, 0, 0, 1, 2]) == 0) // 101
        #expect(SNILS.checkNumber([9, 9, 9, 9, 9, 9, 9, 9, 9]) == 1) // 405 mod 101
        #expect(SNILS.checkNumber([9, 9, 6, 0, 0, 0, 0, 3, 0]) == 0) // 201 mod 101 = 100
    }

    @Test(arguments: ["", "112-233-445", "112-233-445 9a", "1122334459512", "112_233_445_95"])
    func malformedNumbers(text: String) {
        #expect(SNILS.parse(text) == .failure(.format))
    }

    @Test func formatsAsDocumentsWriteIt() throws {
        #expect(try SNILS.parse("11223344595").get().description == "112-233-445 95")
    }
}

@Suite struct FullNameTests {
    @Test func normalisesCaseYoSpacesAndHyphens() {
        let a = FullName(full: "  Ёлкина  мария\u{00A0}Дмитриевна ")!
        let b = FullName(full: "ЕЛКИНА Мария Дмитриевна")!
        #expect(a.key == b.key)
        #expect(a.description == "Ёлкина мария Дмитриевна")
        let c = FullName(full: "Кузнецов - Смирнов Олег Игоревич")!
        let d = FullName(full: "кузнецов–смирнов олег игоревич")!
        #expect(c.surname == "Кузнецов-Смирнов")
        #expect(c.key == d.key)
        #expect(FullName(full: "Кузнецов -Смирнов Олег")!.surname == "Кузнецов-Смирнов")
    }

    @Test func splitsIntoParts() {
        let n = FullName(full: "Алиев Рашид Мамед оглы")!
        #expect(n.surname == "Алиев" && n.name == "Рашид" && n.patronymic == "Мамед оглы")
        #expect(FullName(full: "Иванов Иван")!.patronymic == nil)
        #expect(FullName(full: "Иванов") == nil)
        #expect(FullName(full: "Петрова Анна Сергеевна")!.initials == "Петрова А. С.")
    }
}

@Suite struct IdentityTests {
    let birth = CivilDate(year: 2010, month: 3, day: 4)!

    @Test func journalIDWinsAndIsKeptWhenPlain() {
        let s = Student(name: FullName(full: "Иванов Иван Иванович")!, birthDate: birth, journalID: "100234")
        #expect(s.id.rawValue == "j100234")
        #expect(StudentID(journalID: "ид/№ 5").rawValue.count == 17)
        #expect(StudentID(journalID: "ид/№ 5").rawValue.allSatisfy { $0.isASCII })
    }

    @Test func derivedFromNormalisedNameAndBirthDate() {
        let a = Student(name: FullName(full: "Ёлкина Мария Дмитриевна")!, birthDate: birth)
        let b = Student(name: FullName(full: "ЕЛКИНА  МАРИЯ ДМИТРИЕВНА")!, birthDate: birth)
        let c = Student(name: FullName(full: "Ёлкина Мария Дмитриевна")!, birthDate: birth.adding(days: 1))
        #expect(a.id == b.id)
        #expect(a.id != c.id)
        #expect(a.id.rawValue.hasPrefix("h"))
        #expect(a.id.rawValue.count == 17)
        #expect(a.id.rawValue.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }
}

@Suite struct ClassAndYearTests {
    @Test(arguments: [("9А", "9А"), ("9 а", "9А"), ("9-А", "9А"), ("9 «А»", "9А"), ("11Б класс", "11Б"), ("9A", "9А"), ("10", "10"), ("5ё", "5Е")])
    func classes(text: String, expected: String) {
        #expect(SchoolClass(parsing: text)?.description == expected)
    }

    @Test(arguments: ["12А", "0Б", "А9", "9АБВ", "девятый"])
    func notClasses(text: String) {
        #expect(SchoolClass(parsing: text) == nil)
    }

    @Test func years() {
        #expect(AcademicYear(parsing: "2025/2026")?.startYear == 2025)
        #expect(AcademicYear(parsing: "2025-26 уч. год")?.startYear == 2025)
        #expect(AcademicYear(parsing: "2025/2027") == nil)
        #expect(AcademicYear(containing: CivilDate(year: 2026, month: 5, day: 25)!).description == "2025/2026")
        #expect(AcademicYear(containing: CivilDate(year: 2025, month: 9, day: 1)!).description == "2025/2026")
        #expect(AcademicYear(containing: CivilDate(year: 2025, month: 8, day: 31)!).description == "2024/2025")
    }

    @Test func provenanceNamesTheCell() {
        #expect(Provenance(fileHash: "", fileName: "a.xlsx", sheet: "Ведомость", row: 14, column: 3).location == "Ведомость!C14")
        #expect(Provenance(fileHash: "", fileName: "a.csv", row: 812).location == "строка 812")
        #expect(Provenance(fileHash: "", fileName: "a.csv", row: 812, column: 28).location == "строка 812, столбец 28")
    }
}
