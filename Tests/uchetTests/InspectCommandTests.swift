import CivilDate
import Foundation
import Spreadsheet
import TestSupport
import Testing

@Suite struct InspectCommandTests {
    func workbook(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("9А.xlsx")
        let writer = try XLSXWriter(path: path)
        let sheet = try writer.addSheet("Отметки")
        try sheet.addRow(texts: ["ФИО", "Отметка", "Дата", "Ответ"], style: .bold)
        try sheet.addRow([.text("Иванов \"Ваня\"\tИван"), .number(4), .date(CivilDate(year: 2025, month: 9, day: 1)!), .bool(true)])
        try writer.addSheet("Пустой").addRow([])
        try writer.close()
        return path
    }

    @Test func printsOneJSONLinePerNonEmptyCell() throws {
        let dir = TemporaryDirectory()
        let run = try Uchet.run(["inspect", try workbook(dir)])
        #expect(run.status == 0)
        #expect(
            run.stdout.split(separator: "\n") == [
                #"{"sheet":"Отметки","ref":"A1","type":"string","value":"ФИО"}"#,
                #"{"sheet":"Отметки","ref":"B1","type":"string","value":"Отметка"}"#,
                #"{"sheet":"Отметки","ref":"C1","type":"string","value":"Дата"}"#,
                #"{"sheet":"Отметки","ref":"D1","type":"string","value":"Ответ"}"#,
                #"{"sheet":"Отметки","ref":"A2","type":"string","value":"Иванов \"Ваня\"\tИван"}"#,
                #"{"sheet":"Отметки","ref":"B2","type":"number","value":4}"#,
                #"{"sheet":"Отметки","ref":"C2","type":"date","value":"2025-09-01"}"#,
                #"{"sheet":"Отметки","ref":"D2","type":"bool","value":true}"#
            ])
    }

    @Test func choosesSheetByNameOrNumberAndPrintsCSV() throws {
        let dir = TemporaryDirectory()
        let path = try workbook(dir)
        let byName = try Uchet.run(["inspect", path, "--sheet", "Отметки", "--format", "csv"])
        let byNumber = try Uchet.run(["inspect", path, "--sheet", "1", "--format", "csv"])
        #expect(byName.status == 0)
        #expect(byName.stdout == byNumber.stdout)
        #expect(byName.stdout.contains("Отметки,A2,string,\"Иванов \"\"Ваня\"\"\tИван\"\n"))
        #expect(byName.stdout.contains("Отметки,C2,date,2025-09-01\n"))
        let missing = try Uchet.run(["inspect", path, "--sheet", "Нет"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("«Отметки», «Пустой»"))
    }

    @Test func statsCountsByType() throws {
        let dir = TemporaryDirectory()
        let run = try Uchet.run(["inspect", try workbook(dir), "--stats"])
        #expect(
            run.stdout
                == "лист «Отметки»: строк 2, ячеек 8 (string 5, number 1, bool 1, date 1, error 0)\nлист «Пустой»: строк 0, ячеек 0 (string 0, number 0, bool 0, date 0, error 0)\n"
        )
    }

    @Test func csvGivesDialectOnStderrAndFindingsWithLines() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("журнал.csv", bytes: Windows1251.encode("Ученик;Отметка\r\nИванов;5\r\n\"Петров\"x;4\r\n"))
        let run = try Uchet.run(["inspect", path])
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").first == #"{"ref":"A1","type":"string","value":"Ученик"}"#)
        #expect(run.stderr.contains("журнал.csv: разделитель «;», кодировка Windows-1251, перевод строки CR LF"))
        #expect(run.stderr.contains("журнал.csv, строка 3: после закрывающей кавычки"))
    }
}

/// Each hostile file: one line on stderr, a non-zero exit, no crash, bounded memory.
@Suite struct HostileFileTests {
    func expectRejected(_ path: String, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try Uchet.run(["inspect", path], timeout: 60)
        #expect(!run.crashed, sourceLocation: sourceLocation)
        #expect(run.status == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("uchet: ") == true, sourceLocation: sourceLocation)
        for word in words { #expect(run.stderr.contains(word), "\(run.stderr)", sourceLocation: sourceLocation) }
        #expect(run.maxRSSKilobytes < 64 * 1024, sourceLocation: sourceLocation)
    }

    @Test func zipBomb() throws {
        let one = try RawZip.deflated("x", [UInt8](repeating: 0, count: 16 << 20))
        let entries = (0..<640).map { i -> RawZip.Entry in
            var e = one
            e.name = "xl/worksheets/sheet\(i).xml"
            return e
        }
        let dir = TemporaryDirectory()
        try expectRejected(try dir.write("bomb.xlsx", bytes: RawZip.archive(entries)), mentioning: ["zip-бомб"])
    }

    @Test func billionLaughsSheet() throws {
        var doctype = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for i in 1...9 { doctype += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">" }
        doctype += "]>"
        let sheet =
            "<?xml version=\"1.0\"?>" + doctype
            + "<worksheet xmlns=\"\(WorkbookParts.main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
        let dir = TemporaryDirectory()
        let path = dir.file("laughs.xlsx")
        try WorkbookParts.write(to: path, sheets: [("Л", sheet)])
        try expectRejected(path, mentioning: ["сущность", "sheet1.xml"])
    }

    @Test func externalEntitySheet() throws {
        let sheet =
            "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><worksheet xmlns=\"\(WorkbookParts.main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"
        let dir = TemporaryDirectory()
        let path = dir.file("xxe.xlsx")
        try WorkbookParts.write(to: path, sheets: [("Л", sheet)])
        try expectRejected(path, mentioning: ["xxe"])
    }

    @Test func truncatedZip() throws {
        let dir = TemporaryDirectory()
        let whole = dir.file("whole.xlsx")
        let writer = try XLSXWriter(path: whole)
        let sheet = try writer.addSheet("Л")
        for i in 0..<2000 { try sheet.addRow([.number(i), .text("строка \(i)")]) }
        try writer.close()
        let bytes = try readBytes(whole)
        try expectRejected(try dir.write("cut.xlsx", bytes: Array(bytes[0..<bytes.count * 2 / 3])), mentioning: ["cut.xlsx", "ZIP"])
    }

    @Test func textFileNamedXLSX() throws {
        let dir = TemporaryDirectory()
        try expectRejected(try dir.write("отметки.xlsx", text: "ФИО;Отметка\nИванов;5\n"), mentioning: ["не ZIP-архив"])
    }

    @Test func entryNamedToClimbOut() throws {
        let dir = TemporaryDirectory()
        try expectRejected(
            try dir.write("climb.xlsx", bytes: RawZip.archive([.stored("../../x", [1]), .stored("xl/workbook.xml", [1])])),
            mentioning: ["../../x", ".."])
    }

    @Test func passwordProtectedWorkbookIsNamedAnOLEFile() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SpreadsheetTests/Fixtures/encrypted.xlsx").path
        try expectRejected(fixture, mentioning: ["OLE", "паролем"])
    }
}

/// Large and sparse sheets read in bounded memory.
@Suite struct BoundedMemoryTests {
    @Test func twoMillionEmptyCells() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("empty-cells.xlsx")
        let row = String(repeating: "<c/>", count: 1000)
        let rows = (1...2000).map { "<row r=\"\($0)\">\(row)</row>" }.joined()
        try WorkbookParts.write(to: path, rows: rows)
        let run = try Uchet.run(["inspect", path, "--stats"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "лист «Лист1»: строк 0, ячеек 0 (string 0, number 0, bool 0, date 0, error 0)\n")
        #expect(run.maxRSSKilobytes < 64 * 1024)
    }

    @Test func twoMillionEmptyCellsInOneRow() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("one-row.xlsx")
        try WorkbookParts.write(to: path, rows: "<row r=\"1\"><c r=\"A1\"><v>1</v></c>" + String(repeating: "<c/>", count: 2_000_000) + "</row>")
        let run = try Uchet.run(["inspect", path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == #"{"sheet":"Лист1","ref":"A1","type":"number","value":1}"# + "\n")
        #expect(run.maxRSSKilobytes < 64 * 1024)
        // A value past XFD is refused, with the row named.
        try WorkbookParts.write(to: path, rows: "<row r=\"3\">" + String(repeating: "<c/>", count: 16_384) + "<c><v>1</v></c></row>")
        let beyond = try Uchet.run(["inspect", path])
        #expect(beyond.status == 1)
        #expect(beyond.stderr.contains("в строке 3 значение в столбце 16385"))
    }

    @Test func cellsAtTheFarCorners() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("corners.xlsx")
        try WorkbookParts.write(to: path, rows: #"<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048576"><c r="A1048576"><v>2</v></c></row>"#)
        let run = try Uchet.run(["inspect", path])
        #expect(run.status == 0)
        #expect(
            run.stdout.split(separator: "\n") == [
                #"{"sheet":"Лист1","ref":"XFD1","type":"number","value":1}"#,
                #"{"sheet":"Лист1","ref":"A1048576","type":"number","value":2}"#
            ])
        #expect(run.maxRSSKilobytes < 64 * 1024)
    }

    @Test func memoryDoesNotGrowWithTheRowCount() throws {
        let dir = TemporaryDirectory()
        func sheet(_ rows: Int) throws -> String {
            let path = dir.file("rows-\(rows).xlsx")
            let writer = try XLSXWriter(path: path)
            let sheet = try writer.addSheet("Журнал")
            for i in 0..<rows {
                try sheet.addRow([
                    .date(CivilDate(year: 2025, month: 9, day: 1)!.adding(days: i % 200)), .text("Ученик \(i % 500)"),
                    .text("Предмет \(i % 13)"), .number(2 + i % 4), .text(i % 7 == 0 ? "н" : "ответ")
                ])
            }
            try writer.close()
            return path
        }
        let small = try Uchet.run(["inspect", try sheet(5_000), "--stats"])
        let large = try Uchet.run(["inspect", try sheet(200_000), "--stats"])
        #expect(small.status == 0 && large.status == 0)
        #expect(large.stdout.contains("строк 200000, ячеек 1000000"))
        // Forty times the rows; the peak may differ by buffers, not by rows.
        #expect(large.maxRSSKilobytes - small.maxRSSKilobytes < 8 * 1024, "small \(small.maxRSSKilobytes) KB, large \(large.maxRSSKilobytes) KB")
    }
}
