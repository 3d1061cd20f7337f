import CivilDate
import FileIO
public import Ledger
public import Policy
public import Records
public import Settings
import Spreadsheet

/// What `uchet lists` found, for its lines.
public struct YearEndListsSummary: Sendable {
    public var commendation: Int
    public var notAdmitted: Int
    public var admissionUndecided: Int
    public var gifted: Int
    /// Relative to the outbox.
    public var path: String
}

/// The year-end lists a deputy head prepares from the annual marks: the
/// candidates for the похвальный лист «За отличные успехи в учении», the
/// students of 9th and 11th grade not admitted to the ГИА and why, and the
/// students in the state register of gifted children (ГИР, 3.4). One
/// workbook, `outbox/lists/<year>/списки.xlsx`; it names students (that is its
/// purpose), so it is the owner's only, like everything uchet writes.
public struct YearEndLists: Sendable {
    public let ledger: Ledger
    public let policy: Policy
    public let settings: PipelineSettings

    public static let sheets = ["Похвальный лист", "Не допущены к ГИА", "ГИР"]
    /// The policy's subjects for the итоговое собеседование (admission to the 9th grade's ГИА) and the итоговое сочинение (11th).
    public static let finalInterview = "final-interview"
    public static let finalEssay = "final-essay"
    /// Grades whose students may receive the похвальный лист.
    public static let commendationGrades: Set<Int> = [2, 3, 4, 5, 6, 7, 8, 10]

    public init(ledger: Ledger, policy: Policy, settings: PipelineSettings) {
        self.ledger = ledger
        self.policy = policy
        self.settings = settings
    }

    /// One student's annual marks of the year, conflicts taken into account.
    struct AnnualMarks {
        var values: [(subject: String, value: MarkValue)] = []
        /// Subjects whose annual mark two files disagree on, no rule having decided.
        var conflicts: [String] = []
    }

    static func annualMarks(_ r: StudentRecord, year: AcademicYear) -> AnnualMarks {
        var bySubject: [String: [StudentRecord.MarkRow]] = [:]
        for m in r.marks where m.kind == .annual && m.year == year && m.period == "year" { bySubject[m.subject, default: []].append(m) }
        var out = AnnualMarks()
        for (subject, rows) in bySubject.sorted(by: { $0.key < $1.key }) {
            if rows.allSatisfy({ $0.value == rows[0].value }) {
                out.values.append((subject, rows[0].value))
            } else if let c = r.conflicts.first(where: { $0.subject == subject && $0.year == year && $0.period == "year" }), !c.open,
                let winner = rows.first(where: { $0.fact == c.winnerFact })
            {
                out.values.append((subject, winner.value))
            } else {
                out.conflicts.append(subject)
            }
        }
        return out
    }

    public func write(year: AcademicYear) throws -> YearEndListsSummary {
        let end = policy.bounds(of: year).upperBound
        var students: [Pupil] = []
        for id in try ledger.students(year: year) {
            guard let r = try ledger.studentRecord(id), let e = r.enrolments.first(where: { $0.year == year }) else { continue }
            students.append((r, e))
        }
        students.sort {
            ($0.enrolment.grade, $0.enrolment.schoolClass, $0.record.name.key, $0.record.id.rawValue)
                < ($1.enrolment.grade, $1.enrolment.schoolClass, $1.record.name.key, $1.record.id.rawValue)
        }
        let relative = "lists/\(year.fileName)/списки.xlsx"
        try Files.makeFolders(settings.outbox + "/lists/" + year.fileName)
        let writer = try XLSXWriter(path: settings.outbox + "/" + relative)
        var summary = YearEndListsSummary(commendation: 0, notAdmitted: 0, admissionUndecided: 0, gifted: 0, path: relative)
        try commendations(writer, students, year: year, end: end, summary: &summary)
        try admission(writer, students, year: year, end: end, summary: &summary)
        try gifted(writer, students, year: year, summary: &summary)
        try writer.close()
        return summary
    }

    /// A student of the year with their enrolment in it.
    typealias Pupil = (record: StudentRecord, enrolment: StudentRecord.EnrolmentRow)

    private func commendations(
        _ writer: XLSXWriter, _ students: [Pupil], year: AcademicYear, end: CivilDate, summary: inout YearEndListsSummary
    ) throws {
        // Похвальный лист: every annual mark «5» (зачтено and освобожден do not stand in the way).
        let praise = try writer.addSheet(YearEndLists.sheets[0], layout: SheetLayout(columnWidths: [12, 34, 8, 12, 60], frozenRows: 3, printLandscape: true))
        try praise.addRow([.text("\(settings.school.name): кандидаты на похвальный лист «За отличные успехи в учении», \(year) учебный год", .bold)])
        try praise.addRow([
            .text(
                "Условие: все годовые отметки «5» (зачтено и освобожден не мешают); 2–8 и 10 классы; обучающийся в классе на конец года. Решение принимает педагогический совет."
            )
        ])
        try praise.addRow(texts: ["ID", "ФИО", "Класс", "Годовых «5»", "Предметы"], style: .borderedHeader)
        for (r, e) in students where YearEndLists.commendationGrades.contains(e.grade) && !(e.left.map { $0 < end } ?? false) {
            let marks = YearEndLists.annualMarks(r, year: year)
            let fives = marks.values.count { $0.value == .points(5) }
            guard fives > 0, marks.conflicts.isEmpty,
                marks.values.allSatisfy({ $0.value == .points(5) || $0.value == .pass || $0.value == .exempt })
            else { continue }
            try praise.addRow([
                .text(r.id.rawValue, .bordered), .text(r.name.description, .bordered), .text(e.schoolClass, .bordered),
                .number(fives, .borderedCenter), .text(marks.values.map { subjectLabel($0.subject) }.joined(separator: ", "), .bordered)
            ])
            summary.commendation += 1
        }
    }

    private func admission(_ writer: XLSXWriter, _ students: [Pupil], year: AcademicYear, end: CivilDate, summary: inout YearEndListsSummary) throws {
        // Not admitted to the ГИА: 9th and 11th grade, an annual «2», «1», н/а or не зачтено.
        let admission = try writer.addSheet(YearEndLists.sheets[1], layout: SheetLayout(columnWidths: [12, 34, 8, 24, 80], frozenRows: 4, printLandscape: true))
        try admission.addRow([.text("\(settings.school.name): обучающиеся 9 и 11 классов, не допущенные к ГИА, \(year) учебный год", .bold)])
        try admission.addRow([
            .text(
                "Не допускается к ГИА обучающийся с годовой отметкой ниже «3», «н/а» или «не зачтено» хотя бы по одному предмету учебного плана. «Допуск не определён» — в учёте расхождение годовых отметок или их нет: решите расхождение или пришлите ведомость."
            )
        ])
        // The итоговое собеседование (9th grade) and итоговое сочинение (11th): checked where the ledger holds their results.
        let admissionTests = [9: YearEndLists.finalInterview, 11: YearEndLists.finalEssay].compactMapValues { id in
            policy.subjects.term(id: id).map { (id, $0.label) }
        }
        if admissionTests.isEmpty {
            try admission.addRow([
                .text(
                    "Итоговое собеседование (9 класс) и итоговое сочинение (11 класс): в положении школы нет таких предметов, в учёте нет их результатов, здесь они не проверяются — сверьте допуск по ним с протоколами."
                )
            ])
        } else {
            try admission.addRow([
                .text(
                    "Итоговое собеседование (9 класс) и итоговое сочинение (11 класс) проверяются там, где их результаты есть в учёте (предметы «\(admissionTests.values.map(\.1).sorted().joined(separator: "», «"))» в ведомостях): нет «зачёта» ни в одной записи года — не допущен(а); нет записей — не проверяется."
                )
            ])
        }
        try admission.addRow(texts: ["ID", "ФИО", "Класс", "Допуск", "Причина"], style: .borderedHeader)
        for (r, e) in students where (e.grade == 9 || e.grade == 11) && !(e.left.map { $0 < end } ?? false) {
            let marks = YearEndLists.annualMarks(r, year: year)
            var reasons = marks.values.filter { ![YearEndLists.finalInterview, YearEndLists.finalEssay].contains($0.subject) }.compactMap { s, v -> String? in
                switch v {
                case .points(let n) where n < 3: "\(subjectLabel(s)): годовая «\(n)»"
                case .notAssessed: "\(subjectLabel(s)): годовая «н/а» (не аттестован)"
                case .fail: "\(subjectLabel(s)): годовая «не зачтено»"
                default: nil
                }
            }
            if let (id, label) = admissionTests[e.grade] {
                let results = r.marks.filter { $0.subject == id && $0.year == year && $0.kind != .current }.map(\.value)
                if !results.isEmpty, !results.contains(.pass) {
                    reasons.append("\(label): «\(results.map(\.description).sorted().last!)», нет «зачёта»")
                }
            }
            var undecided = marks.conflicts.map { "\(subjectLabel($0)): расхождение годовых отметок между файлами — решите его" }
            if marks.values.isEmpty && marks.conflicts.isEmpty { undecided.append("годовых отметок \(year) в учёте нет: пришлите сводную ведомость") }
            guard !reasons.isEmpty || !undecided.isEmpty else { continue }
            let state = reasons.isEmpty ? "допуск не определён" : "не допущен(а)"
            try admission.addRow([
                .text(r.id.rawValue, .bordered), .text(r.name.description, .bordered), .text(e.schoolClass, .bordered),
                .text(state, .bordered), .text((reasons + undecided).joined(separator: "\n"), .bordered)
            ])
            if reasons.isEmpty { summary.admissionUndecided += 1 } else { summary.notAdmitted += 1 }
        }
    }

    private func gifted(_ writer: XLSXWriter, _ students: [Pupil], year: AcademicYear, summary: inout YearEndListsSummary) throws {
        // The state register of gifted children: achievements the school marked as placed in the ГИР.
        let gifted = try writer.addSheet(
            YearEndLists.sheets[2], layout: SheetLayout(columnWidths: [12, 34, 8, 50, 16, 16, 12, 20, 20], frozenRows: 3, printLandscape: true))
        try gifted.addRow([
            .text(
                "\(settings.school.name): обучающиеся, сведения о достижениях которых внесены в ГИР (п. \(policy.girSection) положения), \(year) учебный год",
                .bold)
        ])
        try gifted.addRow([
            .text(
                "По п. \(policy.girSection) им могут быть предоставлены особые условия промежуточной и итоговой аттестации по предметам, не выносимым на ГИА. Источник — реестры достижений со столбцом «ГИР»."
            )
        ])
        try gifted.addRow(texts: ["ID", "ФИО", "Класс", "Мероприятие", "Уровень", "Результат", "Дата", "Документ", "Номер документа"], style: .borderedHeader)
        for (r, e) in students {
            let entries = r.achievements.filter(\.gir).sorted { ($0.date?.iso8601 ?? "", $0.event) < ($1.date?.iso8601 ?? "", $1.event) }
            guard !entries.isEmpty else { continue }
            summary.gifted += 1
            for a in entries {
                try gifted.addRow([
                    .text(r.id.rawValue, .bordered), .text(r.name.description, .bordered), .text(e.schoolClass, .bordered),
                    .text(a.event, .bordered), .text(a.level.map { policy.eventLevels.term(id: $0)?.label ?? $0 } ?? "", .bordered),
                    .text(a.result.map { policy.eventResults.term(id: $0)?.label ?? $0 } ?? "", .bordered),
                    a.date.map { .date($0, .borderedDate) } ?? .text("", .bordered),
                    .text(a.documentKind.map { policy.documentKinds.term(id: $0)?.label ?? $0 } ?? "", .bordered),
                    .text(a.documentNumber ?? "", .bordered)
                ])
            }
        }
    }

    func subjectLabel(_ id: String) -> String { policy.subjects.term(id: id)?.label ?? id }
}
