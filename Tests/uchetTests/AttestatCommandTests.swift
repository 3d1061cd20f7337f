import Foundation
import Spreadsheet
import TestSupport
import Testing

@Suite(.serialized) struct AttestatCommandTests {
    @Test func demoSchoolFinalMarksEqualAnIndependentRecomputationFromTheDossiers() throws {
        let school = try DemoFolder(students: 60, seed: 41, extra: ",\n  \"registerNumberStart\": 101")
        let run = try school.run()
        #expect(run.stdout.contains("ведомости аттестатов 2"), "\(run.stdout)")
        let books = school.files(in: "outbox/attestat")
        #expect(books == ["2025-2026/11А.xlsx", "2025-2026/9А.xlsx"])
        var checked = 0
        for book in books {
            let reader = try XLSXReader(path: school.path + "/outbox/attestat/" + book)
            #expect(reader.sheets.map(\.name) == ["Итоговые отметки", "Составляющие", "Книга регистрации", "Замечания", "Отличия"])
            let rows = try reader.rows(reader.sheets[0])
            let header = rows[2]
            let columns = Dictionary(uniqueKeysWithValues: header.cells.map { ($0.column, $0.value.text) })
            // Names → dossiers.
            let dossiers = school.files(in: "outbox/dossiers").filter { $0.contains("/" + (book as NSString).lastPathComponent.replacingOccurrences(of: ".xlsx", with: "") + "/") }
            var byName: [String: [String: String]] = [:]
            for d in dossiers {
                let xml = try String(contentsOfFile: school.path + "/outbox/dossiers/" + d, encoding: .utf8)
                let name = try DossierTests.elements("name", in: xml)[0]
                byName["\(name["surname"]!) \(name["given"]!) \(name["patronymic"] ?? "")".trimmingCharacters(in: .whitespaces)] = Recompute.finals(xml, grade: book.contains("/9") ? 9 : 11)
            }
            for row in rows.dropFirst(3) {
                guard let name = row[2]?.text, let expected = byName[name] else { continue }
                for cell in row.cells where cell.column > 2 {
                    guard let subject = columns[cell.column], let want = expected[subject] else { continue }
                    #expect(cell.value.text == want, "\(book) \(name) \(subject)")
                    checked += 1
                }
                for (subject, want) in expected {
                    let column = columns.first { $0.value == subject }?.key
                    #expect(column != nil, "\(subject) missing in \(book)")
                    if let column, row[column] == nil { #expect(want == "", "\(name) \(subject): expected \(want), sheet empty") }
                }
            }
            // The register book continues the year's sequence.
            let registered = try reader.rows(reader.sheets[2]).dropFirst(2).compactMap { $0[1].flatMap { Int($0.text) } }
            #expect(!registered.isEmpty)
            #expect(registered.allSatisfy { $0 >= 101 })
        }
        #expect(checked > 100)
        let cli = try Uchet.run(["attestat", "--year", "2025/2026"], in: school.path)
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(cli.stdout.contains("9А: выпускников"))
        #expect(cli.stdout.contains("→ outbox/attestat/2025-2026/11А.xlsx"))
        let one = try Uchet.run(["attestat", "--year", "2025/2026", "--class", "9 а"], in: school.path)
        #expect(one.stdout.split(separator: "\n").count == 2)
        #expect(try Uchet.run(["attestat", "--year", "2025/2026", "--class", "7Б"], in: school.path).status == 2)
    }

    @Test func registerNumbersAreKeptAndNeverReused() throws {
        let school = try DemoFolder(students: 30, seed: 42)
        _ = try school.run()
        func numbers() throws -> [String: Int] {
            let reader = try XLSXReader(path: school.path + "/outbox/attestat/2025-2026/9А.xlsx")
            var out: [String: Int] = [:]
            for row in try reader.rows(reader.sheets[2]).dropFirst(2) {
                if let n = row[1].flatMap({ Int($0.text) }), let surname = row[2]?.text, let name = row[3]?.text { out[surname + " " + name] = n }
            }
            return out
        }
        let first = try numbers()
        #expect(Set(first.values).count == first.count)
        #expect(first.values.min() == 1)
        _ = try Uchet.run(["attestat", "--year", "2025/2026"], in: school.path)
        #expect(try numbers() == first)
        // A student joins 9А: the next number, none of the others change.
        try school.dir.write("inbox/new.csv", text: "Фамилия;Имя;Отчество;Дата рождения;Класс\nАаронов;Аарон;Ааронович;01.01.2010;9А\n")
        _ = try school.run()
        let second = try numbers()
        #expect(second["Ааронов Аарон"] == (first.values.max() ?? 0) + 1 + (try classCount11(school)))
        for (k, v) in first { #expect(second[k] == v) }
    }

    /// Numbers already given to 11th graders in the same year come before the newcomer's.
    func classCount11(_ school: DemoFolder) throws -> Int {
        let reader = try XLSXReader(path: school.path + "/outbox/attestat/2025-2026/11А.xlsx")
        return try reader.rows(reader.sheets[2]).dropFirst(2).count
    }
}

/// An independent reading of the rules of REGULATIONS.md, from a dossier's XML
/// (not from the ledger, not through the Attestat module): subject label → the final mark as the sheet shows it.
enum Recompute {
    static func finals(_ xml: String, grade: Int) -> [String: String] {
        let marks = (try? DossierTests.elements("mark", in: xml)) ?? []
        let exams = (try? DossierTests.elements("exam", in: xml)) ?? []
        // Subject elements give labels and years; marks follow their subject in document order.
        var bySubject: [String: (label: String, marks: [(year: String, period: String, value: String)])] = [:]
        let pattern = try! NSRegularExpression(pattern: #"<subject id="([^"]+)" label="([^"]+)" year="([^"]+)">(.*?)</subject>"#, options: [.dotMatchesLineSeparators])
        for m in pattern.matches(in: xml, range: NSRange(xml.startIndex..., in: xml)) {
            let id = String(xml[Range(m.range(at: 1), in: xml)!])
            let label = String(xml[Range(m.range(at: 2), in: xml)!])
            let year = String(xml[Range(m.range(at: 3), in: xml)!])
            let body = String(xml[Range(m.range(at: 4), in: xml)!])
            let own = ((try? DossierTests.elements("mark", in: body)) ?? []).filter { $0["kind"] != "current" }
            bySubject[id, default: (label, [])].marks += own.map { (year, $0["period"] ?? "", $0["value"]!) }
        }
        _ = marks
        func round(_ values: [Int]) -> Int { (2 * values.reduce(0, +) + values.count) / (2 * values.count) }
        func annual(_ id: String, _ year: String) -> String? { bySubject[id]?.marks.first { $0.year == year && $0.period == "year" }?.value }
        var out: [String: String] = [:]
        func show(_ v: String) -> String { v == "pass" ? "зачтено" : v == "exempt" ? "освобожден" : v }
        if grade == 9 {
            let year = "2025/2026"
            var examSubjects = ["russian", "mathematics"]
            for e in exams where e["form"] == "ОГЭ" || e["form"] == "ГВЭ" { if !examSubjects.contains(e["subject"]!) { examSubjects.append(e["subject"]!) } }
            for subject in examSubjects {
                let exam = exams.first { $0["subject"] == subject }?["mark"].flatMap { Int($0) }
                let parts = subject == "mathematics" ? ["algebra", "geometry", "probability"].compactMap { annual($0, year).flatMap { Int($0) } } : [annual(subject, year).flatMap { Int($0) }].compactMap { $0 }
                let label = subject == "mathematics" ? "Математика" : bySubject[subject]?.label ?? exams.first { $0["subject"] == subject }!["label"]!
                out[label] = (exam == nil || parts.isEmpty) ? "" : String(round(parts + [exam!]))
            }
            for (id, s) in bySubject where !examSubjects.contains(id) && !["algebra", "geometry", "probability"].contains(id) {
                let years = Set(s.marks.map(\.year)).sorted()
                if let v = annual(id, years.contains(year) ? year : years.last!) { out[s.label] = show(v) }
            }
        } else {
            for (_, s) in bySubject {
                let all = s.marks.filter { ["h1", "h2", "q1", "q2", "q3", "q4", "year"].contains($0.period) }
                let now = all.contains { $0.year == "2025/2026" }
                if !now {
                    out[s.label] = all.first { $0.period == "year" }.map { show($0.value) } ?? ""
                    continue
                }
                let points = all.compactMap { Int($0.value) }
                if points.count != all.count { out[s.label] = show(all.last { $0.period == "year" }?.value ?? ""); continue }
                out[s.label] = String(round(points))
            }
        }
        return out
    }
}
