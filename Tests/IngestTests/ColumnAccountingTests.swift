import CivilDate
import Foundation
import Policy
import Records
import Spreadsheet
import StrictJSON
import TestSupport
import Testing
@testable import Ingest

/// Every cell of a matched table becomes a record or a finding: unknown
/// headers are errors at their cell, merged headers span exactly their
/// range, rows under the table are skipped by rule and said so.
@Suite struct ColumnAccountingTests {
    static let names = ["Иванов Иван Иванович", "Петрова Анна Сергеевна", "Сидоров Пётр Петрович", "Ершова Ксения Игоревна", "Козлов Артём Денисович"]

    /// The cells of every sheet, counted once each.
    func expectBalanced(_ result: FileImport, sourceLocation: SourceLocation = #_sourceLocation) {
        for sheet in result.sheets where sheet.status == .imported {
            let t = sheet.cells
            #expect(t.cells == t.inRecords + t.absences + t.skipped + t.withErrors + t.notTaken, "\(t)", sourceLocation: sourceLocation)
        }
    }

    @Test func sixteenSubjectColumnsWithThreeUnknownGiveExactlyThreeErrors() throws {
        let bench = try Bench()
        let subjects = [
            "Рус. яз.", "Литер.", "Ин. яз. (англ.)", "Алгебра", "Геометрия", "Вер. и стат.", "Информ.", "История",
            "Общество.", "География", "Биология", "Физика", "Химия", "Астрологія", "Черчение", "Краеведение"
        ]
        var rows: [[XLSXCell?]] = [
            [t("Сводная ведомость годовых отметок обучающихся 9 «А» класса за 2025/2026 учебный год")], [],
            [t("№"), t("ФИО")] + subjects.map(t)
        ]
        for (i, name) in Self.names.enumerated() {
            rows.append([n(Double(i + 1)), t(name)] + subjects.indices.map { n(Double(3 + ($0 + i) % 3)) })
        }
        rows.append([t("Успеваемость, %"), nil] + subjects.map { _ in n(100) })
        rows.append([])
        rows.append([nil, t("Классный руководитель ____________ Петрова Н. В.")])
        let result = bench.run(try bench.xlsx("svod.xlsx", sheet: "9А", rows))
        #expect(result.profiles == ["period-marks-wide"])
        let unknown = result.errors("E-SUBJECT-UNKNOWN")
        #expect(result.codes == ["E-SUBJECT-UNKNOWN", "E-SUBJECT-UNKNOWN", "E-SUBJECT-UNKNOWN"])
        #expect(unknown.map(\.location.place) == ["9А!P3", "9А!Q3", "9А!R3"])
        #expect(unknown[0].message.contains("Астрологія") && unknown[0].message.contains("«Астрономия»"))
        #expect(unknown[0].message.contains("5 (P4–P8)"))
        // Thirteen known subjects for five students; the abbreviations read exactly.
        #expect(result.marks.count == 65)
        #expect(
            Set(result.marks.map(\.subject)) == [
                "russian", "literature", "english", "algebra", "geometry", "probability", "informatics",
                "history", "social-studies", "geography", "biology", "physics", "chemistry"
            ])
        #expect(result.marks.allSatisfy { $0.period == "year" && $0.schoolClass?.description == "9А" })
        // The totals and the signature under the table are skipped by rule, each said.
        let skipped = result.findings.filter { $0.code == "I-ROWS-SKIPPED" }
        #expect(skipped.count == 1)
        #expect(skipped[0].message.contains("строки 9, 11"))
        let cells = result.sheets[0].cells
        #expect(cells.notTaken == 15)
        #expect(cells.inRecords == 65 + 5 + 5, "marks, names and the row numbers that go with them")
        expectBalanced(result)
    }

    @Test func twoRowHeaderWithAnUnknownSubjectLendsNoMarkToItsNeighbour() throws {
        let bench = try Bench()
        let subjects = ["Русский язык", "Литература", "Ин. яз. (англ.)", "Вероятность и статистика", "Информ.", "Астрологія"]
        let periods = ["1 ч.", "2 ч.", "3 ч.", "4 ч.", "Год"]
        var head1: [XLSXCell?] = [t("№"), t("ФИО")]
        var head2: [XLSXCell?] = [nil, nil]
        var merges = ["A3:A4", "B3:B4"]
        for (k, s) in subjects.enumerated() {
            head1 += [t(s), nil, nil, nil, nil]
            head2 += periods.map(t)
            let first = 3 + k * 5
            merges.append("\(CellReference.columnName(first))3:\(CellReference.columnName(first + 4))3")
        }
        var rows: [[XLSXCell?]] = [[t("Ведомость 9А класса, 2025/2026 учебный год")], [], head1, head2]
        for (i, name) in Self.names.enumerated() {
            let marks: [XLSXCell?] = (0..<(subjects.count * 5)).map { k in n(Double(3 + (k + i) % 3)) }
            let lead: [XLSXCell?] = [n(Double(i + 1)), t(name)]
            rows.append(lead + marks)
        }
        let result = bench.run(try bench.xlsx("dvuh.xlsx", sheet: "Ведомость", rows, merges: merges))
        #expect(result.profiles == ["period-marks-wide-periods"])
        #expect(result.codes == ["E-SUBJECT-UNKNOWN"])
        #expect(result.errors("E-SUBJECT-UNKNOWN")[0].location.place == "Ведомость!AB3")
        #expect(result.errors("E-SUBJECT-UNKNOWN")[0].message.contains("25 (AB5–AF9)"))
        // Each subject has exactly its own five columns: no mark under a neighbour's name.
        for subject in ["russian", "literature", "english", "probability", "informatics"] {
            #expect(result.marks.filter { $0.subject == subject }.count == 25)
        }
        #expect(result.marks.count == 125)
        let english = result.marks.filter { $0.subject == "english" }
        #expect(Set(english.compactMap(\.provenance.column)) == Set(13...17))
        #expect(english.filter { $0.period == "year" }.count == 5)
        expectBalanced(result)
    }

    @Test func twoColumnsOfOneSubjectAndPeriodAreAnErrorNotOneMark() throws {
        let bench = try Bench()
        // A two-row header typed without merges, the second and third subjects written one column right:
        // Алгебра would own Геометрия's «1 ч», Геометрия Физика's.
        let periods = ["1 ч", "2 ч", "3 ч", "4 ч", "Год"]
        let head1: [XLSXCell?] =
            [t("№"), t("ФИО"), t("Алгебра"), nil, nil, nil, nil, nil, t("Геометрия"), nil, nil, nil, nil, t("Физика"), nil, nil, nil]
        let head2: [XLSXCell?] = [nil, nil] + (periods + periods + periods).map(t)
        var rows: [[XLSXCell?]] = [[t("Ведомость успеваемости 9А класса, 2025/2026 учебный год")], head1, head2]
        for (i, name) in Self.names.enumerated() {
            rows.append([n(Double(i + 1)), t(name)] + [5, 4, 3].flatMap { Array(repeating: n(Double($0)), count: 5) })
        }
        let shifted = bench.run(try bench.xlsx("shifted.xlsx", sheet: "9А", rows))
        #expect(shifted.codes == ["E-COLUMN-DUPLICATE", "E-COLUMN-ORDER"])
        #expect(shifted.places == ["9А!H3", "9А!M3"])
        #expect(shifted.errors("E-COLUMN-DUPLICATE")[0].message.contains("Алгебра"))
        #expect(!shifted.marks.contains { $0.subject == "geometry" && $0.value == .points(3) }, "no physics mark under Геометрия unflagged")

        // Two headers the policy reads as one subject.
        let summary = bench.run(
            try bench.xlsx(
                "history.xlsx", sheet: "Год",
                [
                    [t("Сводная ведомость 9А класса: годовые отметки, 2025/2026 учебный год")],
                    [t("№"), t("ФИО"), t("Русский язык"), t("История России"), t("Всеобщая история")],
                    [n(1), t(Self.names[0]), n(4), n(5), n(3)]
                ]))
        #expect(summary.codes == ["E-COLUMN-DUPLICATE"])
        #expect(summary.places == ["Год!E2"])
        #expect(summary.errors("E-COLUMN-DUPLICATE")[0].message.contains("«История»"))
        #expect(summary.marks.filter { $0.subject == "history" }.map(\.value) == [.points(5)])
    }

    @Test func aMergedHeaderSpansExactlyItsRange() throws {
        let bench = try Bench()
        // «Физика» merged over two columns; the third period column has no subject over it.
        let rows: [[XLSXCell?]] = [
            [t("Ведомость 9А класса, 2025/2026 учебный год")],
            [t("ФИО"), t("Русский язык"), nil, t("Физика"), nil, nil],
            [nil, t("1 ч"), t("2 ч"), t("1 ч"), t("2 ч"), t("Год")],
            [t(Self.names[0]), n(5), n(4), n(3), n(4), n(4)]
        ]
        let result = bench.run(try bench.xlsx("m.xlsx", rows, merges: ["B2:C2", "D2:E2", "A2:A3"]))
        #expect(result.codes == ["E-COLUMN-UNKNOWN"])
        #expect(result.errors("E-COLUMN-UNKNOWN")[0].location.place == "Лист1!F3")
        #expect(result.marks.filter { $0.subject == "physics" }.map(\.period) == ["q1", "q2"])
        // The same sheet typed without merging: each subject runs to the next one.
        let plain = bench.run(try bench.xlsx("p.xlsx", rows))
        #expect(plain.codes == [])
        #expect(plain.marks.filter { $0.subject == "physics" }.map(\.period) == ["q1", "q2", "year"])
        expectBalanced(result)
        expectBalanced(plain)
    }

    @Test func fioOnTheRowAboveTheSubjects() throws {
        let bench = try Bench()
        let rows: [[XLSXCell?]] = [
            [t("Итоговые отметки за 1 полугодие 2025/2026 учебного года, 9А класс")], [],
            [t("№"), t("ФИО"), t("Предметы"), nil, nil, nil],
            [nil, nil, t("Русский язык"), t("Литература"), t("Алгебра"), t("Геометрия")],
            [n(1), t(Self.names[0]), n(5), n(4), n(3), n(4)],
            [n(2), t(Self.names[1]), n(4), n(4), n(5), n(5)]
        ]
        let result = bench.run(try bench.xlsx("above.xlsx", rows, merges: ["A3:A4", "B3:B4", "C3:F3"]))
        #expect(result.profiles == ["period-marks-wide"])
        #expect(result.codes == [])
        #expect(result.marks.count == 8)
        #expect(result.marks.allSatisfy { $0.period == "h1" })
        #expect(result.marks.first { $0.subject == "algebra" }?.provenance.location == "Лист1!E5")
        expectBalanced(result)
    }

    @Test func subjectTeachersSheetTakesSubjectAndClassFromTheTitle() throws {
        let bench = try Bench()
        let rows: [[XLSXCell?]] = [
            [t("Физика, 9А")], [t("Учитель: Смирнова О. П.")], [],
            [t("№"), t("ФИО"), t("1 четверть"), t("2 четверть"), t("3 четверть"), t("4 четверть"), t("Годовая отметка")],
            [n(1), t(Self.names[0]), n(4), n(4), n(5), n(5), n(5)],
            [n(2), t(Self.names[1]), n(3), nil, n(4), n(4), n(4)]
        ]
        let result = bench.run(try bench.xlsx("fizika.xlsx", rows))
        #expect(result.profiles == ["period-marks-teacher"])
        #expect(result.codes == [])
        #expect(result.marks.count == 9)
        #expect(result.marks.allSatisfy { $0.subject == "physics" && $0.schoolClass?.description == "9А" })
        #expect(result.marks.filter { $0.kind == .annual }.map(\.value) == [.points(5), .points(4)])
        // Or from the sheet's name.
        let byName = bench.run(try bench.xlsx("f2.xlsx", sheet: "Химия 9Б", Array(rows[3...])))
        #expect(byName.codes == [])
        #expect(byName.marks.allSatisfy { $0.subject == "chemistry" && $0.schoolClass?.description == "9Б" })
        // Without a subject anywhere: one clear error, nothing read.
        let none = bench.run(try bench.xlsx("f3.xlsx", sheet: "Лист1", [[t("Ведомость 9А")]] + Array(rows[3...])))
        #expect(none.codes == ["E-SUBJECT-MISSING"])
        #expect(none.records.isEmpty)
        expectBalanced(result)
    }

    @Test func journalGridWithMonthsOverDaysAbsencesSignsAndAPeriodColumn() throws {
        let bench = try Bench()
        let rows: [[XLSXCell?]] = [
            [t("Классный журнал. Алгебра, 9А класс, 2025/2026 учебный год")], [],
            [t("№"), t("ФИО"), t("Сентябрь"), nil, nil, t("Январь"), nil, t("1 полугодие"), t("Ср. балл")],
            [nil, nil, n(2), n(4), n(9), n(12), n(14), nil, nil],
            [n(1), t(Self.names[0]), t("5"), t("н"), t("5/4"), t("5-"), t("4+"), n(5), n(4.7)],
            [n(2), t(Self.names[1]), t("б"), t("3"), nil, t("у"), t("4"), n(4), n(3.5)]
        ]
        let result = bench.run(
            try bench.xlsx(
                "grid.xlsx", sheet: "Алгебра", rows,
                merges: ["A3:A4", "B3:B4", "C3:E3", "F3:G3", "H3:H4", "I3:I4"]))
        #expect(result.profiles == ["journal-grid"])
        #expect(result.codes == [])
        let current = result.marks.filter { $0.kind == .current }
        #expect(current.count == 7)
        #expect(current.allSatisfy { $0.subject == "algebra" && $0.schoolClass?.description == "9А" })
        let ivanov = current.filter { $0.student.name?.surname == "Иванов" }
        #expect(ivanov.map { $0.date!.iso8601 } == ["2025-09-02", "2025-09-09", "2025-09-09", "2026-01-12", "2026-01-14"])
        #expect(ivanov.map(\.value) == [.points(5), .points(5), .points(4), .points(5), .points(4)])
        #expect(ivanov.map(\.sign) == [nil, nil, nil, "-", "+"])
        #expect(result.absences == 3)
        #expect(result.marks.filter { $0.kind == .period }.map(\.period) == ["h1", "h1"])
        #expect(result.findings.contains { $0.code == "I-COLUMN-SKIPPED" && $0.message.contains("Ср. балл") })
        expectBalanced(result)
    }

    @Test func journalGridWithDatesInTheHeader() throws {
        let bench = try Bench()
        let rows: [[XLSXCell?]] = [
            [t("Физика 8Б")],
            [t("ФИО"), t("01.09"), t("08.09"), d(2025, 9, 15), t("Оценка за поведение")],
            [t(Self.names[0]), t("5"), t("нб"), t("4"), t("5")]
        ]
        let result = bench.run(try bench.xlsx("grid2.xlsx", rows))
        #expect(result.profiles == ["journal-grid"])
        #expect(result.codes == ["E-COLUMN-UNKNOWN"])
        #expect(result.errors("E-COLUMN-UNKNOWN")[0].location.place == "Лист1!E2")
        #expect(result.marks.map { $0.date!.iso8601 } == ["2025-09-01", "2025-09-15"])
        expectBalanced(result)
    }

    @Test func periodWordsInAnyCaseOfTheTitle() throws {
        let bench = try Bench()
        for (title, period) in [
            ("Ведомость годовых отметок 9А класса", "year"), ("ИТОГОВЫЕ ОТМЕТКИ 9А", "final"),
            ("Отметки 9А класса за 2 четверть", "q2"), ("Сводная ведомость первого полугодия, 9А", "h1")
        ] {
            let result = bench.run(try bench.xlsx("title.xlsx", [[t(title)], [t("ФИО"), t("Химия")], [t(Self.names[0]), n(4)]]))
            #expect(result.codes == [], "\(title)")
            #expect(result.marks.map(\.period) == [period], "\(title)")
        }
    }

    @Test func aTitleWhosePeriodOrSubjectIsInDoubtIsAnErrorNotAGuess() throws {
        let bench = try Bench()
        for (title, sheet, code) in [
            ("Ведомость годовых и итоговых отметок 9А класса", "Лист1", "E-PERIOD-AMBIGUOUS"), // two periods
            ("Итоговые отметки 9А класса за учебный год", "Лист1", "E-PERIOD-AMBIGUOUS"), // the year's or the attestat's?
            ("Итоговая ведомость 6А класса, 2025/2026 учебный год", "Лист1", "E-PERIOD-AMBIGUOUS"), // no attestat in 6th grade
            ("Сводная ведомость 9А класса за 1 четверть 2025/2026 учебного года", "2 четверть", "E-PERIOD-AMBIGUOUS"), // a copied sheet
            ("Сводная ведомость 9А класса на 2025-2026 год", "Лист1", "E-PERIOD-MISSING") // «год» of a year is no period
        ] {
            let result = bench.run(try bench.xlsx("title.xlsx", sheet: sheet, [[t(title)], [t("ФИО"), t("Химия")], [t(Self.names[0]), n(4)]]))
            #expect(result.codes == [code], "\(title)")
            #expect(result.marks.isEmpty, "\(title)")
        }
        // The sheet's name gives the period a title leaves out, and «итоговые отметки за» a period is that period.
        for (title, sheet, period) in [
            ("Сводная ведомость 9А класса на 2025-2026 год", "1 четверть", "q1"),
            ("Итоговые отметки за 1 полугодие 2025/2026 учебного года, 9А класс", "Лист1", "h1")
        ] {
            let result = bench.run(try bench.xlsx("title.xlsx", sheet: sheet, [[t(title)], [t("ФИО"), t("Химия")], [t(Self.names[0]), n(4)]]))
            #expect(result.codes == [], "\(title)")
            #expect(result.marks.map(\.period) == [period], "\(title)")
        }
        // A teacher's sheet whose title names another subject than its sheet's name, in any case.
        for title in ["Алгебра, 9А", "Ведомость отметок по геометрии 9А класса"] {
            let result = bench.run(
                try bench.xlsx(
                    "teacher.xlsx", sheet: title.hasPrefix("Алгебра") ? "Геометрия" : "Алгебра",
                    [[t(title)], [t("ФИО"), t("1 четверть"), t("2 четверть")], [t(Self.names[0]), n(4), n(5)]]))
            #expect(result.codes == ["E-SUBJECT-AMBIGUOUS"], "\(title)")
            #expect(result.marks.isEmpty)
        }
    }

    @Test func columnsUnderAnAbsencesHeaderAreLeftOutWithItButSubjectsUnderAGeneralHeaderAreNot() throws {
        let bench = try Bench()
        let rows: [[XLSXCell?]] = [
            [t("Ведомость классного руководителя 9А класса за 2 четверть 2025/2026 учебного года")],
            [t("№"), t("ФИО"), t("Предметы"), nil, nil, t("Пропущено уроков"), nil, t("Примечание")],
            [nil, nil, t("Русский язык"), t("Алгебра"), t("Шахматы"), t("всего"), t("по болезни"), nil],
            [n(1), t(Self.names[0]), n(5), n(4), n(5), n(12), n(6), nil]
        ]
        for merges in [["A2:A3", "B2:B3", "C2:E2", "F2:G2", "H2:H3"], []] {
            let result = bench.run(try bench.xlsx("absences.xlsx", rows, merges: merges))
            #expect(result.codes == ["E-SUBJECT-UNKNOWN"], "\(merges)")
            #expect(result.places == ["Лист1!E3"], "\(merges)")
            #expect(result.findings.filter { $0.code == "I-COLUMN-SKIPPED" }.map(\.location.place) == ["Лист1!F4", "Лист1!G4"], "\(merges)")
            #expect(result.marks.count == 2)
        }
    }

    @Test func aColumnUnderASubjectWithNoPeriodLabelIsAnError() throws {
        let bench = try Bench()
        let rows: [[XLSXCell?]] = [
            [t("Ведомость 9А класса, 2025/2026 учебный год")],
            [t("№"), t("ФИО"), t("Алгебра"), nil, nil, t("Физика"), nil],
            [nil, nil, t("1 ч"), t("2 ч"), nil, t("1 ч"), t("Год")],
            [n(1), t(Self.names[0]), n(4), n(4), n(2), n(5), n(5)]
        ]
        let result = bench.run(try bench.xlsx("noperiod.xlsx", rows, merges: ["A2:A3", "B2:B3", "C2:E2", "F2:G2"]))
        #expect(result.codes == ["E-COLUMN-NO-PERIOD"])
        #expect(result.places == ["Лист1!E4"])
        #expect(result.findings.first { $0.code == "E-COLUMN-NO-PERIOD" }?.message.contains("Алгебра") == true)
        #expect(result.marks.count == 4)
    }

    @Test func aMarkMergedOverSeveralMarkColumnsIsAnError() throws {
        let bench = try Bench()
        let rows: [[XLSXCell?]] = [
            [t("Физическая культура, 9А класс, 2025/2026 учебный год")],
            [t("ФИО"), t("1 четверть"), t("2 четверть"), t("3 четверть"), t("Год")],
            [t(Self.names[0]), n(5), n(5), n(4), n(5)],
            [t(Self.names[1]), t("осв."), nil, nil, nil]
        ]
        let result = bench.run(try bench.xlsx("merged.xlsx", rows, merges: ["B4:E4"]))
        #expect(result.codes == ["E-CELL-MERGED"])
        #expect(result.places == ["Лист1!B4"])
        #expect(result.findings[0].message.contains("B4:E4"))
    }

    @Test func aSignatureUnderARosterIsSkippedNotAnError() throws {
        let bench = try Bench()
        let rows: [[XLSXCell?]] = [
            [t("№"), t("Фамилия"), t("Имя"), t("Отчество"), t("Дата рождения"), t("Класс")],
            [n(1), t("Иванов"), t("Иван"), t("Иванович"), d(2010, 3, 4), t("9А")],
            [n(2), t("Петрова"), t("Анна"), t("Сергеевна"), d(2010, 7, 12), t("9А")],
            [],
            [nil, t("Классный руководитель ____ Петрова Н. В.")],
            [nil, nil, nil, nil, nil, t("9Б")]
        ]
        let result = bench.run(try bench.xlsx("kontingent.xlsx", rows))
        #expect(result.profiles == ["roster"])
        #expect(result.codes == [])
        #expect(result.records.count == 2)
        let skipped = result.findings.filter { $0.code == "I-ROWS-SKIPPED" }
        #expect(skipped.count == 2)
        #expect(skipped.contains { $0.message.contains("строка 5") && $0.message.contains("Классный руководитель") })
        expectBalanced(result)
    }

    @Test func aRowWithMarksButNoStudentIsAnError() throws {
        let bench = try Bench()
        let result = bench.run(
            try bench.xlsx(
                "s.xlsx",
                [
                    [t("Отметки за 1 четверть, 9А")],
                    [t("ФИО"), t("Химия"), t("Физика")],
                    [t(Self.names[0]), n(4), n(5)],
                    [nil, n(5), n(5)]
                ]))
        #expect(result.codes == ["E-FIELD-MISSING"])
        #expect(result.places == ["Лист1!A4"])
        expectBalanced(result)
    }

    @Test func journalDumpWithSignedMarksAndAbsenceCodes() throws {
        let bench = try Bench()
        let path = try bench.csv(
            "j.csv",
            [
                "Дата;Класс;ФИО;Предмет;Отметка",
                "02.09.2025;9А;Иванов Иван Иванович;Алгебра;5-",
                "03.09.2025;9А;Петрова Анна Сергеевна;Алгебра;ОТ",
                "05.09.2025;9А;Иванов Иван Иванович;Алгебра;4+/5"
            ])
        let result = bench.run(path)
        #expect(result.codes == [])
        #expect(result.marks.map(\.value) == [.points(5), .points(4), .points(5)])
        #expect(result.marks.map(\.sign) == ["-", "+", nil])
        #expect(result.absences == 1)
        // A school whose regulation refuses signed marks: an error at the cell.
        var strict = try Bench()
        var policy = strict.policy
        policy.currentMarkSigns = .reject
        strict = try Bench(policy: policy)
        let refused = strict.run(try strict.csv("j.csv", ["Дата;Класс;ФИО;Предмет;Отметка", "02.09.2025;9А;Иванов Иван Иванович;Алгебра;5-"]))
        #expect(refused.codes == ["E-MARK-SIGN"])
    }

    @Test func anAbsenceRowIsCheckedLikeAMarkRow() throws {
        let bench = try Bench()
        let result = bench.run(
            try bench.csv(
                "j.csv",
                [
                    "Дата;Класс;ФИО;Предмет;Отметка",
                    "04.09.2025;9А;Петрова Анна Сергеевна;Астрология;н",
                    "31.02.2026;9А;Петрова Анна Сергеевна;Алгебра;н"
                ]))
        #expect(result.codes == ["E-SUBJECT-UNKNOWN", "E-DATE-FORMAT"])
        #expect(result.absences == 0)
    }

    @Test func teachersAbbreviationsMatchExactlyAndDistanceOnlySuggests() throws {
        let bench = try Bench()
        let expected: [String: String] = [
            "Рус. яз.": "russian", "Литер.": "literature", "Ин. яз. (англ.)": "english", "Англ. яз.": "english", "Вер. и стат.": "probability",
            "ВиС": "probability", "Информ.": "informatics", "Общество.": "social-studies", "Физ-ра": "physical-education",
            "Труд (технология)": "technology", "ОБЗР": "life-safety", "ОБЖ": "life-safety", "ИЗО": "art", "Геом.": "geometry",
            "русский язык": "russian", "ЛИТЕРАТУРА": "literature", "Вероятность и статистика": "probability"
        ]
        for (text, id) in expected {
            #expect(bench.policy.subjects.match(text)?.id == id, "\(text)")
        }
        for text in ["Алгебраа", "Физкультурка", "Инф-ка и ИКТ"] {
            #expect(bench.policy.subjects.match(text) == nil, "\(text)")
        }
        #expect(bench.policy.subjects.nearest("Алгебраа")?.id == "algebra")
    }

    @Test func aColumnOutsideATableProfileIsAWarningWithItsCells() throws {
        let bench = try Bench()
        let result = bench.run(
            try bench.xlsx(
                "r.xlsx",
                [
                    [t("Фамилия"), t("Имя"), t("Дата рождения"), t("Класс"), t("Телефон родителей")],
                    [t("Иванов"), t("Иван"), d(2010, 3, 4), t("9А"), t("+7 900 000-00-00")],
                    [t("Петрова"), t("Анна"), d(2010, 7, 12), t("9А"), nil, t("заметка")]
                ]))
        #expect(result.codes == [])
        let unused = result.findings.filter { $0.code == "W-COLUMN-UNUSED" }
        #expect(unused.count == 1)
        #expect(unused[0].location.place == "Лист1!E1")
        #expect(unused[0].message.contains("1 (E2)"))
        let stray = result.findings.filter { $0.code == "W-CELL-NO-HEADER" }
        #expect(stray.map(\.location.place) == ["Лист1!F3"])
        #expect(result.sheets[0].cells.notTaken == 2)
        expectBalanced(result)
    }

    @Test func aProfileCannotDeclareItsSourceRank() throws {
        let bench = try Bench()
        let json =
            #"{"id": "x", "label": "x", "record": "roster", "layout": "table", "source": "electronic-journal", "fields": {"student": {"headers": ["ФИО"]}}}"#
        #expect(throws: SchemaError.self) { try ProfileSet.parse(Array(json.utf8), file: "x.json", policy: bench.policy) }
    }
}
