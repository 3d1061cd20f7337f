import CivilDate
import Foundation
import TestSupport
import Testing
@testable import Spreadsheet

/// Reads every non-empty cell of every sheet as `sheet!ref → value`.
func cells(_ path: String) throws -> [String: CellValue] {
    let reader = try XLSXReader(path: path)
    var out: [String: CellValue] = [:]
    for sheet in reader.sheets {
        try reader.scan(sheet) { row in
            for i in 0..<row.count {
                out["\(sheet.name)!\(CellReference(column: row.column(at: i), row: row.number))"] = row.value(at: i)
            }
            return .continue
        }
    }
    return out
}

func date(_ y: Int, _ m: Int, _ d: Int, _ seconds: Int = 0) -> CellValue {
    .date(CivilDateTime(date: CivilDate(year: y, month: m, day: d)!, secondsOfDay: seconds))
}

@Suite struct WorkbookStructureTests {
    @Test func listsSheetsInTabOrderWithNamesAndStates() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("w.xlsx")
        try WorkbookParts.write(
            to: path,
            sheets: [
                ("Отметки 9А", WorkbookParts.sheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#)),
                ("Скрытый", WorkbookParts.sheet("")),
                ("Совсем скрытый", WorkbookParts.sheet(""))
            ], states: ["Скрытый": "hidden", "Совсем скрытый": "veryHidden"])
        let reader = try XLSXReader(path: path)
        #expect(reader.sheets.map(\.name) == ["Отметки 9А", "Скрытый", "Совсем скрытый"])
        #expect(reader.sheets.map(\.visibility) == [.visible, .hidden, .veryHidden])
        #expect(reader.sheets.map(\.position) == [0, 1, 2])
        #expect(reader.sheet(named: "отметки 9а")?.position == 0)
    }

    @Test func resolvesRelationshipTargetsInsteadOfGuessingPartNames() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("r.xlsx")
        // The first tab lives in a part named after its data, reached by an
        // absolute target; the second by a target that climbs out and back.
        try WorkbookParts.write(
            to: path,
            sheets: [
                ("Первый", WorkbookParts.sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>первый</t></is></c></row>"#)),
                ("Второй", WorkbookParts.sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>второй</t></is></c></row>"#))
            ], sheetFiles: ["данные%20x.xml", "sheet1.xml"],
            sheetTargets: ["/xl/worksheets/данные%2520x.xml", "../xl/worksheets/sheet1.xml"])
        let got = try cells(path)
        #expect(got["Первый!A1"] == .string("первый"))
        #expect(got["Второй!A1"] == .string("второй"))
    }

    @Test func missingSheetPartIsAClearError() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("m.xlsx")
        try WorkbookParts.write(to: path, sheets: [("Лист", WorkbookParts.sheet(""))], sheetTargets: ["worksheets/нет.xml"])
        let reader = try XLSXReader(path: path)
        let error = #expect(throws: SpreadsheetError.self) { try reader.scan(reader.sheets[0]) { _ in .continue } }
        #expect(error?.code == .missingPart)
    }

    @Test func zipWithoutWorkbookIsNotAnXLSX() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("archive.xlsx", bytes: RawZip.archive([.stored("readme.txt", Array("hi".utf8))]))
        let error = #expect(throws: SpreadsheetError.self) { try XLSXReader(path: path) }
        #expect(error?.code == .missingPart)
    }
}

@Suite struct CellTypeTests {
    @Test func sharedStringsJoinRichRunsAndSkipPhonetics() throws {
        let sst = #"""
            <?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <si><t>простой</t></si>
            <si><r><rPr><b/></rPr><t>богатый </t></r><r><t xml:space="preserve">текст </t></r><r><t>здесь</t></r></si>
            <si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si>
            <si><t>строка_x000D_перевод и _x005F_x0041_</t></si>
            <si><t></t></si>
            </sst>
            """#
        let dir = TemporaryDirectory()
        let path = dir.file("s.xlsx")
        try WorkbookParts.write(
            to: path,
            sheets: [
                (
                    "Л",
                    WorkbookParts.sheet(
                        #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>"#
                    )
                )
            ],
            sharedStrings: sst)
        let got = try cells(path)
        #expect(got["Л!A1"] == .string("простой"))
        // Runs without xml:space="preserve" lose their edge whitespace, as Excel shows them.
        #expect(got["Л!B1"] == .string("богатыйтекст здесь"))
        #expect(got["Л!C1"] == .string("漢字"))
        #expect(got["Л!D1"] == .string("строка\rперевод и _x0041_"))
        #expect(got["Л!E1"] == nil, "an empty string is an empty cell")
    }

    @Test func everyCellType() throws {
        let rows = #"""
            <row r="1">
              <c r="A1" t="inlineStr"><is><t>встроенная</t></is></c>
              <c r="B1" t="inlineStr"><is><r><t>бо</t></r><r><t>гатая</t></r></is></c>
              <c r="C1" t="str"><f>"а"&amp;"б"</f><v>аб</v></c>
              <c r="D1"><v>42</v></c>
              <c r="E1" t="n"><v>-123456789.125</v></c>
              <c r="F1"><v>1E-07</v></c>
              <c r="G1" t="b"><v>1</v></c>
              <c r="H1" t="b"><v>0</v></c>
              <c r="I1" t="e"><f>1/0</f><v>#DIV/0!</v></c>
              <c r="J1"><f>2+3</f><v>5</v></c>
              <c r="K1"><f>SUM(A1:B1)</f></c>
              <c r="L1" s="0"/>
              <c r="M1" t="d"><v>2025-09-01T08:30:00</v></c>
              <c r="N1"><v>0.1</v></c>
              <c r="O1"><v>3.0000000000000004</v></c>
              <c r="P1"><f>B1*2</f><v/></c>
              <c r="Q1" t="str"><f>IF(A1="","","")</f><v></v></c>
            </row>
            """#
        let dir = TemporaryDirectory()
        let path = dir.file("t.xlsx")
        try WorkbookParts.write(to: path, rows: rows)
        let got = try cells(path)
        #expect(got["Лист1!A1"] == .string("встроенная"))
        #expect(got["Лист1!B1"] == .string("богатая"))
        #expect(got["Лист1!C1"] == .string("аб"))
        #expect(got["Лист1!D1"] == .number(42))
        #expect(got["Лист1!E1"] == .number(-123456789.125))
        #expect(got["Лист1!F1"] == .number(1e-7))
        #expect(got["Лист1!G1"] == .bool(true))
        #expect(got["Лист1!H1"] == .bool(false))
        #expect(got["Лист1!I1"] == .error("#DIV/0!"))
        #expect(got["Лист1!J1"] == .number(5), "a formula's cached value")
        #expect(got["Лист1!K1"] == .error(CellValue.uncomputedFormula), "a formula with no cached value is not an empty cell")
        #expect(got["Лист1!L1"] == nil)
        #expect(got["Лист1!M1"] == date(2025, 9, 1, 8 * 3600 + 30 * 60))
        #expect(got["Лист1!N1"] == .number(0.1))
        #expect(got["Лист1!O1"] == .number(3.0000000000000004))
        #expect(got["Лист1!P1"] == .error(CellValue.uncomputedFormula), "openpyxl's empty <v/> under a formula")
        #expect(got["Лист1!Q1"] == nil, "a text formula computed to nothing")
        #expect(got.count == 15)
    }

    @Test func cellsAndRowsWithoutReferencesAreNumberedInOrder() throws {
        let rows =
            #"<row><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c></row><row><c><v>3</v></c><c r="E2"><v>4</v></c><c><v>5</v></c></row><row r="7"><c><v>6</v></c></row><row><c><v>7</v></c></row>"#
        let dir = TemporaryDirectory()
        let path = dir.file("n.xlsx")
        try WorkbookParts.write(to: path, rows: rows)
        let got = try cells(path)
        #expect(
            got == [
                "Лист1!A1": .string("a"), "Лист1!B1": .number(2), "Лист1!A2": .number(3), "Лист1!E2": .number(4),
                "Лист1!F2": .number(5), "Лист1!A7": .number(6), "Лист1!A8": .number(7)
            ])
    }

    @Test func sparseRowsAndColumnsIncludingTheSheetsCorners() throws {
        let rows =
            #"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row><row r="5000"><c r="C5000"><v>3</v></c></row><row r="1048576"><c r="A1048576"><v>4</v></c></row>"#
        let dir = TemporaryDirectory()
        let path = dir.file("sp.xlsx")
        try WorkbookParts.write(to: path, rows: rows)
        let reader = try XLSXReader(path: path)
        let all = try reader.rows(reader.sheets[0])
        #expect(all.map(\.number) == [1, 5000, 1_048_576])
        #expect(all[0].cells.map(\.column) == [1, 16_384])
        #expect(all[0][16_384] == .number(2))
        #expect(all[2][1] == .number(4))
    }

    @Test func mergedRangesAreReported() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("m.xlsx")
        try WorkbookParts.write(
            to: path,
            sheets: [
                (
                    "Л",
                    WorkbookParts.sheet(
                        #"<row r="1"><c r="A1" t="inlineStr"><is><t>Русский язык</t></is></c></row><row r="2"><c r="A2"><v>5</v></c></row>"#,
                        extra: #"<mergeCells count="2"><mergeCell ref="A1:D1"/><mergeCell ref="B3:B10"/></mergeCells>"#)
                )
            ])
        let reader = try XLSXReader(path: path)
        let scan = try reader.scan(reader.sheets[0]) { _ in .continue }
        #expect(scan.completed)
        #expect(scan.merges.map(\.description) == ["A1:D1", "B3:B10"])
        #expect(scan.merges[1].contains(CellReference("B5")!))
    }

    @Test func scanStopsWhenAsked() throws {
        let rows = (1...1000).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined()
        let dir = TemporaryDirectory()
        let path = dir.file("s.xlsx")
        try WorkbookParts.write(to: path, rows: rows)
        let reader = try XLSXReader(path: path)
        let first = try reader.rows(reader.sheets[0], limit: 30)
        #expect(first.count == 30)
        #expect(first.last?.number == 30)
        // The reader stays usable after an early stop.
        #expect(try reader.rows(reader.sheets[0]).count == 1000)
    }

    @Test func strictOOXMLNamespacesReadTheSame() throws {
        let strictMain = "http://purl.oclc.org/ooxml/spreadsheetml/main"
        let dir = TemporaryDirectory()
        let path = dir.file("strict.xlsx")
        try WorkbookParts.write(
            to: path,
            sheets: [
                (
                    "Strict",
                    WorkbookParts.sheet(
                        #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45901</v></c></row>"#, namespace: strictMain)
                )
            ],
            sharedStrings: WorkbookParts.sharedStrings(["строго"]).replacingOccurrences(of: WorkbookParts.main, with: strictMain),
            styles: WorkbookParts.styles(formats: [0, 14]).replacingOccurrences(of: WorkbookParts.main, with: strictMain))
        let got = try cells(path)
        #expect(got["Strict!A1"] == .string("строго"))
        #expect(got["Strict!B1"] == date(2025, 9, 1))
    }

    @Test func prefixedElementsReadTheSame() throws {
        let sheet =
            #"<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>префикс</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>"#
        let dir = TemporaryDirectory()
        let path = dir.file("p.xlsx")
        try WorkbookParts.write(to: path, sheets: [("P", sheet)])
        #expect(try cells(path) == ["P!B2": .string("префикс")])
    }
}

@Suite struct DateTests {
    @Test func dateSystem1900KeepsTheLeapYearQuirk() {
        let s = ExcelDateSystem.d1900
        #expect(s.dateTime(serial: 1)?.iso8601 == "1900-01-01")
        #expect(s.dateTime(serial: 59)?.iso8601 == "1900-02-28")
        #expect(s.dateTime(serial: 61)?.iso8601 == "1900-03-01")
        #expect(s.dateTime(serial: 45901)?.iso8601 == "2025-09-01")
        #expect(s.dateTime(serial: 45901.5)?.iso8601 == "2025-09-01T12:00:00")
        #expect(s.dateTime(serial: 0.75)?.iso8601 == "18:00:00")
        #expect(s.dateTime(serial: -1) == nil)
        #expect(s.dateTime(serial: 3_000_000) == nil)
        for serial in [1.0, 58, 61, 45901, 2_958_465] {
            #expect(s.serial(of: s.dateTime(serial: serial)!) == serial)
        }
    }

    @Test func dateSystem1904CountsFrom1904() {
        let s = ExcelDateSystem.d1904
        #expect(s.dateTime(serial: 0.5)?.iso8601 == "12:00:00")
        #expect(s.dateTime(serial: 1)?.iso8601 == "1904-01-02")
        #expect(s.dateTime(serial: 44439)?.iso8601 == "2025-09-01")
    }

    @Test func workbookIn1904SystemReadsDatesRight() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("1904.xlsx")
        try WorkbookParts.write(
            to: path, sheets: [("Д", WorkbookParts.sheet(#"<row r="1"><c r="A1" s="1"><v>44439</v></c><c r="B1"><v>44439</v></c></row>"#))],
            styles: WorkbookParts.styles(formats: [0, 14]), workbookPr: #"<workbookPr date1904="1"/>"#)
        let got = try cells(path)
        #expect(got["Д!A1"] == date(2025, 9, 1))
        #expect(got["Д!B1"] == .number(44439), "without a date format a number stays a number")
    }

    @Test func builtInDateFormats() {
        for id in Array(14...22) + [45, 46, 47] { #expect(NumberFormat.isBuiltInDate(id), "id \(id)") }
        for id in [0, 1, 2, 9, 10, 11, 12, 13, 23, 44, 48, 49] { #expect(!NumberFormat.isBuiltInDate(id), "id \(id)") }
    }

    @Test(arguments: [
        ("DD.MM.YYYY", true), ("dd/mm/yy", true), ("[$-419]d mmmm yyyy", true), ("h:mm:ss", true),
        ("yyyy-mm-dd;@", true), ("[h]:mm", true), ("dd.mm.yyyy hh:mm", true),
        ("0.00", false), ("0%", false), ("General", false), ("0\" дн.\"", false), ("[Red]0.0", false),
        ("#,##0\\ \"руб.\"", false), ("\\d0", false), ("0_)", false), ("@", false), ("0;\"d\"", false)
    ])
    func customFormatDetection(code: String, isDate: Bool) {
        #expect(NumberFormat.isDate(code: code) == isDate)
    }

    @Test func cellsFollowTheirStyleFormats() throws {
        let styles = WorkbookParts.styles(
            formats: [0, 14, 2, 164, 165, 166, 22], custom: [164: "DD.MM.YYYY", 165: "0\" дн.\"", 166: "[$-F800]dddd, mmmm dd, yyyy"])
        let rows =
            #"<row r="1"><c r="A1" s="1"><v>45901</v></c><c r="B1" s="2"><v>45901</v></c><c r="C1" s="3"><v>45901</v></c><c r="D1" s="4"><v>12</v></c><c r="E1" s="5"><v>45901</v></c><c r="F1" s="6"><v>45901.25</v></c></row>"#
        let dir = TemporaryDirectory()
        let path = dir.file("f.xlsx")
        try WorkbookParts.write(to: path, sheets: [("Ф", WorkbookParts.sheet(rows))], styles: styles)
        let got = try cells(path)
        #expect(got["Ф!A1"] == date(2025, 9, 1))
        #expect(got["Ф!B1"] == .number(45901))
        #expect(got["Ф!C1"] == date(2025, 9, 1))
        #expect(got["Ф!D1"] == .number(12))
        #expect(got["Ф!E1"] == date(2025, 9, 1))
        #expect(got["Ф!F1"] == date(2025, 9, 1, 6 * 3600))
    }
}

@Suite struct DamagedCellTests {
    func read(_ rows: String, sharedStrings: [String]? = nil, styles: String? = nil) throws -> SpreadsheetError? {
        let dir = TemporaryDirectory()
        let path = dir.file("d.xlsx")
        try WorkbookParts.write(to: path, rows: rows, sharedStrings: sharedStrings, styles: styles)
        return #expect(throws: SpreadsheetError.self) { _ = try cells(path) }
    }

    @Test func sharedStringIndexOutOfRange() throws {
        let error = try read(#"<row r="3"><c r="B3" t="s"><v>7</v></c></row>"#, sharedStrings: ["a"])
        #expect(error?.code == .sharedStringIndex)
        #expect(error?.cell == "B3")
        #expect(error?.description == "d.xlsx, лист «Лист1»!B3: ссылка на общую строку № 7, а в таблице строк их 1; файл повреждён")
    }

    @Test func styleIndexOutOfRange() throws {
        let error = try read(#"<row r="1"><c r="A1" s="99"><v>1</v></c></row>"#, styles: WorkbookParts.styles(formats: [0]))
        #expect(error?.code == .styleIndex)
    }

    @Test func referenceBeyondTheSheet() throws {
        #expect(try read(#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#)?.code == .cellOutOfRange)
        #expect(try read(#"<row r="1048577"><c r="A1048577"><v>1</v></c></row>"#)?.code == .cellOutOfRange)
        #expect(try read(#"<row r="1"><c r="XFD1048577"><v>1</v></c></row>"#)?.code == .cellOutOfRange)
    }

    @Test func numberThatIsNotANumber() throws {
        let error = try read(#"<row r="2"><c r="C2"><v>пять</v></c></row>"#)
        #expect(error?.code == .badCell)
        #expect(error?.cell == "C2")
    }
}

@Suite struct ProducerFixtureTests {
    static func fixture(_ name: String) -> String {
        Bundle.module.path(forResource: name, ofType: "xlsx", inDirectory: "Fixtures")!
    }

    @Test func fileWrittenByLibreOffice() throws {
        let reader = try XLSXReader(path: Self.fixture("libreoffice-marks"))
        #expect(reader.sheets.map(\.name) == ["Ведомость", "Служебный"])
        #expect(reader.sheets[1].visibility == .hidden)
        let got = try cells(Self.fixture("libreoffice-marks"))
        #expect(got["Ведомость!A1"] == .string("Сводная ведомость отметок"))
        #expect(got["Ведомость!B5"] == .string("Иванов Иван Иванович"))
        #expect(got["Ведомость!C5"] == .number(5))
        #expect(got["Ведомость!C6"] == .string("н/а"))
        #expect(got["Ведомость!E7"] == date(2025, 10, 29))
        #expect(got["Ведомость!G5"] == .number(4.5))
        #expect(got["Ведомость!G6"] == .bool(true))
        #expect(got["Ведомость!G7"] == .error("#DIV/0!"))
        #expect(got["Служебный!A1"] == .string("скрыто"))
        #expect(got.count == 28)
        let scan = try reader.scan(reader.sheets[0]) { _ in .continue }
        #expect(scan.merges.map(\.description) == ["A1:E1"])
    }

    @Test func fileWrittenByOpenpyxl() throws {
        let got = try cells(Self.fixture("openpyxl-types"))
        #expect(
            got == [
                "Данные!A1": .string("Текст"), "Данные!B1": .number(42), "Данные!C1": .number(3.25), "Данные!D1": .bool(false),
                "Данные!A2": date(2026, 5, 25, 8 * 3600 + 30 * 60), "Данные!B2": date(1900, 1, 1), "Данные!C2": date(1900, 3, 1),
                "Данные!A3": .string("объединено"), "Данные!Z10": .string("далеко"), "Второй!B2": .string("второй лист"),
                // openpyxl writes a formula with an empty `<v/>`: no value was ever computed.
                "Данные!A5": .error(CellValue.uncomputedFormula)
            ])
    }
}
