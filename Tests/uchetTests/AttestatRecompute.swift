import Foundation

/// A graduate as the dossier tells it, read from the XML alone (not from the
/// ledger, not through the Attestat module).
struct DossierStudent {
    struct MarkFact {
        var subject: String
        var label: String
        var year: Int
        var grade: Int
        var period: String
        var value: String
    }

    var id: String
    var journalID: String
    var name: String
    var birthDate: String
    var schoolClass: String
    var left: String?
    var marks: [MarkFact] = []
    /// Exam rows in the order they happened (date, then retake).
    var exams: [[String: String]] = []

    init(xml: String, id: String, year: Int = 2025) throws {
        self.id = id
        let n = try DossierTests.elements("name", in: xml)[0]
        name = [n["surname"], n["given"], n["patronymic"]].compactMap { $0 }.joined(separator: " ")
        journalID = DossierStudent.text("journalId", xml) ?? ""
        birthDate = DossierStudent.text("birthDate", xml) ?? ""
        let enrolments = try DossierTests.elements("enrolment", in: xml)
        let current = enrolments.first { $0["year"] == "\(year)/\(year + 1)" }!
        schoolClass = current["class"]!
        left = current["left"]
        let grade = Int(schoolClass.prefix { $0.isNumber })!
        var gradeOfYear: [Int: Int] = [:]
        for e in enrolments { gradeOfYear[Int(e["year"]!.prefix(4))!] = Int(e["class"]!.prefix { $0.isNumber })! }
        let subject = try NSRegularExpression(
            pattern: #"<subject id="([^"]+)" label="([^"]+)" year="([^"]+)">(.*?)</subject>"#, options: [.dotMatchesLineSeparators])
        for m in subject.matches(in: xml, range: NSRange(xml.startIndex..., in: xml)) {
            func group(_ i: Int) -> String { String(xml[Range(m.range(at: i), in: xml)!]) }
            let y = Int(group(3).prefix(4))!
            for mark in try DossierTests.elements("mark", in: group(4)) where mark["kind"] != "current" {
                let g = mark["class"].flatMap { Int($0.prefix { $0.isNumber }) } ?? gradeOfYear[y] ?? grade - (year - y)
                marks.append(MarkFact(subject: group(1), label: group(2), year: y, grade: g, period: mark["period"] ?? "", value: mark["value"]!))
            }
        }
        exams = try DossierTests.elements("exam", in: xml).sorted { ($0["date"] ?? "9", $0["retake"] ?? "") < ($1["date"] ?? "9", $1["retake"] ?? "") }
    }

    static func text(_ element: String, _ xml: String) -> String? {
        guard let a = xml.range(of: "<\(element)>"), let b = xml.range(of: "</\(element)>", range: a.upperBound..<xml.endIndex) else { return nil }
        return String(xml[a.upperBound..<b.lowerBound])
    }

    var grade: Int { Int(schoolClass.prefix { $0.isNumber })! }

    func annual(_ subject: String, grade g: Int) -> MarkFact? { marks.last { $0.subject == subject && $0.grade == g && $0.period == "year" } }
}

/// The rules of REGULATIONS.md read independently, on the dossiers: what
/// each graduate's sheet must show. The numbers are the regulation's, typed
/// here again, not read from the rules file.
enum Recompute {
    struct Expected {
        /// Subject label → the final mark as the sheet shows it (empty: not set).
        var finals: [String: String] = [:]
        var ready = false
        var withoutAttestat = false
        var award: String?
    }

    static let never: Set<String> = ["reading", "nature", "orkse"]
    static let courses = ["algebra", "geometry", "probability"]

    static func round(_ sum: Int, _ count: Int) -> Int { (2 * sum + count) / (2 * count) }

    static func show(_ value: String) -> String {
        switch value {
        case "pass": "зачтено"
        case "exempt": "освобожден"
        case "fail", "na": ""
        default: value
        }
    }

    /// The latest row with a result for a subject (and level).
    static func result(_ s: DossierStudent, _ subject: String, forms: [String], level: String? = nil) -> [String: String]? {
        s.exams.last {
            $0["subject"] == subject && forms.contains($0["form"]!) && $0["noResult"] == nil && (level == nil || $0["level"] == level)
                && ($0["mark"] != nil || $0["testScore"] != nil)
        }
    }

    // MARK: - 9th grade

    static func ninth(_ students: [DossierStudent]) -> [String: Expected] {
        var studied: [String: Set<Int>] = [:]
        var labels: [String: String] = [:]
        var taught: Set<String> = []
        for s in students {
            for m in s.marks where m.period == "year" && (5...9).contains(m.grade) && !never.contains(m.subject) {
                let key = courses.contains(m.subject) ? "mathematics" : m.subject
                studied[key, default: []].insert(m.grade)
                labels[key] = key == "mathematics" ? "Математика" : m.label
                if m.grade == 9, courses.contains(m.subject) { taught.insert(m.subject) }
            }
        }
        var out: [String: Expected] = [:]
        for s in students {
            var e = Expected()
            var pending = false
            var failing = false
            var annuals: [Int] = []
            let rows = s.exams.filter { ["ОГЭ", "ГВЭ"].contains($0["form"]!) }
            var chosen: [String] = []
            for r in rows where !["russian", "mathematics"].contains(r["subject"]!) && !chosen.contains(r["subject"]!) { chosen.append(r["subject"]!) }
            let gve = rows.contains { $0["form"] == "ГВЭ" && $0["subject"] == "russian" }
            if chosen.count != (gve ? 0 : 2) { pending = true }
            let examSubjects = ["russian", "mathematics"] + chosen
            for subject in examSubjects {
                var parts: [String?]
                if subject == "mathematics", s.annual("mathematics", grade: 9) == nil {
                    parts = courses.filter { taught.contains($0) }.map { s.annual($0, grade: 9)?.value }
                } else {
                    parts = [s.annual(subject, grade: 9)?.value]
                }
                let label = labels[subject] ?? s.exams.first { $0["subject"] == subject }!["label"]!
                let exam = result(s, subject, forms: ["ОГЭ", "ГВЭ"]).flatMap { $0["mark"] }.flatMap { Int($0) }
                let points = parts.compactMap { $0.flatMap { Int($0) } }
                annuals += points
                guard let exam, points.count == parts.count, !points.isEmpty else {
                    e.finals[label] = ""
                    pending = true
                    continue
                }
                if exam < 3 {
                    e.finals[label] = ""
                    failing = true
                    continue
                }
                let n = points.count
                let value =
                    subject == "mathematics" && s.annual("mathematics", grade: 9) == nil
                    ? round(points.reduce(0, +) + n * exam, 2 * n) : round(points[0] + exam, 2)
                e.finals[label] = String(value)
            }
            for (subject, grades) in studied where !examSubjects.contains(subject) {
                var mark = s.annual(subject, grade: 9)
                if mark == nil, !grades.contains(9) {
                    mark = (5...8).reversed().lazy.compactMap { s.annual(subject, grade: $0) }.first
                }
                e.finals[labels[subject]!] = mark.map { show($0.value) } ?? ""
                if let v = mark?.value, let p = Int(v) { annuals.append(p) }
                if mark?.value == "fail" { failing = true }
            }
            if annuals.contains(where: { $0 <= 2 }) || e.finals.values.contains(where: { Int($0).map { $0 <= 2 } ?? false }) { failing = true }
            if e.finals.values.contains("") { pending = true }
            e.withoutAttestat = failing
            e.ready = !failing && !pending
            let retook =
                rows.contains { $0["retake"] == "true" }
                || Dictionary(grouping: rows.filter { $0["mark"] != nil && $0["noResult"] == nil }) { $0["subject"]! + $0["form"]! }.values.contains {
                    $0.count > 1
                }
            if e.ready, !retook, e.finals.values.allSatisfy({ Int($0).map { $0 == 5 } ?? true }) {
                e.award = "аттестат об основном общем образовании с отличием"
            }
            out[s.id] = e
        }
        return out
    }

    // MARK: - 11th grade

    static func eleventh(_ students: [DossierStudent]) -> [String: Expected] {
        var studied: [String: Set<Int>] = [:]
        var labels: [String: String] = [:]
        for s in students {
            for m in s.marks where m.period == "year" && (10...11).contains(m.grade) && !never.contains(m.subject) {
                studied[m.subject, default: []].insert(m.grade)
                labels[m.subject] = m.label
            }
        }
        var out: [String: Expected] = [:]
        for s in students {
            var e = Expected()
            var pending = false
            var failing = false
            let hasTenth = s.marks.contains { $0.grade == 10 }
            for (subject, grades) in studied {
                var values: [String] = []
                var annuals: [String] = []
                var missing = false
                for g in grades.sorted() {
                    if g == 10 && !hasTenth {
                        missing = true
                        continue
                    }
                    let periods = s.marks.filter { $0.subject == subject && $0.grade == g && ["q1", "q2", "q3", "q4", "h1", "h2"].contains($0.period) }
                    guard let annual = s.annual(subject, grade: g), !periods.isEmpty else {
                        missing = true
                        continue
                    }
                    values += periods.map(\.value) + [annual.value]
                    annuals.append(annual.value)
                }
                let points = values.compactMap { Int($0) }
                var shown = ""
                if !missing, !values.isEmpty {
                    if points.count == values.count {
                        shown = String(round(points.reduce(0, +), points.count))
                    } else if Set(values).count == 1 {
                        shown = show(values[0])
                    }
                }
                e.finals[labels[subject]!] = shown
                if shown.isEmpty { pending = true }
                if annuals.contains(where: { Int($0).map { $0 <= 2 } ?? ($0 == "fail") }) || (Int(shown).map { $0 <= 2 } ?? false) { failing = true }
            }
            func score(_ subject: String, level: String? = nil) -> Double? {
                result(s, subject, forms: ["ЕГЭ"], level: level)?["testScore"].flatMap(Double.init)
            }
            func mark(_ subject: String, _ form: String, level: String? = nil) -> Int? {
                result(s, subject, forms: [form], level: level)?["mark"].flatMap { Int($0) }
            }
            let russian = (score("russian").map { $0 >= 24 }, mark("russian", "ГВЭ").map { $0 >= 3 })
            let maths = (
                score("mathematics", level: "профильный").map { $0 >= 27 }, mark("mathematics", "ЕГЭ", level: "базовый").map { $0 >= 3 },
                mark("mathematics", "ГВЭ").map { $0 >= 3 }
            )
            let russianOK = russian.0 == true || russian.1 == true
            let mathsOK = maths.0 == true || maths.1 == true || maths.2 == true
            if !russianOK && (russian.0 != nil || russian.1 != nil) { failing = true } else if !russianOK { pending = true }
            if !mathsOK && (maths.0 != nil || maths.1 != nil || maths.2 != nil) { failing = true } else if !mathsOK { pending = true }
            e.withoutAttestat = failing
            e.ready = !failing && !pending
            if e.ready {
                let fours = e.finals.values.filter { $0 == "4" }.count
                let lower = e.finals.values.contains { Int($0).map { $0 < 4 } ?? false }
                let ege = s.exams.filter { $0["form"] == "ЕГЭ" }
                let onlyBasic = Set(ege.map { $0["subject"]! + ($0["level"] ?? "") }) == ["russian", "mathematicsбазовый"]
                func egeRoute(_ t: Double) -> Bool {
                    guard let r = score("russian"), r >= t else { return false }
                    let other = ege.filter { $0["subject"] != "russian" }.compactMap { row in score(row["subject"]!, level: row["level"]) }.max() ?? -1
                    return other >= t || (onlyBasic && mark("mathematics", "ЕГЭ", level: "базовый") == 5)
                }
                let gveRoute = mark("russian", "ГВЭ") == 5 && mark("mathematics", "ГВЭ") == 5
                if !lower, fours == 0, egeRoute(70) || gveRoute {
                    e.award = "медаль «За особые успехи в учении» I степени"
                } else if !lower, fours <= 2, egeRoute(60) {
                    e.award = "медаль «За особые успехи в учении» II степени"
                }
            }
            out[s.id] = e
        }
        return out
    }
}
