import CivilDate
import Policy
import Records
import Spreadsheet

/// What became of the non-empty cells under a matched header: each counted
/// once, in one of these. Everything but records and absences is named in
/// the file's findings (an error, a warning, or an info line).
public struct CellTally: Sendable, Hashable {
    /// Non-empty cells under the header.
    public var cells = 0
    /// Cells that went into records (a mark, and the row's student cells and
    /// the columns the profile leaves out, such as `№`, which go with their row).
    public var inRecords = 0
    /// Absences («н») in a journal and the cells of their rows: counted, not records.
    public var absences = 0
    /// Cells of rows skipped by rule (totals and signatures under the table,
    /// rows with no mark), each said in an info line.
    public var skipped = 0
    /// Cells of a row or cell with an error.
    public var withErrors = 0
    /// Cells under a header nobody understands, or under no header at all.
    public var notTaken = 0

    public init() {}

    /// Cells in the table that became no record (and are not absences).
    public var noRecord: Int { skipped + withErrors + notTaken }

    static func + (a: CellTally, b: CellTally) -> CellTally {
        var t = a
        t.cells += b.cells
        t.inRecords += b.inRecords
        t.absences += b.absences
        t.skipped += b.skipped
        t.withErrors += b.withErrors
        t.notTaken += b.notTaken
        return t
    }
}

/// What became of one sheet (or of a CSV file's only table).
public struct SheetReport: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// A profile matched and rows were read.
        case imported
        /// No rows at all.
        case empty
        /// No profile matched.
        case unmatched
        /// Two profiles matched equally well.
        case ambiguous
        /// A hidden sheet, left alone.
        case hidden
    }

    public var sheet: String?
    public var status: Status
    public var profile: String?
    public var profileLabel: String?
    public var headerRow: Int?
    public var records: Int
    /// For `unmatched` and `ambiguous`: the explanation, in Russian.
    public var explanation: String?
    /// The cells under the header and what became of them.
    public var cells = CellTally()

    public init(
        sheet: String?, status: Status, profile: String? = nil, profileLabel: String? = nil, headerRow: Int? = nil, records: Int,
        explanation: String? = nil, cells: CellTally = CellTally()
    ) {
        self.sheet = sheet
        self.status = status
        self.profile = profile
        self.profileLabel = profileLabel
        self.headerRow = headerRow
        self.records = records
        self.explanation = explanation
        self.cells = cells
    }
}

/// Reads one sheet's rows as they stream: buffers the first rows until the
/// header is found, then turns each data row into records by the matched
/// profile's layout. Layouts with subjects, periods or dates across are
/// read at the end, once the sheet's merged cells are known (an XLSX lists
/// them after its rows): a merged header spans exactly its merge range.
final class SheetImporter {
    let context: ImportContext
    let source: SourceFile
    let sheetName: String?
    let diagnostics: Diagnostics
    private let matcher: HeaderMatcher

    private var buffer: [Row] = []
    /// Set when the sheet cannot be read past its header (no period, no subject): its rows are not looked at.
    private var halted = false
    /// The rows take a period or a subject from the title (a summary sheet with the period in
    /// its title, a teacher's sheet, a journal grid, a table without its period column): set once
    /// the header matches, read for every row.
    private var titleGivesRows = false
    private var deferred: [Row] = []
    private var deferring = false
    private var match: HeaderMatch? {
        didSet {
            roleTable = SheetImporter.table(match?.plan)
            fieldTable = roleTable.indices.map { match?.plan.field(at: $0) != nil }
            matched = match.map { Matched(layout: $0.profile.layout, record: $0.profile.record, fields: $0.plan.fields) }
        }
    }
    /// The plan's roles by column, for a lookup per cell without hashing; a second
    /// column of one field is `unknown` (its first column holds the field).
    private var roleTable: [ColumnRole?] = []
    /// Columns that hold a field (its first column or a second one).
    private var fieldTable: [Bool] = []
    /// What each row needs of the match, kept apart: reading it from `match` copied the
    /// whole match (profile, plan, header rows) for every row.
    private struct Matched {
        var layout: Layout
        var record: RecordKind
        var fields: [String: Int]
    }
    private var matched: Matched?
    private var title = TitleBlock.empty
    private var outcome: SheetReport.Status?
    private var explanation: String?
    private(set) var records: [Record] = []
    private(set) var absences = 0
    private var tally = CellTally()
    /// Rows skipped by rule, by reason, for one info line each.
    private var skippedRows: [(reason: String, rows: [Int], examples: [String])] = []
    /// Per column of data left out: how many cells, first and last row.
    private var columnCells: [Int: (count: Int, first: Int, last: Int)] = [:]
    private var carried = RowValues.Fields()
    /// The periods of the student `carried` names, seen so far: a period twice means a row lost its ФИО.
    private var carriedPeriods: Set<String> = []
    /// The row each student of a one-row-a-student sheet is on.
    private var studentRows: [String: Int] = [:]
    private var headerTexts: Set<String> = []
    private let memo = RowMemo()
    private let sniffed: Sniff.Header?
    private lazy var environment = ReaderEnvironment(context: context, source: source, title: title, diagnostics: diagnostics, memo: memo)

    /// `sniffed`: what the sniff matched in this sheet's first rows, taken instead of matching
    /// them again when the rows read are the same.
    init(context: ImportContext, source: SourceFile, sheetName: String?, diagnostics: Diagnostics, sniffed: Sniff.Header? = nil) {
        self.context = context
        self.source = source
        self.sheetName = sheetName
        self.diagnostics = diagnostics
        self.sniffed = sniffed
        matcher = HeaderMatcher(profiles: context.profiles.profiles, policy: context.policy, defaultYear: context.defaultYear)
    }

    func feed(_ row: Row) -> ScanDecision {
        if let outcome {
            guard outcome == .imported, !halted else { return .stop }
            if deferring {
                deferred.append(row)
            } else {
                process(row)
            }
            return .continue
        }
        buffer.append(row)
        if buffer.count >= HeaderMatcher.rowsLookedAt { detect() }
        return .continue
    }

    /// Ends the sheet; `merges` are its merged ranges (none for a CSV).
    func finish(merges: [CellRange] = []) -> SheetReport {
        if outcome == nil {
            if buffer.isEmpty {
                outcome = .empty
            } else {
                detect()
            }
        }
        if deferring, !halted, var m = match {
            // Plan the header again with the merged cells: a subject merged over
            // its period columns owns exactly those.
            let planner = ColumnPlanner(profile: m.profile, policy: context.policy, year: title.year ?? context.defaultYear)
            let again = planner.plan(m.headerRows, merges: merges)
            if again.layoutFailure == nil, again.missing.isEmpty {
                m.plan = again.plan
                match = m
            }
            for row in deferred { process(row) }
            deferred = []
        }
        if let m = match, !halted {
            mergedMarks(merges, below: m.headerRow + m.headerHeight - 1)
            reportColumns()
        }
        return SheetReport(
            sheet: sheetName, status: outcome ?? .empty, profile: match?.profile.id, profileLabel: match?.profile.label,
            headerRow: match?.headerRow, records: records.count, explanation: explanation, cells: tally)
    }

    private func detect() {
        // Matching depends on the rows alone: the sniff's outcome for the same rows is this one.
        let header = if let sniffed, sniffed.rows == Sniff.digest(buffer) { sniffed.outcome } else { matcher.match(buffer) }
        switch header {
        case .matched(var m):
            outcome = .imported
            title = TitleBlock(rows: Array(buffer[0..<m.headerIndex]), sheetName: sheetName, policy: context.policy)
            // The findings of the header that matched, worded now (matching tried many rows without words).
            m.plan = ColumnPlanner(profile: m.profile, policy: context.policy, year: title.year ?? context.defaultYear).plan(m.headerRows, merges: []).plan
            match = m
            headerTexts = Set(buffer[m.headerIndex].cells.map { $0.value.text.trimmed }.filter { !$0.isEmpty })
            let sheetLocation = Location(file: source.name, sheet: sheetName)
            // The title's period is used when the sheet has no column for it; then it must be unambiguous.
            let titlePeriod = SheetImporter.takesPeriodFromTitle(m)
            titleGivesRows = titlePeriod || !m.profile.layout.titleFields.isEmpty
            if titlePeriod, let problem = title.periodProblem {
                diagnostics.error(
                    "E-PERIOD-AMBIGUOUS", sheetLocation,
                    "период ведомости не определить: \(problem). Оставьте над таблицей один период (например «Отметки за 1 четверть 2025/2026 учебного года»)")
                halted = true
                buffer = []
                return
            }
            if m.profile.layout.titleFields.contains("subject"), let problem = title.subjectProblem {
                diagnostics.error("E-SUBJECT-AMBIGUOUS", sheetLocation, "предмет ведомости не определить: \(problem); исправьте заголовок или имя листа")
                halted = true
                buffer = []
                return
            }
            if m.profile.layout == .subjectColumns, title.period == nil {
                diagnostics.error(
                    "E-PERIOD-MISSING", sheetLocation,
                    "сводная ведомость без периода: добавьте над таблицей строку с периодом (например «Отметки за 1 четверть 2025/2026 учебного года») или столбец «Период»"
                )
                halted = true
                buffer = []
                return
            }
            if m.profile.layout.titleFields.contains("subject"), title.subject == nil {
                diagnostics.error(
                    "E-SUBJECT-MISSING", sheetLocation,
                    "не указан предмет: в этой ведомости он читается из заголовка над таблицей («Физика, 9А», «Предмет: Алгебра») или из имени листа; впишите его туда"
                )
                halted = true
                buffer = []
                return
            }
            deferring = m.profile.layout.hasHeaderColumns
            let rows = buffer[(m.headerIndex + m.headerHeight)...]
            buffer = []
            for row in rows { _ = feed(row) }
        case .none(let nearest, let seen):
            outcome = .unmatched
            var text = "не похож ни на одну известную выгрузку"
            text +=
                seen.isEmpty
                ? "; в первых строках нет заголовков столбцов"
                : "; заголовки: " + seen.prefix(20).map { "«\($0)»" }.joined(separator: ", ") + (seen.count > 20 ? " и ещё \(seen.count - 20)" : "")
            if let nearest, !nearest.missing.isEmpty {
                text +=
                    ". Ближе всего профиль «\(nearest.profile.label)» (\(nearest.profile.file)): не хватает: "
                    + nearest.missing.map { "«\($0)»" }.joined(separator: ", ")
            }
            text += ". Переименуйте столбцы или добавьте профиль импорта (см. README)"
            explanation = text
            buffer = []
        case .ambiguous(let matches, let seen):
            outcome = .ambiguous
            explanation =
                "подходит сразу к профилям " + matches.map { "«\($0.profile.label)» (\($0.profile.file))" }.joined(separator: " и ")
                + "; заголовки: " + seen.prefix(20).map { "«\($0)»" }.joined(separator: ", ")
                + ". Уточните заголовки столбцов, чтобы выгрузка подходила к одному профилю"
            buffer = []
        }
    }

    // MARK: - Rows

    private func process(_ row: Row) {
        guard let matched, !halted else { return }
        let layout = matched.layout
        var values = RowValues(row: row.number, sheet: sheetName, columns: matched.fields)
        values.fields.reserveCapacity(matched.fields.count)
        var fieldCells = 0
        var data: [(cell: Cell, role: ColumnRole)] = []
        var left: [(column: Int, ignored: Bool)] = []
        for cell in row.cells where !SheetImporter.isBlank(cell.value) {
            switch cell.column < roleTable.count ? roleTable[cell.column] : nil {
            case .field(let name)?:
                values.fields[name] = RowValues.Value(value: cell.value, column: cell.column)
                fieldCells += 1
            case let role? where role.isData:
                data.append((cell, role))
            case .ignored?:
                left.append((cell.column, true))
            default:
                // A header nobody understands, a second column of one field, or no header at all.
                left.append((cell.column, false))
            }
        }
        let total = fieldCells + data.count + left.count
        guard total > 0 else { return }
        tally.cells += total

        if layout == .subjectColumnsPeriodRows {
            // The ФИО is written (or merged) on the first row of each student's group only.
            let identity = ["student", "surname", "name", "patronymic", "journalId", "birthDate", "class"]
            let period = values["period"].map { v in self.context.policy.period(matching: v.value.text.trimmed)?.id ?? v.value.text.trimmed } ?? ""
            if identity.contains(where: { values[$0].map { !SheetImporter.isBlank($0.value) } ?? false }) {
                carried = values.fields.filter { identity.contains($0.key) }
                carriedPeriods = [period]
            } else if !carried.isEmpty {
                if !period.isEmpty, !carriedPeriods.insert(period).inserted, !isRepeatedHeader(row) {
                    // «1 четверть» again under the same name: the next student's first row without the ФИО.
                    diagnostics.error(
                        "E-FIELD-MISSING", Location(file: source.name, sheet: sheetName, row: row.number, column: matched.fields["student"]),
                        "не указано ФИО: период «\(values["period"]!.value.text.trimmed)» второй раз после строки с ФИО, а у одного обучающегося период один; впишите ФИО в эту строку"
                    )
                    tally.withErrors += total
                    return
                }
                for (k, v) in carried where values.fields[k] == nil { values.fields[k] = v }
            }
        }
        // A second table's title under the first («… за 2 четверть»): its rows would take the
        // first table's period and subject. One table a sheet; the rest is not read. Only where
        // the title gives the rows something: a journal dump with a date on every line may have
        // a heading between its blocks.
        if data.isEmpty, titleGivesRows, let text = secondTitle(row) {
            diagnostics.error(
                "E-TABLE-SECOND", Location(file: source.name, sheet: sheetName, row: row.number),
                "строка «\(text.prefix(80))» — заголовок второй таблицы на листе: период и предмет читаются из заголовка над первой, и строки второй "
                    + "получили бы чужие; перенесите вторую таблицу на отдельный лист. Строки ниже не прочитаны")
            tally.withErrors += total
            halted = true
            return
        }
        // A row that is not a student's is skipped whole, with its reason.
        if isRepeatedHeader(row) { return skip(row.number, total, "повтор строки заголовков (выгрузка разбита на страницы)") }
        if let (reason, example) = footer(values, row, data: data) {
            if layout == .subjectColumnsPeriodRows { carried = RowValues.Fields() }
            return skip(row.number, total, reason, example: example)
        }
        // A CSV line with a value past the header's last column has a separator too many (a decimal
        // comma in a comma-separated file: «1,5»): its values are shifted and none can be trusted.
        if sheetName == nil, let extra = left.first(where: { !$0.ignored && $0.column >= roleTable.count }) {
            diagnostics.error(
                "E-CSV-FIELDS", Location(file: source.name, row: row.number, column: extra.column),
                "в строке значение в поле \(extra.column), а полей в заголовке \(roleTable.count - 1): в строке лишний разделитель "
                    + "(например десятичная запятая «1,5» в файле с разделителем-запятой, или «;» внутри значения без кавычек); исправьте строку")
            tally.withErrors += total
            return
        }
        // A column the profile leaves out (`№`, «Средний балл») goes with its row; one nobody
        // understands, or with no header, is not taken.
        var context = 0
        for cell in left {
            note(column: cell.column, row: row.number)
            if cell.ignored { context += 1 } else { tally.notTaken += 1 }
        }
        let used = fieldCells + data.count + context // cells this row's records are made of

        switch layout {
        case .table, .sidecar:
            guard fieldCells > 0 else {
                tally.skipped += context
                return
            }
            let outcome = build(matched.record, values)
            account(outcome, cells: fieldCells + context, row: row.number, emptyReason: "в строке нет значения, которое сделало бы её записью (пустая отметка)")
        default:
            guard !data.isEmpty else { return skip(row.number, used, "у обучающегося нет отметок в этой строке") }
            // The student is read once per row, so a bad name is one finding, not one per mark.
            let before = diagnostics.errorCount
            guard let who = FieldReader(env: environment, values: values).student(), diagnostics.errorCount == before else {
                tally.withErrors += used
                return
            }
            // One row a student (a row-per-period sheet carries the name on purpose): a second row under
            // the same name is a copied row that should have been another student's.
            if layout != .subjectColumnsPeriodRows {
                let key =
                    who.journalID
                    ?? [who.name?.key ?? who.written ?? "", who.birthDate?.iso8601 ?? "", who.schoolClass?.description ?? ""].joined(separator: "|")
                if let first = studentRows[key] {
                    diagnostics.error(
                        "E-STUDENT-TWICE", Location(file: source.name, sheet: sheetName, row: row.number, column: matched.fields["student"]),
                        "обучающийся \(who) уже есть в строке \(first) этого листа, а у обучающегося одна строка: проверьте, не скопирована ли строка вместо другого ученика"
                    )
                    tally.withErrors += used
                    return
                }
                studentRows[key] = row.number
            }
            var rowOutcome = BuildOutcome()
            for (cell, role) in data {
                let outcome = buildCell(values, cell: cell, role: role)
                account(outcome, cells: 1, row: row.number, emptyReason: nil)
                rowOutcome.records += outcome.records
                rowOutcome.errors += outcome.errors
                rowOutcome.absences += outcome.absences
            }
            // The row's student cells go with what its marks became.
            account(rowOutcome, cells: fieldCells + context, row: row.number, emptyReason: nil)
        }
    }

    /// A cell merged across several columns of marks («осв.» over a year's
    /// periods) holds one value in its first column; the others read empty. Which
    /// the teacher meant is not for uchet to guess: an error at the range.
    private func mergedMarks(_ merges: [CellRange], below header: Int) {
        for range in merges where range.first.row > header {
            let columns = (range.first.column...range.last.column).filter { $0 < roleTable.count && roleTable[$0]?.isData == true }
            guard columns.count > 1 else { continue }
            diagnostics.error(
                "E-CELL-MERGED", Location(file: source.name, sheet: sheetName, row: range.first.row, column: range.first.column),
                "ячейки \(range) объединены поверх \(columns.count) столбцов отметок: значение стоит только в первом, остальные пусты; "
                    + "разъедините ячейки и впишите отметку в каждый столбец, где она должна быть")
        }
    }

    /// What one build made.
    private struct BuildOutcome {
        var records = 0
        var errors = 0
        var absences = 0
    }

    private func account(_ outcome: BuildOutcome, cells: Int, row: Int, emptyReason: String?) {
        guard cells > 0 else { return }
        if outcome.records > 0 {
            tally.inRecords += cells
        } else if outcome.errors > 0 {
            tally.withErrors += cells
        } else if outcome.absences > 0 {
            tally.absences += cells
        } else if let emptyReason {
            skip(row, cells, emptyReason)
        } else {
            tally.skipped += cells
        }
    }

    private func buildCell(_ base: RowValues, cell: Cell, role: ColumnRole) -> BuildOutcome {
        let policy = context.policy
        if case .error(let e) = cell.value {
            let location = Location(file: source.name, sheet: sheetName, row: base.row, column: cell.column)
            let message =
                e == CellValue.uncomputedFormula
                ? "в ячейке формула, значение которой не вычислено (файл записан программой, которая формул не считает): откройте файл в Excel или LibreOffice, сохраните и положите снова"
                : "в ячейке ошибка формулы «\(e)», а не отметка: исправьте формулу или впишите отметку"
            diagnostics.error("E-CELL-FORMULA", location, message)
            return BuildOutcome(records: 0, errors: 1, absences: 0)
        }
        var values = base
        func label(_ subject: String) -> CellValue { .string(policy.subjects.term(id: subject)?.label ?? subject) }
        switch role {
        case .subject(let subject):
            values.fields["subject"] = RowValues.Value(value: label(subject), column: cell.column)
            values.fields["mark"] = RowValues.Value(value: cell.value, column: cell.column)
            if matched?.layout == .subjectColumns, let period = title.period {
                values.fields["period"] = RowValues.Value(value: .string(period.label), column: cell.column)
            }
            return build(.periodMark, values)
        case .subjectPeriod(let subject, let period):
            values.fields["subject"] = RowValues.Value(value: label(subject), column: cell.column)
            values.fields["mark"] = RowValues.Value(value: cell.value, column: cell.column)
            values.fields["period"] = RowValues.Value(value: .string(policy.period(id: period)?.label ?? period), column: cell.column)
            return build(.periodMark, values)
        case .period(let period):
            values.fields["subject"] = RowValues.Value(value: .string(title.subject?.label ?? ""), column: cell.column)
            values.fields["mark"] = RowValues.Value(value: cell.value, column: cell.column)
            values.fields["period"] = RowValues.Value(value: .string(policy.period(id: period)?.label ?? period), column: cell.column)
            return build(.periodMark, values)
        case .date(let date):
            values.fields["subject"] = RowValues.Value(value: .string(title.subject?.label ?? ""), column: cell.column)
            values.fields["mark"] = RowValues.Value(value: cell.value, column: cell.column)
            values.fields["date"] = RowValues.Value(value: .date(CivilDateTime(date: date)), column: cell.column)
            return build(.currentMark, values)
        case .field, .ignored, .unknown:
            return BuildOutcome()
        }
    }

    private func build(_ kind: RecordKind, _ values: RowValues) -> BuildOutcome {
        let reader = FieldReader(env: environment, values: values)
        let errors = diagnostics.errorCount
        let absent = absences
        let made = RecordBuilder.build(kind, reader, absences: &absences)
        records += made
        return BuildOutcome(records: made.count, errors: diagnostics.errorCount - errors, absences: absences - absent)
    }

    private func skip(_ row: Int, _ cells: Int, _ reason: String, example: String? = nil) {
        tally.skipped += cells
        if let i = skippedRows.firstIndex(where: { $0.reason == reason }) {
            skippedRows[i].rows.append(row)
            if let example, !skippedRows[i].examples.contains(example), skippedRows[i].examples.count < 5 { skippedRows[i].examples.append(example) }
        } else {
            skippedRows.append((reason, [row], example.map { [$0] } ?? []))
        }
    }

    private func note(column: Int, row: Int) {
        if let c = columnCells[column] {
            columnCells[column] = (c.count + 1, c.first, row)
        } else {
            columnCells[column] = (1, row, row)
        }
    }

    // MARK: - Footers

    /// Words that open a line under the table, not a student: totals, percentages, signatures.
    private static let footerWords = [
        "итого", "итог", "всего", "средний балл", "средняя отметка", "среднее", "качество", "качество знаний", "успеваемость",
        "количество", "кол во", "классный руководитель", "кл руководитель", "руководитель", "учитель", "преподаватель",
        "директор", "заместитель директора", "зам директора", "заместитель", "завуч", "подпись", "м п", "мп", "дата заполнения",
        "исполнитель", "ответственный", "составил", "проверил", "отметки выставил", "сош"
    ].map { " " + $0 + " " }

    /// Fields whose value in a row without a student makes the row an error, not a footer.
    private static let resultFields = ["mark", "birthDate", "snils", "testScore", "primaryScore", "event", "category", "kind", "value"]

    /// Why a row is not a student's, or `nil` when it is one.
    private func footer(_ values: RowValues, _ row: Row, data: [(cell: Cell, role: ColumnRole)]) -> (reason: String, example: String?)? {
        let footerReason = "итоги и подписи под таблицей, не обучающиеся"
        // What stands where the student is named says what the row is: «Классный руководитель ____ Петрова Н. В.».
        let identity = ["student", "surname", "journalId"].lazy.compactMap { values[$0] }.first { !SheetImporter.isBlank($0.value) }
        // A text before it in a column that is no field («Итого» in the № column) may say so too.
        let identityColumn = identity?.column ?? Int.max
        for cell in row.cells where cell.column < identityColumn {
            let isField = cell.column < fieldTable.count && fieldTable[cell.column]
            guard case .string(let text) = cell.value, !isField, !SheetImporter.isBlank(cell.value) else { continue }
            if let word = footerWord(text) { return (footerReason, word) }
            break
        }
        if let identity {
            if case .string(let text) = identity.value, let word = footerWord(text) { return (footerReason, word) }
            return nil
        }
        // No student: a row of figures under the table (or a class's heading) is skipped; a row with
        // a mark, a birth date or a result is an error, for what it holds would be lost.
        if let first = row.cells.first(where: { if case .string(let s) = $0.value { !s.trimmed.isEmpty } else { false } }),
            case .string(let text) = first.value, let word = footerWord(text)
        {
            return (footerReason, word)
        }
        let marks = data.contains { context.policy.markValue($0.cell.value.text.trimmed) != nil }
        let results = SheetImporter.resultFields.contains { values[$0].map { !SheetImporter.isBlank($0.value) } ?? false }
        return marks || results ? nil : ("нет обучающегося (ФИО пусто) и нет отметок: строка итогов, заголовок группы или пустая строка таблицы", nil)
    }

    /// Whether the rows take their period from the title: a summary sheet with the period in
    /// its title, or a table of a profile with a period field but no column for it.
    private static func takesPeriodFromTitle(_ m: HeaderMatch) -> Bool {
        m.profile.layout == .subjectColumns || m.profile.field("period") != nil && m.plan.fields["period"] == nil
    }

    /// The text of a row that is a table's title: its one text names a period, and is no footer.
    private func secondTitle(_ row: Row) -> String? {
        let texts = row.cells.filter { !SheetImporter.isBlank($0.value) }
        guard texts.count == 1, case .string(let text) = texts[0].value, text.count > 12, footerWord(text) == nil,
            let period = TitleBlock.period(in: text, policy: context.policy),
            // The same title over the next page of an export is the same table.
            period.id != title.period?.id || text.trimmed != title.lines.first?.trimmed
        else { return nil }
        return text.trimmed
    }

    private func footerWord(_ text: String) -> String? {
        // Footer words begin with a letter: a number, a date or an id never starts a footer.
        guard let first = text.unicodeScalars.first(where: { !$0.properties.isWhitespace }), first.properties.isAlphabetic else { return nil }
        if let known = memo.footers.lookup(text) { return known }
        var found: String?
        let words = " " + TitleBlock.words(String(text.prefix(60))) + " "
        if SheetImporter.footerWords.contains(where: { words.hasPrefix($0) }) {
            let shown = text.trimmed.prefix(40).split(separator: "_").first.map { String($0).trimmed } ?? ""
            found = shown.isEmpty ? String(text.trimmed.prefix(40)) : shown
        }
        memo.footers.store(text, found)
        return found
    }

    /// Exports split into pages repeat the header row.
    private func isRepeatedHeader(_ row: Row) -> Bool {
        guard row.cells.count >= 2 else { return false }
        for cell in row.cells {
            guard case .string(let s) = cell.value, headerTexts.contains(s.trimmed) else { return false }
        }
        return true
    }

    static func table(_ plan: ColumnPlan?) -> [ColumnRole?] {
        guard let plan, let last = plan.roles.keys.max() else { return [] }
        var table = [ColumnRole?](repeating: nil, count: last + 1)
        for (column, role) in plan.roles {
            if case .field(let name) = role, plan.fields[name] != column {
                table[column] = .unknown
            } else {
                table[column] = role
            }
        }
        return table
    }

    static func isBlank(_ value: CellValue) -> Bool {
        if case .string(let s) = value { return s.trimmed.isEmpty }
        return false
    }

    // MARK: - The report of the columns

    /// Findings for the header cells nobody understands and the columns left
    /// out, with how many cells each holds; info lines for rows skipped by rule.
    private func reportColumns() {
        guard let match else { return }
        let plan = match.plan
        /// «ячеек с данными под ним: 25 (AB5–AF9)»: the cells of these columns, counted and bounded.
        func cells(_ columns: [Int]) -> String {
            let found = Set(columns).sorted().compactMap { c in columnCells[c].map { (column: c, cells: $0) } }
            guard let first = found.first, let last = found.last else { return "ячеек с данными под ним нет" }
            let count = found.reduce(0) { $0 + $1.cells.count }
            let top = found.map(\.cells.first).min()!
            let bottom = found.map(\.cells.last).max()!
            func name(_ column: Int, _ row: Int) -> String {
                sheetName != nil ? "\(Provenance.columnName(column))\(row)" : "строка \(row), столбец \(column)"
            }
            let range = first.column == last.column && top == bottom ? name(first.column, top) : "\(name(first.column, top))–\(name(last.column, bottom))"
            return "ячеек с данными под ним: \(count) (\(range))"
        }
        var reported: Set<Int> = []
        for p in plan.problems {
            reported.formUnion([p.column] + p.covers)
            let location = Location(file: source.name, sheet: sheetName, row: p.row, column: p.column)
            diagnostics.add(Finding(p.code, p.severity, location, p.message + "; " + cells([p.column] + p.covers)))
        }
        for (column, count) in columnCells.sorted(by: { $0.key < $1.key }) where !reported.contains(column) {
            let header = plan.headers[column]
            let location = Location(file: source.name, sheet: sheetName, row: count.first, column: column)
            switch plan.roles[column] {
            case .ignored(let reason)? where reason == ColumnPlanner.numberReason:
                break // a row's number is part of the row, nothing to say
            case .ignored(let reason)?:
                diagnostics.info("I-COLUMN-SKIPPED", location, "столбец «\(header ?? "")» не вносится в учёт по правилу профиля: \(reason); \(cells([column]))")
            case .unknown?:
                break // under a subject nobody understands: that subject's finding counts them
            case nil where plan.subjectSpans.contains(where: { $0.columns ~= column }):
                // Under a subject's name, between its periods: its marks, under no period.
                let subject = plan.subjectSpans.first { $0.columns ~= column }!.subject
                diagnostics.error(
                    "E-COLUMN-NO-PERIOD", location,
                    "столбец под предметом «\(context.policy.subjects.term(id: subject)?.label ?? subject)» без подписи периода: отметки в нём не внесены, \(cells([column])). "
                        + "Подпишите период в строке заголовка (1 ч, …, Год)")
            default:
                diagnostics.warning(
                    "W-CELL-NO-HEADER", location,
                    "у столбца нет заголовка, но в нём есть данные, они не внесены: \(cells([column])). Подпишите столбец так, как его знает профиль, или удалите эти данные"
                )
            }
        }
        for (reason, rows, examples) in skippedRows {
            let location = Location(file: source.name, sheet: sheetName, row: rows[0])
            let said = examples.isEmpty ? "" : " (" + examples.map { "«\($0)»" }.joined(separator: ", ") + ")"
            diagnostics.info(
                "I-ROWS-SKIPPED", location,
                "\(rows.count == 1 ? "строка" : "строки") \(SheetImporter.ranges(rows)) \(rows.count == 1 ? "пропущена" : "пропущены"): \(reason)\(said)")
        }
    }

    /// `3, 5–9, 12`.
    static func ranges(_ rows: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let sorted = rows.sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])–\(sorted[j])")
            i = j + 1
        }
        if parts.count > 30 { return parts.prefix(30).joined(separator: ", ") + " и ещё \(parts.count - 30) диапазонов" }
        return parts.joined(separator: ", ")
    }
}
