import CivilDate
import Foundation
import Records
import Spreadsheet
import TestSupport
import Testing
import FileIO
import Digest
@testable import Ingest

/// Bad input never crashes: each is a finding of error severity.
@Suite struct BadInputTests {
    @Test func emptyFile() throws {
        let bench = try Bench()
        let result = bench.run(try bench.dir.write("empty.xlsx", bytes: []))
        #expect(result.codes == ["E-FILE-EMPTY"])
        #expect(bench.run(try bench.dir.write("empty.csv", bytes: [])).codes == ["E-FILE-EMPTY"])
    }

    @Test func sheetWithOnlyHeaders() throws {
        let bench = try Bench()
        let result = bench.run(try bench.xlsx("h.xlsx", [[t("ФИО"), t("Класс"), t("Предмет"), t("Период"), t("Отметка")], [], []]))
        #expect(result.codes == ["E-NO-RECORDS"])
    }

    @Test func tenThousandColumns() throws {
        let bench = try Bench()
        let header = (1...10_000).map { t("Столбец \($0)") }
        let result = bench.run(try bench.xlsx("wide.xlsx", [header, header.map { _ in n(1) }]))
        #expect(result.codes == ["E-PROFILE-NONE"])
        #expect(result.findings[0].message.contains("и ещё 9980"))
    }

    @Test func nameCellOfOneMegabyte() throws {
        let bench = try Bench()
        let huge = String(repeating: "Иванов ", count: 150_000)
        let result = bench.run(
            try bench.xlsx(
                "huge.xlsx",
                [
                    [t("ФИО"), t("Класс"), t("Предмет"), t("Период"), t("Отметка")],
                    [t(huge), t("9А"), t("Алгебра"), t("Год"), n(5)],
                    [t("Петрова Анна Сергеевна"), t("9А"), t("Алгебра"), t("Год"), n(5)]
                ]))
        #expect(result.codes == ["E-VALUE-TOO-LONG"])
        #expect(result.places == ["Лист1!A2"])
        #expect(result.marks.count == 1)
    }

    @Test func textFileNamedXLSXAndProtectedWorkbook() throws {
        let bench = try Bench()
        // The reader's own code reaches the report, not a general «unreadable».
        #expect(bench.run(try bench.dir.write("a.xlsx", text: "ФИО;Отметка\n")).codes == ["E-ZIP-NOT-ZIP"])
        let ole = try bench.dir.write("p.xlsx", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 600))
        #expect(bench.run(ole).codes == ["E-FILE-FORMAT"])
    }

    @Test func gradebookWithThreeBadRowsAmongFiftyThousand() throws {
        let bench = try Bench()
        var lines = ["Дата;Класс;Ученик;Предмет;Отметка;Вид работы;Вес"]
        let months = [9, 10, 11, 12, 1, 2, 3, 4, 5]
        for i in 2...50_001 {
            let month = months[i % 9]
            var date = String(format: "%02d.%02d.%d", 1 + i % 28, month, month >= 9 ? 2025 : 2026)
            var subject = ["Алгебра", "Русский язык", "История", "Физика", "Химия"][i % 5]
            var mark = String(2 + i % 4)
            if i == 812 { mark = "7" }
            if i == 20_000 { subject = "Алгебраа" }
            if i == 41_234 { date = "31.02.2026" }
            lines.append("\(date);9А;\(["Иванов Иван Иванович", "Петрова Анна Сергеевна"][i % 2]);\(subject);\(mark);Ответ;1")
        }
        let result = bench.run(try bench.csv("big.csv", lines))
        #expect(result.findings.map(\.location.place) == ["строка 812, столбец 5", "строка 20000, столбец 4", "строка 41234, столбец 1"])
        #expect(result.codes == ["E-MARK-UNKNOWN", "E-SUBJECT-UNKNOWN", "E-DATE-FORMAT"])
        #expect(result.marks.count == 49_997)
    }
}

/// Certificate sidecars: JSON beside a scan.
@Suite struct SidecarTests {
    func sidecar(_ bench: Bench, _ fields: [String: String], name: String = "diploma.json") throws -> String {
        let json = "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "}"
        return try bench.dir.write(name, text: json)
    }

    func base(_ scan: String, sha: String? = nil) -> [String: String] {
        var f = [
            "ФИО": "Иванов Иван Иванович", "class": "9А", "category": "олимпиада", "event": "ВсОШ по физике, региональный этап",
            "level": "региональный", "result": "призёр", "date": "2026-01-20", "document": "диплом", "number": "Ф-77", "scan": scan
        ]
        if let sha { f["sha256"] = sha }
        return f
    }

    @Test func scanBesideItWithTheRightHash() throws {
        let bench = try Bench()
        let scan = try bench.dir.write("diploma.pdf", bytes: Array("%PDF-1.4 скан".utf8))
        let digest = try SHA256Hex.of(file: scan)
        let result = bench.run(try sidecar(bench, base("diploma.pdf", sha: digest.uppercased())))
        #expect(result.format == .sidecar)
        #expect(result.codes == [])
        guard case .achievement(let a) = result.records.first else {
            Issue.record("no record")
            return
        }
        #expect(a.certificate == Certificate(kind: "diploma", number: "Ф-77", scanFile: "diploma.pdf", sha256: digest))
        #expect(a.level == "regional" && a.result == "prizewinner")
        // Without a hash given, the scan's own is recorded.
        let unhashed = bench.run(try sidecar(bench, base("diploma.pdf"), name: "other.json"))
        guard case .achievement(let b) = unhashed.records.first else {
            Issue.record("no record")
            return
        }
        #expect(b.certificate?.sha256 == digest)
    }

    @Test func scanThatDoesNotMatchItsHash() throws {
        let bench = try Bench()
        _ = try bench.dir.write("diploma.pdf", bytes: Array("другой скан".utf8))
        let result = bench.run(try sidecar(bench, base("diploma.pdf", sha: String(repeating: "a", count: 64))))
        #expect(result.codes == ["E-SCAN-HASH"])
        #expect(result.records.isEmpty)
    }

    @Test func missingScanDirectoryAndEscapingPaths() throws {
        let bench = try Bench()
        #expect(bench.run(try sidecar(bench, base("нет.pdf"), name: "a.json")).codes == ["E-SCAN-MISSING"])
        try FileManager.default.createDirectory(atPath: bench.dir.file("folder.pdf"), withIntermediateDirectories: false)
        #expect(bench.run(try sidecar(bench, base("folder.pdf"), name: "b.json")).codes == ["E-SCAN-PATH"])
        let passwd = bench.run(try sidecar(bench, base("../../etc/passwd"), name: "c.json"))
        #expect(passwd.codes == ["E-SCAN-PATH"])
        #expect(passwd.findings[0].message.contains("выходит за пределы"))
        #expect(bench.run(try sidecar(bench, base("/etc/passwd"), name: "d.json")).codes == ["E-SCAN-PATH"])
        // A symbolic link in the inbox pointing outside it.
        try FileManager.default.createSymbolicLink(atPath: bench.dir.file("link.pdf"), withDestinationPath: "/etc/hostname")
        #expect(bench.run(try sidecar(bench, base("link.pdf"), name: "e.json")).codes == ["E-SCAN-PATH"])
    }

    @Test func sidecarThatIsNotJSON() throws {
        let bench = try Bench()
        let result = bench.run(try bench.dir.write("broken.json", text: "ФИО: Иванов\nдиплом.pdf"))
        #expect(result.codes == ["E-SIDECAR-JSON"])
        #expect(bench.run(try bench.dir.write("list.json", text: "[1, 2]")).codes == ["E-SIDECAR-JSON"])
    }

    @Test func sidecarWithoutRequiredKeys() throws {
        let bench = try Bench()
        let result = bench.run(try sidecar(bench, ["ФИО": "Иванов Иван Иванович", "event": "x"]))
        #expect(Set(result.codes) == ["E-FIELD-MISSING"])
        #expect(result.codes.count == 3)
    }

    @Test func sidecarWithOtherKeysListsTheExpectedOnes() throws {
        let bench = try Bench()
        try bench.dir.write("d.pdf", bytes: Array("%PDF-1.4".utf8))
        // Keys a school's own script might write.
        let result = bench.run(try sidecar(bench, ["pupil": "Иванов Иван Иванович", "type": "олимпиада", "name": "ВсОШ", "doc": "диплом", "file": "d.pdf"]))
        let unknown = result.findings.filter { $0.code == "W-SIDECAR-KEY" }
        #expect(unknown.count == 1)
        #expect(unknown[0].message.contains("«pupil»") && unknown[0].message.contains("«doc»"))
        #expect(unknown[0].message.contains("«category» (обязательный)") && unknown[0].message.contains("«event» (обязательный)"))
        let missing = result.errors("E-FIELD-MISSING")
        #expect(missing.contains { $0.message.contains("«category»") && $0.message.contains("Ожидаемые ключи") })
    }
}

/// Values no later step can use are refused where they are read.
@Suite struct UnusableValueTests {
    @Test func aWeightMustBeAPlainNumberFromZeroToAHundred() throws {
        let bench = try Bench()
        let lines = ["Дата;Класс;ФИО;Предмет;Отметка;Вес"]
        let weights = ["nan", "inf", "-1", "1e1", "101", "0x1p3", "1,5", "2", "0"]
        let rows = weights.map { "02.09.2025;9А;Иванов Иван Иванович;Алгебра;5;\($0)" }
        let result = bench.run(try bench.csv("j.csv", lines + rows))
        #expect(result.codes == ["E-NUMBER", "E-NUMBER", "E-WEIGHT", "E-NUMBER", "E-WEIGHT", "E-NUMBER"])
        #expect(result.places == (2...7).map { "строка \($0), столбец 6" })
        #expect(result.marks.map(\.weight) == [1.5, 2, 0])
    }

    @Test func aStrayQuoteThatSwallowsWholeLinesIsAnError() throws {
        let bench = try Bench()
        let lines = [
            "Дата;Класс;ФИО;Предмет;Отметка;Вид работы",
            "02.09.2025;9А;Иванов Иван Иванович;Литература;5;\"Мцыри",
            "03.09.2025;9А;Петрова Анна Сергеевна;Литература;4;Ответ на уроке",
            "04.09.2025;9А;Петрова Анна Сергеевна;Литература;3;Бородино\"",
            "05.09.2025;9А;Иванов Иван Иванович;Литература;4;\"Сочинение\nна тему\""
        ]
        let result = bench.run(try bench.csv("quote.csv", lines))
        #expect(result.codes == ["E-CSV-QUOTE-SPAN"])
        #expect(result.places == ["строка 2"])
        // A quoted line break in a value with no fields after it is a value, as written.
        #expect(result.marks.last?.work == "Сочинение\r\nна тему" || result.marks.last?.work == "Сочинение\nна тему")
    }

    @Test func aCSVLineWithMoreFieldsThanTheHeaderIsAnError() throws {
        let bench = try Bench()
        let lines = [
            "Дата,Класс,ФИО,Предмет,Отметка,Вес", "02.09.2025,9А,Иванов Иван Иванович,Алгебра,5,1,5", "03.09.2025,9А,Иванов Иван Иванович,Алгебра,4,2"
        ]
        let result = bench.run(try bench.csv("comma.csv", lines))
        #expect(result.codes == ["E-CSV-FIELDS"])
        #expect(result.places == ["строка 2, столбец 7"])
        #expect(result.marks.map(\.weight) == [2], "not a weight of 1 with the 5 left over")
    }

    @Test func aDateWithSlashesThatReadsBothWaysIsAnError() throws {
        let bench = try Bench()
        let lines = ["Дата;Класс;ФИО;Предмет;Отметка", "04/01/26;9А;Иванов Иван Иванович;Алгебра;5", "22/12/2025;9А;Иванов Иван Иванович;Алгебра;4"]
        let result = bench.run(try bench.csv("slash.csv", lines))
        #expect(result.codes == ["E-DATE-AMBIGUOUS"])
        #expect(result.places == ["строка 2, столбец 1"])
        #expect(result.marks.map(\.date) == [CivilDate(year: 2025, month: 12, day: 22)])
    }

    @Test func aFormulaWithoutItsValueOrWithAnErrorIsAFindingAtItsCell() throws {
        let bench = try Bench()
        let path = bench.dir.file("formulas.xlsx")
        // openpyxl's way: `<f>` with no `<v>`; Excel's way for a broken formula: `t="e"` with the error.
        let rows = #"""
            <row r="1"><c r="A1" t="inlineStr"><is><t>Алгебра, 9А класс, 2025/2026 учебный год</t></is></c></row>
            <row r="2"><c r="A2" t="inlineStr"><is><t>ФИО</t></is></c><c r="B2" t="inlineStr"><is><t>1 четверть</t></is></c><c r="C2" t="inlineStr"><is><t>Год</t></is></c></row>
            <row r="3"><c r="A3" t="inlineStr"><is><t>Иванов Иван Иванович</t></is></c><c r="B3"><v>4</v></c><c r="C3"><f>ROUND(AVERAGE(B3:B3),0)</f></c></row>
            <row r="4"><c r="A4" t="inlineStr"><is><t>Петрова Анна Сергеевна</t></is></c><c r="B4" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C4"><v>5</v></c></row>
            """#
        try WorkbookParts.write(to: path, rows: rows)
        let result = bench.run(path)
        #expect(result.codes == ["E-CELL-FORMULA", "E-CELL-FORMULA"])
        #expect(result.places == ["Лист1!C3", "Лист1!B4"])
        #expect(result.findings[0].message.contains("не вычислено"))
        #expect(result.findings[1].message.contains("#DIV/0!"))
        #expect(result.marks.map(\.value) == [.points(4), .points(5)])
    }
}

/// A hidden sheet is not read, and says so when it holds data.
@Suite struct HiddenSheetTests {
    @Test func aHiddenSheetWithDataIsAWarningAndAnEmptyOneIsNot() throws {
        let bench = try Bench()
        let path = bench.dir.file("hidden.xlsx")
        func row(_ r: Int, _ cells: [String]) -> String {
            "<row r=\"\(r)\">"
                + cells.enumerated().map { "<c r=\"\(CellReference(column: $0.offset + 1, row: r))\" t=\"inlineStr\"><is><t>\($0.element)</t></is></c>" }
                .joined() + "</row>"
        }
        let visible = WorkbookParts.sheet(
            row(1, ["Алгебра, 9А класс, 2025/2026 учебный год"]) + row(2, ["ФИО", "1 четверть"]) + row(3, ["Иванов Иван Иванович", "4"]))
        let hidden = WorkbookParts.sheet(row(1, ["ФИО", "2 четверть"]) + row(2, ["Иванов Иван Иванович", "5"]))
        try WorkbookParts.write(
            to: path, sheets: [("1 четверть", visible), ("2 четверть", hidden), ("Списки", WorkbookParts.sheet(""))],
            states: ["2 четверть": "hidden", "Списки": "veryHidden"])
        let result = bench.run(path)
        #expect(result.codes == [])
        let warnings = result.findings.filter { $0.code == "W-SHEET-HIDDEN" }
        #expect(warnings.count == 1)
        #expect(warnings.first?.location.sheet == "2 четверть")
        #expect(warnings.first?.message.contains("ячеек с данными на нём 4") == true)
        #expect(result.marks.count == 1)
    }
}
