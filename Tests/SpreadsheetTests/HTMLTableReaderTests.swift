import Foundation
import TestSupport
import Testing
@testable import Spreadsheet

@Suite struct HTMLTableReaderTests {
    /// The journal's «Excel» export as Сетевой город writes it: a title block, one table, a signature.
    static let journalExport = #"""
        <html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><title>Отчёт</title>
        <style>td { border: 1px solid }</style></head>
        <body>
        <h2>Итоговые отметки 9А класса</h2>
        <div>за 2025/2026 учебный год</div>
        <table border="1">
          <tr><th rowspan="2">№</th><th rowspan="2">ФИО</th><th colspan="2">Алгебра</th><th>Физика</th></tr>
          <tr><th>1 ч.</th><th>Год</th><th>Год</th></tr>
          <tr><td>1</td><td>Иванов&nbsp;Иван<br>Иванович</td><td> 5 </td><td>5</td><td>4</td></tr>
          <tr><td>2</td><td>Петрова   Анна</td><td></td><td>4</td><td>&nbsp;</td></tr>
        </table>
        <p>Классный руководитель ________ Петрова Н. В.</p>
        </body></html>
        """#

    func write(_ dir: TemporaryDirectory, _ name: String, _ html: String, encoding: (String) -> [UInt8] = { Array($0.utf8) }) throws -> String {
        try dir.write(name, bytes: encoding(html))
    }

    @Test func journalExportInWindows1251NamedXLS() throws {
        let dir = TemporaryDirectory()
        let path = try write(dir, "9А-итоговые.xls", HTMLTableReaderTests.journalExport, encoding: Windows1251.encode)
        #expect(try TableFileKind.of(path: path) == .html)
        let reader = try HTMLTableReader(path: path)
        #expect(reader.encoding == "windows-1251")
        #expect(reader.encodingSource == .declared)
        #expect(reader.sheets.map(\.name) == ["Таблица 1"])
        var rows: [Row] = []
        let scan = try reader.scan(reader.sheets[0]) {
            rows.append($0.row)
            return .continue
        }
        let grid = rows.map { row in row.cells.map { "\(CellReference(column: $0.column, row: row.number))=\($0.value.text)" } }
        #expect(
            grid == [
                ["A1=Итоговые отметки 9А класса"],
                ["A2=за 2025/2026 учебный год"],
                ["A3=№", "B3=ФИО", "C3=Алгебра", "E3=Физика"],
                ["C4=1 ч.", "D4=Год", "E4=Год"],
                ["A5=1", "B5=Иванов Иван\nИванович", "C5=5", "D5=5", "E5=4"],
                ["A6=2", "B6=Петрова Анна", "D6=4"],
                ["A7=Классный руководитель ________ Петрова Н. В."]
            ])
        #expect(rows.allSatisfy { $0.cells.allSatisfy { $0.value.kind == .string } }, "values in HTML are text")
        #expect(scan.merges.map(\.description) == ["A3:A4", "B3:B4", "C3:D3"])
        #expect(scan.rowsSeen == 4)
    }

    @Test func rowspansPushLaterCellsRight() throws {
        let dir = TemporaryDirectory()
        let html = #"""
            <table><caption>Сетка</caption>
            <tr><td rowspan="3">a</td><td>b</td><td rowspan="2" colspan="2">c</td><td>d</td></tr>
            <tr><td>e</td><td>f</td></tr>
            <tr><td>g</td><td>h</td><td>i</td><td>j</td></tr>
            </table>
            """#
        let reader = try HTMLTableReader(path: try write(dir, "g.html", html))
        #expect(reader.sheets.map(\.name) == ["Сетка"])
        let got = try cells(of: reader)
        #expect(
            got == [
                "Сетка!A1": .string("a"), "Сетка!B1": .string("b"), "Сетка!C1": .string("c"), "Сетка!E1": .string("d"),
                "Сетка!B2": .string("e"), "Сетка!E2": .string("f"),
                "Сетка!B3": .string("g"), "Сетка!C3": .string("h"), "Сетка!D3": .string("i"), "Сетка!E3": .string("j")
            ])
        let scan = try reader.scan(reader.sheets[0]) { _ in .continue }
        #expect(scan.merges.map(\.description) == ["A1:A3", "C1:D2"])
    }

    @Test func everyTableIsASheetAndANestedOneStaysOutOfItsCell() throws {
        let dir = TemporaryDirectory()
        let html = #"""
            <!DOCTYPE html><html><body>
            <h1>Первая</h1>
            <table><tr><td>до <table><caption>Вложенная</caption><tr><td>внутри</td></tr></table> после</td><td>B1</td></tr></table>
            <p>Вторая</p>
            <table><caption>Сводная</caption><tr><td>x</td></tr></table>
            <table><tr><td>y</td></tr></table>
            <table><caption>Сводная</caption><tr><td>z</td></tr></table>
            <p>Подпись</p>
            </body></html>
            """#
        let reader = try HTMLTableReader(path: try write(dir, "t.htm", html))
        #expect(reader.sheets.map(\.name) == ["Таблица 1", "Вложенная", "Сводная", "Таблица 4", "Сводная (2)"])
        let got = try cells(of: reader)
        #expect(
            got == [
                "Таблица 1!A1": .string("Первая"), "Таблица 1!A2": .string("до\nпосле"), "Таблица 1!B2": .string("B1"),
                "Вложенная!A1": .string("внутри"),
                "Сводная!A1": .string("Вторая"), "Сводная!A2": .string("x"),
                "Таблица 4!A1": .string("y"),
                "Сводная (2)!A1": .string("z"), "Сводная (2)!A2": .string("Подпись")
            ])
    }

    @Test(arguments: [
        ("meta charset", #"<meta charset="windows-1251">"#, "windows-1251", HTMLTableReader.EncodingSource.declared),
        ("http-equiv", #"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=Windows-1251">"#, "windows-1251", .declared),
        ("nothing declared", "", "windows-1251", .guessed)
    ])
    func windows1251IsFoundFromTheDeclarationOrTheBytes(_ what: String, meta: String, encoding: String, source: HTMLTableReader.EncodingSource) throws {
        let dir = TemporaryDirectory()
        let html = "<html><head>\(meta)</head><body><table><tr><td>Отметка</td><td>Ёлкина Жанна</td></tr></table></body></html>"
        let reader = try HTMLTableReader(path: try write(dir, "e.xls", html, encoding: Windows1251.encode))
        #expect(reader.encoding == encoding)
        #expect(reader.encodingSource == source)
        #expect(try cells(of: reader) == ["Таблица 1!A1": .string("Отметка"), "Таблица 1!B1": .string("Ёлкина Жанна")])
    }

    @Test func utf8WithABOMOrWithoutADeclaration() throws {
        let dir = TemporaryDirectory()
        let html = "<table><tr><td>Отметка</td></tr></table>"
        let bom = try HTMLTableReader(path: try write(dir, "bom.html", html) { [0xEF, 0xBB, 0xBF] + Array($0.utf8) })
        #expect(bom.encodingSource == .byteOrderMark)
        #expect(try cells(of: bom) == ["Таблица 1!A1": .string("Отметка")])
        let plain = try HTMLTableReader(path: try write(dir, "plain.html", html))
        #expect(plain.encoding == "UTF-8")
        #expect(try cells(of: plain) == ["Таблица 1!A1": .string("Отметка")])
    }

    @Test func aPageWithoutTablesHasNoSheets() throws {
        let dir = TemporaryDirectory()
        let reader = try HTMLTableReader(path: try write(dir, "p.html", "<html><body><p>Нет данных</p></body></html>"))
        #expect(reader.sheets.isEmpty)
    }

    @Test func aCellPastTheLimitIsRefused() throws {
        let dir = TemporaryDirectory()
        let html = "<table><tr><td>" + String(repeating: "5", count: 2000) + "</td></tr></table>"
        let reader = try HTMLTableReader(path: try write(dir, "big.html", html), limits: SpreadsheetLimits(maxCellBytes: 1000))
        let error = #expect(throws: SpreadsheetError.self) { try reader.scan(reader.sheets[0]) { _ in .continue } }
        #expect(error?.code == .tooLarge)
    }

    @Test func scanStopsWhenTheVisitorSaysSo() throws {
        let dir = TemporaryDirectory()
        let rows = (1...100).map { "<tr><td>\($0)</td></tr>" }.joined()
        let reader = try HTMLTableReader(path: try write(dir, "r.html", "<table>\(rows)</table><p>после</p>"))
        #expect(try reader.rows(reader.sheets[0], limit: 3).map(\.number) == [1, 2, 3])
        var count = 0
        let scan = try reader.scan(reader.sheets[0]) { _ in
            count += 1
            return count == 10 ? .stop : .continue
        }
        #expect(!scan.completed)
        #expect(count == 10)
    }
}

@Suite struct TableFileKindSignatureTests {
    @Test(arguments: [
        "<!DOCTYPE html><html>", "<!doctype HTML>", "  \r\n<HTML lang=ru>", "<table border=1><tr>", "<meta charset=utf-8>",
        "<head><title>x</title></head>", "\u{FEFF}<html>", "<!-- выгрузка --><table>", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
    ])
    func htmlIsToldByItsMarkup(start: String) throws {
        let dir = TemporaryDirectory()
        #expect(try TableFileKind.of(path: dir.write("export.xls", text: start + "<body></body>")) == .html)
    }

    @Test(arguments: ["ФИО;Отметка\n<table>;5\n", "<tablet;x\n", "html;x\n", "<h1>\n"])
    func textThatIsNotMarkupIsCSV(start: String) throws {
        let dir = TemporaryDirectory()
        #expect(try TableFileKind.of(path: dir.write("t.csv", text: start)) == .csv)
    }

    static let signatures: [([UInt8], ScanFormat)] = {
        var list: [([UInt8], ScanFormat)] = []
        list.append((Array("%PDF-1.7\n".utf8), .pdf))
        list.append(([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D], .png))
        list.append(([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], .jpeg))
        list.append(([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0], .tiff))
        list.append(([0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8], .tiff))
        list.append((Array("GIF89a".utf8) + [1, 0, 1, 0], .gif))
        list.append(([0x42, 0x4D, 0x3A, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0], .bmp))
        list.append((Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8), .webp))
        list.append(([0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0], .heic))
        return list
    }()

    @Test(arguments: signatures)
    func scansAreToldByTheirSignatures(bytes: [UInt8], format: ScanFormat) throws {
        let dir = TemporaryDirectory()
        #expect(try TableFileKind.of(path: dir.write("scan.xlsx", bytes: bytes + [UInt8](repeating: 0, count: 32))) == .scan(format))
    }

    @Test func textStartingLikeABitmapIsStillCSV() throws {
        let dir = TemporaryDirectory()
        #expect(try TableFileKind.of(path: dir.write("t.csv", text: "BMI;Рост\n21;170\n")) == .csv)
    }

    @Test func refusalsSayWhatTheFileIsAndWhatToDo() {
        #expect(TableFileKind.ole.refusal?.hasPrefix("это документ OLE") == true)
        #expect(TableFileKind.ole.refusal?.contains("HTML") == true)
        #expect(TableFileKind.scan(.pdf).refusal?.hasPrefix("это скан (PDF), а не таблица") == true)
        #expect(TableFileKind.xlsx.refusal == nil)
        #expect(ScanFormat.isScanName("Грамота.PDF"))
        #expect(!ScanFormat.isScanName("grades.pdf.csv"))
    }
}
