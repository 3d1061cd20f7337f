import CivilDate
import Records
import Spreadsheet
import Testing

@testable import Ingest

/// The sniff's header match is the parse's: taken when the rows are the same,
/// matched again when they are not.
@Suite struct SniffTests {
    /// A summary sheet under a title, a CSV journal, a roster, and a workbook of three sheets.
    static func files(_ bench: Bench) throws -> [String] {
        let summary = try bench.xlsx(
            "ведомость.xlsx", sheet: "9А",
            [
                [t("Отметки за 1 четверть 2025/2026 учебного года")],
                [],
                [t("№"), t("ФИО"), t("Класс"), t("Алгебра"), t("Физика"), t("Кулинария")],
                [n(1), t("Иванов Иван Иванович"), t("9А"), n(5), n(4), n(5)],
                [n(2), t("Петрова Анна Сергеевна"), t("9А"), n(4), nil, n(3)]
            ])
        let journal = try bench.csv(
            "журнал.csv",
            [
                "Дата;Класс;ФИО;Предмет;Отметка;Вид работы;Вес",
                "12.09.2025;9А;Иванов Иван Иванович;Алгебра;5;Ответ на уроке;1",
                "13.09.2025;9А;Петрова Анна Сергеевна;Физика;н;Ответ на уроке;1"
            ])
        // Two periods on two sheets, after a sheet of notes: sniffed up to the first that matches,
        // the third left to the parse.
        let periods = bench.dir.file("четверти.xlsx")
        let writer = try XLSXWriter(path: periods)
        try writer.addSheet("Пояснения").addRow([t("Выгрузка из электронного журнала")])
        for (sheet, period) in [("1 четверть", "1 четверть"), ("2 четверть", "2 четверть")] {
            let s = try writer.addSheet(sheet)
            try s.addRow([t("Отметки за \(period) 2025/2026 учебного года")])
            try s.addRow([t("ФИО"), t("Класс"), t("Алгебра"), t("Физика")])
            try s.addRow([t("Иванов Иван Иванович"), t("9А"), n(5), n(4)])
        }
        try writer.close()
        return [summary, journal, try bench.roster(), periods]
    }

    struct Seen: Equatable {
        var records: [Record]
        var findings: [String]
        var sheets: [SheetReport]

        init(_ r: FileImport) {
            records = r.records
            findings = r.findings.map { "\($0.code) \($0.location.place) \($0.message)" }
            sheets = r.sheets
        }
    }

    @Test func rowsHaveOneDigestOnlyWhenTheyAreTheSame() {
        func row(_ number: Int, _ values: [(Int, CellValue)]) -> Row { Row(number: number, cells: values.map { Cell(column: $0.0, value: $0.1) }) }
        let day = CivilDate(year: 2025, month: 9, day: 1)!
        let base = [row(1, [(1, .string("ФИО")), (2, .string("Класс"))]), row(2, [(1, .string("ab")), (2, .string("c"))])]
        let others: [[Row]] = [
            [row(1, [(1, .string("ФИО")), (2, .string("Класс"))]), row(2, [(1, .string("a")), (2, .string("bc"))])],
            [row(1, [(1, .string("ФИО")), (2, .string("Класс"))]), row(3, [(1, .string("ab")), (2, .string("c"))])],
            [row(1, [(1, .string("ФИО")), (3, .string("Класс"))]), row(2, [(1, .string("ab")), (2, .string("c"))])],
            [row(1, [(1, .string("ФИО")), (2, .string("Класс"))]), row(2, [(1, .string("ab"))]), row(3, [(2, .string("c"))])],
            Array(base.prefix(1)),
            [row(1, [(1, .string("5"))])], [row(1, [(1, .number(5))])], [row(1, [(1, .error("5"))])],
            [row(1, [(1, .bool(true))])], [row(1, [(1, .bool(false))])],
            [row(1, [(1, .date(CivilDateTime(date: day)))])], [row(1, [(1, .date(CivilDateTime(date: day, secondsOfDay: 1)))])],
            [row(1, [(1, .date(CivilDateTime(date: day, isTimeOnly: true)))])]
        ]
        let digests = ([base] + others).map(Sniff.digest)
        #expect(Set(digests).count == digests.count)
        #expect(Sniff.digest(base) == Sniff.digest(base.map { Row(number: $0.number, cells: $0.cells) }))
        #expect(digests.allSatisfy { $0.count == 32 })
    }

    @Test func aFileReadsTheSameWithItsSniffAsWithout() throws {
        let bench = try Bench()
        for path in try SniffTests.files(bench) {
            let sniff = FileImporter.sniff(path: path, context: bench.context)
            #expect(sniff.headers.count == (path.hasSuffix("четверти.xlsx") ? 2 : 1), "\(path)")
            #expect(sniff.kind == (path.hasSuffix("roster.xlsx") ? .roster : path.hasSuffix(".csv") ? .currentMark : .periodMark), "\(path)")
            let plain = bench.run(path)
            #expect(!plain.records.isEmpty, "\(path)")
            #expect(Seen(FileImporter.run(path: path, context: bench.context, sniff: sniff)) == Seen(plain), "\(path)")
        }
    }

    @Test func theParseTakesTheSniffsMatchForTheSameRowsAndOnlyForThem() throws {
        let bench = try Bench()
        let paths = try SniffTests.files(bench)
        // A sniff of another file (other rows) is not taken: the file reads as without it.
        let other = FileImporter.sniff(path: paths[2], context: bench.context)
        var misplaced = other
        misplaced.headers[0].sheet = "9А"
        #expect(Seen(FileImporter.run(path: paths[0], context: bench.context, sniff: misplaced)) == Seen(bench.run(paths[0])))
        // The same rows with an outcome the parse would not have reached: taken as it is, so the
        // parse does not match the rows again.
        var forged = FileImporter.sniff(path: paths[1], context: bench.context)
        forged.headers[0].outcome = .none(nearest: nil, headersSeen: ["подложено"])
        let result = FileImporter.run(path: paths[1], context: bench.context, sniff: forged)
        #expect(result.records.isEmpty)
        #expect(result.sheets.map(\.status) == [.unmatched])
        #expect(result.findings.map(\.code) == ["E-PROFILE-NONE"])
        #expect(result.findings.first?.message.contains("«подложено»") == true)
    }
}
