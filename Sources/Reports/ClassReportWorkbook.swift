public import Policy
import Spreadsheet

/// Writes the class reports as workbooks: one per class (its subjects by
/// period, its summary by period) and one for the school (classes by period,
/// subjects across the school by period). Every sheet states the formulas
/// above its table; counts and indicators are numbers, not text.
public struct ClassReportWorkbook: Sendable {
    public let results: ClassResults
    public let policy: Policy
    public let schoolName: String

    public static let classSheets = ["Предметы", "Сводка класса"]
    public static let schoolSheets = ["Классы", "Предметы школы"]

    /// The columns of a tally, after the row's own labels.
    static let tallyHeaders = [
        "«5»", "«4»", "«3»", "«2»", "«1»", "N (отметок 5–1)", "н/а", "зачтено", "не зачтено", "освобожден",
        "расхождений (не учтены)", "Успеваемость, %", "Качество, %", "СОУ, %", "Средний балл",
        "Изменение успеваемости", "Изменение качества", "Изменение СОУ", "Изменение среднего балла"
    ]
    static let groupHeaders = ["Обучающихся с отметками", "На «5»", "На «4» и «5»", "С «2» или «1»", "С н/а"]

    public init(results: ClassResults, policy: Policy, schoolName: String) {
        self.results = results
        self.policy = policy
        self.schoolName = schoolName
    }

    /// A class's workbook.
    public func writeClass(_ c: ReportClass, to path: String) throws {
        let writer = try XLSXWriter(path: path)
        let periods = results.periods(of: c.name)
        let title = "\(schoolName): результаты \(c.name) класса, \(results.year) учебный год"

        let subjects = try writer.addSheet(ClassReportWorkbook.classSheets[0], layout: layout(labels: 2))
        try heading(subjects, title + " — по предметам и периодам")
        try subjects.addRow((["Предмет", "Период"] + ClassReportWorkbook.tallyHeaders).map { .text($0, .borderedHeader) }, height: 45)
        for s in results.subjects(of: c.name) {
            for p in periods {
                let t = results.tally(c.name, s, p.id)
                guard !t.isEmpty else { continue }
                let prev = previousTally(p, among: periods) { results.tally(c.name, s, $0.id) }
                try subjects.addRow([.text(subjectLabel(s), .bordered), .text(p.label, .bordered)] + cells(t, previous: prev))
            }
        }

        let summary = try writer.addSheet(ClassReportWorkbook.classSheets[1], layout: layout(labels: 1, extra: 5))
        try heading(summary, title + " — все предметы вместе, по периодам (обучающихся в классе: \(c.students))")
        try summary.addRow((["Период"] + ClassReportWorkbook.tallyHeaders + ClassReportWorkbook.groupHeaders).map { .text($0, .borderedHeader) }, height: 45)
        for p in periods {
            let t = results.classTally(c.name, p.id)
            let prev = previousTally(p, among: periods) { results.classTally(c.name, $0.id) }
            try summary.addRow([.text(p.label, .bordered)] + cells(t, previous: prev) + groupCells(results.groups[c.name]?[p.id]))
        }
        try writer.close()
    }

    /// The school's workbook.
    public func writeSchool(to path: String) throws {
        let writer = try XLSXWriter(path: path)
        let title = "\(schoolName): результаты по классам, \(results.year) учебный год"

        let classes = try writer.addSheet(ClassReportWorkbook.schoolSheets[0], layout: layout(labels: 2, extra: 5))
        try heading(classes, title + " — каждый класс, все предметы вместе")
        try classes.addRow(
            (["Класс", "Период"] + ClassReportWorkbook.tallyHeaders + ClassReportWorkbook.groupHeaders).map { .text($0, .borderedHeader) }, height: 45)
        for c in results.classes {
            let periods = results.periods(of: c.name)
            for p in periods {
                let prev = previousTally(p, among: periods) { results.classTally(c.name, $0.id) }
                try classes.addRow(
                    [.text(c.name, .bordered), .text(p.label, .bordered)] + cells(results.classTally(c.name, p.id), previous: prev)
                        + groupCells(results.groups[c.name]?[p.id]))
            }
        }
        for p in results.periods {
            let prev = previousTally(p, among: results.periods) { results.schoolTally(subject: nil, $0.id) }
            try classes.addRow(
                [.text("Школа", .borderedHeader), .text(p.label, .borderedHeader)] + cells(results.schoolTally(subject: nil, p.id), previous: prev))
        }

        let subjects = try writer.addSheet(ClassReportWorkbook.schoolSheets[1], layout: layout(labels: 2))
        try heading(subjects, title + " — каждый предмет по всем классам")
        try subjects.addRow((["Предмет", "Период"] + ClassReportWorkbook.tallyHeaders).map { .text($0, .borderedHeader) }, height: 45)
        for s in results.subjects {
            for p in results.periods {
                let t = results.schoolTally(subject: s, p.id)
                guard !t.isEmpty else { continue }
                let prev = previousTally(p, among: results.periods) { results.schoolTally(subject: s, $0.id) }
                try subjects.addRow([.text(subjectLabel(s), .bordered), .text(p.label, .bordered)] + cells(t, previous: prev))
            }
        }
        try writer.close()
    }

    // MARK: - Cells

    /// The title and the formulas, above the table's header.
    private func heading(_ sheet: XLSXSheetWriter, _ title: String) throws {
        try sheet.addRow([.text(title, .bold)])
        for f in MarkTally.formulas { try sheet.addRow([.text(f)]) }
    }

    private func layout(labels: Int, extra: Int = 0) -> SheetLayout {
        SheetLayout(
            columnWidths: (labels == 2 ? [30, 14] : [14]) + [6, 6, 6, 6, 6, 9, 6, 8, 8, 10, 12, 13, 11, 9, 9, 12, 11, 10, 12]
                + Array(repeating: 11, count: extra),
            frozenRows: MarkTally.formulas.count + 2, frozenColumns: labels, printLandscape: true)
    }

    private func previousTally(_ p: Period, among: [Period], _ tally: (Period) -> MarkTally) -> MarkTally? {
        ClassResults.previous(p, among: among).map(tally)
    }

    /// Counts and indicators as numbers; an indicator with no N is empty; a change with no previous period is empty.
    func cells(_ t: MarkTally, previous: MarkTally?) -> [XLSXCell?] {
        var row: [XLSXCell?] = [5, 4, 3, 2, 1].map { .number(t.points[$0], .borderedCenter) }
        row.append(.number(t.assessed, .borderedCenter))
        row += [t.notAssessed, t.passed, t.failed, t.exempt, t.conflicts].map { .number($0, .borderedCenter) }
        let now = [t.progress.map(Rounded.percent), t.quality.map(Rounded.percent), t.degreeOfLearning.map(Rounded.percent), t.meanMark.map(Rounded.mean)]
        row += now.map { $0.map { .number($0, .borderedCenter) } ?? .text("", .bordered) }
        let before =
            previous.map {
                [
                    $0.progress.map(Rounded.percent), $0.quality.map(Rounded.percent),
                    $0.degreeOfLearning.map(Rounded.percent), $0.meanMark.map(Rounded.mean)
                ]
            } ?? [nil, nil, nil, nil]
        for i in 0..<4 {
            if let a = now[i], let b = before[i] {
                row.append(.number(i == 3 ? Rounded.mean(a - b) : Rounded.percent(a - b), .borderedCenter))
            } else {
                row.append(.text("", .bordered))
            }
        }
        return row
    }

    private func groupCells(_ g: StudentGroups?) -> [XLSXCell?] {
        guard let g else { return Array(repeating: .text("", .bordered), count: 5) }
        return [g.assessed, g.excellent, g.good, g.failing, g.notAssessed].map { .number($0, .borderedCenter) }
    }

    func subjectLabel(_ id: String) -> String { policy.subjects.term(id: id)?.label ?? id }
}
