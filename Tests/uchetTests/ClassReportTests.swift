import Foundation
import GRDB
import Spreadsheet
import TestSupport
import Testing
import XMLStream

/// Counts a page's elements and attributes through libxml2's HTML parser.
final class PageCensus: HTMLEventHandler {
    var elements: [String: Int] = [:]
    /// `src`, `href`, `xlink:href`, `action` of any element: a page that needs another file or the network.
    var references: [String] = []
    var cells: [String] = []
    private var inCell = false
    private var text = ""

    func startElement(_ name: XMLName, attributes: HTMLAttributes) throws {
        elements[name.string, default: 0] += 1
        for a in ["src", "href", "xlink:href", "action", "data"] as [StaticString] {
            if let v = attributes.string(a) { references.append(v) }
        }
        if name == "td" || name == "th" {
            inCell = true
            text = ""
        }
    }

    func endElement(_ name: XMLName) throws {
        if name == "td" || name == "th" {
            cells.append(text)
            inCell = false
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if inCell { text += String(decoding: bytes, as: UTF8.self) }
    }

    static func of(_ path: String) throws -> PageCensus {
        let census = PageCensus()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var offset = 0
        try HTMLPushParser.parse(document: path, handler: census, encoding: "UTF-8") { buffer in
            let n = min(buffer.count, bytes.count - offset)
            bytes.copyBytes(to: buffer.bindMemory(to: UInt8.self), from: offset..<(offset + n))
            offset += n
            return n
        }
        return census
    }
}

/// The policy's labels, read from its JSON (not through uchet's loader).
struct PolicyLabels {
    var subjects: [String: String] = [:]
    var periods: [String: String] = [:]

    init(_ id: String = "maou-sosh-134") throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: RepoPaths.policy(id)))) as! [String: Any]
        for s in json["subjects"] as! [[String: Any]] { subjects[s["id"] as! String] = s["label"] as? String }
        for p in json["periods"] as! [[String: Any]] { periods[p["id"] as! String] = p["label"] as? String }
    }
}

@Suite(.serialized) struct ClassReportTests {
    static let year = "2025-2026"

    /// Counts by class, subject label, period label and value, straight from the ledger in SQL: one value per
    /// student, subject and period — the one all its rows agree on, else the winner of a decided conflict,
    /// else none (`NULL`, an open conflict).
    static func independentCounts(_ school: DemoFolder) throws -> [String: [String: Int]] {
        let labels = try PolicyLabels()
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        let rows = try db.read { db in
            try GRDB.Row.fetchAll(
                db,
                sql: """
                    WITH v AS (
                      SELECT m.student_id, m.subject, m.period, e.class, COUNT(DISTINCT m.value) AS n, MIN(m.value) AS value
                      FROM mark m JOIN enrolment e ON e.student_id = m.student_id AND e.year = m.year
                      WHERE m.year = 2025 AND m.kind IN ('period', 'annual')
                      GROUP BY m.student_id, m.subject, m.period, e.class
                    ), r AS (
                      SELECT v.class, v.subject, v.period,
                        CASE WHEN v.n = 1 THEN v.value ELSE (
                          SELECT w.value FROM conflict c JOIN mark w ON w.student_id = c.student_id AND w.fact = c.winner_fact
                          WHERE c.student_id = v.student_id AND c.subject = v.subject AND c.year = 2025 AND c.period = v.period AND c.status = 'resolved')
                        END AS value
                      FROM v
                    )
                    SELECT class, subject, period, COALESCE(value, 'conflict') AS value, COUNT(*) AS n FROM r GROUP BY class, subject, period, value
                    """)
        }
        var out: [String: [String: Int]] = [:]
        for r in rows {
            let key = "\(r["class"] as String)|\(labels.subjects[r["subject"] as String]!)|\(labels.periods[r["period"] as String]!)"
            out[key, default: [:]][r["value"] as String] = r["n"]
        }
        return out
    }

    /// A sheet's table under its header row (the row whose first cell is `first`): header → value per row.
    static func table(_ path: String, sheet: String, first: String) throws -> [[String: CellValue]] {
        let reader = try XLSXReader(path: path)
        let info = try #require(reader.sheets.first { $0.name == sheet })
        let rows = try reader.rows(info)
        let headerIndex = try #require(rows.firstIndex { $0[1]?.text == first })
        let header = Dictionary(uniqueKeysWithValues: rows[headerIndex].cells.map { ($0.column, $0.value.text) })
        return rows[(headerIndex + 1)...].map { row in
            var out: [String: CellValue] = [:]
            for cell in row.cells { if let h = header[cell.column] { out[h] = cell.value } }
            return out
        }
    }

    static func number(_ v: CellValue?) -> Double? {
        if case .number(let n)? = v { return n }
        return nil
    }

    @Test func classReportsAgreeWithAnIndependentCountFromTheLedger() throws {
        let school = try DemoFolder(students: 60, seed: 5)
        let run = try school.run()
        // 1: the demo's deliberate mistakes are rejected, the rest accepted.
        #expect(run.status == 1, "\(run.stderr)")
        let folder = school.path + "/outbox/reports/classes/\(ClassReportTests.year)"
        // `uchet run` wrote them, since period and annual marks came in.
        #expect(FileManager.default.fileExists(atPath: folder + "/школа.xlsx"), "\(run.stdout)")
        #expect(run.stdout.contains("отчёты по классам"), "\(run.stdout)")
        let report = try Uchet.run(["report", "--year", "2025/2026"], in: school.path)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("Школа: успеваемость"), "\(report.stdout)")

        let expected = try ClassReportTests.independentCounts(school)
        let classes = Set(expected.keys.map { String($0.split(separator: "|")[0]) })
        #expect(classes.count >= 5)
        var checked = 0
        var seenKeys: Set<String> = []
        for c in classes {
            let rows = try ClassReportTests.table(folder + "/\(c).xlsx", sheet: "Предметы", first: "Предмет")
            for row in rows {
                let key = "\(c)|\(row["Предмет"]!.text)|\(row["Период"]!.text)"
                seenKeys.insert(key)
                let want = try #require(expected[key], "\(key) is on the sheet but not in the ledger")
                let n = [5, 4, 3, 2, 1].map { want[String($0)] ?? 0 }
                #expect(n.map(Double.init) == ["«5»", "«4»", "«3»", "«2»", "«1»"].map { ClassReportTests.number(row[$0]) ?? -1 }, "\(key)")
                #expect(ClassReportTests.number(row["н/а"]) == Double(want["na"] ?? 0), "\(key)")
                #expect(ClassReportTests.number(row["зачтено"]) == Double(want["pass"] ?? 0), "\(key)")
                #expect(ClassReportTests.number(row["расхождений (не учтены)"]) == Double(want["conflict"] ?? 0), "\(key)")
                let total = n.reduce(0, +)
                #expect(ClassReportTests.number(row["N (отметок 5–1)"]) == Double(total), "\(key)")
                if total > 0 {
                    let N = Double(total)
                    let progress = ((Double(n[0] + n[1] + n[2]) * 100 / N) * 10).rounded() / 10
                    let quality = ((Double(n[0] + n[1]) * 100 / N) * 10).rounded() / 10
                    let sou = ((Double(n[0] * 100 + n[1] * 64 + n[2] * 36 + n[3] * 16 + n[4] * 7) / N) * 10).rounded() / 10
                    let mean = ((Double(n[0] * 5 + n[1] * 4 + n[2] * 3 + n[3] * 2 + n[4]) / N) * 100).rounded() / 100
                    #expect(ClassReportTests.number(row["Успеваемость, %"]) == progress, "\(key)")
                    #expect(ClassReportTests.number(row["Качество, %"]) == quality, "\(key)")
                    #expect(ClassReportTests.number(row["СОУ, %"]) == sou, "\(key)")
                    #expect(ClassReportTests.number(row["Средний балл"]) == mean, "\(key)")
                }
                checked += 1
            }
        }
        #expect(seenKeys == Set(expected.keys), "every class, subject and period of the ledger is on a sheet, and nothing else")
        #expect(checked > 50)

        // The school's «Классы»: each class's line for a period sums its subjects.
        let schoolRows = try ClassReportTests.table(folder + "/школа.xlsx", sheet: "Классы", first: "Класс")
        for row in schoolRows where row["Класс"]?.text != "Школа" {
            let c = row["Класс"]!.text, p = row["Период"]!.text
            let fives = expected.filter { $0.key.hasPrefix(c + "|") && $0.key.hasSuffix("|" + p) }.reduce(0) { $0 + ($1.value["5"] ?? 0) }
            #expect(ClassReportTests.number(row["«5»"]) == Double(fives), "\(c) \(p)")
        }
        let total = schoolRows.filter { $0["Класс"]?.text == "Школа" }
        #expect(!total.isEmpty)
    }

    @Test func pagesAreSelfContainedHTMLThatLibxml2Reads() throws {
        let school = try DemoFolder(students: 40, seed: 8)
        _ = try school.run()
        let report = try Uchet.run(["report"], in: school.path)
        #expect(report.status == 0, "\(report.stderr)")
        let folder = school.path + "/outbox/reports/classes/\(ClassReportTests.year)"
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".html") }.sorted()
        #expect(pages.count >= 5)
        #expect(pages.contains("школа.html"))
        for page in pages {
            let text = try String(contentsOfFile: folder + "/" + page, encoding: .utf8)
            #expect(text.hasPrefix("<!DOCTYPE html>"), "\(page)")
            #expect(text.contains("@page { size: A4"), "\(page): print CSS for A4")
            let census = try PageCensus.of(folder + "/" + page)
            #expect(census.elements["script"] == nil, "\(page) has a script")
            #expect(census.elements["link"] == nil && census.elements["img"] == nil && census.elements["iframe"] == nil, "\(page) loads another file")
            #expect(census.references.isEmpty, "\(page) refers to \(census.references)")
            #expect((census.elements["svg"] ?? 0) >= 2, "\(page): the charts")
            #expect((census.elements["rect"] ?? 0) >= 5, "\(page): bars")
            #expect(census.elements["table"] == (page == "школа.html" ? 1 : 2), "\(page)")
            #expect(census.cells.contains("Успев., %"))
            // The page is well-formed XML too (the writer is libxml2's): every element closed.
            let body = text.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
            #expect(XMLDocumentCheck.wellFormed(Array(body.utf8)), "\(page) is not well-formed")
        }
        // The numbers on a class page are those of its workbook.
        let c = try #require(pages.first { $0 != "школа.html" }).replacingOccurrences(of: ".html", with: "")
        let census = try PageCensus.of(folder + "/\(c).html")
        let rows = try ClassReportTests.table(folder + "/\(c).xlsx", sheet: "Сводка класса", first: "Период")
        for row in rows {
            let label = row["Период"]!.text
            let i = try #require(census.cells.firstIndex(of: label))
            #expect(census.cells[i + 1] == String(Int(ClassReportTests.number(row["«5»"])!)), "\(c) \(label)")
            #expect(census.cells[i + 6] == String(Int(ClassReportTests.number(row["N (отметок 5–1)"])!)), "\(c) \(label)")
        }
    }

    @Test func runWritesTheReportsAgainOnlyWhenPeriodOrAnnualMarksChange() throws {
        let school = try DemoFolder(students: 40, seed: 9)
        _ = try school.run()
        let page = school.path + "/outbox/reports/classes/\(ClassReportTests.year)/школа.html"
        let before = try Data(contentsOf: URL(fileURLWithPath: page))
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        let (name, schoolClass) = try db.read { db in
            try #require(
                try GRDB.Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.surname || ' ' || s.name || ' ' || s.patronymic AS fio, e.class FROM enrolment e JOIN student s ON s.id = e.student_id
                        WHERE e.year = 2025 AND e.grade = 7 ORDER BY s.id LIMIT 1
                        """
                ).map { ($0["fio"] as String, $0["class"] as String) })
        }
        // An exam mark is not a quarter's or the year's: the reports stay as they were.
        try school.dir.write("inbox/exam.csv", text: "ФИО;Класс;Предмет;Период;Отметка;Учебный год\n\(name);\(schoolClass);Музыка;Экзамен;5;2025/2026\n")
        let exam = try school.run()
        #expect(exam.stdout.contains("принято 1"), "\(exam.stdout)")
        #expect(exam.stdout.contains("отчёты по классам 0"), "\(exam.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: page)) == before)
        // An annual mark in a subject the class had none in: written again, with it.
        try school.dir.write("inbox/annual.csv", text: "ФИО;Класс;Предмет;Период;Отметка;Учебный год\n\(name);\(schoolClass);Астрономия;Год;5;2025/2026\n")
        let annual = try school.run()
        #expect(annual.stdout.contains("отчёты по классам") && !annual.stdout.contains("отчёты по классам 0"), "\(annual.stdout)")
        let rows = try ClassReportTests.table(
            school.path + "/outbox/reports/classes/\(ClassReportTests.year)/\(schoolClass).xlsx", sheet: "Предметы", first: "Предмет")
        let astronomy = try #require(rows.first { $0["Предмет"]?.text == "Астрономия" })
        #expect(ClassReportTests.number(astronomy["«5»"]) == 1 && ClassReportTests.number(astronomy["N (отметок 5–1)"]) == 1)
    }

    @Test func aReportForOnePeriodAndOneClass() throws {
        let school = try DemoFolder(students: 40, seed: 8)
        _ = try school.run()
        let folder = school.path + "/outbox/reports/classes/\(ClassReportTests.year)"
        try FileManager.default.removeItem(atPath: folder)
        let classes = try ClassReportTests.independentCounts(school).keys.map { String($0.split(separator: "|")[0]) }
        let c = try #require(classes.filter { $0.hasPrefix("7") || $0.hasPrefix("8") }.min())
        let run = try Uchet.run(["report", "--year", "2025/2026", "--period", "2 ч", "--class", c], in: school.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("на конец периода «2 четверть»"), "\(run.stdout)")
        // A report at the end of a period lies in a folder of its own, beside nothing else.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["2 четверть"])
        let partial = folder + "/2 четверть"
        let written = try FileManager.default.contentsOfDirectory(atPath: partial).sorted()
        #expect(written == ["\(c).html", "\(c).xlsx", "школа.html", "школа.xlsx"].sorted())
        let periods = Set(try ClassReportTests.table(partial + "/\(c).xlsx", sheet: "Предметы", first: "Предмет").map { $0["Период"]!.text })
        #expect(periods == ["1 четверть", "2 четверть"], "\(periods)")
        // The change from the first quarter is on the second quarter's lines only.
        let summary = try ClassReportTests.table(partial + "/\(c).xlsx", sheet: "Сводка класса", first: "Период")
        #expect(summary.count == 2)
        #expect(ClassReportTests.number(summary[0]["Изменение качества"]) == nil)
        let q1 = ClassReportTests.number(summary[0]["Качество, %"])!, q2 = ClassReportTests.number(summary[1]["Качество, %"])!
        #expect(ClassReportTests.number(summary[1]["Изменение качества"]) == ((q2 - q1) * 10).rounded() / 10)

        let bad = try Uchet.run(["report", "--period", "5 четверть"], in: school.path)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("допустимые"), "\(bad.stderr)")
        let noClass = try Uchet.run(["report", "--class", "12Я"], in: school.path)
        #expect(noClass.status == 2, "\(noClass.stderr)")
    }
}

/// Well-formedness through libxml2's XML push parser (the page is written by its XML writer).
enum XMLDocumentCheck {
    final class Nothing: XMLEventHandler {
        func startElement(_ name: XMLName, attributes: XMLAttributes) throws {}
        func endElement(_ name: XMLName) throws {}
        func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
    }

    static func wellFormed(_ bytes: [UInt8]) -> Bool {
        do {
            try XMLPushParser.parse(document: "page", handler: Nothing(), bytes: bytes)
            return true
        } catch {
            return false
        }
    }
}
