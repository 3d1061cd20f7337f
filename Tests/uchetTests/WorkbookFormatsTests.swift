import Foundation
import Spreadsheet
import TestSupport
import Testing

/// ODS, the journal's HTML export and scans through the built binary: the
/// same summary sheet reads the same whichever way it was saved, and a scan
/// is named, never parsed.
@Suite struct WorkbookFormatsTests {
    static let title = "Сводная ведомость 9А класса за 1 четверть 2025/2026 учебного года"
    static let students = [("1", "Иванов Иван Иванович", "5", "4"), ("2", "Петрова Анна Сергеевна", "4", "н/а")]

    func ods(_ dir: TemporaryDirectory) throws -> String {
        func text(_ s: String) -> String { #"<table:table-cell office:value-type="string"><text:p>\#(s)</text:p></table:table-cell>"# }
        func number(_ s: String) -> String {
            Double(s) == nil ? text(s) : #"<table:table-cell office:value-type="float" office:value="\#(s)"><text:p>\#(s)</text:p></table:table-cell>"#
        }
        var rows =
            #"<table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="4"><text:p>\#(WorkbookFormatsTests.title)</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="3"/><table:table-cell table:number-columns-repeated="1020"/></table:table-row>"#
        rows += "<table:table-row>" + ["№", "ФИО", "Русский язык", "Алгебра"].map(text).joined() + "</table:table-row>"
        for s in WorkbookFormatsTests.students {
            rows +=
                "<table:table-row>" + number(s.0) + text(s.1) + number(s.2) + number(s.3)
                + #"<table:table-cell table:number-columns-repeated="1020"/></table:table-row>"#
        }
        rows += #"<table:table-row table:number-rows-repeated="1048572"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#
        let path = dir.file("9А.ods")
        try ODSParts.write(to: path, content: ODSParts.content([ODSParts.table("Ведомость", rows), ODSParts.table("Черновик", style: "ta2", "")]))
        return path
    }

    /// As Сетевой город saves it: HTML in Windows-1251 under an .xls name.
    func html(_ dir: TemporaryDirectory) throws -> String {
        let rows = WorkbookFormatsTests.students.map { "<tr><td>\($0.0)</td><td>\($0.1)</td><td>\($0.2)</td><td>\($0.3)</td></tr>" }.joined()
        let page = """
            <html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><body>
            <h3>\(WorkbookFormatsTests.title)</h3>
            <table border=1><tr><th>№</th><th>ФИО</th><th>Русский язык</th><th>Алгебра</th></tr>\(rows)</table>
            </body></html>
            """
        return try dir.write("9А (Сетевой город).xls", bytes: Windows1251.encode(page))
    }

    @Test func checkReadsTheSummarySheetFromODSAndFromTheJournalsHTML() throws {
        let dir = try workingFolder()
        for (path, format) in [(try ods(dir), "ODS"), (try html(dir), "HTML")] {
            let run = try Uchet.run(["check", path], in: dir.path)
            #expect(run.status == 0, "\(format): \(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("(\(format))"))
            #expect(run.stdout.contains("(period-marks-wide)"), "\(format): \(run.stdout)")
            #expect(run.stdout.contains("отметки за периоды: 4 — п. 3.2.1"), "\(format): \(run.stdout)")
        }
        let hidden = try Uchet.run(["check", try ods(dir)], in: dir.path)
        #expect(hidden.stdout.contains("лист «Черновик»: скрыт, пропущен"))
    }

    @Test func inspectPrintsEveryCellOfODSAndHTMLInTheSameFormat() throws {
        let dir = TemporaryDirectory()
        let odsRun = try Uchet.run(["inspect", try ods(dir)])
        #expect(odsRun.status == 0, "\(odsRun.stderr)")
        let odsLines = odsRun.stdout.split(separator: "\n")
        #expect(odsLines.first == #"{"sheet":"Ведомость","ref":"A1","type":"string","value":"\#(WorkbookFormatsTests.title)"}"#)
        #expect(odsLines.contains(#"{"sheet":"Ведомость","ref":"C3","type":"number","value":5}"#))
        #expect(odsLines.contains(#"{"sheet":"Ведомость","ref":"D4","type":"string","value":"н/а"}"#))
        #expect(odsLines.count == 1 + 4 + 8)

        let htmlRun = try Uchet.run(["inspect", try html(dir), "--format", "csv"])
        #expect(htmlRun.status == 0, "\(htmlRun.stderr)")
        #expect(htmlRun.stdout.hasPrefix("Таблица 1,A1,string,\(WorkbookFormatsTests.title)\nТаблица 1,A2,string,№\n"))
        #expect(htmlRun.stdout.contains("Таблица 1,B3,string,Иванов Иван Иванович\nТаблица 1,C3,string,5\n"))

        let stats = try Uchet.run(["inspect", try ods(dir), "--stats"])
        #expect(
            stats.stdout
                == "лист «Ведомость»: строк 4, ячеек 13 (string 8, number 5, bool 0, date 0, error 0)\nлист «Черновик»: строк 0, ячеек 0 (string 0, number 0, bool 0, date 0, error 0)\n"
        )
        let htmlStats = try Uchet.run(["inspect", try html(dir), "--stats"])
        #expect(htmlStats.stdout == "лист «Таблица 1»: строк 4, ячеек 13 (string 13, number 0, bool 0, date 0, error 0)\n")
    }

    /// A PDF's first bytes, and enough after them to look like a file.
    static let pdf = Array("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".utf8) + [UInt8](repeating: 0x8F, count: 256)

    @Test func aScanAloneIsNamedAsOneAndNotParsed() throws {
        let dir = try workingFolder()
        let scan = try dir.write("Грамота Иванова.pdf", bytes: WorkbookFormatsTests.pdf)
        let check = try Uchet.run(["check", scan], in: dir.path)
        #expect(check.status == 0, "waiting for its sidecar is not an error, as in `uchet run`: \(check.stdout)")
        #expect(check.stdout.contains("Грамота Иванова.pdf (скан)"))
        #expect(check.stdout.contains("сведение I-SCAN-ALONE: это скан (PDF), а не таблица: он принимается вместе со своим файлом-описанием .json"))
        #expect(!check.stdout.contains("E-PROFILE") && !check.stdout.contains("CSV") && !check.stdout.contains("�"), "\(check.stdout)")

        let inspect = try Uchet.run(["inspect", scan])
        #expect(inspect.status == 1)
        #expect(inspect.stdout.isEmpty)
        #expect(inspect.stderr.contains("это скан (PDF), а не таблица"), "\(inspect.stderr)")

        let misnamed = try dir.write("ведомость.csv", bytes: WorkbookFormatsTests.pdf)
        let refused = try Uchet.run(["check", misnamed], in: dir.path)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("ошибка E-FILE-FORMAT: имя у файла как у таблицы, но это скан (PDF)"), "\(refused.stdout)")
    }

    @Test func aScanCheckedWithItsSidecarIsNotAlone() throws {
        let dir = try workingFolder()
        let scan = try dir.write("диплом.pdf", bytes: WorkbookFormatsTests.pdf)
        let sidecar = try dir.write(
            "диплом.json",
            text: #"{"ФИО": "Иванов Иван Иванович", "class": "9А", "category": "олимпиада", "event": "Олимпиада", "document": "диплом", "scan": "диплом.pdf"}"#)
        let run = try Uchet.run(["check", sidecar, scan], in: dir.path)
        #expect(run.stdout.contains("I-SCAN-SIDECAR: скан к файлу-описанию «диплом.json»"), "\(run.stdout)")
        #expect(!run.stdout.contains("I-SCAN-ALONE"))
    }

    @Test func runLeavesALoneScanWaitingAndRejectsAScanUnderATablesName() throws {
        let dir = try workingFolder()
        try dir.write("inbox/Грамота.pdf", bytes: WorkbookFormatsTests.pdf)
        try dir.write("inbox/ведомость.xlsx", bytes: WorkbookFormatsTests.pdf)
        let run = try Uchet.run(["run", "--now"], in: dir.path)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.file("inbox/Грамота.pdf")))
        #expect(run.stdout.contains("Сканы без файла-описания (ждут в inbox): 1"))
        let rejected = try FileManager.default.subpathsOfDirectory(atPath: dir.file("inbox/rejected")).filter { $0.hasSuffix("ведомость.xlsx.report.txt") }
        let report = try String(contentsOfFile: dir.file("inbox/rejected/" + (rejected.first ?? "")), encoding: .utf8)
        #expect(report.contains("E-FILE-FORMAT"))
        #expect(report.contains("это скан (PDF)"))
    }
}
