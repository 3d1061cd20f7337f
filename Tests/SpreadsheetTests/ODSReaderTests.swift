import CivilDate
import Foundation
import TestSupport
import Testing
@testable import Spreadsheet

/// Every non-empty cell of every sheet of any workbook as `sheet!ref → value`.
func cells(of reader: any WorkbookReader) throws -> [String: CellValue] {
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

func time(_ h: Int, _ m: Int, _ s: Int = 0) -> CellValue {
    .date(CivilDateTime(date: CivilDate(year: 1899, month: 12, day: 30)!, secondsOfDay: h * 3600 + m * 60 + s, isTimeOnly: true))
}

@Suite struct ODSReaderTests {
    func ods(_ dir: TemporaryDirectory, _ tables: [String], name: String = "t.ods") throws -> String {
        let path = dir.file(name)
        try ODSParts.write(to: path, content: ODSParts.content(tables))
        return path
    }

    @Test func everyValueType() throws {
        let dir = TemporaryDirectory()
        let rows = #"""
            <table:table-row>
              <table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Иванов Иван</text:p></table:table-cell>
              <table:table-cell office:value-type="float" office:value="5" calcext:value-type="float"><text:p>5</text:p></table:table-cell>
              <table:table-cell office:value-type="float" office:value="-1234.125"><text:p>-1 234,13</text:p></table:table-cell>
              <table:table-cell office:value-type="percentage" office:value="0.25"><text:p>25%</text:p></table:table-cell>
              <table:table-cell office:value-type="currency" office:currency="RUB" office:value="150.5"><text:p>150,50 ₽</text:p></table:table-cell>
              <table:table-cell office:value-type="date" office:date-value="2025-09-01"><text:p>01.09.2025</text:p></table:table-cell>
              <table:table-cell office:value-type="date" office:date-value="2025-09-01T08:30:00"><text:p>01.09.2025 08:30</text:p></table:table-cell>
              <table:table-cell office:value-type="time" office:time-value="PT10H30M00S"><text:p>10:30</text:p></table:table-cell>
              <table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>ИСТИНА</text:p></table:table-cell>
              <table:table-cell office:value-type="boolean" office:boolean-value="false"><text:p>ЛОЖЬ</text:p></table:table-cell>
              <table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>
              <table:table-cell><text:p>без типа</text:p></table:table-cell>
              <table:table-cell office:value-type="string" office:string-value="из атрибута"/>
              <table:table-cell office:value-type="date" office:date-value="1812-09-07"><text:p>07.09.1812</text:p></table:table-cell>
              <table:table-cell office:value-type="time" office:time-value="PT36H00M00S"><text:p>36:00</text:p></table:table-cell>
            </table:table-row>
            """#
        let reader = try ODSReader(path: try ods(dir, [ODSParts.table("Отметки", rows)]))
        #expect(reader.sheets.map(\.name) == ["Отметки"])
        let got = try cells(of: reader)
        #expect(got["Отметки!A1"] == .string("Иванов Иван"))
        #expect(got["Отметки!B1"] == .number(5))
        #expect(got["Отметки!C1"] == .number(-1234.125))
        #expect(got["Отметки!D1"] == .number(0.25))
        #expect(got["Отметки!E1"] == .number(150.5))
        #expect(got["Отметки!F1"] == date(2025, 9, 1))
        #expect(got["Отметки!G1"] == date(2025, 9, 1, 8 * 3600 + 30 * 60))
        #expect(got["Отметки!H1"] == time(10, 30))
        #expect(got["Отметки!I1"] == .bool(true))
        #expect(got["Отметки!J1"] == .bool(false))
        #expect(got["Отметки!K1"] == .error("#DIV/0!"))
        #expect(got["Отметки!L1"] == .string("без типа"))
        #expect(got["Отметки!M1"] == .string("из атрибута"))
        #expect(got["Отметки!N1"] == date(1812, 9, 7), "a date before 1900 is kept as a date")
        #expect(got["Отметки!O1"] == .number(1.5), "a duration past a day is a number of days")
        #expect(got.count == 15)
    }

    @Test func textOfParagraphsSpacesTabsBreaksSpansAndLinks() throws {
        let dir = TemporaryDirectory()
        let rows = #"""
            <table:table-row><table:table-cell office:value-type="string"><text:p>Иванов<text:s text:c="3"/>Иван</text:p><text:p><text:s/>Иванович<text:tab/>9А</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>строка<text:line-break/>вторая</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>см. <text:span text:style-name="T1">жирный <text:a xlink:href="http://x">ссылка</text:a></text:span>.</text:p><office:annotation><dc:creator>Учитель</dc:creator><text:p>комментарий не значение</text:p></office:annotation></table:table-cell><table:table-cell office:value-type="string"><text:p>два  пробела</text:p></table:table-cell></table:table-row>
            """#
        let got = try cells(of: ODSReader(path: try ods(dir, [ODSParts.table("Л", rows)])))
        #expect(got["Л!A1"] == .string("Иванов   Иван\n Иванович\t9А"))
        #expect(got["Л!B1"] == .string("строка\nвторая"))
        #expect(got["Л!C1"] == .string("см. жирный ссылка."))
        #expect(got["Л!D1"] == .string("два  пробела"), "spaces written literally stay, as LibreOffice reads them")
    }

    @Test func repeatsAreExpandedWhenFullAndFreeWhenEmpty() throws {
        let dir = TemporaryDirectory()
        let rows = #"""
            <table:table-row><table:table-cell office:value-type="string"><text:p>ФИО</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="float" office:value="5" table:number-columns-repeated="3"><text:p>5</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16378"/></table:table-row>
            <table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            <table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="string"><text:p>повтор</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row>
            <table:table-row table:number-rows-repeated="1047572"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            """#
        let reader = try ODSReader(path: try ods(dir, [ODSParts.table("Л", rows)]))
        var seen: [Row] = []
        let scan = try reader.scan(reader.sheets[0]) {
            seen.append($0.row)
            return .continue
        }
        #expect(seen.map(\.number) == [1, 1002, 1003, 1004])
        #expect(seen[0].cells.map(\.column) == [1, 4, 5, 6])
        #expect(seen[0][5] == .number(5))
        #expect(seen[1...].allSatisfy { $0.cells == [Cell(column: 1, value: .string("повтор"))] })
        #expect(scan.rowsSeen == 4, "a repeated row element is seen once")
        #expect(scan.completed)
    }

    @Test func repeatedValuesPastTheLimitStopTheRead() throws {
        let dir = TemporaryDirectory()
        let rows =
            #"<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/></table:table-row>"#
        let path = try ods(dir, [ODSParts.table("Бомба", rows)])
        let reader = try ODSReader(path: path, limits: SpreadsheetLimits(maxRepeatedCells: 100_000))
        let error = #expect(throws: SpreadsheetError.self) { try reader.scan(reader.sheets[0]) { _ in .continue } }
        #expect(error?.code == .tooLarge)
        #expect(error?.place == "лист «Бомба»")
    }

    @Test func valuesPastTheLastColumnOrRowAreRefused() throws {
        let wide =
            #"<table:table-row><table:table-cell table:number-columns-repeated="16384"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#
        let long =
            #"<table:table-row table:number-rows-repeated="1048576"/><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#
        let dir = TemporaryDirectory()
        for (name, rows) in [("w.ods", wide), ("l.ods", long)] {
            let reader = try ODSReader(path: try ods(dir, [ODSParts.table("Л", rows)], name: name))
            let error = #expect(throws: SpreadsheetError.self) { try reader.scan(reader.sheets[0]) { _ in .continue } }
            #expect(error?.code == .cellOutOfRange)
        }
    }

    @Test func spansAreMergesAndCoveredCellsKeepTheirPlace() throws {
        let dir = TemporaryDirectory()
        let rows = #"""
            <table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="3" table:number-rows-spanned="1"><text:p>Итоговые отметки</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><text:p>D1</text:p></table:table-cell></table:table-row>
            <table:table-row><table:table-cell office:value-type="string" table:number-rows-spanned="2"><text:p>ФИО</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>B2</text:p></table:table-cell></table:table-row>
            <table:table-row><table:covered-table-cell/><table:table-cell office:value-type="string"><text:p>B3</text:p></table:table-cell></table:table-row>
            """#
        let reader = try ODSReader(path: try ods(dir, [ODSParts.table("Л", rows)]))
        let scan = try reader.scan(reader.sheets[0]) { _ in .continue }
        #expect(scan.merges.map(\.description) == ["A1:C1", "A2:A3"])
        let got = try cells(of: reader)
        #expect(
            got == [
                "Л!A1": .string("Итоговые отметки"), "Л!D1": .string("D1"), "Л!A2": .string("ФИО"),
                "Л!B2": .string("B2"), "Л!B3": .string("B3")
            ])
    }

    @Test func sheetsInOrderWithHiddenOnesAndSubTablesLeftInside() throws {
        let dir = TemporaryDirectory()
        let cell = { (text: String) in
            #"<table:table-row><table:table-cell office:value-type="string"><text:p>\#(text)</text:p></table:table-cell></table:table-row>"#
        }
        let subTable =
            #"<table:table-row><table:table-cell><table:table table:name="вложенная" table:is-sub-table="true"><table:table-row><table:table-cell office:value-type="string"><text:p>внутри</text:p></table:table-cell></table:table-row></table:table></table:table-cell><table:table-cell office:value-type="string"><text:p>B1</text:p></table:table-cell></table:table-row>"#
        let reader = try ODSReader(
            path: try ods(
                dir,
                [
                    ODSParts.table("Первый", cell("один")), ODSParts.table("Скрытый", style: "ta2", cell("два")),
                    ODSParts.table("Третий", subTable + cell("три"))
                ]))
        #expect(reader.sheets.map(\.name) == ["Первый", "Скрытый", "Третий"])
        #expect(reader.sheets.map(\.visibility) == [.visible, .hidden, .visible])
        #expect(reader.sheet(named: "третий")?.position == 2)
        let got = try cells(of: reader)
        #expect(got == ["Первый!A1": .string("один"), "Скрытый!A1": .string("два"), "Третий!B1": .string("B1"), "Третий!A2": .string("три")])
        #expect(try reader.rows(reader.sheets[2], limit: 1).map(\.number) == [1])
    }

    @Test func kindComesFromTheMimetypeNotTheName() throws {
        let dir = TemporaryDirectory()
        let asXLSX = dir.file("на-самом-деле-ods.xlsx")
        try ODSParts.write(to: asXLSX, rows: #"<table:table-row><table:table-cell office:value-type="float" office:value="4"/></table:table-row>"#)
        #expect(try TableFileKind.of(path: asXLSX) == .ods)
        let template = dir.file("шаблон.ots")
        try ODSParts.write(to: template, content: ODSParts.content([]), mimetype: "application/vnd.oasis.opendocument.spreadsheet-template")
        #expect(try TableFileKind.of(path: template) == .ods)
        let text = dir.file("текст.ods")
        try ODSParts.write(to: text, content: ODSParts.content([]), mimetype: "application/vnd.oasis.opendocument.text")
        #expect(try TableFileKind.of(path: text) == .xlsx, "not a spreadsheet: the XLSX reader says what is wrong")
        let xlsx = dir.file("книга.ods")
        try WorkbookParts.write(to: xlsx, rows: #"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        #expect(try TableFileKind.of(path: xlsx) == .xlsx)
        let reader = try #require(try TableFileKind.of(path: asXLSX).openWorkbook(path: asXLSX))
        #expect(try cells(of: reader) == ["Лист1!A1": .number(4)])
    }

    @Test func damagedAndPasswordProtectedFilesAreNamedAsSuch() throws {
        let dir = TemporaryDirectory()
        let notZip = try dir.write("битый.ods", text: "не архив")
        #expect(try TableFileKind.of(path: notZip) == .ods)
        let damaged = #expect(throws: SpreadsheetError.self) { try ODSReader(path: notZip) }
        #expect(damaged?.message.contains("ZIP") == true)

        let locked = dir.file("пароль.ods")
        try ODSParts.write(
            to: locked, content: ODSParts.content([]), manifestExtra: #"<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>"#)
        let error = #expect(throws: SpreadsheetError.self) { try ODSReader(path: locked) }
        #expect(error?.code == .unsupportedFormat)
        #expect(error?.message.contains("паролем") == true)

        let noContent = try dir.write("пусто.ods", bytes: RawZip.archive([.stored("mimetype", Array("application/vnd.oasis.opendocument.spreadsheet".utf8))]))
        let missing = #expect(throws: SpreadsheetError.self) { try ODSReader(path: noContent) }
        #expect(missing?.code == .missingPart)

        let badDate = dir.file("дата.ods")
        try ODSParts.write(
            to: badDate, rows: #"<table:table-row><table:table-cell/><table:table-cell office:value-type="date" office:date-value="вчера"/></table:table-row>"#)
        let reader = try ODSReader(path: badDate)
        let cell = #expect(throws: SpreadsheetError.self) { try reader.scan(reader.sheets[0]) { _ in .continue } }
        #expect(cell?.cell == "B1")
    }

    @Test func durationsAsODFWritesThem() {
        #expect(ODSTableHandler.duration("PT10H30M00S") == 37_800)
        #expect(ODSTableHandler.duration("PT00H00M01.5S") == 1.5)
        #expect(ODSTableHandler.duration("P1DT2H") == 93_600)
        #expect(ODSTableHandler.duration("-PT1H") == -3600)
        #expect(ODSTableHandler.duration("10:30") == nil)
        #expect(ODSTableHandler.duration("PT") == nil)
    }
}
