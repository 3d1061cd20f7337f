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
    static let certificate = "выдать справку об обучении (ч. 12 ст. 60 Федерального закона № 273-ФЗ); пересдачу ГИА или ликвидацию задолженности школа назначает в свои сроки"

    public init(rules: AttestatRules, policy: Policy, schoolName: String) {
        self.rules = rules
        self.policy = policy
        self.schoolName = schoolName
    }

    public func write(_ result: ClassGraduates, schoolClass: String, year: AcademicYear, numbers: [StudentID: Int], kept: [StudentID: Int],
                      to path: String) throws {
        let graduates = result.graduates
        let subjects = columns(graduates)
        let writer = try XLSXWriter(path: path)
        let title = "\(schoolClass) класс, \(year) учебный год"

        // Final marks: students by subjects.
        let summary = try writer.addSheet(AttestatSheets.names[0], layout: SheetLayout(
            columnWidths: [5, 34] + subjects.map { _ in 9 } + [30, 18, 10], frozenRows: 3, frozenColumns: 2, printLandscape: true))
        try summary.addRow([.text("\(schoolName): итоговые отметки выпускников, \(title)", .bold)])
        try summary.addRow([.text("Правила: \(rules.source), версия \(rules.version). Пустая ячейка — отметка не выставлена, причина на листе «Замечания».")])
        try summary.addRow((["№", "ФИО"] + subjects.map(\.label) + ["Отличие", "Аттестат", "Замечаний"]).map { XLSXCell.text($0, .borderedHeader) }, height: 60)
        for (i, g) in graduates.enumerated() {
            var row: [XLSXCell?] = [.number(i + 1, .bordered), .text(g.record.name.description, .bordered)]
            for s in subjects { row.append(g.final(s.id).map { cell($0.value) } ?? .text("", .bordered)) }
            row.append(.text(g.honours.award ?? "", .bordered))
            row.append(.text(status(g, numbers), .bordered))
            row.append(.number(g.flags.count, .borderedCenter))
            try summary.addRow(row)
        }

        // Components: what each final mark was computed from.
        let components = try writer.addSheet(AttestatSheets.names[1], layout: SheetLayout(columnWidths: [34, 30, 9, 44, 90], frozenRows: 1, printLandscape: true))
        try components.addRow(texts: ["ФИО", "Предмет", "Итог", "Расчёт", "Составляющие (отметка, файл, ячейка)"], style: .borderedHeader)
        for g in graduates {
            for m in g.marks {
                try components.addRow([.text(g.record.name.description, .bordered), .text(m.label, .bordered), cell(m.value),
                                       .text(m.problem.map { "не выставлена: \($0)" } ?? m.formula, .bordered),
                                       .text(m.components.map(\.description).joined(separator: "; "), .bordered)])
            }
        }

        // The register book (книга регистрации выданных аттестатов): only those who receive the attestat, by number.
        let book = try writer.addSheet(AttestatSheets.names[2], layout: SheetLayout(
            columnWidths: [8, 16, 14, 18, 12, 14] + subjects.map { _ in 7 } + [22, 18, 16, 20, 12], frozenRows: 2, printLandscape: true))
        let level = graduates.first.flatMap { rules.grade($0.grade)?.level } ?? "образовании"
        try book.addRow([.text("Книга регистрации выданных аттестатов об \(level): \(title)", .bold)])
        try book.addRow((["Рег. №", "Фамилия", "Имя", "Отчество", "Дата рождения", "Номер бланка аттестата"] + subjects.map(\.label)
                         + ["Отличие", "Дата и номер приказа о выдаче", "Подпись выдавшего", "Подпись выпускника (или дата и № почтового отправления)", "Дата выдачи"])
            .map { XLSXCell.text($0, .borderedHeader) }, height: 90)
        for g in graduates.filter({ numbers[$0.record.id] != nil }).sorted(by: { numbers[$0.record.id]! < numbers[$1.record.id]! }) {
            var row: [XLSXCell?] = [.number(numbers[g.record.id]!, .borderedCenter), .text(g.record.name.surname, .bordered),
                                    .text(g.record.name.name, .bordered), .text(g.record.name.patronymic ?? "", .bordered),
                                    .date(g.record.birthDate, .borderedDate), .text("", .bordered)]
            for s in subjects { row.append(g.final(s.id).map { cell($0.value) } ?? .text("", .bordered)) }
            row.append(.text(g.honours.award.map { a in g.honours.attestat.map { $0 == a ? a : "\(a); \($0)" } ?? a } ?? "", .bordered))
            row += [.text("", .bordered), .text("", .bordered), .text("", .bordered), .text("", .bordered)]
            try book.addRow(row)
        }

        // Without an attestat: who, why, and what the school does (a справка об обучении).
        let without = try writer.addSheet(AttestatSheets.names[3], layout: SheetLayout(columnWidths: [12, 34, 8, 90, 60, 22, 22], frozenRows: 1, printLandscape: true))
        try without.addRow(texts: ["ID", "ФИО", "Класс", "Причина", "Что делает школа", "Сроки пересдачи (назначает школа)", "Справка об обучении: номер и дата"],
                           style: .borderedHeader)
        for g in graduates where g.outcome == .withoutAttestat {
            try without.addRow([.text(g.record.id.rawValue, .bordered), .text(g.record.name.description, .bordered), .text(g.schoolClass, .bordered),
                                .text(g.failures.joined(separator: "\n"), .bordered), .text(AttestatSheets.certificate, .bordered),
                                .text("", .bordered), .text("", .bordered)])
        }

        // Flags: what keeps a mark or the attestat back, numbers kept, leavers, honours near misses.
        let flags = try writer.addSheet(AttestatSheets.names[4], layout: SheetLayout(columnWidths: [34, 30, 80, 60, 16], frozenRows: 1, printLandscape: true))
        try flags.addRow(texts: ["ФИО", "Предмет", "Замечание", "Что сделать", "Выдачу аттестата"], style: .borderedHeader)
        for g in graduates {
            for f in g.flags {
                try flags.addRow([.text(g.record.name.description, .bordered), .text(f.subject ?? "—", .bordered), .text(f.message, .bordered),
                                  .text(f.action, .bordered), .text(f.blocks ? "задерживает" : "не задерживает", .bordered)])
            }
        }
        for l in result.leavers {
            let number = kept[l.record.id].map { "; рег. № \($0), присвоенный раньше, остаётся за ним и никому другому не выдаётся" } ?? ""
            try flags.addRow([.text(l.record.name.description, .bordered), .text("—", .bordered),
                              .text("выбыл(а) \(l.left.russian), до конца учебного года: в число выпускников не входит, аттестат этой школой не выдаётся\(number)", .bordered),
                              .text("если дата выбытия ошибочна, исправьте её в контингенте и пришлите его снова", .bordered), .text("—", .bordered)])
        }

        // Honours: each decision with the conditions that decided it.
        let honours = try writer.addSheet(AttestatSheets.names[5], layout: SheetLayout(columnWidths: [34, 40, 100], frozenRows: 1, printLandscape: true))
        try honours.addRow(texts: ["ФИО", "Решение", "Условия"], style: .borderedHeader)
        for g in graduates {
            let conditions = g.failures.isEmpty ? g.honours.conditions : ["аттестат не выдаётся: отличие не рассматривается"]
            try honours.addRow([.text(g.record.name.description, .bordered), .text(g.honours.award ?? "без отличия", .bordered),
                                .text((conditions + ["ГИА:"] + g.gia.lines.map { "  " + $0 }).joined(separator: "\n"), .bordered)])
        }
        try writer.close()
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
