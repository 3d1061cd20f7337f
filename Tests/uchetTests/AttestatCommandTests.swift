import Foundation
import Spreadsheet
import TestSupport
import Testing

/// A class's attestat workbook as the sheets show it.
struct AttestatWorkbook {
    struct Line {
        var name: String
        /// Subject label → the cell's text.
        var marks: [String: String]
        var award: String
        var status: String
    }

    var sheets: [String]
    var lines: [Line] = []
    /// «Составляющие»: (ФИО, subject) → (formula, components).
    var components: [String: (formula: String, parts: String)] = [:]
    /// «Книга регистрации»: ФИО → number.
    var book: [String: Int] = [:]
    /// «Без аттестата»: student id → reason.
    var without: [String: String] = [:]
    /// «Замечания»: (ФИО, subject, message).
    var flags: [(name: String, subject: String, message: String)] = []
    /// «Отличия»: ФИО → the conditions that decided.
    var decisions: [String: String] = [:]

    init(_ path: String) throws {
        let reader = try XLSXReader(path: path)
        sheets = reader.sheets.map(\.name)
        let rows = try reader.rows(reader.sheets[0])
        let header = Dictionary(uniqueKeysWithValues: rows[2].cells.map { ($0.column, $0.value.text) })
        let subjects = header.filter { $0.key > 2 && !["Отличие", "Аттестат", "Замечаний"].contains($0.value) }
        let award = header.first { $0.value == "Отличие" }!.key
        let status = header.first { $0.value == "Аттестат" }!.key
        for row in rows.dropFirst(3) {
            guard let name = row[2]?.text else { continue }
            lines.append(
                Line(
                    name: name, marks: subjects.reduce(into: [:]) { $0[$1.value] = row[$1.key]?.text ?? "" },
                    award: row[award]?.text ?? "", status: row[status]?.text ?? ""))
        }
        for row in try reader.rows(reader.sheets[1]).dropFirst() {
            components["\(row[1]?.text ?? "")|\(row[2]?.text ?? "")"] = (row[4]?.text ?? "", row[5]?.text ?? "")
        }
        for row in try reader.rows(reader.sheets[2]).dropFirst(2) {
            if let n = row[1].flatMap({ Int($0.text) }) {
                book[row[2]?.text ?? ""] = n
            }
        }
        for row in try reader.rows(reader.sheets[3]).dropFirst() { without[row[1]?.text ?? ""] = row[4]?.text ?? "" }
        for row in try reader.rows(reader.sheets[4]).dropFirst() { flags.append((row[1]?.text ?? "", row[2]?.text ?? "", row[3]?.text ?? "")) }
        for row in try reader.rows(reader.sheets[5]).dropFirst() { decisions[row[1]?.text ?? ""] = row[3]?.text ?? "" }
    }

    func line(_ name: String) -> Line? { lines.first { $0.name == name } }
}

@Suite(.serialized) struct AttestatCommandTests {
    /// A demo school with two classes a grade (one 9th class taught «Математика» itself), and the cases it planted.
    static func demo(students: Int, seed: Int, extra: String = "") throws -> (DemoFolder, [String: String]) {
        let dir = try workingFolder(extra: extra)
        let made = try Uchet.run(["demo", "--students", String(students), "--seed", String(seed)], in: dir.path)
        #expect(made.status == 0, "\(made.stderr)")
        var cases: [String: String] = [:]
        for line in made.stdout.split(separator: "\n") where line.hasPrefix("  ") && line.contains(" класс") {
            let parts = line.dropFirst(2).split(separator: ":", maxSplits: 1)
            if parts.count == 2 { cases[String(parts[1]).trimmingCharacters(in: .whitespaces)] = String(parts[0]) }
        }
        return (DemoFolder(existing: dir), cases)
    }

    static func students(_ school: DemoFolder, _ schoolClass: String) throws -> [DossierStudent] {
        try school.files(in: "outbox/dossiers/2025-2026/\(schoolClass)").map { file in
            try DossierStudent(
                xml: String(contentsOfFile: school.path + "/outbox/dossiers/2025-2026/\(schoolClass)/" + file, encoding: .utf8),
                id: String(file.dropLast(4)))
        }
    }

    @Test func demoSchoolAttestatsEqualAnIndependentRecomputationFromTheDossiers() throws {
        let (school, cases) = try AttestatCommandTests.demo(students: 300, seed: 41, extra: ",\n  \"registerNumberStart\": 101")
        #expect(cases.count == 9, "\(cases)")
        let run = try school.run(timeout: 600)
        #expect(run.stdout.contains("ведомости аттестатов 4"), "\(run.stdout)")
        #expect(!run.stdout.contains("отклонён ОГЭ") && !run.stdout.contains("отклонён ЕГЭ") && !run.stdout.contains("отклонён ГВЭ"), "\(run.stdout)")
        let books = school.files(in: "outbox/attestat")
        #expect(books == ["2025-2026/11А.xlsx", "2025-2026/11Б.xlsx", "2025-2026/9А.xlsx", "2025-2026/9Б.xlsx"])
        let cli = try Uchet.run(["attestat", "--year", "2025/2026"], in: school.path)
        #expect(cli.status == 0, "\(cli.stderr)")
        var checked = 0
        var all: [String: (DossierStudent, Recompute.Expected, AttestatWorkbook)] = [:]
        for schoolClass in ["9А", "9Б", "11А", "11Б"] {
            let sheet = try AttestatWorkbook(school.path + "/outbox/attestat/2025-2026/\(schoolClass).xlsx")
            #expect(sheet.sheets == ["Итоговые отметки", "Составляющие", "Книга регистрации", "Без аттестата", "Замечания", "Отличия"])
            let everyone = try AttestatCommandTests.students(school, schoolClass)
            let graduates = everyone.filter { ($0.left ?? "9999") >= "2026-08-31" }
            let expected = schoolClass.hasPrefix("9") ? Recompute.ninth(graduates) : Recompute.eleventh(graduates)
            #expect(sheet.lines.count == graduates.count, "\(schoolClass): leavers are not graduates")
            for s in graduates {
                let want = try #require(expected[s.id])
                all[s.journalID] = (s, want, sheet)
                guard let line = sheet.line(s.name) else {
                    Issue.record("\(schoolClass) \(s.name) missing")
                    continue
                }
                #expect(Set(line.marks.keys) == Set(want.finals.keys), "\(schoolClass) \(s.name): the curriculum's subjects")
                for (subject, value) in want.finals {
                    #expect(line.marks[subject] == value, "\(schoolClass) \(s.name) \(subject)")
                    checked += 1
                }
                #expect((sheet.book[s.name] != nil) == want.ready, "\(schoolClass) \(s.name): in the register book only if the attestat is issued")
                #expect((sheet.without["j" + s.journalID] != nil) == want.withoutAttestat, "\(schoolClass) \(s.name): «Без аттестата»")
                #expect(line.award == (want.award ?? ""), "\(schoolClass) \(s.name): honours")
            }
            #expect(sheet.book.values.allSatisfy { $0 >= 101 }, "the register book continues the year's sequence")
            let ready = expected.values.filter(\.ready).count
            let without = expected.values.filter(\.withoutAttestat).count
            #expect(
                cli.stdout.contains("\(schoolClass): выпускников \(graduates.count), аттестатов готово \(ready), без аттестата \(without), "), "\(cli.stdout)")
        }
        #expect(checked > 800)

        // Each planted case shows what its rule says.
        func planted(_ what: String) -> (DossierStudent, Recompute.Expected, AttestatWorkbook)? {
            cases.first { $0.key.contains(what) }.flatMap { all[$0.value] }
        }
        let noShow = try #require(planted("«не явился»"))
        #expect(noShow.2.line(noShow.0.name)?.status == "ждёт данных (см. «Замечания»)")
        #expect(noShow.2.flags.contains { $0.name == noShow.0.name && $0.message.contains("ОГЭ: не явился — результата нет") })
        let ogeTwo = try #require(planted("ОГЭ «2»"))
        #expect(ogeTwo.2.without["j" + ogeTwo.0.journalID]?.contains("ГИА не пройдена: Физика: ОГЭ: «2» — ниже «3»") == true)
        #expect(ogeTwo.2.line(ogeTwo.0.name)?.marks["Физика"] == "", "not 3,5 → 4")
        let annualTwo = try #require(planted("годовая «2»"))
        #expect(annualTwo.2.without["j" + annualTwo.0.journalID]?.contains("годовая отметка «2» по предмету «Основы безопасности и защиты Родины»") == true)
        let retake = try #require(planted("пересдаче"))
        #expect(retake.2.components["\(retake.0.name)|Математика"]?.parts.contains("ОГЭ (пересдача): 4") == true)
        #expect(retake.2.book[retake.0.name] != nil)
        let left = try #require(cases.first { $0.key.contains("выбыл") }?.value)
        let leaver = try AttestatCommandTests.students(school, "9А").first { $0.journalID == left }
        #expect(leaver?.left == "2026-02-13")
        let nineA = try AttestatWorkbook(school.path + "/outbox/attestat/2025-2026/9А.xlsx")
        #expect(nineA.line(leaver?.name ?? "") == nil && nineA.book[leaver?.name ?? ""] == nil)
        #expect(nineA.flags.contains { $0.name == leaver?.name && $0.message.hasPrefix("выбыл(а) 13.02.2026") })
        let transfer = try #require(planted("без отметок за 10 класс"))
        #expect(transfer.2.flags.contains { $0.name == transfer.0.name && $0.message.hasPrefix("нет ни одной отметки за 10 класс (2024/2025)") })
        #expect(transfer.2.line(transfer.0.name)?.status == "ждёт данных (см. «Замечания»)")
        let gve = try #require(planted("ГВЭ"))
        #expect(gve.2.line(gve.0.name)?.award == "медаль «За особые успехи в учении» I степени")
        #expect(gve.2.decisions[gve.0.name]?.contains("экзамены: «ГВЭ»: Русский язык: «5»") == true)
        let basicTwo = try #require(planted("базовой математике «2»"))
        #expect(basicTwo.2.without["j" + basicTwo.0.journalID]?.contains("Математика: ЕГЭ (базовый): «2» — ниже минимума") == true)
        #expect(basicTwo.2.line(basicTwo.0.name)?.award == "")
        #expect(basicTwo.0.marks.filter { $0.period == "year" && $0.grade >= 10 }.allSatisfy { $0.value == "5" }, "otherwise medal-worthy")
        // Mathematics as one subject in 9Б, as courses in 9А.
        let nineB = try AttestatWorkbook(school.path + "/outbox/attestat/2025-2026/9Б.xlsx")
        #expect(nineB.components.filter { $0.key.hasSuffix("|Математика") }.values.allSatisfy { $0.parts.hasPrefix("год 2025/2026: ") })
        #expect(nineA.components.filter { $0.key.hasSuffix("|Математика") }.values.allSatisfy { $0.parts.hasPrefix("Алгебра, год 2025/2026: ") })
        // ЕГЭ mathematics by level, whichever way the file named it; primary school's marks held but kept out; the 10th-only subject.
        let levels = Set(all.values.flatMap { $0.0.exams.filter { $0["form"] == "ЕГЭ" && $0["subject"] == "mathematics" }.map { $0["level"] ?? "нет" } })
        #expect(levels == ["профильный", "базовый"])
        #expect(all.values.contains { $0.0.marks.contains { $0.subject == "reading" && $0.grade == 4 } })
        #expect(!nineA.lines.contains { $0.marks["Литературное чтение"] != nil || $0.marks["Окружающий мир"] != nil })
        let eleven = try AttestatWorkbook(school.path + "/outbox/attestat/2025-2026/11А.xlsx")
        #expect(
            eleven.components.filter { $0.key.hasSuffix("|Индивидуальный проект") && !$0.value.formula.hasPrefix("не выставлена") }
                .values.allSatisfy { $0.formula.hasPrefix("(") && $0.formula.contains(") / 3 = ") })

        let one = try Uchet.run(["attestat", "--year", "2025/2026", "--class", "9 а"], in: school.path)
        #expect(one.stdout.split(separator: "\n").count == 2)
        #expect(try Uchet.run(["attestat", "--year", "2025/2026", "--class", "7Б"], in: school.path).status == 2)
    }

    @Test func registerNumbersGoOnlyToStudentsWhoReceiveTheAttestatAndAreNeverReused() throws {
        let (school, cases) = try AttestatCommandTests.demo(students: 60, seed: 42)
        _ = try school.run()
        func book() throws -> [String: Int] {
            try AttestatWorkbook(school.path + "/outbox/attestat/2025-2026/9А.xlsx").book
                .merging(try AttestatWorkbook(school.path + "/outbox/attestat/2025-2026/11А.xlsx").book) { a, _ in a }
        }
        let first = try book()
        #expect(Set(first.values).count == first.count)
        #expect(first.values.min() == 1)
        let nine = try AttestatCommandTests.students(school, "9А")
        let noShowID = try #require(cases.first { $0.key.contains("«не явился»") }?.value)
        let noShow = try #require(nine.first { $0.journalID == noShowID })
        #expect(first[noShow.name] == nil, "a result still missing: no number yet")
        _ = try Uchet.run(["attestat", "--year", "2025/2026"], in: school.path)
        #expect(try book() == first, "numbers are kept")

        // One numbered student leaves; the no-show's result comes in on a reserve day.
        let leaving = try #require(nine.first { first[$0.name] != nil })
        let missing = try #require(noShow.exams.first { $0["noResult"] != nil })
        _ = try school.dir.write(
            "inbox/выбытие.csv",
            text: """
                ID;Фамилия;Имя;Отчество;Дата рождения;Класс;Дата выбытия
                \(leaving.journalID);\(leaving.name.split(separator: " ").joined(separator: ";"));\(leaving.birthDate.split(separator: "-").reversed().joined(separator: "."));9А;01.03.2026

                """)
        _ = try school.dir.write(
            "inbox/ОГЭ резерв.csv",
            text: """
                ID;ФИО;Класс;Предмет;Форма;Отметка;Дата;Пересдача
                \(noShow.journalID);\(noShow.name);9А;\(missing["label"]!);ОГЭ;4;26.06.2026;да

                """)
        let again = try school.run()
        #expect(again.status == 0, "\(again.stdout)")
        let second = try book()
        #expect(second[leaving.name] == nil, "left before the year's end: out of the book")
        #expect(second[noShow.name] == (first.values.max() ?? 0) + 1, "the next number, not the one kept by the leaver")
        for (name, n) in first where name != leaving.name { #expect(second[name] == n) }
        let sheet = try AttestatWorkbook(school.path + "/outbox/attestat/2025-2026/9А.xlsx")
        #expect(
            sheet.flags.contains {
                $0.name == leaving.name
                    && $0.message.contains("рег. № \(first[leaving.name]!), присвоенный раньше, остаётся за ним и никому другому не выдаётся")
            })
    }

    @Test func aBrokenRulesFileStopsEveryCommandWithExitTwoNamingTheKey() throws {
        let schemas = TemporaryDirectory("schemas")
        for name in ["dossier.xsd", "inventory.xsd", "attestat-rules.json"] {
            try FileManager.default.copyItem(atPath: RepoPaths.schemas + "/" + name, toPath: schemas.file(name))
        }
        let text = try String(contentsOfFile: schemas.file("attestat-rules.json"), encoding: .utf8)
        _ = try schemas.write("attestat-rules.json", text: text.replacingOccurrences(of: "\"retakesCount\": false", with: "\"retakesCount\": \"нет\""))
        let dir = try workingFolder(schemas: schemas.path)
        for command in [["run", "--now"], ["attestat", "--year", "2025/2026"], ["check", "нет.xlsx"]] {
            let result = try Uchet.run(command, in: dir.path)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("attestat-rules.json: grades[0].honours.retakesCount: ожидалось true или false"), "\(result.stderr)")
        }
    }
}
