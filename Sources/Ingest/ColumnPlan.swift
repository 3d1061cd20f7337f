import CivilDate
import Policy
import Records
import Spreadsheet

/// What a column of a matched table stands for, read from its header.
enum ColumnRole: Sendable, Hashable {
    /// A field of the profile (ФИО, class, date…).
    case field(String)
    /// A subject's marks (a summary sheet; with a period column, one row per period).
    case subject(String)
    /// A subject's marks for one period (a subject merged over its period columns).
    case subjectPeriod(subject: String, period: String)
    /// A period's marks in the subject the title names (a teacher's sheet, a journal grid).
    case period(String)
    /// A lesson's marks (a journal grid).
    case date(CivilDate)
    /// Read and left out on purpose; the reason is for the report.
    case ignored(String)
    /// A header nobody understands: its cells become no record, and the
    /// header's finding says so.
    case unknown

    var isSubject: Bool {
        if case .subject = self { true } else { false }
    }

    var isData: Bool {
        switch self {
        case .subject, .subjectPeriod, .period, .date: true
        case .field, .ignored, .unknown: false
        }
    }
}

/// A header cell that is not a field, a subject, a period, a date or a
/// column the profile leaves out: a finding at that cell.
struct HeaderProblem: Sendable, Hashable {
    var row: Int
    var column: Int
    var code: String
    var severity: Severity
    var message: String
    /// Other columns whose cells this finding speaks for (the period columns under an unknown subject).
    var covers: [Int] = []
}

/// Every header cell of a matched table accounted for: a role per column,
/// a problem per cell nobody understands.
struct ColumnPlan: Sendable {
    var roles: [Int: ColumnRole] = [:]
    /// The header text that names each column, for messages.
    var headers: [Int: String] = [:]
    var problems: [HeaderProblem] = []
    /// The columns each subject's header cell spans in a two-row header (its period columns).
    var subjectSpans: [(subject: String, columns: ClosedRange<Int>)] = []
    /// Field name → column.
    var fields: [String: Int] = [:]

    var hasDataColumns: Bool { roles.values.contains { $0.isData } }

    /// The field a column holds, if it holds one.
    func field(at column: Int) -> String? {
        if case .field(let name)? = roles[column] { return name }
        return nil
    }

    /// A column whose cells are not taken, with the error at its header that says why.
    mutating func refuse(_ column: Int, row: Int, _ code: String, _ message: String) {
        roles[column] = .unknown
        problems.append(HeaderProblem(row: row, column: column, code: code, severity: .error, message: message))
    }

    mutating func set(_ column: Int, _ role: ColumnRole, header: String) {
        roles[column] = role
        headers[column] = header
        if case .field(let name) = role, fields[name] == nil { fields[name] = column }
    }
}

/// Plans the columns of one profile's layout over the rows where its header
/// may be: which row holds the fields, which the subjects (or dates), which
/// the periods under them; which header cell owns which columns (a merged
/// cell exactly its merge range; without merges, up to the next header).
struct ColumnPlanner {
    let profile: ImportProfile
    let policy: Policy
    /// The school year a journal grid's dates (`01.09`) fall in.
    let year: AcademicYear
    /// Whether to word the findings (the nearest subject, the allowed periods): only
    /// for the plan that matched, not for every row tried as a header.
    var describe = true

    /// A plan, or why this layout does not fit.
    struct Attempt {
        var plan = ColumnPlan()
        var height = 1
        /// Required headers not found (their first spelling).
        var missing: [String] = []
        /// Why the layout does not fit although the fields are there.
        var layoutFailure: String?
    }

    func plan(_ block: [Row], merges: [CellRange]) -> Attempt {
        var attempt =
            switch profile.layout {
            case .table, .sidecar: table(block)
            case .subjectColumns, .subjectColumnsPeriods, .subjectColumnsPeriodRows: subjects(block, merges: merges)
            case .periodColumns: periods(block)
            case .dateColumns: dates(block, merges: merges)
            }
        if attempt.layoutFailure == nil, let top = block.first?.number {
            duplicates(&attempt.plan, row: top + attempt.height - 1)
            periodOrder(&attempt.plan, row: top + attempt.height - 1)
        }
        return attempt
    }

    /// Two columns that mean the same — one subject twice («История России» and
    /// «Всеобщая история» are both «История»), one subject's period twice (a
    /// subject's name written over the wrong column) — cannot both be a
    /// student's one mark: the second is an error at its header, its cells not
    /// taken. Lesson dates may repeat (a double lesson).
    private func duplicates(_ plan: inout ColumnPlan, row: Int) {
        var first: [ColumnRole: Int] = [:]
        for column in plan.roles.keys.sorted() {
            guard let role = plan.roles[column] else { continue }
            let what: String
            switch role {
            case .subject(let s): what = "предмет «\(subjectLabel(s))»"
            case .subjectPeriod(let s, let p): what = "предмет «\(subjectLabel(s))», период «\(periodLabel(p))»"
            case .period(let p): what = "период «\(periodLabel(p))»"
            case .field, .date, .ignored, .unknown: continue
            }
            guard let earlier = first[role] else {
                first[role] = column
                continue
            }
            let header = plan.headers[column] ?? ""
            let earlierHeader = plan.headers[earlier] ?? ""
            plan.refuse(
                column, row: row, "E-COLUMN-DUPLICATE",
                "столбец «\(header)» значит то же, что столбец \(Provenance.columnName(earlier)) «\(earlierHeader)»: \(what); "
                    + "у обучающегося за период одна отметка по предмету — проверьте, над теми ли столбцами стоят названия предметов и периодов, "
                    + "оставьте один столбец или подпишите их так, чтобы они различались")
        }
    }

    /// Under one subject the periods run in the year's order (quarters or halves
    /// by number, then the year, the exam, the final); «1 ч» after «Год» means the
    /// subject's name stands over the wrong column and the span holds a neighbour's
    /// column: an error at that column, its cells not taken.
    private func periodOrder(_ plan: inout ColumnPlan, row: Int) {
        var seen: [String: (stage: Int, numbers: [Period.Kind: Int], header: String)] = [:]
        for column in plan.roles.keys.sorted() {
            guard case .subjectPeriod(let subject, let id)? = plan.roles[column], let period = policy.period(id: id) else { continue }
            let stage =
                switch period.kind {
                case .quarter, .halfYear, .trimester: 0
                case .year: 1
                case .exam: 2
                case .final: 3
                }
            let header = plan.headers[column] ?? ""
            var state = seen[subject] ?? (0, [:], "")
            let number = period.number ?? 0
            if stage < state.stage || stage == 0 && number <= state.numbers[period.kind] ?? 0 {
                plan.refuse(
                    column, row: row, "E-COLUMN-ORDER",
                    "под предметом «\(subjectLabel(subject))» период «\(header)» стоит после «\(state.header)»: похоже, название предмета "
                        + "написано не над первым его столбцом и этот столбец — соседнего предмета; объедините ячейку предмета над его периодами")
                continue
            }
            state.stage = stage
            if stage == 0 { state.numbers[period.kind] = number }
            state.header = header
            seen[subject] = state
        }
    }

    private func subjectLabel(_ id: String) -> String { policy.subjects.term(id: id)?.label ?? id }
    private func periodLabel(_ id: String) -> String { policy.period(id: id)?.label ?? id }

    // MARK: - What a header cell says

    /// The reason profiles give for the row-number column (`№`, `№ п/п`): nothing to report about it.
    static let numberReason = "номер по порядку"

    /// The header's text as a person reads it.
    private static func text(_ value: CellValue) -> String { value.text.trimmed }

    private func field(_ cell: Cell, _ plan: ColumnPlan) -> String? {
        guard case .string(let s) = cell.value, let name = profile.fieldForHeader[TextKey.compact(s)], plan.fields[name] == nil else { return nil }
        return name
    }

    /// Why the profile leaves this column out, when it does.
    private func ignored(_ cell: Cell) -> String? {
        let text = ColumnPlanner.text(cell.value)
        let key = TextKey.compact(text)
        if let reason = profile.ignoredReason[key] { return reason }
        if key.isEmpty, text.contains("№") || text == "#" { return ColumnPlanner.numberReason }
        return nil
    }

    private func subject(_ cell: Cell) -> String? {
        guard case .string(let s) = cell.value else { return nil }
        return policy.subjects.match(s)?.id
    }

    private func period(_ cell: Cell) -> String? {
        guard case .string(let s) = cell.value else { return nil }
        return policy.period(matching: s)?.id
    }

    private func missing(_ plan: ColumnPlan) -> [String] {
        var missing = profile.requiredInHeader.filter { plan.fields[$0.name] == nil }.map { $0.headers[0] }
        if !profile.anyOf.isEmpty, !profile.anyOf.contains(where: { $0.allSatisfy { plan.fields[$0] != nil } }) {
            missing.append(profile.anyOf.map { $0.compactMap { profile.field($0)?.headers[0] }.joined(separator: " + ") }.joined(separator: " или "))
        }
        if !profile.needsOneOf.isEmpty, !profile.needsOneOf.contains(where: { plan.fields[$0] != nil }) {
            missing.append(profile.needsOneOf.compactMap { profile.field($0)?.headers[0] }.joined(separator: " или "))
        }
        return missing
    }

    private func problem(_ cell: Cell, row: Int, _ code: String, _ severity: Severity = .error, _ message: String) -> HeaderProblem {
        HeaderProblem(row: row, column: cell.column, code: code, severity: severity, message: message)
    }

    private func unknownSubject(_ cell: Cell, row: Int) -> HeaderProblem {
        guard describe else { return problem(cell, row: row, "E-SUBJECT-UNKNOWN", .error, "") }
        let text = ColumnPlanner.text(cell.value)
        let hint = policy.subjects.nearest(text).map { "; возможно, имелся в виду «\($0.label)»" } ?? ""
        return problem(
            cell, row: row, "E-SUBJECT-UNKNOWN", .error,
            "столбец «\(text.prefix(60))»: такого предмета нет в списке предметов положения\(hint). Отметки этого столбца не внесены: переименуйте заголовок или добавьте это написание в synonyms предмета в положении"
        )
    }

    private func unknownColumn(_ cell: Cell, row: Int, what: String) -> HeaderProblem {
        guard describe else { return problem(cell, row: row, "E-COLUMN-UNKNOWN", .error, "") }
        let text = ColumnPlanner.text(cell.value)
        return problem(
            cell, row: row, "E-COLUMN-UNKNOWN", .error,
            "заголовок «\(text.prefix(60))» не распознан: это не \(what) и не столбец профиля «\(profile.label)». Значения под ним не внесены: переименуйте заголовок или удалите столбец"
        )
    }

    private func unknownPeriod(_ cell: Cell, row: Int, under subject: String?) -> HeaderProblem {
        guard describe else { return problem(cell, row: row, "E-PERIOD-UNKNOWN", .error, "") }
        let text = ColumnPlanner.text(cell.value)
        let hint = policy.periods.nearest(text).map { "; возможно, «\($0.label)»" } ?? ""
        let place = subject.flatMap { policy.subjects.term(id: $0)?.label }.map { " под предметом «\($0)»" } ?? ""
        return problem(
            cell, row: row, "E-PERIOD-UNKNOWN", .error,
            "период «\(text.prefix(40))»\(place) не распознан\(hint); допустимые: \(policy.periods.labels.joined(separator: ", ")). Отметки этого столбца не внесены"
        )
    }

    // MARK: - A table: one record per row

    private func table(_ block: [Row]) -> Attempt {
        var attempt = Attempt()
        let row = block[0]
        // A row with no header of this profile (a data row, most rows tried) plans to no fields:
        // what it lacks is said without classifying its cells one by one.
        let noHeader = !row.cells.contains { cell in
            guard case .string(let s) = cell.value else { return false }
            return profile.fieldForHeader[TextKey.compact(s)] != nil
        }
        if noHeader {
            attempt.missing = missing(attempt.plan)
            if !attempt.missing.isEmpty { return attempt }
        }
        for cell in row.cells {
            let text = ColumnPlanner.text(cell.value)
            if text.isEmpty { continue }
            if let name = field(cell, attempt.plan) {
                attempt.plan.set(cell.column, .field(name), header: text)
            } else if let reason = ignored(cell) {
                attempt.plan.set(cell.column, .ignored(reason), header: text)
            } else {
                attempt.plan.set(cell.column, .unknown, header: text)
                attempt.plan.problems.append(
                    problem(
                        cell, row: row.number, "W-COLUMN-UNUSED", .warning,
                        describe
                            ? "столбец «\(text.prefix(60))» не относится к профилю «\(profile.label)»: его значения в учёт не вносятся. Если в нём нужные данные, переименуйте заголовок так, как его знает профиль (README, «Профили импорта»)"
                            : ""))
            }
        }
        attempt.missing = missing(attempt.plan)
        return attempt
    }

    // MARK: - Subjects across: a summary sheet, with or without period columns under each subject

    private func subjects(_ block: [Row], merges: [CellRange]) -> Attempt {
        // The subject row: the first header row, or the one under it when the
        // ФИО stands above the subjects (merged down over both rows).
        for s in 0..<min(2, block.count) {
            var attempt = Attempt()
            for r in 0...s {
                for cell in block[r].cells {
                    if let name = field(cell, attempt.plan) { attempt.plan.set(cell.column, .field(name), header: ColumnPlanner.text(cell.value)) }
                }
            }
            let subjectRow = block[s]
            if s > 0 {
                // The ФИО above the subjects: the upper row names a field, and the subject row
                // is empty under it (the field's cell is merged down) — not a title over a table.
                let upper = Set(block[0].cells.compactMap { cell in field(cell, ColumnPlan()).map { _ in cell.column } })
                guard !upper.isEmpty, !subjectRow.cells.contains(where: { upper.contains($0.column) && !ColumnPlanner.text($0.value).isEmpty }) else {
                    continue
                }
            }
            let subjectCells = subjectRow.cells.filter { attempt.plan.roles[$0.column] == nil && subject($0) != nil }
            guard let firstSubject = subjectCells.first?.column else { continue }
            attempt.missing = missing(attempt.plan)
            let hasPeriodField = attempt.plan.fields["period"] != nil
            // Period labels in the row under the subjects make the two-row layout.
            var periodRow: Row?
            if s + 1 < block.count,
                block[s + 1].cells.contains(where: { $0.column >= firstSubject && attempt.plan.roles[$0.column] == nil && period($0) != nil })
            {
                periodRow = block[s + 1]
            }
            attempt.layoutFailure = layoutFailure(hasPeriodField: hasPeriodField, periodRow: periodRow != nil)
            guard attempt.layoutFailure == nil else { return attempt }

            // Rows above the subject row hold fields and general headers («Предметы») only.
            for r in 0..<s {
                for cell in block[r].cells where attempt.plan.roles[cell.column] == nil && !ColumnPlanner.text(cell.value).isEmpty {
                    classifyOther(cell, row: block[r].number, into: &attempt.plan, unknown: unknownColumn(cell, row: block[r].number, what: "предмет"))
                }
            }
            let rolesAbove = attempt.plan.roles
            var owners = classifySubjects(subjectRow, into: &attempt.plan)
            // Under a column the profile leaves out, merged over several («Пропущено уроков» over
            // «всего | по болезни»), the cells below are left out with it, not unknown subjects.
            // Without the merges (an XLSX gives them after the rows), a header spans up to the next one in its row.
            for r in 0..<s {
                let upper = block[r].cells.filter { !ColumnPlanner.text($0.value).isEmpty }.map(\.column)
                let lastColumn = max(subjectRow.cells.last?.column ?? 0, block[r].cells.last?.column ?? 0)
                for (column, span) in ColumnPlanner.spans(owners: upper, row: block[r].number, merges: merges, lastColumn: lastColumn) {
                    // A general header over the subjects («Предметы») is left out too, but what stands under it is not.
                    // The last header of its row spans to the sheet's end only by a merge: otherwise what follows is no part of it.
                    let merged = merges.contains { $0.first.row == block[r].number && $0.first.column == column && $0.last.column > column }
                    guard merged || upper.contains(where: { $0 > column }) else { continue }
                    guard case .ignored(let reason)? = rolesAbove[column], block[r].cells.contains(where: { $0.column == column }),
                        !owners.contains(where: { owner in span ~= owner.column && owner.role.isSubject })
                    else { continue }
                    for i in owners.indices where span ~= owners[i].column && owners[i].role == .unknown {
                        let column = owners[i].column
                        attempt.plan.set(column, .ignored(reason), header: attempt.plan.headers[column] ?? "")
                        attempt.plan.problems.removeAll { $0.column == column && $0.row == subjectRow.number }
                        owners[i].role = .ignored(reason)
                    }
                }
            }
            attempt.height = s + 1
            guard let periodRow else { return attempt }

            // Two-row header: each period column belongs to the subject cell whose span covers it.
            attempt.height = s + 2
            classifyPeriods(periodRow, under: subjectRow, owners: owners, merges: merges, into: &attempt.plan)
            return attempt
        }
        var attempt = Attempt()
        for cell in block[0].cells {
            if let name = field(cell, attempt.plan) { attempt.plan.set(cell.column, .field(name), header: ColumnPlanner.text(cell.value)) }
        }
        attempt.missing = missing(attempt.plan)
        attempt.layoutFailure = "нет ни одного столбца с названием предмета из списка положения"
        return attempt
    }

    /// Why the header does not fit the profile's layout, by where the periods are: in a
    /// column (`hasPeriodField`), in a row under the subjects, or nowhere.
    private func layoutFailure(hasPeriodField: Bool, periodRow: Bool) -> String? {
        switch profile.layout {
        case .subjectColumns:
            hasPeriodField || periodRow ? "период указан в столбце или строке под предметами: это другой вид ведомости" : nil
        case .subjectColumnsPeriodRows:
            !hasPeriodField ? "нет столбца «Период»" : periodRow ? "периоды в строке под предметами: это другой вид ведомости" : nil
        default:
            hasPeriodField || !periodRow ? "нет строки периодов под названиями предметов (1 ч, 2 ч, …, Год)" : nil
        }
    }

    /// The subject row: every cell a field, a subject, a column left out, or a finding;
    /// the columns that own what stands under them, with their roles.
    private func classifySubjects(_ subjectRow: Row, into plan: inout ColumnPlan) -> [(column: Int, role: ColumnRole)] {
        var owners: [(column: Int, role: ColumnRole)] = []
        for cell in subjectRow.cells where !ColumnPlanner.text(cell.value).isEmpty {
            let text = ColumnPlanner.text(cell.value)
            if case .field(let name)? = plan.roles[cell.column] {
                owners.append((cell.column, .field(name)))
            } else if let id = subject(cell) {
                plan.set(cell.column, .subject(id), header: text)
                owners.append((cell.column, .subject(id)))
            } else if let reason = ignored(cell) {
                plan.set(cell.column, .ignored(reason), header: text)
                owners.append((cell.column, .ignored(reason)))
            } else {
                plan.set(cell.column, .unknown, header: text)
                plan.problems.append(unknownSubject(cell, row: subjectRow.number))
                owners.append((cell.column, .unknown))
            }
        }
        return owners
    }

    /// The period row under the subjects: each period column belongs to the subject cell whose
    /// span covers it; a column under no subject, and a subject with no period under it, are findings.
    private func classifyPeriods(
        _ periodRow: Row, under subjectRow: Row, owners: [(column: Int, role: ColumnRole)], merges: [CellRange], into plan: inout ColumnPlan
    ) {
        let spans = ColumnPlanner.spans(
            owners: owners.map(\.column), row: subjectRow.number, merges: merges,
            lastColumn: max(periodRow.cells.last?.column ?? 0, subjectRow.cells.last?.column ?? 0))
        // Within a subject's span up to its last labelled column: data under no period label there are its marks.
        let lastLabelled = periodRow.cells.filter { !ColumnPlanner.text($0.value).isEmpty }.map(\.column).max() ?? 0
        for owner in owners {
            guard case .subject(let id) = owner.role, let span = spans[owner.column], span.lowerBound <= lastLabelled else { continue }
            plan.subjectSpans.append((id, span.lowerBound...min(span.upperBound, lastLabelled)))
        }
        var covered: Set<Int> = []
        for cell in periodRow.cells where !ColumnPlanner.text(cell.value).isEmpty {
            let text = ColumnPlanner.text(cell.value)
            let owner = owners.first { spans[$0.column]?.contains(cell.column) == true }
            if let owner { covered.insert(owner.column) }
            switch owner?.role {
            case .subject(let id)?:
                if let p = period(cell) {
                    plan.set(cell.column, .subjectPeriod(subject: id, period: p), header: text)
                } else if let reason = ignored(cell) {
                    plan.set(cell.column, .ignored(reason), header: text)
                } else {
                    plan.set(cell.column, .unknown, header: text)
                    plan.problems.append(unknownPeriod(cell, row: periodRow.number, under: id))
                }
            case .unknown?:
                plan.set(cell.column, .unknown, header: text)
                if let owner, let i = plan.problems.firstIndex(where: { $0.column == owner.column && $0.row == subjectRow.number }) {
                    plan.problems[i].covers.append(cell.column)
                }
            case .ignored(let reason)?:
                plan.set(cell.column, .ignored(reason), header: text)
            case .field?, .subjectPeriod?, .period?, .date?, nil:
                if plan.roles[cell.column] == nil {
                    classifyOther(
                        cell, row: periodRow.number, into: &plan,
                        unknown: problem(
                            cell, row: periodRow.number, "E-COLUMN-UNKNOWN", .error,
                            "столбец «\(text.prefix(40))» не относится ни к одному предмету: над ним нет названия предмета (объединённая ячейка предмета его не покрывает). Отметки этого столбца не внесены: впишите предмет над столбцом или расширьте объединение"
                        ))
                }
            }
        }
        // A subject with no period columns under it would lose its marks.
        for owner in owners {
            guard case .subject(let id) = owner.role, !covered.contains(owner.column) else { continue }
            plan.set(owner.column, .unknown, header: plan.headers[owner.column] ?? id)
            if let cell = subjectRow.cells.first(where: { $0.column == owner.column }) {
                plan.problems.append(
                    problem(
                        cell, row: subjectRow.number, "E-COLUMN-UNKNOWN", .error,
                        "под предметом «\(ColumnPlanner.text(cell.value).prefix(40))» нет ни одного столбца периода: не ясно, за какой период его отметки. Подпишите период под названием предмета"
                    ))
            }
        }
    }

    /// A header cell that is not a subject, period or date: left out on purpose, or a finding.
    private func classifyOther(_ cell: Cell, row: Int, into plan: inout ColumnPlan, unknown: HeaderProblem) {
        let text = ColumnPlanner.text(cell.value)
        if let reason = ignored(cell) {
            plan.set(cell.column, .ignored(reason), header: text)
        } else {
            plan.set(cell.column, .unknown, header: text)
            plan.problems.append(unknown)
        }
    }

    /// The columns each header cell of a row spans: a merged cell exactly
    /// its merge range; where the row has no merged cells at all (a CSV, a
    /// sheet typed without merging), up to the next non-empty cell.
    static func spans(owners: [Int], row: Int, merges: [CellRange], lastColumn: Int) -> [Int: ClosedRange<Int>] {
        let across = merges.filter { $0.first.column != $0.last.column && $0.first.row <= row && row <= $0.last.row }
        var spans: [Int: ClosedRange<Int>] = [:]
        let sorted = owners.sorted()
        for (i, column) in sorted.enumerated() {
            if let merge = across.first(where: { $0.first.column == column }) {
                spans[column] = merge.first.column...merge.last.column
            } else if across.isEmpty {
                let end = i + 1 < sorted.count ? sorted[i + 1] - 1 : max(column, lastColumn)
                spans[column] = column...max(column, end)
            } else {
                spans[column] = column...column
            }
        }
        return spans
    }

    // MARK: - A subject teacher's sheet: periods across

    private func periods(_ block: [Row]) -> Attempt {
        var attempt = Attempt()
        let row = block[0]
        for cell in row.cells {
            if let name = field(cell, attempt.plan) { attempt.plan.set(cell.column, .field(name), header: ColumnPlanner.text(cell.value)) }
        }
        attempt.missing = missing(attempt.plan)
        let rest = row.cells.filter { attempt.plan.roles[$0.column] == nil && !ColumnPlanner.text($0.value).isEmpty }
        if rest.contains(where: { subject($0) != nil }) {
            attempt.layoutFailure = "в заголовке названия предметов: это сводная ведомость"
            return attempt
        }
        if rest.contains(where: { GridHeader.date($0.value, year: year, policy: policy) != nil || GridHeader.month($0.value) != nil }) {
            attempt.layoutFailure = "в заголовке даты уроков: это сетка журнала"
            return attempt
        }
        guard rest.contains(where: { period($0) != nil }) else {
            attempt.layoutFailure = "нет столбцов периодов (1 четверть, …, Годовая отметка)"
            return attempt
        }
        for cell in rest {
            let text = ColumnPlanner.text(cell.value)
            if let p = period(cell) {
                attempt.plan.set(cell.column, .period(p), header: text)
            } else if let reason = ignored(cell) {
                attempt.plan.set(cell.column, .ignored(reason), header: text)
            } else {
                attempt.plan.set(cell.column, .unknown, header: text)
                attempt.plan.problems.append(unknownPeriod(cell, row: row.number, under: nil))
            }
        }
        return attempt
    }

    // MARK: - The journal grid: lesson dates across

    private func dates(_ block: [Row], merges: [CellRange]) -> Attempt {
        var attempt = Attempt()
        let row = block[0]
        for cell in row.cells {
            if let name = field(cell, attempt.plan) { attempt.plan.set(cell.column, .field(name), header: ColumnPlanner.text(cell.value)) }
        }
        attempt.missing = missing(attempt.plan)
        let rest = row.cells.filter { attempt.plan.roles[$0.column] == nil && !ColumnPlanner.text($0.value).isEmpty }
        if rest.contains(where: { subject($0) != nil }) {
            attempt.layoutFailure = "в заголовке названия предметов: это сводная ведомость"
            return attempt
        }
        if rest.contains(where: { GridHeader.date($0.value, year: year, policy: policy) != nil }) {
            // Dates in the header row itself: `01.09 | 03.09 | …`.
            for cell in rest {
                let text = ColumnPlanner.text(cell.value)
                if let d = GridHeader.date(cell.value, year: year, policy: policy) {
                    attempt.plan.set(cell.column, .date(d), header: text)
                } else if let p = period(cell) {
                    attempt.plan.set(cell.column, .period(p), header: text)
                } else {
                    classifyOther(cell, row: row.number, into: &attempt.plan, unknown: unknownColumn(cell, row: row.number, what: "дата урока, период"))
                }
            }
            return attempt
        }
        // A month over its day numbers: `Сентябрь` merged over `1 | 3 | 8 …`.
        guard rest.contains(where: { GridHeader.month($0.value) != nil }), block.count > 1 else {
            attempt.layoutFailure = "нет столбцов с датами уроков (01.09 или месяц над числами)"
            return attempt
        }
        let days = block[1]
        var owners: [(column: Int, month: Int?, role: ColumnRole?)] = []
        for cell in row.cells where !ColumnPlanner.text(cell.value).isEmpty {
            let text = ColumnPlanner.text(cell.value)
            if case .field(let name)? = attempt.plan.roles[cell.column] {
                owners.append((cell.column, nil, .field(name)))
            } else if let m = GridHeader.month(cell.value) {
                attempt.plan.headers[cell.column] = text
                owners.append((cell.column, m, nil))
            } else if let p = period(cell) {
                attempt.plan.set(cell.column, .period(p), header: text)
                owners.append((cell.column, nil, .period(p)))
            } else {
                classifyOther(cell, row: row.number, into: &attempt.plan, unknown: unknownColumn(cell, row: row.number, what: "месяц, дата урока, период"))
                owners.append((cell.column, nil, attempt.plan.roles[cell.column]))
            }
        }
        let spans = ColumnPlanner.spans(
            owners: owners.map(\.column), row: row.number, merges: merges,
            lastColumn: max(days.cells.last?.column ?? 0, row.cells.last?.column ?? 0))
        var anyDate = false
        for cell in days.cells where !ColumnPlanner.text(cell.value).isEmpty {
            let text = ColumnPlanner.text(cell.value)
            let owner = owners.first { spans[$0.column]?.contains(cell.column) == true }
            if let month = owner?.month {
                if let day = GridHeader.day(cell.value), let d = GridHeader.date(day: day, month: month, year: year, policy: policy) {
                    attempt.plan.set(cell.column, .date(d), header: "\(text).\(month < 10 ? "0" : "")\(month)")
                    anyDate = true
                } else if let p = period(cell) {
                    attempt.plan.set(cell.column, .period(p), header: text)
                } else {
                    classifyOther(cell, row: days.number, into: &attempt.plan, unknown: unknownColumn(cell, row: days.number, what: "число месяца"))
                }
            } else if attempt.plan.roles[cell.column] == nil {
                if let p = period(cell) {
                    attempt.plan.set(cell.column, .period(p), header: text)
                } else if case .ignored(let reason)? = owner?.role {
                    attempt.plan.set(cell.column, .ignored(reason), header: text)
                } else if case .unknown? = owner?.role {
                    attempt.plan.set(cell.column, .unknown, header: text)
                } else {
                    classifyOther(cell, row: days.number, into: &attempt.plan, unknown: unknownColumn(cell, row: days.number, what: "дата урока, период"))
                }
            }
        }
        guard anyDate else {
            attempt.layoutFailure = "под месяцами нет чисел уроков"
            return attempt
        }
        attempt.height = 2
        return attempt
    }
}

/// How a journal grid writes its dates: `01.09`, `1.09.2025`, a date cell,
/// or a month's name over day numbers.
enum GridHeader {
    private static let months: [String: Int] = [
        "сентябрь": 9, "сен": 9, "сент": 9, "октябрь": 10, "окт": 10, "ноябрь": 11, "ноя": 11, "нояб": 11,
        "декабрь": 12, "дек": 12, "январь": 1, "янв": 1, "февраль": 2, "фев": 2, "февр": 2, "март": 3, "мар": 3,
        "апрель": 4, "апр": 4, "май": 5, "июнь": 6, "июн": 6, "июль": 7, "июл": 7, "август": 8, "авг": 8
    ]

    /// The month a header names (`Сентябрь`, `сент.`, `Октябрь 2025`).
    static func month(_ value: CellValue) -> Int? {
        guard case .string(let s) = value else { return nil }
        let words = TitleBlock.words(s).split(separator: " ")
        guard let first = words.first, words.count <= 2, words.count == 1 || words[1].allSatisfy(\.isNumber) else { return nil }
        return months[String(first)]
    }

    /// A day number under a month (`1`…`31`).
    static func day(_ value: CellValue) -> Int? {
        switch value {
        case .number(let n): return n == n.rounded() && (1...31).contains(n) ? Int(n) : nil
        case .string(let s):
            let t = s.trimmed
            guard (1...2).contains(t.count), let n = Int(t), (1...31).contains(n) else { return nil }
            return n
        default: return nil
        }
    }

    /// A lesson date in a header cell; a date without a year falls in `year`.
    static func date(_ value: CellValue, year: AcademicYear, policy: Policy) -> CivilDate? {
        switch value {
        case .date(let d): return d.isTimeOnly ? nil : d.date
        case .string(let s):
            // The first line: a grid may write the kind of work under the date.
            let first = s.trimmed.split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init) ?? ""
            let parts =
                first.split(separator: ".", omittingEmptySubsequences: false).count > 1
                ? first.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
                : first.split(separator: "/").map(String.init)
            guard parts.count == 2 || parts.count == 3,
                parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                parts[0].count <= 2, parts[1].count <= 2, let day = Int(parts[0]), let month = Int(parts[1])
            else { return nil }
            if parts.count == 3 {
                guard var y = Int(parts[2]), parts[2].count == 2 || parts[2].count == 4 else { return nil }
                if parts[2].count == 2 { y += 2000 }
                return CivilDate(year: y, month: month, day: day)
            }
            return date(day: day, month: month, year: year, policy: policy)
        default: return nil
        }
    }

    /// Day and month in the school year `year`: months from the year's start on fall in its first calendar year.
    static func date(day: Int, month: Int, year: AcademicYear, policy: Policy) -> CivilDate? {
        let calendarYear = (month, day) >= (policy.yearStartMonth, policy.yearStartDay) ? year.startYear : year.startYear + 1
        return CivilDate(year: calendarYear, month: month, day: day)
    }
}
