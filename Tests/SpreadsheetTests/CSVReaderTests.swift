import Foundation
import TestSupport
import Testing
@testable import Spreadsheet

func csvRows(_ bytes: [UInt8], limits: CSVLimits = .default) throws -> (CSVReader, [Row]) {
    let dir = TemporaryDirectory()
    let path = try dir.write("t.csv", bytes: bytes)
    let reader = try CSVReader(path: path, limits: limits)
    return (reader, try reader.rows())
}

func texts(_ row: Row) -> [String] {
    var out: [String] = []
    for cell in row.cells {
        while out.count < cell.column - 1 { out.append("") }
        out.append(cell.value.text)
    }
    return out
}

@Suite struct CSVReaderTests {
    @Test func quotingPerRFC4180() throws {
        let text = "ФИО;Комментарий;Отметка\r\n\"Иванов; Иван\";\"сказал \"\"привет\"\"\";5\r\n\"многострочный\r\nтекст\";;4\r\n"
        let (reader, rows) = try csvRows(Array(text.utf8))
        #expect(reader.dialect.separator == UInt8(ascii: ";"))
        #expect(reader.dialect.lineBreak == .crlf)
        #expect(rows.map(texts) == [["ФИО", "Комментарий", "Отметка"], ["Иванов; Иван", "сказал \"привет\"", "5"], ["многострочный\r\nтекст", "", "4"]])
        #expect(rows.map(\.number) == [1, 2, 3], "a record is numbered by the line it starts on")
        #expect(reader.findings.isEmpty)
    }

    @Test(arguments: [(",", UInt8(ascii: ",")), ("\t", UInt8(0x09)), (";", UInt8(ascii: ";"))])
    func separatorIsFoundFromTheContent(sep: String, byte: UInt8) throws {
        let lines = [
            "Дата\(sep)Класс\(sep)Ученик\(sep)Отметка", "01.09.2025\(sep)9А\(sep)\"Иванов, Иван\"\(sep)5", "02.09.2025\(sep)9А\(sep)Петрова Анна\(sep)4,5"
        ]
        let (reader, rows) = try csvRows(Array(lines.joined(separator: "\n").utf8))
        #expect(reader.dialect.separator == byte)
        #expect(reader.dialect.lineBreak == .lf)
        #expect(rows.count == 3)
        #expect(texts(rows[1])[2] == "Иванов, Иван")
    }

    @Test func titleLinesDoNotConfuseTheSeparator() throws {
        let text = "Выгрузка из электронного журнала, 9А класс\n\nДата;Ученик;Предмет;Отметка\n01.09.2025;Иванов;Алгебра;5\n02.09.2025;Петров;Алгебра;4,5\n"
        let (reader, rows) = try csvRows(Array(text.utf8))
        #expect(reader.dialect.separator == UInt8(ascii: ";"))
        #expect(rows.count == 4)
        #expect(rows[1].number == 3)
    }

    @Test func encodingsAreDetectedFromBytes() throws {
        let text = "Ученик;Предмет;Отметка\nЁлкина Мария;Физическая культура;зачтено\n"
        let (utf8, rows8) = try csvRows(Array(text.utf8))
        #expect(utf8.dialect.encoding == .utf8)
        let (bom, rowsBOM) = try csvRows([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(bom.dialect.encoding == .utf8BOM)
        let (cp, rows1251) = try csvRows(Windows1251.encode(text))
        #expect(cp.dialect.encoding == .windows1251)
        #expect(rows8 == rowsBOM)
        #expect(rows8 == rows1251)
        #expect(texts(rows1251[1]) == ["Ёлкина Мария", "Физическая культура", "зачтено"])
    }

    @Test func windows1251TableMatchesTheCodePage() {
        let sample = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя№«»—–…€™"
        let bytes = Windows1251.encode(sample)
        #expect(bytes.count == sample.count)
        #expect(bytes.withUnsafeBufferPointer { Windows1251.decode($0) } == sample)
        #expect(Windows1251.encode("Ё№") == [0xA8, 0xB9])
    }

    @Test func unterminatedQuoteIsReportedAndNothingAfterItIsLost() throws {
        let text = "a;b\n1;\"открыта\n2;x\n3;y\n"
        let (reader, rows) = try csvRows(Array(text.utf8))
        #expect(rows.map(texts) == [["a", "b"], ["1", "\"открыта"], ["2", "x"], ["3", "y"]])
        #expect(rows.map(\.number) == [1, 2, 3, 4])
        #expect(reader.findings.map(\.code) == [.unterminatedQuote])
        #expect(reader.findings.first?.line == 2)
    }

    @Test func textAfterAClosingQuoteIsKeptAndReported() throws {
        let (reader, rows) = try csvRows(Array("a;b\n\"x\"y;2\n".utf8))
        #expect(texts(rows[1]) == ["xy", "2"])
        #expect(
            reader.findings == [
                CSVFinding(
                    code: .textAfterQuote, line: 2,
                    message: "после закрывающей кавычки в поле 1 идут ещё символы; они оставлены в поле")
            ])
    }

    @Test func overlongRecordIsSkippedWithItsLine() throws {
        var bytes = Array("a;b\n1;2\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 300_000)
        bytes += Array("\n3;4\n".utf8)
        let (reader, rows) = try csvRows(bytes, limits: CSVLimits(maxRecordBytes: 100_000))
        #expect(rows.map(texts) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(rows.last?.number == 4)
        #expect(reader.findings.map(\.code) == [.recordTooLong])
        #expect(reader.findings.first?.line == 3)
    }

    @Test func invalidUTF8AndNULAreFindings() throws {
        var bytes = Array("Ученик;Отметка\nИванов;5\nПетров;".utf8)
        bytes += [0xFF, 0x00] + Array("4\n".utf8)
        let (reader, rows) = try csvRows(bytes)
        #expect(reader.dialect.encoding == .utf8)
        #expect(texts(rows[2]) == ["Петров", "\u{FFFD}4"])
        #expect(Set(reader.findings.map(\.code)) == [.invalidUTF8, .nulByte])
        #expect(reader.findings.allSatisfy { $0.line == 3 })
    }

    @Test func emptyFileAndBlankLinesGiveNoRecords() throws {
        #expect(try csvRows([]).1.isEmpty)
        #expect(try csvRows(Array("\n\n;;\n".utf8)).1.isEmpty)
    }

    @Test func utf16IsRefusedWithAdvice() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("u.csv", bytes: [0xFF, 0xFE, 0x41, 0x00])
        let error = #expect(throws: SpreadsheetError.self) { try CSVReader(path: path) }
        #expect(error?.message.contains("UTF-16") == true)
    }

    @Test func lineBreaksInQuotesAreKeptAsWritten() throws {
        let text = "Комментарий;Отметка\r\n\"a\r\nb\";5\r\n\"c\nd\";4\r\n\"e\rf\";3\r\n\"g\r\n\r\nh\";2\r\nпосле;1\r\n"
        let (_, rows) = try csvRows(Array(text.utf8))
        #expect(rows.map(texts) == [["Комментарий", "Отметка"], ["a\r\nb", "5"], ["c\nd", "4"], ["e\rf", "3"], ["g\r\n\r\nh", "2"], ["после", "1"]])
        #expect(rows.map(\.number) == [1, 2, 4, 6, 8, 11], "a CR LF inside quotes counts as one line")
    }

    @Test func lastLineWithoutBreakIsRead() throws {
        let (_, rows) = try csvRows(Array("a,b\r\n1,\"2\"".utf8))
        #expect(rows.map(texts) == [["a", "b"], ["1", "2"]])
    }
}

@Suite struct TableFileKindTests {
    @Test func kindComesFromTheBytes() throws {
        let dir = TemporaryDirectory()
        #expect(try TableFileKind.of(path: dir.write("a.csv", bytes: [0x50, 0x4B, 0x03, 0x04, 0])) == .xlsx)
        #expect(try TableFileKind.of(path: dir.write("b.xlsx", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) == .ole)
        #expect(try TableFileKind.of(path: dir.write("c.xlsx", text: "text")) == .xlsx)
        #expect(try TableFileKind.of(path: dir.write("d.txt", text: "a;b")) == .csv)
    }
}
