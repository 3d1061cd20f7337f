public import CivilDate
public import Ledger
public import Policy
public import Records
import Spreadsheet

/// The statement a family asks for (section 6; the extract of 4.7): current
/// marks and intermediate assessment of one school year, and achievements,
/// as an XLSX the school prints, signs and stamps.
public struct Statement: Sendable {
    public let policy: Policy
    public let school: SchoolInfo

    public init(policy: Policy, school: SchoolInfo) {
        self.policy = policy
        self.school = school
    }

    /// Writes the statement for `year` to `path`.
    public func write(_ r: StudentRecord, year: AcademicYear, issued: CivilDate, to path: String) throws {
        let marks = r.marks.filter { $0.year == year }
        let enrolment = r.enrolments.first { $0.year == year }
        let periods = policy.periods.terms.map(\.id).filter { p in marks.contains { $0.period == p } }
        let subjects = Set(marks.map(\.subject)).sorted { (rank($0), $0) < (rank($1), $1) }
        let writer = try XLSXWriter(path: path)

        let summary = try writer.addSheet(
            "Выписка",
            layout: SheetLayout(
                columnWidths: [34] + periods.map { _ in 10 } + [12, 60],
                frozenRows: 0, printLandscape: true))
        try summary.addRow([.text(school.name, .bold)])
        try summary.addRow([.text("Выписка из классного журнала с текущими отметками и результатами промежуточной аттестации", .bold)])
        try summary.addRow([.text("(п. \(policy.documentSection) и раздел 6 положения об индивидуальном учёте результатов)")])
        try summary.addRow([])
        try summary.addRow([.text("Обучающийся:"), .text(r.name.description)])
        try summary.addRow([.text("Дата рождения:"), .date(r.birthDate)])
        try summary.addRow([.text("Класс:"), .text(enrolment?.schoolClass ?? "—")])
        try summary.addRow([.text("Учебный год:"), .text(year.description)])
        try summary.addRow([])
        let header = ["Предмет"] + periods.map { policy.period(id: $0)?.label ?? $0 } + ["Текущих отметок", "Текущие отметки (дата — отметка)"]
        try summary.addRow(header.map { XLSXCell.text($0, .borderedHeader) })
        var notes: [String] = []
        for subject in subjects {
            let own = marks.filter { $0.subject == subject }
            let label = policy.subjects.term(id: subject)?.label ?? subject
            var row: [XLSXCell?] = [.text(label, .bordered)]
            for p in periods {
                let found = own.filter { $0.period == p && $0.kind != .current }
                let conflict = r.conflicts.first { $0.subject == subject && $0.year == year && $0.period == p }
                // A conflict shows the value that counts: a person's decision, else the rule's; open, both values.
                if let c = conflict, let d = c.decision {
                    row.append(.text((d.markValue?.description ?? d.value) + "*", .borderedCenter))
                    notes.append("* \(label), \(policy.period(id: p)?.label ?? p): отметка по решению о расхождении источников (\(d.provenance))")
                } else if let c = conflict, !c.open, let winner = found.first(where: { $0.fact == c.winnerFact }) {
                    row.append(.text(winner.value.description, .borderedCenter))
                } else {
                    let values = Array(Set(found.map { $0.value.description })).sorted()
                    row.append(.text(values.joined(separator: " / "), .borderedCenter))
                }
            }
            let current = own.filter { $0.kind == .current }.sorted { ($0.date ?? CivilDate.distant, $0.fact) < ($1.date ?? CivilDate.distant, $1.fact) }
            row.append(.number(current.count, .borderedCenter))
            row.append(.text(current.map { "\($0.date.map { String($0.russian.prefix(5)) } ?? "") — \($0.value)" }.joined(separator: "; "), .bordered))
            try summary.addRow(row)
        }
        for note in notes { try summary.addRow([.text(note)]) }
        try summary.addRow([])
        let achievements = r.achievements.filter { $0.year == year }
        if !achievements.isEmpty {
            try summary.addRow([.text("Достижения", .bold)])
            for a in achievements.sorted(by: { ($0.date ?? CivilDate.distant, $0.event) < ($1.date ?? CivilDate.distant, $1.event) }) {
                let details = [
                    a.level.flatMap { policy.eventLevels.term(id: $0)?.label }, a.result.flatMap { policy.eventResults.term(id: $0)?.label },
                    a.documentKind.flatMap { policy.documentKinds.term(id: $0)?.label }
                ].compactMap { $0 }.joined(separator: ", ")
                try summary.addRow([.text(a.event), .text(details), a.date.map { .date($0) }])
            }
            try summary.addRow([])
        }
        try summary.addRow([.text("Дата выдачи:"), .date(issued)])
        try summary.addRow([.text("Руководитель (уполномоченное лицо): ____________________ /____________________/")])
        try summary.addRow([.text("М. П.")])

        let current = try writer.addSheet("Текущие отметки", layout: SheetLayout(columnWidths: [34, 12, 9, 26, 6], frozenRows: 1))
        try current.addRow(texts: ["Предмет", "Дата", "Отметка", "Вид работы", "Вес"], style: .header)
        for m in marks.filter({ $0.kind == .current }).sorted(by: {
            (rank($0.subject), $0.date ?? CivilDate.distant, $0.fact) < (rank($1.subject), $1.date ?? CivilDate.distant, $1.fact)
        }) {
            try current.addRow([
                .text(policy.subjects.term(id: m.subject)?.label ?? m.subject), m.date.map { .date($0) }, .text(m.written),
                m.work.map { .text($0) }, m.weight.map { .number($0) }
            ])
        }
        try writer.close()
    }

    private func rank(_ subject: String) -> Int { policy.subjects.terms.firstIndex { $0.id == subject } ?? 999 }
}
