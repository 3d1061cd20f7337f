import CivilDate
import Foundation
import Records
import Spreadsheet
import TestSupport
import Testing
@testable import Ingest

/// Each profile on a file in the shape real exports have.
@Suite struct ProfileShapesTests {
    @Test func rosterUnderATitleBlockWithDatesAsSerialsAndText() throws {
        let bench = try Bench()
        let result = bench.run(try bench.roster())
        #expect(result.profiles == ["roster"])
        #expect(result.codes == [])
        let entries = result.records.compactMap { if case .roster(let r) = $0 { r } else { nil } }
        #expect(entries.count == 5)
        #expect(entries[0].student.id.rawValue == "j1001")
        #expect(entries[1].student.birthDate == CivilDate(year: 2010, month: 7, day: 12))
        #expect(entries[2].enrolment.schoolClass.description == "9А")
        #expect(entries[0].student.snils?.description == "112-233-445 95")
        #expect(entries[0].enrolment.year.description == "2025/2026")
        #expect(entries[0].provenance.location == "Лист1!4:4")
        #expect(result.sheets[0].headerRow == 3)
    }

    @Test func periodMarksLongWithClassAndYearInTheTitle() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "long.xlsx", sheet: "Отметки",
            [
                [t("Отметки за четверти, 9А класс, 2025-2026 учебный год")],
                [t("ФИО"), t("Предмет"), t("Период"), t("Отметка")],
                [t("Иванов Иван Иванович"), t("Русский язык"), t("I четверть"), n(5)],
                [t("Иванов Иван Иванович"), t("Физ-ра"), t("2 ч"), t("зач")],
                [t("Петрова Анна Сергеевна"), t("Алгебра"), t("Год"), n(4)],
                [t("Петрова Анна Сергеевна"), t("Алгебра"), t("Итог"), t("осв.")]
            ])
        let result = bench.run(path)
        #expect(result.profiles == ["period-marks-long"])
        #expect(result.codes == [])
        #expect(result.marks.map(\.period) == ["q1", "q2", "year", "final"])
        #expect(result.marks.map(\.kind) == [.period, .period, .annual, .final])
        #expect(result.marks.map(\.value) == [.points(5), .pass, .points(4), .exempt])
        #expect(result.marks.allSatisfy { $0.schoolClass?.description == "9А" && $0.year.startYear == 2025 })
        #expect(result.marks[1].subject == "physical-education")
        #expect(result.marks[0].provenance.location == "Отметки!D3")
    }

    @Test func summarySheetWithPeriodInTitleAndATotalRow() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "svod.xlsx", sheet: "9А",
            [
                [t("Сводная ведомость успеваемости")],
                [t("Класс: 9А"), nil, t("за 1 четверть 2025/2026 учебного года")],
                [],
                [t("№"), t("ФИО"), t("Русский язык"), t("Алгебра"), t("Физическая культура"), t("Музыка")],
                [n(1), t("Иванов Иван Иванович"), n(5), n(4), t("зач"), t("осв")],
                [n(2), t("Петрова Анна Сергеевна"), n(4), t("н/а"), n(5), n(5)],
                [n(3), t("Ёлкина Мария"), n(3), n(3), nil, n(5)],
                [nil, t("Средний балл"), n(4), n(3.5), n(5), n(5)],
                [], []
            ])
        let result = bench.run(path)
        #expect(result.profiles == ["period-marks-wide"])
        #expect(result.codes == [])
        #expect(result.marks.count == 11)
        #expect(result.marks.allSatisfy { $0.period == "q1" && $0.schoolClass?.description == "9А" })
        #expect(result.marks.first { $0.subject == "algebra" && $0.student.name?.surname == "Петрова" }?.value == .notAssessed)
        #expect(result.marks.first { $0.subject == "music" }?.provenance.location == "9А!F5")
    }

    @Test func summarySheetWithoutAPeriodIsOneClearError() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "svod.xlsx",
            [
                [t("Сводная ведомость 9А")],
                [t("ФИО"), t("Русский язык"), t("Алгебра")],
                [t("Иванов Иван Иванович"), n(5), n(4)],
                [t("Петрова Анна Сергеевна"), n(4), n(4)]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-PERIOD-MISSING"])
        #expect(result.records.isEmpty)
    }

    @Test func subjectMergedOverItsPeriodColumns() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "two-rows.xlsx",
            [
                [t("Итоги года, 9А класс, 2025/2026")],
                [t("№"), t("ФИО"), t("Русский язык"), nil, nil, nil, nil, t("Алгебра"), nil, nil, nil, nil],
                [nil, nil, t("1 ч"), t("2 ч"), t("3 ч"), t("4 ч"), t("Год"), t("1 ч"), t("2 ч"), t("3 ч"), t("4 ч"), t("Год")],
                [n(1), t("Иванов Иван Иванович"), n(5), n(5), n(4), n(5), n(5), n(4), n(4), n(4), n(3), n(4)],
                [n(2), t("Петрова Анна Сергеевна"), n(4), nil, n(4), n(4), n(4), n(5), n(5), n(5), n(5), n(5)]
            ], merges: ["C2:G2", "H2:L2", "A2:A3", "B2:B3"])
        let result = bench.run(path)
        #expect(result.profiles == ["period-marks-wide-periods"])
        #expect(result.codes == [])
        #expect(result.marks.count == 19)
        let ivanovAlgebra = result.marks.filter { $0.subject == "algebra" && $0.student.name?.surname == "Иванов" }
        #expect(ivanovAlgebra.map(\.period) == ["q1", "q2", "q3", "q4", "year"])
        #expect(ivanovAlgebra.map(\.value) == [.points(4), .points(4), .points(4), .points(3), .points(4)])
        #expect(ivanovAlgebra.last?.provenance.location == "Лист1!L4")
    }

    @Test func journalSummaryWithOneRowPerPeriodAndTheNameOnTheFirstOnly() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "journal-summary.xlsx", sheet: "9А",
            [
                [t("Итоговые отметки 2025/2026")],
                [t("№"), t("ФИО"), t("Период"), t("Русский язык"), t("Алгебра")],
                [n(1), t("Иванов Иван Иванович"), t("1 четверть"), n(5), n(4)],
                [nil, nil, t("2 четверть"), n(5), n(4)],
                [nil, nil, t("Год"), n(5), n(4)],
                [nil, nil, t("Экзамен"), n(5), nil],
                [nil, nil, t("Итог"), n(5), n(4)],
                [n(2), t("Петрова Анна Сергеевна"), t("1 четверть"), n(4), n(5)],
                [nil, nil, t("Год"), n(4), n(5)]
            ], merges: ["B3:B7", "A3:A7"])
        let result = bench.run(path)
        #expect(result.profiles == ["period-marks-period-rows"])
        #expect(result.codes == [])
        #expect(result.marks.count == 13)
        #expect(result.marks.filter { $0.student.name?.surname == "Иванов" }.count == 9)
        #expect(result.marks.first { $0.period == "exam" }?.kind == .exam)
        #expect(result.marks.allSatisfy { $0.schoolClass?.description == "9А" }, "the class from the sheet's name")
    }

    @Test func aRowPerPeriodSheetNeverFillsAGapFromTheTitleOrTheRowAbove() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "journal-summary.xlsx", sheet: "9А",
            [
                [t("Итоговые отметки обучающихся 9А класса, 2025/2026 учебный год")],
                [t("№"), t("ФИО"), t("Период"), t("Русский язык"), t("Алгебра")],
                [n(1), t("Иванов Иван Иванович"), t("1 четверть"), n(5), n(4)],
                [nil, nil, nil, n(5), n(4)], // the period cell left empty: not the title's «Итоговые»
                [nil, nil, t("Год"), n(5), n(4)],
                [n(2), nil, t("1 четверть"), n(4), n(5)], // the next student's ФИО left out: not Иванов's
                [nil, nil, t("Год"), n(4), n(5)]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-FIELD-MISSING", "E-FIELD-MISSING", "E-FIELD-MISSING", "E-FIELD-MISSING"])
        #expect(result.places == ["9А!C4", "9А!C4", "9А!B6", "9А!B7"])
        #expect(result.marks.map(\.period) == ["q1", "q1", "year", "year"])
    }

    @Test func aSecondTableUnderTheFirstIsAnErrorNotTheFirstTablesPeriod() throws {
        let bench = try Bench()
        let header: [XLSXCell?] = [t("№"), t("ФИО"), t("Русский язык"), t("Алгебра")]
        let path = try bench.xlsx(
            "two.xlsx", sheet: "Отметки",
            [
                [t("Сводная ведомость 9А класса за 1 четверть 2025/2026 учебного года")], header,
                [n(1), t("Иванов Иван Иванович"), n(5), n(4)],
                [],
                [t("Сводная ведомость 9А класса за 2 четверть 2025/2026 учебного года")], header,
                [n(1), t("Иванов Иван Иванович"), n(3), n(3)],
                [t("Классный руководитель ____________ Петрова Н. В.")]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-TABLE-SECOND"])
        #expect(result.places == ["лист «Отметки», строка 5"])
        #expect(result.marks.map(\.period) == ["q1", "q1"])
        #expect(result.marks.map(\.value) == [.points(5), .points(4)], "no 2nd-quarter mark filed as the 1st quarter's")
        // The same title again over the next page of the export is the same table.
        let paged = bench.run(
            try bench.xlsx(
                "paged.xlsx", sheet: "Отметки",
                [
                    [t("Сводная ведомость 9А класса за 1 четверть 2025/2026 учебного года")], header,
                    [n(1), t("Иванов Иван Иванович"), n(5), n(4)],
                    [t("Сводная ведомость 9А класса за 1 четверть 2025/2026 учебного года")], header,
                    [n(2), t("Петрова Анна Сергеевна"), n(3), n(3)]
                ]))
        #expect(paged.codes == [])
        #expect(paged.marks.count == 4)
        // A journal dump dates every line: a heading between its blocks takes nothing from the title.
        let dump = bench.run(
            try bench.csv(
                "blocks.csv",
                [
                    "Дата;Класс;ФИО;Предмет;Отметка", "02.09.2025;9А;Иванов Иван Иванович;Алгебра;5", "Отметки за 2 четверть 2025/2026 учебного года",
                    "10.11.2025;9А;Иванов Иван Иванович;Алгебра;4"
                ]))
        #expect(dump.codes == [])
        #expect(dump.marks.count == 2)
    }

    @Test func aStudentOnTwoRowsOfASummaryIsAnError() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "twice.xlsx", sheet: "Год",
            [
                [t("Годовые отметки 9А класса, 2025/2026 учебный год")],
                [t("№"), t("ФИО"), t("Русский язык"), t("Алгебра")],
                [n(1), t("Иванов Иван Иванович"), n(5), n(4)],
                [n(2), t("Иванов Иван Иванович"), n(3), n(3)], // copied over Петрова's row
                [n(3), t("Петрова Анна Сергеевна"), n(4), n(5)]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-STUDENT-TWICE"])
        #expect(result.places == ["Год!B4"])
        #expect(result.findings[0].message.contains("строке 3"))
        #expect(result.marks.map { $0.value.points } == [5, 4, 4, 5])
    }

    @Test func gradebookCSVInWindows1251WithDoubleMarksAndAbsences() throws {
        let bench = try Bench()
        let path = try bench.csv(
            "journal.csv",
            [
                "Выгрузка из электронного журнала;;;;;;",
                "Дата;Класс;Ученик;Предмет;Отметка;Вид работы;Вес",
                "01.09.2025;9А;Иванов Иван Иванович;Алгебра;5;Ответ на уроке;1",
                "02.09.2025;9А;Петрова Анна Сергеевна;Алгебра;5/4;Контрольная работа;2",
                "03.09.2025;9А;Петрова Анна Сергеевна;Алгебра;н;;",
                "04.09.2025;9 А;Ёлкина Мария Дмитриевна;Русский язык;4;;1,5",
                ";;;;;;"
            ])
        let result = bench.run(path)
        #expect(result.format == .csv)
        #expect(result.profiles == ["current-marks"])
        #expect(result.codes == [])
        #expect(result.marks.map(\.value) == [.points(5), .points(5), .points(4), .points(4)])
        #expect(result.marks.allSatisfy { $0.kind == .current })
        #expect(result.absences == 1)
        #expect(result.marks[3].weight == 1.5)
        #expect(result.marks[1].provenance.location == "строка 4, столбец 5")
    }

    @Test func examResults() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "gia.xlsx",
            [
                [t("ФИО"), t("Класс"), t("Предмет"), t("Форма"), t("Первичный балл"), t("Тестовый балл"), t("Отметка"), t("Дата")],
                [t("Иванов Иван Иванович"), t("9А"), t("Русский язык"), t("ОГЭ"), n(30), nil, n(5), n(46168)],
                [t("Петрова Анна Сергеевна"), t("9А"), t("Математика"), t("огэ"), n(12), nil, n(3), t("02.06.2026")],
                [t("Ёлкина Мария Дмитриевна"), t("9А"), t("Математика"), t("ГВЭ"), nil, nil, t("н/а"), nil]
            ])
        let result = bench.run(path)
        #expect(result.profiles == ["exam-results"])
        #expect(result.codes == [])
        let exams = result.records.compactMap { if case .exam(let e) = $0 { e } else { nil } }
        #expect(exams.map(\.form) == [.oge, .oge, .gve])
        #expect(exams[0].primaryScore == 30)
        #expect(exams[2].mark == .notAssessed)
        #expect(exams[1].date == CivilDate(year: 2026, month: 6, day: 2))
        #expect(exams[0].date == CivilDate(year: 2026, month: 5, day: 26), "a date written as a bare Excel serial")
    }

    @Test func achievementsRegister() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "achievements.xlsx",
            [
                [t("Реестр достижений обучающихся 9А, 2025/2026")],
                [
                    t("ФИО"), t("Направление"), t("Категория"), t("Мероприятие"), t("Уровень"), t("Результат"), t("Дата"), t("Документ"), t("Номер документа"),
                    t("ГИР")
                ],
                [
                    t("Иванов Иван Иванович"), t("Внеурочная деятельность"), t("Олимпиада"), t("ВсОШ по математике, муниципальный этап"), t("муниципальный"),
                    t("призер"), d(2025, 11, 20), t("диплом"), t("М-123"), t("да")
                ],
                [
                    t("Петрова Анна Сергеевна"), t("ДО"), t("ГТО"), t("Нормы ГТО, IV ступень"), t("муниципальный"), t("золотой знак"), d(2026, 4, 10),
                    t("удостоверение"), nil, nil
                ],
                [
                    t("Ёлкина Мария Дмитриевна"), nil, t("Спортивные соревнования"), t("Первенство города по лыжам"), t("городской"), t("1 место"),
                    d(2026, 2, 1), nil, nil, nil
                ]
            ])
        let result = bench.run(path)
        #expect(result.profiles == ["achievements"])
        #expect(result.codes == [])
        let a = result.records.compactMap { if case .achievement(let x) = $0 { x } else { nil } }
        #expect(a.map(\.group) == ["extracurricular", "additional", "extracurricular"])
        #expect(a.map(\.category) == ["olympiad", "gto", "sport"])
        #expect(a.map(\.result) == ["prizewinner", "gto-gold", "winner"])
        #expect(a[0].gir)
        #expect(!a[1].gir)
        #expect(a[0].certificate == Certificate(kind: "diploma", number: "М-123"))
    }

    @Test func encouragements() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "poo.xlsx",
            [
                [t("ФИО"), t("Класс"), t("Вид поощрения"), t("Вид деятельности"), t("Номер приказа"), t("Дата приказа")],
                [t("Иванов Иван Иванович"), t("9А"), t("Похвальный лист"), t("учебная"), t("№ 45-о"), d(2026, 5, 30)],
                [t("Петрова Анна Сергеевна"), t("9А"), t("Грамота"), t("спортивная деятельность"), t("№ 12"), t("15.12.2025")]
            ])
        let result = bench.run(path)
        #expect(result.profiles == ["encouragements"])
        #expect(result.codes == [])
        let e = result.records.compactMap { if case .encouragement(let x) = $0 { x } else { nil } }
        #expect(e.map(\.kind) == ["commendation-sheet", "certificate-of-merit"])
        #expect(e.map(\.area) == ["study", "sport"])
    }

    @Test func personalAndMetasubjectResults() throws {
        let bench = try Bench()
        let personal = try bench.xlsx(
            "personal.xlsx",
            [
                [t("ФИО"), t("Класс"), t("Личностный результат"), t("Показатель"), t("Уровень"), t("Дата")],
                [t("Иванов Иван Иванович"), t("9А"), t("Волонтёрство"), t("часы волонтёрской работы"), t("высокий"), d(2026, 4, 1)]
            ])
        let meta = try bench.xlsx(
            "meta.xlsx",
            [
                [t("ФИО"), t("Класс"), t("Группа УУД"), t("Умение"), t("Уровень сформированности")],
                [t("Иванов Иван Иванович"), t("9А"), t("Регулятивные"), t("планирование"), t("повышенный")]
            ])
        let p = bench.run(personal)
        let m = bench.run(meta)
        #expect(p.profiles == ["personal-results"] && m.profiles == ["metasubject-results"])
        #expect(p.codes == [] && m.codes == [])
        guard case .development(let pr) = p.records.first, case .development(let mr) = m.records.first else {
            Issue.record("no results")
            return
        }
        #expect(pr.kind == .personal && pr.category == "volunteering")
        #expect(mr.kind == .metasubject && mr.category == "regulative" && mr.value == "повышенный")
    }

    @Test func unknownShapeListsHeadersAndTheNearestProfile() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "odd.xlsx",
            [
                [t("Ученик"), t("Предмет"), t("Балл за тест")],
                [t("Иванов Иван Иванович"), t("Алгебра"), n(12)]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-PROFILE-NONE"])
        let message = result.findings[0].message
        #expect(message.contains("«Ученик», «Предмет», «Балл за тест»"))
        #expect(message.contains("Ближе всего профиль"))
        #expect(message.contains("не хватает"))
    }

    @Test func twoEquallyGoodProfilesAreAFinding() throws {
        let bench = try Bench()
        let twin = { (id: String) in
            try ProfileSet.parse(
                Array(
                    #"{"id": "\#(id)", "label": "\#(id)", "record": "period-mark", "layout": "table", "fields": {"student": {"headers": ["ФИО"], "required": true}, "subject": {"headers": ["Предмет"], "required": true}, "mark": {"headers": ["Отметка"], "required": true}, "period": {"headers": ["Период"], "title": true}}}"#
                        .utf8), file: "\(id).json", policy: bench.policy)
        }
        var context = bench.context
        context.profiles = ProfileSet(profiles: [try twin("a"), try twin("b")])
        let path = try bench.xlsx("t.xlsx", [[t("ФИО"), t("Предмет"), t("Отметка")], [t("Иванов Иван"), t("Алгебра"), n(5)]])
        let result = FileImporter.run(path: path, context: context)
        #expect(result.codes == ["E-PROFILE-AMBIGUOUS"])
        #expect(result.findings[0].message.contains("«a» (a.json) и «b» (b.json)"))
    }

    @Test func extraSheetIsAWarningWhenAnotherMatched() throws {
        let bench = try Bench()
        let path = bench.dir.file("two.xlsx")
        let writer = try XLSXWriter(path: path)
        let a = try writer.addSheet("Отметки")
        try a.addRow([t("ФИО"), t("Класс"), t("Предмет"), t("Период"), t("Отметка")])
        try a.addRow([t("Иванов Иван Иванович"), t("9А"), t("Алгебра"), t("1 четверть"), n(5)])
        let b = try writer.addSheet("Инструкция")
        try b.addRow([t("Заполняйте отметки цифрами")])
        try writer.close()
        let result = bench.run(path)
        #expect(result.codes == [])
        #expect(result.findings.map(\.code) == ["W-SHEET-SKIPPED"])
        #expect(result.marks.count == 1)
    }
}
