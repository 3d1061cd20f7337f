import CivilDate
import Foundation
import TestSupport
import Testing
import ZipIO
@testable import Spreadsheet

@Suite struct XLSXWriterTests {
    func sample(_ path: String, sharedStrings: Bool = true) throws {
        let writer = try XLSXWriter(path: path, sharedStrings: sharedStrings)
        let marks = try writer.addSheet("Отметки 9А", layout: SheetLayout(columnWidths: [5, 30, 12, 14], frozenRows: 1, printLandscape: true))
        try marks.addRow(texts: ["№", "ФИО", "Отметка", "Дата"], style: .header)
        try marks.addRow([.number(1), .text("Иванов Иван"), .number(5), .date(CivilDate(year: 2025, month: 9, day: 1)!)])
        try marks.addRow([
            .number(2), .text("  Петрова  "), .text("н/а"),
            XLSXCell(XLSXCell.Value.dateTime(CivilDateTime(date: CivilDate(year: 2026, month: 5, day: 25)!, secondsOfDay: 30600)))
        ])
        try marks.addRow([nil, .text("=1+1"), .text("+7 (900) 000-00-00"), .text("-")])
        try marks.addRow([nil, .text("@почта"), .bool(true), .number(4.25)])
        try marks.addRow([nil, .text("строка\nс переводом"), .text("_x0041_ и \u{1}"), .number(-0.5)])
        marks.merge(CellRange("A7:D7")!)
        try marks.addRow([.text("Итого по классу", .bold)])
        let other = try writer.addSheet("Второй")
        try other.addRow([.text("второй лист")])
        try writer.close()
    }

    @Test func readsBackWhatItWrote() throws {
        for shared in [true, false] {
            let dir = TemporaryDirectory()
            let path = dir.file("w.xlsx")
            try sample(path, sharedStrings: shared)
            let reader = try XLSXReader(path: path)
            #expect(reader.sheets.map(\.name) == ["Отметки 9А", "Второй"])
            let got = try cells(path)
            #expect(got["Отметки 9А!A1"] == .string("№"))
            #expect(got["Отметки 9А!B2"] == .string("Иванов Иван"))
            #expect(got["Отметки 9А!C2"] == .number(5))
            #expect(got["Отметки 9А!D2"] == date(2025, 9, 1))
            #expect(got["Отметки 9А!B3"] == .string("  Петрова  "))
            #expect(got["Отметки 9А!D3"] == date(2026, 5, 25, 30600))
            #expect(got["Отметки 9А!B4"] == .string("=1+1"), "a string that looks like a formula stays text")
            #expect(got["Отметки 9А!C4"] == .string("+7 (900) 000-00-00"))
            #expect(got["Отметки 9А!D4"] == .string("-"))
            #expect(got["Отметки 9А!B5"] == .string("@почта"))
            #expect(got["Отметки 9А!C5"] == .bool(true))
            #expect(got["Отметки 9А!D5"] == .number(4.25))
            #expect(got["Отметки 9А!B6"] == .string("строка\nс переводом"))
            #expect(got["Отметки 9А!C6"] == .string("_x0041_ и \u{1}"))
            #expect(got["Отметки 9А!D6"] == .number(-0.5))
            #expect(got["Отметки 9А!A7"] == .string("Итого по классу"))
            #expect(got["Второй!A1"] == .string("второй лист"))
            #expect(got.count == 23)
            let scan = try reader.scan(reader.sheets[0]) { _ in .continue }
            #expect(scan.merges.map(\.description) == ["A7:D7"])
        }
    }

    @Test func writesFormulaLookingStringsAsTextCells() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("f.xlsx")
        try sample(path, sharedStrings: false)
        var archive = try ZipArchive(path: path)
        let sheet = String(decoding: try archive.readAll(try archive.require("xl/worksheets/sheet1.xml")), as: UTF8.self)
        #expect(!sheet.contains("<f>"))
        #expect(sheet.contains(#"<c r="B4" t="inlineStr"><is><t>=1+1</t></is></c>"#))
        #expect(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(sheet.contains(#"<col min="2" max="2" width="30.0" customWidth="1"/>"#))
        #expect(sheet.contains(#"<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>"#))
        let styles = String(decoding: try archive.readAll(try archive.require("xl/styles.xml")), as: UTF8.self)
        #expect(styles.contains("<b/>"))
    }

    @Test func sameCallsGiveTheSameBytes() throws {
        let dir = TemporaryDirectory()
        try sample(dir.file("1.xlsx"))
        try sample(dir.file("2.xlsx"))
        let one = try readBytes(dir.file("1.xlsx"))
        #expect(one == (try readBytes(dir.file("2.xlsx"))))
        // The clock never enters: every zip header carries the fixed 1980-01-01 00:00.
        let stamps = RawZip.headerTimestamps(one)
        #expect(!stamps.isEmpty)
        #expect(stamps.allSatisfy { $0 == [0, 0, 0x21, 0] })
    }

    @Test(arguments: ["", "слишком длинное имя листа больше 31", "a/b", "x[1]", "'кавычка", "вопрос?"])
    func refusesSheetNamesExcelWouldNot(name: String) throws {
        let dir = TemporaryDirectory()
        let writer = try XLSXWriter(path: dir.file("n.xlsx"))
        #expect(throws: SpreadsheetError.self) { _ = try writer.addSheet(name) }
    }

    @Test func refusesDuplicateSheetNames() throws {
        let dir = TemporaryDirectory()
        let writer = try XLSXWriter(path: dir.file("n.xlsx"))
        _ = try writer.addSheet("Лист")
        #expect(throws: SpreadsheetError.self) { _ = try writer.addSheet("лист") }
    }

    @Test func leavesNoTemporaryFilesBehind() throws {
        let dir = TemporaryDirectory()
        try sample(dir.file("w.xlsx"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["w.xlsx"])
        do {
            let abandoned = try XLSXWriter(path: dir.file("x.xlsx"))
            try abandoned.addSheet("A").addRow(texts: ["a"])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["w.xlsx"])
    }
}
