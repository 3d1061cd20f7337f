import CivilDate
import Foundation
import Records
import Spreadsheet
import TestSupport
import Testing
@testable import Ingest

/// Each validation rule, with a passing and a failing case.
@Suite struct ValidationTests {
    func register(_ bench: Bench, group: String, category: String = "Олимпиада", other: String? = nil, consent: String? = nil, gir: String? = nil) throws
        -> FileImport
    {
        let path = try bench.xlsx(
            "reg.xlsx",
            [
                [t("ФИО"), t("Класс"), t("Направление"), t("Категория"), t("Мероприятие"), t("Дата"), t("Другая организация"), t("Согласие"), t("ГИР")],
                [
                    t("Иванов Иван Иванович"), t("9А"), t(group), t(category), t("Конкурс юных инженеров"), d(2026, 3, 3),
                    other.map(t), consent.map(t), gir.map(t)
                ]
            ])
        return bench.run(path)
    }

    @Test func preProfessionalResultIsAcceptedBy134AndAnErrorUnderSchool2() throws {
        let accepted = try register(try Bench(policy: "maou-sosh-134"), group: "Предпрофессиональные программы")
        #expect(accepted.codes == [])
        guard case .achievement(let a) = accepted.records.first else {
            Issue.record("no record")
            return
        }
        #expect(a.group == "preprofessional")
        let refused = try register(try Bench(policy: "mou-sosh-2"), group: "Предпрофессиональные программы")
        #expect(refused.codes == ["E-CATEGORY-UNKNOWN"])
        #expect(refused.records.isEmpty)
        let message = refused.findings[0].message
        #expect(message.contains("п. 3.2"))
        #expect(message.contains("Достижения по программам дополнительного образования (общеразвивающим и предпрофессиональным)"))
        #expect(refused.findings[0].location.place == "Лист1!C2")
    }

    @Test func metasubjectGroupsDifferBetweenThePolicies() throws {
        func run(_ policy: String) throws -> FileImport {
            let bench = try Bench(policy: policy)
            return bench.run(
                try bench.xlsx(
                    "m.xlsx",
                    [
                        [t("ФИО"), t("Класс"), t("Группа УУД"), t("Уровень")],
                        [t("Иванов Иван Иванович"), t("9А"), t("Рефлексивные"), t("базовый")]
                    ]))
        }
        #expect(try run("mou-sosh-2").codes == [])
        #expect(try run("maou-sosh-134").codes == ["E-CATEGORY-UNKNOWN"])
    }

    @Test func categoryMustBeInItsGroup() throws {
        let bench = try Bench()
        #expect(try register(bench, group: "Внеурочная деятельность", category: "ГТО").codes == [])
        let bad = try register(bench, group: "Внеурочная деятельность", category: "Олимпиадка по всему")
        #expect(bad.codes == ["E-CATEGORY-UNKNOWN"])
        #expect(bad.findings[0].message.contains("3.2.2"))
    }

    @Test func resultFromAnotherOrganisationNeedsConsent() throws {
        let bench = try Bench()
        let refused = try register(bench, group: "Дополнительное образование", other: "ДДТ «Радуга»")
        #expect(refused.codes == ["E-CONSENT-MISSING"])
        #expect(refused.findings[0].message.contains("п. 5.1"))
        #expect(refused.findings[0].location.place == "Лист1!H2")
        let accepted = try register(bench, group: "Дополнительное образование", other: "ДДТ «Радуга»", consent: "заявление № 17 от 02.03.2026")
        #expect(accepted.codes == [])
        guard case .achievement(let a) = accepted.records.first else {
            Issue.record("no record")
            return
        }
        #expect(a.otherOrganisation == "ДДТ «Радуга»" && a.consent == "заявление № 17 от 02.03.2026")
    }

    @Test func girFlagIsKept() throws {
        let bench = try Bench()
        guard case .achievement(let a) = try register(bench, group: "Внеурочная деятельность", gir: "да").records.first else {
            Issue.record("no record")
            return
        }
        #expect(a.gir)
    }

    @Test func markMustBeOnTheScaleOfItsPeriod() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "scale.xlsx",
            [
                [t("ФИО"), t("Класс"), t("Предмет"), t("Период"), t("Отметка")],
                [t("Иванов Иван Иванович"), t("9А"), t("Физ-ра"), t("Год"), t("зачтено")],
                [t("Иванов Иван Иванович"), t("9А"), t("Физ-ра"), t("Экзамен"), t("зачтено")],
                [t("Иванов Иван Иванович"), t("9А"), t("Алгебра"), t("Экзамен"), n(4)],
                [t("Иванов Иван Иванович"), t("9А"), t("Алгебра"), t("Год"), n(6)]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-MARK-SCALE", "E-MARK-UNKNOWN"])
        #expect(result.places == ["Лист1!E3", "Лист1!E5"])
        #expect(result.marks.count == 2)
        let csv = try bench.csv(
            "cur.csv",
            [
                "Дата;Класс;Ученик;Предмет;Отметка",
                "01.10.2025;9А;Иванов Иван Иванович;Алгебра;н/а",
                "02.10.2025;9А;Иванов Иван Иванович;Алгебра;4"
            ])
        let current = bench.run(csv)
        #expect(current.codes == ["E-MARK-SCALE"])
        #expect(current.places == ["строка 2, столбец 5"])
    }

    @Test func dateMustLieInTheAcademicYear() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "dates.xlsx",
            [
                [t("Реестр достижений за 2025/2026 учебный год")],
                [t("ФИО"), t("Класс"), t("Категория"), t("Мероприятие"), t("Дата")],
                [t("Иванов Иван Иванович"), t("9А"), t("Олимпиада"), t("Олимпиада «Покори Воробьёвы горы!»"), d(2026, 2, 14)],
                [t("Иванов Иван Иванович"), t("9А"), t("Олимпиада"), t("Олимпиада «Высшая проба»"), t("14.02.2025")],
                [t("Иванов Иван Иванович"), t("9А"), t("Олимпиада"), t("Турнир городов"), t("30.02.2026")]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-DATE-YEAR", "E-DATE-FORMAT"])
        #expect(result.places == ["Лист1!E4", "Лист1!E5"])
        #expect(result.findings[0].message.contains("01.09.2025–31.08.2026"))
    }

    @Test func subjectMustBeKnownAndTheNearestIsSuggested() throws {
        let bench = try Bench()
        let path = try bench.csv(
            "s.csv",
            [
                "ФИО;Класс;Предмет;Период;Отметка",
                "Иванов Иван Иванович;9А;Геометрия;1 четверть;5",
                "Иванов Иван Иванович;9А;Геометри;1 четверть;5",
                "Иванов Иван Иванович;9А;Кулинария;1 четверть;5"
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-SUBJECT-UNKNOWN", "E-SUBJECT-UNKNOWN"])
        #expect(result.findings[0].message.contains("возможно, имелся в виду «Геометрия»"))
        #expect(!result.findings[1].message.contains("возможно"))
        #expect(result.places == ["строка 3, столбец 3", "строка 4, столбец 3"])
    }

    @Test func studentsResolveThroughTheRosterAndNeverByGuess() throws {
        let bench = try Bench()
        let roster = try bench.roster()
        let path = try bench.xlsx(
            "who.xlsx",
            [
                [t("ID"), t("ФИО"), t("Дата рождения"), t("Класс"), t("Предмет"), t("Период"), t("Отметка")],
                [t("1001"), t("Иванов Иван"), nil, t("9Б"), t("Алгебра"), t("Год"), n(5)], // journal id
                [nil, t("Смирнова Анна Олеговна"), t("11.11.2010"), t("9А"), t("Алгебра"), t("Год"), n(4)], // name + birth
                [nil, t("Петрова Анна"), nil, t("9А"), t("Алгебра"), t("Год"), n(5)], // name + class, unique
                [nil, t("Смирнова Анна Олеговна"), nil, t("9А"), t("Алгебра"), t("Год"), n(3)], // two in 9А: ambiguous
                [nil, t("Пупкин Василий Петрович"), nil, t("9А"), t("Алгебра"), t("Год"), n(3)], // not in the roster
                [nil, t("Иванов Иван Иванович"), t("05.05.2011"), t("9А"), t("Алгебра"), t("Год"), n(3)] // wrong birth date
            ])
        let result = bench.run(path, roster: roster)
        let ids = result.marks.map { $0.studentID?.rawValue }
        #expect(ids.count == 3)
        #expect(ids[0] == "j1001")
        #expect(ids[2] == "j1002")
        #expect(result.codes == ["E-STUDENT-AMBIGUOUS", "E-STUDENT-UNKNOWN", "E-STUDENT-UNKNOWN"])
        #expect(result.places == ["лист «Лист1», строка 5", "лист «Лист1», строка 6", "лист «Лист1», строка 7"])
        #expect(!result.findings.contains { $0.message.contains("Пупкин Василий") }, "reports name students by initials only")
    }

    @Test func aJournalIdIsCheckedAgainstTheRowsNameAndClass() throws {
        let bench = try Bench()
        let roster = try bench.roster()
        let path = try bench.xlsx(
            "ids.xlsx",
            [
                [t("ID"), t("ФИО"), t("Класс"), t("Предмет"), t("Период"), t("Отметка")],
                [t("1001"), t("Петрова Анна"), t("9А"), t("Алгебра"), t("Год"), n(5)], // Иванов's id, Петрова's name
                [t("1002"), t("Петрова Анна Сергеевна"), t("9Б"), t("Алгебра"), t("Год"), n(4)], // a class the roster does not have
                [t("1002"), t("Петрова Анна Сергеевна"), t("9Б"), t("Геометрия"), t("Год"), n(4)],
                [t("1001"), t("Иванов Иван"), t("9А"), t("Геометрия"), t("Год"), n(3)], // no patronymic: the same student
                [t("1001"), t("Иванов И. И."), t("9А"), t("Химия"), t("Год"), n(4)], // initials: the same student
                [t("1001"), t("Ивaнoв Иван"), t("9А"), t("Физика"), t("Год"), n(4)] // Latin «а», «о»: the same student
            ])
        let result = bench.run(path, roster: roster)
        #expect(result.codes == ["E-STUDENT-MISMATCH"])
        #expect(result.places == ["лист «Лист1», строка 2"])
        #expect(result.findings[0].message.contains("j1001"))
        #expect(result.marks.map { $0.studentID?.rawValue } == ["j1002", "j1002", "j1001", "j1001", "j1001"])
        let classes = result.findings.filter { $0.code == "W-STUDENT-CLASS" }
        #expect(classes.count == 1, "once per student and class")
        #expect(classes.first?.message.contains("9Б") == true)
    }

    @Test func twoIdsInOneCellAreAnErrorAndAPlusIsYes() throws {
        let bench = try Bench()
        let roster = try bench.roster()
        let path = try bench.xlsx(
            "two.xlsx",
            [
                [t("ID"), t("ФИО"), t("Класс"), t("Направление"), t("Категория"), t("Мероприятие"), t("Дата"), t("ГИР")],
                [
                    t("1001, 1002"), t("Иванов Иван Иванович"), t("9А"), t("Внеурочная деятельность"), t("Олимпиада"), t("Олимпиада по физике"), d(2026, 3, 3),
                    t("+")
                ],
                [t("1002"), t("Петрова Анна Сергеевна"), t("9А"), t("Внеурочная деятельность"), t("Олимпиада"), t("Олимпиада по физике"), d(2026, 3, 3), t("+")]
            ])
        let result = bench.run(path, roster: roster)
        #expect(result.codes == ["E-STUDENT-ID"])
        let achievements = result.records.compactMap { if case .achievement(let a) = $0 { a } else { nil } }
        #expect(achievements.map(\.gir) == [true])
    }

    @Test func recordsAfterAnUnresolvedStudentKeepTheirOrderAndTheirOwnStudent() throws {
        let bench = try Bench()
        let roster = try bench.roster()
        let path = try bench.xlsx(
            "order.xlsx",
            [
                [t("ID"), t("ФИО"), t("Дата рождения"), t("Класс"), t("Предмет"), t("Период"), t("Отметка")],
                [nil, t("Пупкин Василий Петрович"), nil, t("9А"), t("Алгебра"), t("Год"), n(3)],
                [t("1002"), t("Петрова Анна"), nil, t("9А"), t("Алгебра"), t("Год"), n(5)],
                [nil, t("Пупкин Василий Петрович"), nil, t("9А"), t("Геометрия"), t("Год"), n(3)],
                [t("1001"), t("Иванов Иван"), nil, t("9А"), t("Алгебра"), t("Год"), n(4)],
                [t("1002"), t("Петрова Анна"), nil, t("9А"), t("Геометрия"), t("Год"), n(3)]
            ])
        let result = bench.run(path, roster: roster)
        #expect(result.marks.map { $0.studentID?.rawValue } == ["j1002", "j1001", "j1002"])
        #expect(result.marks.map(\.subject) == ["algebra", "algebra", "geometry"])
        #expect(result.marks.map { $0.value.points } == [5, 4, 3])
        #expect(result.codes == ["E-STUDENT-UNKNOWN", "E-STUDENT-UNKNOWN"])
        #expect(result.places == ["лист «Лист1», строка 2", "лист «Лист1», строка 4"])
    }

    @Test func snilsCheckNumberIsVerified() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "r.xlsx",
            [
                [t("ФИО"), t("Дата рождения"), t("Класс"), t("СНИЛС")],
                [t("Иванов Иван Иванович"), d(2010, 3, 4), t("9А"), t("112-233-445 95")],
                [t("Петров Пётр Петрович"), d(2010, 3, 5), t("9А"), t("112-233-445 96")],
                [t("Сидоров Олег"), d(2010, 3, 6), t("9А"), t("112-233-44")]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-SNILS-CHECKSUM", "E-SNILS-FORMAT"])
        #expect(result.records.count == 1)
    }

    @Test func everyFindingSaysWhatToDoInRussian() throws {
        let bench = try Bench()
        let result = bench.run(try bench.csv("x.csv", ["ФИО;Класс;Предмет;Период;Отметка", "Иванов;9А;Алгебра;5 четверть;7"]))
        #expect(!result.findings.isEmpty)
        for f in result.findings {
            #expect(f.code.range(of: #"^[EWI]-[A-Z0-9-]+$"#, options: .regularExpression) != nil)
            #expect(f.message.range(of: "[а-яё]", options: .regularExpression) != nil)
        }
    }
}
