import CivilDate
import Policy
import Records
import Spreadsheet
import Testing
@testable import Ingest

/// The exam import by the attestat rules' `examResults`: mathematics by level, registrations without a result.
@Suite struct ExamResultsTests {
    let header = [t("ФИО"), t("Класс"), t("Предмет"), t("Форма"), t("Уровень"), t("Тестовый балл"), t("Отметка"), t("Дата")]

    func exams(_ result: FileImport) -> [ExamResult] {
        result.records.compactMap { if case .exam(let e) = $0 { e } else { nil } }
    }

    @Test("rule: an exam subject named with its level is the subject at that level (ЕГЭ mathematics)")
    func levelNames() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "ege.xlsx",
            [
                header,
                [t("Иванов Иван Иванович"), t("11А"), t("Математика (профильный уровень)"), t("ЕГЭ"), nil, n(72), nil, d(2026, 6, 1)],
                [t("Петрова Анна Сергеевна"), t("11А"), t("Математика профильного уровня"), t("ЕГЭ"), nil, n(64), nil, d(2026, 6, 1)],
                [t("Ёлкина Мария Дмитриевна"), t("11А"), t("Математика Б"), t("ЕГЭ"), nil, nil, n(5), d(2026, 5, 28)],
                [t("Иванов Иван Иванович"), t("11А"), t("математика (базовый уровень)"), t("ЕГЭ"), t("базовый"), nil, n(4), d(2026, 5, 28)],
                [t("Петрова Анна Сергеевна"), t("11А"), t("Математика"), t("ЕГЭ"), t("П"), n(50), nil, d(2026, 6, 20)],
                [t("Петрова Анна Сергеевна"), t("11А"), t("Русский язык"), t("ЕГЭ"), nil, n(80), nil, d(2026, 5, 26)]
            ])
        let result = bench.run(path)
        #expect(result.codes == [])
        let rows = exams(result)
        #expect(rows.map(\.subject) == ["mathematics", "mathematics", "mathematics", "mathematics", "mathematics", "russian"])
        #expect(rows.map(\.level) == ["профильный", "профильный", "базовый", "базовый", "профильный", nil])
        #expect(rows[0].provenance.column == 6, "the result's own cell: the test score")
        #expect(rows[2].provenance.column == 7, "the result's own cell: the mark")
    }

    @Test("rule: «не явился», «неявка», «удалён», «аннулирован» are registrations without a result")
    func registrationsWithoutResult() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "oge.xlsx",
            [
                header,
                [t("Иванов Иван Иванович"), t("9А"), t("Биология"), t("ОГЭ"), nil, nil, t("не явился"), d(2026, 5, 28)],
                [t("Петрова Анна Сергеевна"), t("9А"), t("Физика"), t("ОГЭ"), nil, nil, t("Неявка"), d(2026, 5, 28)],
                [t("Ёлкина Мария Дмитриевна"), t("9А"), t("Химия"), t("ОГЭ"), nil, t("удалена"), nil, d(2026, 5, 28)],
                [t("Ёлкина Мария Дмитриевна"), t("9А"), t("История"), t("ОГЭ"), nil, nil, t("аннулирован"), d(2026, 6, 3)]
            ])
        let result = bench.run(path)
        #expect(result.codes == [])
        let rows = exams(result)
        #expect(rows.map(\.noResult) == ["не явился", "Неявка", "удалена", "аннулирован"])
        #expect(rows.allSatisfy { $0.mark == nil && $0.testScore == nil })
        #expect(rows[2].provenance.column == 6, "the word's own cell")
    }

    @Test("rule: an exam subject matching no subject and no level name is E-SUBJECT-UNKNOWN with the nearest name")
    func unknownSubjectSuggestsTheNearest() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "ege.xlsx",
            [
                header,
                [t("Иванов Иван Иванович"), t("11А"), t("Математика (профильный урвень)"), t("ЕГЭ"), nil, n(72), nil, d(2026, 6, 1)],
                [t("Петрова Анна Сергеевна"), t("11А"), t("Физикаа"), t("ЕГЭ"), nil, n(64), nil, d(2026, 6, 1)]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-SUBJECT-UNKNOWN", "E-SUBJECT-UNKNOWN"])
        #expect(result.errors("E-SUBJECT-UNKNOWN")[0].message.contains("возможно, имелся в виду «Математика (профильный уровень)»"))
        #expect(result.errors("E-SUBJECT-UNKNOWN")[1].message.contains("возможно, имелся в виду «Физика»"))
        #expect(result.records.isEmpty)
    }

    @Test func levelsAreChecked() throws {
        let bench = try Bench()
        let path = try bench.xlsx(
            "ege.xlsx",
            [
                header,
                [t("Иванов Иван Иванович"), t("11А"), t("Математика"), t("ЕГЭ"), t("углублённый"), n(72), nil, d(2026, 6, 1)],
                [t("Петрова Анна Сергеевна"), t("11А"), t("Математика П"), t("ЕГЭ"), t("базовый"), n(64), nil, d(2026, 6, 1)],
                [t("Ёлкина Мария Дмитриевна"), t("11А"), t("Математика Б"), t("ЕГЭ"), nil, n(64), nil, d(2026, 6, 1)],
                [t("Ёлкина Мария Дмитриевна"), t("11А"), t("Математика П"), t("ОГЭ"), nil, n(64), nil, d(2026, 6, 1)],
                [t("Иванов Иван Иванович"), t("11А"), t("Физика"), t("ЕГЭ"), nil, n(64), t("не явился"), d(2026, 6, 1)]
            ])
        let result = bench.run(path)
        #expect(result.codes == ["E-EXAM-LEVEL", "E-EXAM-LEVEL", "E-FIELD-MISSING", "E-EXAM-FORM", "E-EXAM-SCORE"])
        #expect(result.errors("E-FIELD-MISSING")[0].message == "для ЕГЭ уровня «базовый» нужна отметка")
    }
}
