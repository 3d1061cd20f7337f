public import Policy
import XMLStream

/// The class reports as self-contained HTML pages, one per class and one for
/// the school: the formulas, inline SVG charts (the marks of each subject by
/// value; успеваемость and качество by period) and the table the workbook
/// has. No script, no file beside it, no network; printable on A4.
public struct ClassReportPage: Sendable {
    public let results: ClassResults
    public let policy: Policy
    public let schoolName: String

    /// The colours of «5» … «1» in the charts.
    static let markColours = [5: "#2e7d32", 4: "#8bc34a", 3: "#fbc02d", 2: "#e64a19", 1: "#6a1b9a"]

    static let style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #111; margin: 16px; }
        h1 { font-size: 16pt; margin: 0 0 4px; }
        h2 { font-size: 13pt; margin: 18px 0 6px; }
        p.note, ul.formulas { font-size: 9pt; color: #333; }
        ul.formulas { margin: 4px 0; padding-left: 18px; }
        table { border-collapse: collapse; font-size: 9pt; }
        th, td { border: 1px solid #999; padding: 2px 5px; text-align: right; }
        th { background: #eee; text-align: center; }
        td.label { text-align: left; white-space: nowrap; }
        tr.total td { font-weight: bold; background: #f6f6f6; }
        figure { margin: 6px 0; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-size: 9pt; color: #333; }
        svg text { font-family: "DejaVu Sans", Arial, sans-serif; }
        @page { size: A4 landscape; margin: 10mm; }
        @media print {
          body { margin: 0; font-size: 9pt; }
          h2 { break-after: avoid; page-break-after: avoid; }
          table { font-size: 7pt; }
          tr { break-inside: avoid; page-break-inside: avoid; }
        }
        """

    public init(results: ClassResults, policy: Policy, schoolName: String) {
        self.results = results
        self.policy = policy
        self.schoolName = schoolName
    }

    /// A class's page.
    public func classPage(_ c: ReportClass) throws -> [UInt8] {
        let periods = results.periods(of: c.name)
        let subjects = results.subjects(of: c.name)
        return try page(title: "\(c.name) класс: результаты, \(results.year) учебный год") { w in
            try w.element(
                "p", ["class": "note"], text: "\(schoolName). Обучающихся в классе: \(c.students). Отметки за четверти (полугодия) и год из учёта Uchet.")
            try formulas(w)
            try w.element("h2", text: "Успеваемость и качество по периодам")
            try periodChart(w, periods.map { p in (p.label, results.classTally(c.name, p.id)) })
            if let last = periods.last {
                try w.element("h2", text: "Отметки по предметам: \(last.label)")
                try distributionChart(w, subjects.map { (subjectLabel($0), results.tally(c.name, $0, last.id)) })
            }
            try w.element("h2", text: "Все предметы вместе")
            try table(
                w, labels: ["Период"],
                rows: periods.map { p in
                    ([p.label], results.classTally(c.name, p.id), ClassResults.previous(p, among: periods).map { results.classTally(c.name, $0.id) }, false)
                })
            try w.element("h2", text: "По предметам")
            var rows: [([String], MarkTally, MarkTally?, Bool)] = []
            for s in subjects {
                for p in periods {
                    let t = results.tally(c.name, s, p.id)
                    guard !t.isEmpty else { continue }
                    rows.append(([subjectLabel(s), p.label], t, ClassResults.previous(p, among: periods).map { results.tally(c.name, s, $0.id) }, false))
                }
            }
            try table(w, labels: ["Предмет", "Период"], rows: rows)
        }
    }

    /// The school's page.
    public func schoolPage() throws -> [UInt8] {
        let periods = results.periods
        return try page(title: "\(schoolName): результаты по классам, \(results.year) учебный год") { w in
            try w.element("p", ["class": "note"], text: "Классов с отметками: \(results.classes.count). Отметки за четверти (полугодия) и год из учёта Uchet.")
            try formulas(w)
            try w.element("h2", text: "Школа: успеваемость и качество по периодам")
            try periodChart(w, periods.map { p in (p.label, results.schoolTally(subject: nil, p.id)) })
            if let last = periods.last {
                try w.element("h2", text: "Отметки по предметам по всей школе: \(last.label)")
                try distributionChart(w, results.subjects.map { (subjectLabel($0), results.schoolTally(subject: $0, last.id)) })
                try w.element("h2", text: "Классы: \(last.label)")
                try distributionChart(w, results.classes.map { ($0.name, results.classTally($0.name, last.id)) })
            }
            try w.element("h2", text: "Классы по периодам")
            var rows: [([String], MarkTally, MarkTally?, Bool)] = []
            for c in results.classes {
                let own = results.periods(of: c.name)
                for p in own {
                    rows.append(
                        (
                            [c.name, p.label], results.classTally(c.name, p.id), ClassResults.previous(p, among: own).map { results.classTally(c.name, $0.id) },
                            false
                        ))
                }
            }
            for p in periods {
                rows.append(
                    (
                        ["Школа", p.label], results.schoolTally(subject: nil, p.id),
                        ClassResults.previous(p, among: periods).map { results.schoolTally(subject: nil, $0.id) }, true
                    ))
            }
            try table(w, labels: ["Класс", "Период"], rows: rows)
        }
    }

    // MARK: - The page

    private func page(title: String, _ body: (XMLWriter) throws -> Void) throws -> [UInt8] {
        let content = try XMLWriter.bytes(document: title) { w in
            try w.startElement("html")
            try w.attribute("lang", "ru")
            try w.startElement("head")
            try w.element("meta", ["charset": "utf-8"])
            try w.element("title", text: title)
            try w.startElement("style")
            try w.raw(ClassReportPage.style)
            try w.fullEndElement()
            try w.fullEndElement()
            try w.startElement("body")
            try w.element("h1", text: title)
            try body(w)
            try w.fullEndElement()
            try w.fullEndElement()
        }
        return Array("<!DOCTYPE html>\n".utf8) + content + [0x0A]
    }

    private func formulas(_ w: XMLWriter) throws {
        try w.startElement("ul")
        try w.attribute("class", "formulas")
        for f in MarkTally.formulas { try w.element("li", text: f) }
        try w.fullEndElement()
    }

    /// The table: labels, counts, indicators and their change.
    private func table(_ w: XMLWriter, labels: [String], rows: [([String], MarkTally, MarkTally?, Bool)]) throws {
        try w.startElement("table")
        try w.startElement("thead")
        try w.startElement("tr")
        let headers =
            labels + [
                "«5»", "«4»", "«3»", "«2»", "«1»", "N", "н/а", "зач.", "незач.", "осв.", "расх.",
                "Успев., %", "Кач., %", "СОУ, %", "Ср. балл", "Δ успев.", "Δ кач.", "Δ СОУ", "Δ ср. балла"
            ]
        for h in headers { try w.element("th", text: h) }
        try w.fullEndElement()
        try w.fullEndElement()
        try w.startElement("tbody")
        for (names, t, previous, total) in rows {
            try w.startElement("tr")
            if total { try w.attribute("class", "total") }
            for n in names { try w.element("td", ["class": "label"], text: n) }
            var cells = [5, 4, 3, 2, 1].map { String(t.points[$0]) } + [String(t.assessed)]
            cells += [t.notAssessed, t.passed, t.failed, t.exempt, t.conflicts].map(String.init)
            let now = [t.progress, t.quality, t.degreeOfLearning, t.meanMark]
            cells += now.enumerated().map { i, x in x.map { Rounded.text($0, digits: i == 3 ? 2 : 1) } ?? "—" }
            let before = previous.map { [$0.progress, $0.quality, $0.degreeOfLearning, $0.meanMark] } ?? [nil, nil, nil, nil]
            for i in 0..<4 {
                if let a = now[i], let b = before[i] {
                    let d = i == 3 ? Rounded.mean(a) - Rounded.mean(b) : Rounded.percent(a) - Rounded.percent(b)
                    cells.append((d > 0 ? "+" : "") + Rounded.text(d, digits: i == 3 ? 2 : 1))
                } else {
                    cells.append("")
                }
            }
            for c in cells { try w.element("td", text: c) }
            try w.fullEndElement()
        }
        try w.fullEndElement()
        try w.fullEndElement()
    }

    // MARK: - Charts

    /// Успеваемость and качество by period: two bars a period, 0–100 %.
    private func periodChart(_ w: XMLWriter, _ points: [(label: String, tally: MarkTally)]) throws {
        let points = points.filter { $0.tally.assessed > 0 }
        guard !points.isEmpty else { return }
        let left = 40.0, top = 24.0, plotHeight = 180.0, group = 90.0
        let width = left + Double(points.count) * group + 20, height = top + plotHeight + 40
        try w.startElement("figure")
        try svg(w, width: width, height: height, title: "Успеваемость и качество знаний по периодам, %")
        for tick in stride(from: 0, through: 100, by: 25) {
            let y = top + plotHeight - plotHeight * Double(tick) / 100
            try w.element("line", ["x1": n(left), "y1": n(y), "x2": n(width - 10), "y2": n(y), "stroke": "#ccc", "stroke-width": "1"])
            try w.element("text", ["x": n(left - 4), "y": n(y + 4), "font-size": "10", "text-anchor": "end"], text: "\(tick)")
        }
        for (i, p) in points.enumerated() {
            let x0 = left + Double(i) * group + 12
            for (j, value, colour) in [(0, p.tally.progress ?? 0, "#1565c0"), (1, p.tally.quality ?? 0, "#ef6c00")] {
                let h = plotHeight * value / 100
                let x = x0 + Double(j) * 32
                try w.element("rect", ["x": n(x), "y": n(top + plotHeight - h), "width": "28", "height": n(h), "fill": colour])
                try w.element(
                    "text", ["x": n(x + 14), "y": n(top + plotHeight - h - 3), "font-size": "9", "text-anchor": "middle"],
                    text: Rounded.text(value, digits: 1))
            }
            try w.element("text", ["x": n(x0 + 30), "y": n(top + plotHeight + 14), "font-size": "10", "text-anchor": "middle"], text: p.label)
        }
        try legend(w, x: left, y: height - 10, items: [("#1565c0", "успеваемость"), ("#ef6c00", "качество")])
        try w.fullEndElement()
        try w.element("figcaption", text: "Успеваемость (синий) и качество знаний (оранжевый), % по периодам.")
        try w.fullEndElement()
    }

    /// The marks of each row by value, as a bar of 100 %.
    private func distributionChart(_ w: XMLWriter, _ rows: [(label: String, tally: MarkTally)]) throws {
        let rows = rows.filter { $0.tally.assessed > 0 }
        guard !rows.isEmpty else { return }
        // Room on the left for the longest label (about 6 px a letter at 10 px).
        let longest = rows.map(\.label.count).max() ?? 10
        let left = min(340.0, max(60.0, Double(longest) * 6.2 + 12)), bar = 16.0, step = 22.0, plot = 480.0, top = 8.0
        let width = left + plot + 60, height = top + Double(rows.count) * step + 30
        try w.startElement("figure")
        try svg(w, width: width, height: height, title: "Доли отметок «5»…«1»")
        for (i, r) in rows.enumerated() {
            let y = top + Double(i) * step
            try w.element("text", ["x": n(left - 6), "y": n(y + 12), "font-size": "10", "text-anchor": "end"], text: r.label)
            var x = left
            for mark in [5, 4, 3, 2, 1] where r.tally.points[mark] > 0 {
                let wdt = plot * Double(r.tally.points[mark]) / Double(r.tally.assessed)
                try w.startElement("rect")
                for (k, v) in [("x", n(x)), ("y", n(y)), ("width", n(wdt)), ("height", n(bar)), ("fill", ClassReportPage.markColours[mark]!)] {
                    try w.attribute(k, v)
                }
                try w.element("title", text: "«\(mark)»: \(r.tally.points[mark])")
                try w.fullEndElement()
                if wdt > 18 {
                    try w.element(
                        "text", ["x": n(x + wdt / 2), "y": n(y + 12), "font-size": "9", "text-anchor": "middle", "fill": mark == 3 ? "#000" : "#fff"],
                        text: String(r.tally.points[mark]))
                }
                x += wdt
            }
            try w.element("text", ["x": n(left + plot + 6), "y": n(y + 12), "font-size": "9"], text: "N = \(r.tally.assessed)")
        }
        try legend(w, x: left, y: height - 8, items: [5, 4, 3, 2, 1].map { (ClassReportPage.markColours[$0]!, "«\($0)»") })
        try w.fullEndElement()
        try w.element("figcaption", text: "Доли отметок «5», «4», «3», «2», «1» (числа в полосах — сколько отметок).")
        try w.fullEndElement()
    }

    private func svg(_ w: XMLWriter, width: Double, height: Double, title: String) throws {
        try w.startElement("svg")
        try w.attribute("width", n(width))
        try w.attribute("height", n(height))
        try w.attribute("viewBox", "0 0 \(n(width)) \(n(height))")
        try w.attribute("role", "img")
        try w.element("title", text: title)
    }

    private func legend(_ w: XMLWriter, x: Double, y: Double, items: [(colour: String, label: String)]) throws {
        var at = x
        for item in items {
            try w.element("rect", ["x": n(at), "y": n(y - 9), "width": "10", "height": "10", "fill": item.colour])
            try w.element("text", ["x": n(at + 14), "y": n(y), "font-size": "10"], text: item.label)
            at += 24 + Double(item.label.count) * 6.5
        }
    }

    /// A coordinate: at most one decimal, a dot.
    private func n(_ x: Double) -> String {
        let tenth = Int((x * 10).rounded())
        return tenth % 10 == 0 ? String(tenth / 10) : "\(tenth / 10).\(abs(tenth % 10))"
    }

    func subjectLabel(_ id: String) -> String { policy.subjects.term(id: id)?.label ?? id }
}
