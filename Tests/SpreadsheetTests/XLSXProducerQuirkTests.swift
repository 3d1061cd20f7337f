import CivilDate
import Foundation
import TestSupport
import Testing
import ZipIO
@testable import Spreadsheet

/// What some producers write that Excel reads anyway (issue 12, point 6).
@Suite struct XLSXProducerQuirkTests {
    /// A one-sheet workbook from raw parts, its entry names passed through `rename`.
    func workbook(
        _ dir: TemporaryDirectory, sheet: String, workbookPr: String = "", sharedStrings: String? = nil,
        styles: String? = nil, rename: (String) -> String = { $0 }
    ) throws -> String {
        var entries = WorkbookParts.rawEntries(
            sheet: .stored("", Array(WorkbookParts.sheet(sheet).utf8)),
            sharedStrings: sharedStrings.map { Array($0.utf8) }, styles: styles.map { Array($0.utf8) })
        for i in entries.indices {
            if entries[i].name == "xl/workbook.xml", !workbookPr.isEmpty {
                let xml = String(decoding: entries[i].data, as: UTF8.self).replacingOccurrences(of: "<sheets>", with: workbookPr + "<sheets>")
                entries[i] = .stored(entries[i].name, Array(xml.utf8))
            }
            entries[i].name = rename(entries[i].name)
        }
        return try dir.write("w.xlsx", bytes: RawZip.archive(entries))
    }

    @Test func entriesNamedWithBackslashesAreRead() throws {
        let dir = TemporaryDirectory()
        let path = try workbook(
            dir, sheet: #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>5</v></c></row>"#,
            sharedStrings: WorkbookParts.sharedStrings(["Иванов"]),
            styles: WorkbookParts.styles(formats: [0])
        ) { $0.replacingOccurrences(of: "/", with: "\\") }
        let names = try ZipArchive(path: path).entries.map(\.name)
        #expect(names.contains("xl\\worksheets\\sheet1.xml"))
        #expect(names.contains("_rels\\.rels"))
        let got = try cells(path)
        #expect(got == ["Лист1!A1": .string("Иванов"), "Лист1!B1": .number(5)])
    }

    @Test func backslashesDoNotOpenAWayOutOfTheArchive() throws {
        let dir = TemporaryDirectory()
        let path = try workbook(dir, sheet: "") { $0 == "xl/workbook.xml" ? "xl\\..\\..\\workbook.xml" : $0 }
        let error = #expect(throws: ZipError.self) { try XLSXReader(path: path) }
        #expect(error?.code == .unsafeEntryName)
    }

    @Test func emptyStyleAttributeIsTheDefaultStyle() throws {
        let dir = TemporaryDirectory()
        let path = try workbook(
            dir, sheet: #"<row r="1"><c r="A1" s=""><v>4</v></c><c r="B1" s="1"><v>45901</v></c></row>"#,
            styles: WorkbookParts.styles(formats: [0, 14]))
        let got = try cells(path)
        #expect(got["Лист1!A1"] == .number(4))
        #expect(got["Лист1!B1"] == date(2025, 9, 1))
    }

    @Test(arguments: ["T10:30:00", "10:30:00", "T10:30", "10:30:00.000"])
    func isoCellHoldingATimeAloneIsATime(text: String) throws {
        let dir = TemporaryDirectory()
        let path = try workbook(dir, sheet: #"<row r="1"><c r="A1" t="d"><v>\#(text)</v></c><c r="B1" t="d"><v>2025-09-01T10:30:00</v></c></row>"#)
        let got = try cells(path)
        guard case .date(let time)? = got["Лист1!A1"] else {
            Issue.record("A1 is \(String(describing: got["Лист1!A1"]))")
            return
        }
        #expect(time.isTimeOnly)
        #expect(time.secondsOfDay == 10 * 3600 + 30 * 60)
        #expect(time.iso8601 == "10:30:00")
        #expect(got["Лист1!B1"] == date(2025, 9, 1, 10 * 3600 + 30 * 60))
    }

    @Test func isoCellWithAnImpossibleTimeIsRefused() throws {
        let dir = TemporaryDirectory()
        let path = try workbook(dir, sheet: #"<row r="1"><c r="A1" t="d"><v>T25:00:00</v></c></row>"#)
        let error = #expect(throws: SpreadsheetError.self) { try cells(path) }
        #expect(error?.cell == "A1")
    }

    @Test(arguments: [("1", true), ("true", true), ("0", false), ("false", false)])
    func date1904AcceptsEveryXMLBoolean(value: String, is1904: Bool) throws {
        let dir = TemporaryDirectory()
        let path = try workbook(
            dir, sheet: #"<row r="1"><c r="A1" s="1"><v>1</v></c></row>"#,
            workbookPr: #"<workbookPr date1904="\#(value)"/>"#, styles: WorkbookParts.styles(formats: [0, 14]))
        let reader = try XLSXReader(path: path)
        #expect(reader.dateSystem == (is1904 ? .d1904 : .d1900))
        #expect(try cells(path)["Лист1!A1"] == (is1904 ? date(1904, 1, 2) : date(1900, 1, 1)))
    }

    @Test func textWithoutPreserveIsTrimmedAsExcelShowsIt() throws {
        let sst = #"""
            <?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <si><t>  Иванов Иван
            </t></si>
            <si><t xml:space="preserve">  с пробелами  </t></si>
            <si><r><t>hello</t></r><r><t> </t></r><r><t>world</t></r></si>
            <si><t>_x0020_экранированный пробел_x0020_</t></si>
            </sst>
            """#
        let dir = TemporaryDirectory()
        let path = try workbook(
            dir,
            sheet: #"""
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>
                <c r="E1" t="inlineStr"><is><t>	 встроенная 	</t></is></c>
                <c r="F1" t="inlineStr"><is><t xml:space="preserve"> сохранена </t></is></c>
                <c r="G1" t="inlineStr"><is><r><t>Петров </t></r><r><t xml:space="preserve"> Пётр</t></r></is></c></row>
                """#, sharedStrings: sst)
        let got = try cells(path)
        #expect(got["Лист1!A1"] == .string("Иванов Иван"))
        #expect(got["Лист1!B1"] == .string("  с пробелами  "))
        #expect(got["Лист1!C1"] == .string("hello world"), "a run of whitespace alone is kept")
        #expect(got["Лист1!D1"] == .string(" экранированный пробел "), "escaped spaces are characters, not XML whitespace")
        #expect(got["Лист1!E1"] == .string("встроенная"))
        #expect(got["Лист1!F1"] == .string(" сохранена "))
        #expect(got["Лист1!G1"] == .string("Петров Пётр"))
    }
}
