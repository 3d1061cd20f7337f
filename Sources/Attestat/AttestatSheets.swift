import CivilDate
public import Policy
public import Records
import Spreadsheet

/// Writes a graduating class's workbook: final marks, their components, the
/// register book, those without an attestat, the flags, the honours
/// decisions. Russian headers, frozen header rows, A4 landscape.
public struct AttestatSheets: Sendable {
    public let rules: AttestatRules
    public let policy: Policy
    public let schoolName: String

    /// The sheets, in order.
    public static let names = ["Итоговые отметки", "Составляющие", "Книга регистрации", "Без аттестата", "Замечания", "Отличия"]

    /// What the school does for a student without an attestat.
    static let certificate =
        "выдать справку об обучении (ч. 12 ст. 60 Федерального закона № 273-ФЗ); пересдачу ГИА или ликвидацию задолженности школа назначает в свои сроки"

    public init(rules: AttestatRules, policy: Policy, schoolName: String) {
        self.rules = rules
        self.policy = policy
        self.schoolName = schoolName
    }

    public func write(
        _ result: ClassGraduates, schoolClass: String, year: AcademicYear, numbers: [StudentID: Int], kept: [StudentID: Int],
        to path: String
    ) throws {
        let graduates = result.graduates
        let subjects = columns(graduates)
        let writer = try XLSXWriter(path: path)
        let title = "\(schoolClass) класс, \(year) учебный год"
        try summarySheet(writer, graduates, subjects: subjects, numbers: numbers, title: title)
        try componentsSheet(writer, graduates)
        try registerBook(writer, graduates, subjects: subjects, numbers: numbers, title: title)
        try withoutAttestatSheet(writer, graduates)
        try flagsSheet(writer, result, kept: kept)
        try honoursSheet(writer, graduates)
        try writer.close()
    }

    private func summarySheet(_ writer: XLSXWriter, _ graduates: [Graduate], subjects: [(id: String, label: String)], numbers: [StudentID: Int], title: String)
        throws
    {
        // Final marks: students by subjects. Printed on A4 landscape across the page at 9 pt or
        // more: narrow subject columns under upright headers, the header rows on every page.
        // LibreOffice does not grow a row for wrapped text on opening, so every row is given
        // the height its longest text takes.
        let summaryWidths = [4.0, 26] + subjects.map { _ in 3.3 } + [12, 16, 4]
        let summary = try writer.addSheet(
            AttestatSheets.names[0],
            layout: SheetLayout(
                columnWidths: summaryWidths, frozenRows: 3, frozenColumns: 2, printLandscape: true))
        // Title lines merged over the table and wrapped: a line running past the table would widen what prints.
        let heading = "\(schoolName): итоговые отметки выпускников, \(title)"
        let rulesLine = "Правила: \(rules.source), версия \(rules.version). Пустая ячейка — отметка не выставлена, причина на листе «Замечания»."
        let tableWidth = summaryWidths.reduce(0, +)
        try summary.addRow([.text(heading, .boldWrap)], height: AttestatSheets.height([(heading, tableWidth * 0.9)]))
        try summary.addRow([.text(rulesLine, .wrap)], height: AttestatSheets.height([(rulesLine, tableWidth)]))
        for row in 1...2 { summary.merge(CellRange(first: CellReference(column: 1, row: row), last: CellReference(column: summaryWidths.count, row: row))) }
        try summary.addRow(
            [XLSXCell.text("№", .borderedHeader), .text("ФИО", .borderedHeader)] + subjects.map { XLSXCell.text($0.label, .borderedHeaderVertical) }
                + [.text("Отличие", .borderedHeader), .text("Аттестат", .borderedHeader), .text("Замечаний", .borderedHeaderVertical)],
            height: AttestatSheets.uprightHeaderHeight(subjects.map { ($0.label, 3.3) }))
        for (i, g) in graduates.enumerated() {
            var row: [XLSXCell?] = [.number(i + 1, .bordered), .text(g.record.name.description, .bordered)]
            for s in subjects { row.append(g.final(s.id).map { cell($0.value) } ?? .text("", .bordered)) }
            row.append(.text(g.honours.award ?? "", .bordered))
            row.append(.text(status(g, numbers), .bordered))
            row.append(.number(g.flags.count, .borderedCenter))
            try summary.addRow(row, height: AttestatSheets.height([(g.record.name.description, 26), (g.honours.award ?? "", 12), (status(g, numbers), 16)]))
        }
        try signatures(summary, ["Классный руководитель", "Директор"])
    }

    private func componentsSheet(_ writer: XLSXWriter, _ graduates: [Graduate]) throws {
        // Components: what each final mark was computed from.
        let components = try writer.addSheet(
            AttestatSheets.names[1], layout: SheetLayout(columnWidths: [24, 20, 5, 30, 52], frozenRows: 1, printLandscape: true))
        try components.addRow(texts: ["ФИО", "Предмет", "Итог", "Расчёт", "Составляющие (отметка, файл, ячейка)"], style: .borderedHeader)
        for g in graduates {
            for m in g.marks {
                let formula = m.problem.map { "не выставлена: \($0)" } ?? m.formula
                let parts = m.components.map(\.description).joined(separator: "; ")
                try components.addRow(
                    [
                        .text(g.record.name.description, .bordered), .text(m.label, .bordered), cell(m.value),
                        .text(formula, .bordered), .text(parts, .bordered)
                    ],
                    height: AttestatSheets.height([(g.record.name.description, 24), (m.label, 20), (formula, 30), (parts, 52)]))
            }
        }
    }

    private func registerBook(_ writer: XLSXWriter, _ graduates: [Graduate], subjects: [(id: String, label: String)], numbers: [StudentID: Int], title: String)
        throws
    {
        // The register book (книга регистрации выданных аттестатов): only those who receive the attestat, by number;
        // surname, name and patronymic in one column as the form has them, the hand-filled columns' titles upright.
        let handFilled = [("Номер бланка аттестата", 7.0)]
        let afterMarks = [
            ("Отличие", 7.0), ("Дата и номер приказа о выдаче", 8), ("Подпись выдавшего", 7), ("Подпись выпускника (или дата и № почтового отправления)", 8),
            ("Дата выдачи", 7)
        ]
        let bookWidths = [4.0, 15, 10.5] + handFilled.map(\.1) + subjects.map { _ in 3.0 } + afterMarks.map(\.1)
        let book = try writer.addSheet(AttestatSheets.names[2], layout: SheetLayout(columnWidths: bookWidths, frozenRows: 2, printLandscape: true))
        let level = graduates.first.flatMap { rules.grade($0.grade)?.level }
        let bookTitle = "Книга регистрации выданных аттестатов" + (level.map { " " + AttestatSheets.about($0) } ?? "") + ": \(title)"
        try book.addRow([.text(bookTitle, .boldWrap)], height: AttestatSheets.height([(bookTitle, bookWidths.reduce(0, +) * 0.9)]))
        book.merge(CellRange(first: CellReference(column: 1, row: 1), last: CellReference(column: bookWidths.count, row: 1)))
        try book.addRow(
            [XLSXCell.text("Рег. №", .borderedHeader), .text("Фамилия, имя, отчество", .borderedHeader), .text("Дата рождения", .borderedHeader)]
                + (handFilled + subjects.map { ($0.label, 3.0) } + afterMarks).map { XLSXCell.text($0.0, .borderedHeaderVertical) },
            height: AttestatSheets.uprightHeaderHeight(handFilled + subjects.map { ($0.label, 3.0) } + afterMarks))
        for g in graduates.filter({ numbers[$0.record.id] != nil }).sorted(by: { numbers[$0.record.id]! < numbers[$1.record.id]! }) {
            let award = g.honours.award.map(AttestatSheets.short) ?? ""
            var row: [XLSXCell?] = [
                .number(numbers[g.record.id]!, .borderedCenter), .text(g.record.name.description, .bordered),
                .date(g.record.birthDate, .borderedDate), .text("", .bordered)
            ]
            for s in subjects { row.append(g.final(s.id).map { cell($0.value) } ?? .text("", .bordered)) }
            row.append(.text(award, .bordered))
            row += [.text("", .bordered), .text("", .bordered), .text("", .bordered), .text("", .bordered)]
            // Room to sign by hand: never less than two lines.
            try book.addRow(row, height: max(30, AttestatSheets.height([(g.record.name.description, 15), (award, 7)])))
        }
        try signatures(book, ["Директор"])
    }

    private func withoutAttestatSheet(_ writer: XLSXWriter, _ graduates: [Graduate]) throws {
        // Without an attestat: who, why, and what the school does (a справка об обучении).
        let without = try writer.addSheet(
            AttestatSheets.names[3], layout: SheetLayout(columnWidths: [9, 20, 5, 40, 30, 10, 10], frozenRows: 1, printLandscape: true))
        try without.addRow(
            texts: ["ID", "ФИО", "Класс", "Причина", "Что делает школа", "Сроки пересдачи (назначает школа)", "Справка об обучении: номер и дата"],
            style: .borderedHeader)
        for g in graduates where g.outcome == .withoutAttestat {
            try without.addRow(
                [
                    .text(g.record.id.rawValue, .bordered), .text(g.record.name.description, .bordered), .text(g.schoolClass, .bordered),
                    .text(g.failures.joined(separator: "\n"), .bordered), .text(AttestatSheets.certificate, .bordered),
                    .text("", .bordered), .text("", .bordered)
                ],
                height: AttestatSheets.height([
                    (g.record.id.rawValue, 9), (g.record.name.description, 20), (g.failures.joined(separator: "\n"), 40),
                    (AttestatSheets.certificate, 30)
                ]))
        }
    }

    private func flagsSheet(_ writer: XLSXWriter, _ result: ClassGraduates, kept: [StudentID: Int]) throws {
        let graduates = result.graduates
        // Flags: what keeps a mark or the attestat back, numbers kept, leavers, honours near misses.
        let flags = try writer.addSheet(AttestatSheets.names[4], layout: SheetLayout(columnWidths: [22, 16, 44, 34, 10], frozenRows: 1, printLandscape: true))
        try flags.addRow(texts: ["ФИО", "Предмет", "Замечание", "Что сделать", "Выдачу аттестата"], style: .borderedHeader)
        for g in graduates {
            for f in g.flags {
                try flags.addRow(
                    [
                        .text(g.record.name.description, .bordered), .text(f.subject ?? "—", .bordered), .text(f.message, .bordered),
                        .text(f.action, .bordered), .text(f.blocks ? "задерживает" : "не задерживает", .bordered)
                    ],
                    height: AttestatSheets.height([(g.record.name.description, 22), (f.subject ?? "—", 16), (f.message, 44), (f.action, 34)]))
            }
        }
        for l in result.leavers {
            let number = kept[l.record.id].map { "; рег. № \($0), присвоенный раньше, остаётся за ним и никому другому не выдаётся" } ?? ""
            let message = "выбыл(а) \(l.left.russian), до конца учебного года: в число выпускников не входит, аттестат этой школой не выдаётся\(number)"
            let action = "если дата выбытия ошибочна, исправьте её в контингенте и пришлите его снова"
            try flags.addRow(
                [
                    .text(l.record.name.description, .bordered), .text("—", .bordered), .text(message, .bordered), .text(action, .bordered),
                    .text("—", .bordered)
                ],
                height: AttestatSheets.height([(l.record.name.description, 22), (message, 44), (action, 34)]))
        }
    }

    private func honoursSheet(_ writer: XLSXWriter, _ graduates: [Graduate]) throws {
        // Honours: each decision with the conditions that decided it.
        let honours = try writer.addSheet(AttestatSheets.names[5], layout: SheetLayout(columnWidths: [22, 26, 76], frozenRows: 1, printLandscape: true))
        try honours.addRow(texts: ["ФИО", "Решение", "Условия"], style: .borderedHeader)
        for g in graduates {
            let conditions = g.failures.isEmpty ? g.honours.conditions : ["аттестат не выдаётся: отличие не рассматривается"]
            let text = (conditions + ["ГИА:"] + g.gia.lines.map { "  " + $0 }).joined(separator: "\n")
            try honours.addRow(
                [.text(g.record.name.description, .bordered), .text(g.honours.award ?? "без отличия", .bordered), .text(text, .bordered)],
                height: AttestatSheets.height([(g.record.name.description, 22), (g.honours.award ?? "без отличия", 26), (text, 76)]))
        }
    }

    /// The signature lines under a printed form, in column A (the first columns are narrow, the line runs on).
    private func signatures(_ sheet: XLSXSheetWriter, _ who: [String]) throws {
        try sheet.addRow([])
        for person in who { try sheet.addRow([.text("\(person) ______________________ / ______________________ /")], height: 24) }
        try sheet.addRow([.text("М. П.          Дата: «____» ______________ 20___ г.")], height: 24)
    }

    /// The level in the prepositional case, as a title says it: «основное общее образование» →
    /// «об основном общем образовании», «среднее общее образование» → «о среднем общем образовании».
    static func about(_ level: String) -> String {
        let words = level.split(separator: " ").map { word -> String in
            let w = String(word)
            for (ending, prepositional) in [("ое", "ом"), ("ее", "ем"), ("ие", "ии"), ("ая", "ой")] where w.hasSuffix(ending) {
                return String(w.dropLast(2)) + prepositional
            }
            return w
        }
        let text = words.joined(separator: " ")
        let vowel = text.first.map { "аоуэиыАОУЭИЫ".contains($0) } ?? false
        return (vowel ? "об " : "о ") + text
    }

    /// A header row's height (points) for upright titles, each wrapped in its column's width
    /// (a line of 11 pt text takes about two characters of width).
    static func uprightHeaderHeight(_ columns: [(String, Double)]) -> Double {
        var tallest = 8.0
        for (label, width) in columns {
            let lines = max(1.0, (width / 2).rounded(.down))
            tallest = max(tallest, Double(label.count) / lines + 2)
        }
        // About 6 points a character of 11 pt text.
        return min(300, max(60, (tallest * 6 + 10).rounded()))
    }

    /// A row's height (points) for its wrapped texts, each in a column of that width (characters):
    /// the words laid out greedily, a line of 11 pt text 15 points.
    static func height(_ cells: [(String, Double)]) -> Double {
        var lines = 1
        for (text, width) in cells {
            let capacity = max(1, Int(width * 1.1))
            var count = 0
            for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
                var line = 0
                count += 1
                for word in paragraph.split(separator: " ") {
                    let needed = line == 0 ? word.count : line + 1 + word.count
                    if needed <= capacity {
                        line = needed
                    } else {
                        count += line == 0 ? 0 : 1
                        count += (word.count - 1) / capacity
                        line = word.count % capacity == 0 ? capacity : word.count % capacity
                    }
                }
            }
            lines = max(lines, count)
        }
        return min(409, Double(lines) * 15 + 2)
    }

    /// An award as the register book's narrow column says it: `с отличием`, `медаль I степени`.
    static func short(_ award: String) -> String {
        guard award.contains("медаль") else { return "с отличием" }
        if let close = award.lastIndex(of: "»") { return "медаль" + award[award.index(after: close)...] }
        return award
    }

    /// `рег. № 12`, `без аттестата`, `ждёт данных`.
    private func status(_ g: Graduate, _ numbers: [StudentID: Int]) -> String {
        switch g.outcome {
        case .ready: numbers[g.record.id].map { "рег. № \($0)" } ?? "готов"
        case .pending: "ждёт данных (см. «Замечания»)"
        case .withoutAttestat: "без аттестата"
        }
    }

    /// The subjects of the class, in the policy's order.
    func columns(_ graduates: [Graduate]) -> [(id: String, label: String)] {
        var seen: [String: String] = [:]
        for g in graduates { for m in g.marks { seen[m.subject] = m.label } }
        let order = Dictionary(policy.subjects.terms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        return seen.sorted { (order[$0.key] ?? 999, $0.key) < (order[$1.key] ?? 999, $1.key) }.map { ($0.key, $0.value) }
    }

    /// A number for five-point marks; the word for pass and exempt.
    private func cell(_ value: MarkValue?) -> XLSXCell {
        guard let value else { return .text("", .bordered) }
        if let n = value.points { return .number(n, .borderedCenter) }
        return .text(rules.word(value) ?? value.description, .borderedCenter)
    }
}
