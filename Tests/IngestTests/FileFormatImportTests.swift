import CivilDate
import Records
import Spreadsheet
import TestSupport
import Testing
@testable import Ingest

/// One roster saved three ways imports the same, and a scan is named, not read.
@Suite struct FileFormatImportTests {
    static let header = ["№", "Фамилия", "Имя", "Отчество", "Дата рождения", "Класс"]
    static let students = [("1", "Иванов", "Иван", "Иванович", "2010-03-04", "9А"), ("2", "Петрова", "Анна", "Сергеевна", "2010-07-12", "9А")]

    func ods(_ bench: Bench) throws -> String {
        func text(_ s: String) -> String { #"<table:table-cell office:value-type="string"><text:p>\#(s)</text:p></table:table-cell>"# }
        var rows = "<table:table-row>" + text("Контингент обучающихся на 01.09.2025") + "</table:table-row>"
        rows += "<table:table-row>" + FileFormatImportTests.header.map(text).joined() + "</table:table-row>"
        for s in FileFormatImportTests.students {
            rows +=
                "<table:table-row>" + #"<table:table-cell office:value-type="float" office:value="\#(s.0)"/>"# + text(s.1) + text(s.2) + text(s.3)
                + #"<table:table-cell office:value-type="date" office:date-value="\#(s.4)"/>"# + text(s.5) + "</table:table-row>"
        }
        let path = bench.dir.file("контингент.ods")
        try ODSParts.write(to: path, content: ODSParts.content([ODSParts.table("Контингент", rows)]))
        return path
    }

    func html(_ bench: Bench) throws -> String {
        let russian = { (iso: String) in CivilDate(parsing: iso)!.russian }
        let rows = FileFormatImportTests.students.map { s in
            "<tr><td>\(s.0)</td><td>\(s.1)</td><td>\(s.2)</td><td>\(s.3)</td><td>\(russian(s.4))</td><td>\(s.5)</td></tr>"
        }.joined()
        let page = """
            <html><head><meta charset="windows-1251"></head><body><p>Контингент обучающихся на 01.09.2025</p>
            <table><tr>\(FileFormatImportTests.header.map { "<th>\($0)</th>" }.joined())</tr>\(rows)</table></body></html>
            """
        return try bench.dir.write("контингент.xls", bytes: Windows1251.encode(page))
    }

    @Test func aRosterReadsTheSameFromODSAndFromHTML() throws {
        let bench = try Bench()
        for (path, format) in [(try ods(bench), FileImport.Format.ods), (try html(bench), .html)] {
            let result = bench.run(path)
            #expect(result.format == format)
            #expect(result.codes.isEmpty, "\(format): \(result.findings)")
            let roster = result.records.compactMap { if case .roster(let r) = $0 { r } else { nil } }
            #expect(roster.map(\.student.name.surname) == ["Иванов", "Петрова"], "\(format)")
            #expect(roster.map { $0.student.birthDate.iso8601 } == ["2010-03-04", "2010-07-12"], "\(format)")
            #expect(FileImporter.sniff(path: path, context: bench.context).kind == .roster, "\(format)")
        }
    }

    @Test func aScanIsNamedNotRead() throws {
        let bench = try Bench()
        let pdf = Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 0xE2, count: 64)
        let alone = bench.run(try bench.dir.write("грамота.pdf", bytes: pdf))
        #expect(alone.format == .scan)
        #expect(alone.findings.map(\.code) == ["I-SCAN-ALONE"])
        #expect(alone.findings.first?.severity == .info)
        #expect(alone.records.isEmpty && alone.sheets.isEmpty)
        #expect(FileImporter.sniff(path: bench.dir.file("грамота.pdf"), context: bench.context).kind == nil)

        let misnamed = bench.run(try bench.dir.write("отметки.xlsx", bytes: pdf))
        #expect(misnamed.codes == ["E-FILE-FORMAT"])
    }

    @Test func aPageWithoutATableIsEmptyAndAnOLEFileIsRefusedWithAdvice() throws {
        let bench = try Bench()
        let page = bench.run(try bench.dir.write("журнал.html", text: "<html><body><p>Нет данных за период</p></body></html>"))
        #expect(page.codes == ["E-FILE-EMPTY"])
        let ole = bench.run(try bench.dir.write("старый.xls", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)))
        #expect(ole.codes == ["E-FILE-FORMAT"])
        #expect(ole.findings.first?.message.contains("сохраните как .xlsx или .ods") == true)
    }
}
