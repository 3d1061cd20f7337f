import CivilDate
public import Policy
public import Records
import Spreadsheet

/// Writes a graduating class's workbook: final marks, their components, the
/// register book, the flags, the honours decisions. Russian headers, frozen
/// header rows, A4 landscape.
public struct AttestatSheets: Sendable {
    public let rules: AttestatRules
    public let policy: Policy
    public let schoolName: String

    public init(rules: AttestatRules, policy: Policy, schoolName: String) {
        self.rules = rules
        self.policy = policy
        self.schoolName = schoolName
    }

    public func write(_ graduates: [Graduate], schoolClass: String, year: AcademicYear, numbers: [StudentID: Int], to path: String) throws {
        let subjects = columns(graduates)
        let writer = try XLSXWriter(path: path)
        let title = "\(schoolClass) класс, \(year) учебный год"

        // Final marks: students by subjects.
        let summary = try writer.addSheet("Итоговые отметки", layout: SheetLayout(
            columnWidths: [5, 34] + subjects.map { _ in 9 } + [30, 10], frozenRows: 3, frozenColumns: 2, printLandscape: true))
        try summary.addRow([.text("\(schoolName): итоговые отметки выпускников, \(title)", .bold)])
        try summary.addRow([.text("Правила: \(rules.source), версия \(rules.version). Пустая ячейка — отметка не выставлена, причина на листе «Замечания».")])
        try summary.addRow((["№", "ФИО"] + subjects.map(\.label) + ["Отличие", "Замечаний"]).map { XLSXCell.text($0, .borderedHeader) }, height: 60)
        for (i, g) in graduates.enumerated() {
            var row: [XLSXCell?] = [.number(i + 1, .bordered), .text(g.record.name.description, .bordered)]
            for s in subjects {
                let mark = g.marks.first { $0.subject == s.id }
                row.append(mark.map { cell($0.value) } ?? .text("", .bordered))
            }
            row.append(.text(g.honours.award ?? "", .bordered))
            row.append(.number(g.flags.count, .borderedCenter))
            try summary.addRow(row)
        }

        // Components: what each final mark was computed from.
        let components = try writer.addSheet("Составляющие", layout: SheetLayout(columnWidths: [34, 30, 9, 34, 90], frozenRows: 1, printLandscape: true))
        try components.addRow(texts: ["ФИО", "Предмет", "Итог", "Расчёт", "Составляющие (отметка, файл, ячейка)"], style: .borderedHeader)
        for g in graduates {
            for m in g.marks {
                try components.addRow([.text(g.record.name.description, .bordered), .text(m.label, .bordered), cell(m.value),
                                       .text(m.problem.map { "не выставлена: \($0)" } ?? m.formula, .bordered),
                                       .text(m.components.map(\.description).joined(separator: "; "), .bordered)])
            }
        }

        // The register book (книга регистрации выданных аттестатов), in the order of registration numbers.
        let book = try writer.addSheet("Книга регистрации", layout: SheetLayout(
            columnWidths: [8, 16, 14, 18, 12, 14] + subjects.map { _ in 7 } + [22, 18, 16, 20, 12], frozenRows: 2, printLandscape: true))
        try book.addRow([.text("Книга регистрации выданных аттестатов об \(rules.grade(graduates.first.map { grade(of: $0, year) } ?? 9)?.level ?? "образовании"): \(title)", .bold)])
        try book.addRow((["Рег. №", "Фамилия", "Имя", "Отчество", "Дата рождения", "Номер бланка аттестата"] + subjects.map(\.label)
                         + ["Отличие", "Дата и номер приказа о выдаче", "Подпись выдавшего", "Подпись выпускника (или дата и № почтового отправления)", "Дата выдачи"])
            .map { XLSXCell.text($0, .borderedHeader) }, height: 90)
        for g in graduates.sorted(by: { (numbers[$0.record.id] ?? 0) < (numbers[$1.record.id] ?? 0) }) {
            var row: [XLSXCell?] = [.number(numbers[g.record.id] ?? 0, .borderedCenter), .text(g.record.name.surname, .bordered),
                                    .text(g.record.name.name, .bordered), .text(g.record.name.patronymic ?? "", .bordered),
                                    .date(g.record.birthDate, .borderedDate), .text("", .bordered)]
            for s in subjects { row.append(g.marks.first { $0.subject == s.id }.map { cell($0.value) } ?? .text("", .bordered)) }
            row.append(.text(g.honours.attestat ?? g.honours.award ?? "", .bordered))
            row += [.text("", .bordered), .text("", .bordered), .text("", .bordered), .text("", .bordered)]
            try book.addRow(row)
        }

        // Flags: what keeps a mark out, and honours candidates missing one condition.
        let flags = try writer.addSheet("Замечания", layout: SheetLayout(columnWidths: [34, 30, 80, 60], frozenRows: 1, printLandscape: true))
        try flags.addRow(texts: ["ФИО", "Предмет", "Замечание", "Что сделать"], style: .borderedHeader)
        for g in graduates {
            for f in g.flags {
                try flags.addRow([.text(g.record.name.description, .bordered), .text(f.subject ?? "—", .bordered), .text(f.message, .bordered), .text(f.action, .bordered)])
            }
        }

        // Honours: each decision with the conditions that decided it.
        let honours = try writer.addSheet("Отличия", layout: SheetLayout(columnWidths: [34, 40, 100], frozenRows: 1, printLandscape: true))
        try honours.addRow(texts: ["ФИО", "Решение", "Условия"], style: .borderedHeader)
        for g in graduates {
            try honours.addRow([.text(g.record.name.description, .bordered), .text(g.honours.award ?? "без отличия", .bordered),
                                .text(g.honours.conditions.joined(separator: "\n"), .bordered)])
        }
        try writer.close()
    }

    /// The subjects of the class, in the policy's order.
    func columns(_ graduates: [Graduate]) -> [(id: String, label: String)] {
        var seen: [String: String] = [:]
        for g in graduates { for m in g.marks { seen[m.subject] = m.label } }
        let order = Dictionary(policy.subjects.terms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        return seen.sorted { (order[$0.key] ?? 999, $0.key) < (order[$1.key] ?? 999, $1.key) }.map { ($0.key, $0.value) }
    }

    private func grade(of g: Graduate, _ year: AcademicYear) -> Int {
        g.record.enrolments.first { $0.year == year }?.grade ?? 9
    }

    /// A number for five-point marks; the word for pass and exempt.
    private func cell(_ value: MarkValue?) -> XLSXCell {
        guard let value else { return .text("", .bordered) }
        if let n = value.points { return .number(n, .borderedCenter) }
        return .text(rules.word(value) ?? value.description, .borderedCenter)
    }
}
