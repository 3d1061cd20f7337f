import Policy
import Records
import Spreadsheet

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
}

/// Reads one sheet's rows as they stream: buffers the first rows until the
/// header is found, then turns each data row into records by the matched
/// profile's layout.
final class SheetImporter {
    let context: ImportContext
    let source: SourceFile
    let sheetName: String?
    let diagnostics: Diagnostics
    private let matcher: HeaderMatcher

    private var buffer: [Row] = []
    private var match: HeaderMatch?
    private var title = TitleBlock.empty
    private var outcome: SheetReport.Status?
    private var explanation: String?
    private(set) var records: [Record] = []
    private(set) var absences = 0
    private var carried: [String: RowValues.Value] = [:]
    private var headerTexts: Set<String> = []
    private let memo = RowMemo()
    private lazy var environment = ReaderEnvironment(context: context, source: source, title: title, diagnostics: diagnostics, memo: memo)

    init(context: ImportContext, source: SourceFile, sheetName: String?, diagnostics: Diagnostics) {
        self.context = context
        self.source = source
        self.sheetName = sheetName
        self.diagnostics = diagnostics
        matcher = HeaderMatcher(profiles: context.profiles.profiles, policy: context.policy)
    }

    func feed(_ row: Row) -> ScanDecision {
        if let outcome { return outcome == .imported ? process(row) : .stop }
        buffer.append(row)
        if buffer.count >= HeaderMatcher.rowsLookedAt { detect() }
        return .continue
    }

    func finish() -> SheetReport {
        if outcome == nil {
            if buffer.isEmpty {
                outcome = .empty
            } else {
                detect()
            }
        }
        return SheetReport(sheet: sheetName, status: outcome ?? .empty, profile: match?.profile.id, profileLabel: match?.profile.label,
                           headerRow: match?.headerRow, records: records.count, explanation: explanation)
    }

    private func detect() {
        switch matcher.match(buffer) {
        case .matched(let m):
            match = m
            outcome = .imported
            title = TitleBlock(rows: Array(buffer[0..<m.headerIndex]), sheetName: sheetName, policy: context.policy)
            headerTexts = Set(buffer[m.headerIndex].cells.map { $0.value.text.trimmed }.filter { !$0.isEmpty })
            if m.profile.layout == .subjectColumns, title.period == nil {
                diagnostics.error("E-PERIOD-MISSING", Location(file: source.name, sheet: sheetName, row: m.headerRow),
                                  "сводная ведомость без периода: добавьте над таблицей строку с периодом (например «Отметки за 1 четверть 2025/2026 учебного года») или столбец «Период»")
                buffer = []
                return
            }
            let rows = buffer[(m.headerIndex + m.headerHeight)...]
            buffer = []
            for row in rows where process(row) == .stop { break }
        case .none(let nearest, let seen):
            outcome = .unmatched
            var text = "не похож ни на одну известную выгрузку"
            text += seen.isEmpty ? "; в первых строках нет заголовков столбцов" : "; заголовки: " + seen.prefix(20).map { "«\($0)»" }.joined(separator: ", ") + (seen.count > 20 ? " и ещё \(seen.count - 20)" : "")
            if let nearest {
                text += ". Ближе всего профиль «\(nearest.profile.label)» (\(nearest.profile.file)): не хватает столбцов " + nearest.missing.map { "«\($0)»" }.joined(separator: ", ")
            }
            text += ". Переименуйте столбцы или добавьте профиль импорта (см. README)"
            explanation = text
            buffer = []
        case .ambiguous(let matches, let seen):
            outcome = .ambiguous
            explanation = "подходит сразу к профилям " + matches.map { "«\($0.profile.label)» (\($0.profile.file))" }.joined(separator: " и ")
                + "; заголовки: " + seen.prefix(20).map { "«\($0)»" }.joined(separator: ", ")
                + ". Уточните заголовки столбцов, чтобы выгрузка подходила к одному профилю"
            buffer = []
        }
    }

    // MARK: - Rows

    private func process(_ row: Row) -> ScanDecision {
        guard let match else { return .stop }
        let profile = match.profile
        var values = RowValues(row: row.number, sheet: sheetName, columns: match.columns)
        var any = false
        for (field, column) in match.columns {
            if let v = row[column] {
                values.fields[field] = RowValues.Value(value: v, column: column)
                if !v.text.trimmed.isEmpty { any = true }
            }
        }
        switch profile.layout {
        case .table, .sidecar:
            guard any, !isRepeatedHeader(row), !isTotal(values, row) else { return .continue }
            build(profile.record, values)
        case .subjectColumns:
            guard let period = title.period else { return .stop }
            guard !isTotal(values, row) else { return .continue }
            for (column, subject) in match.subjects.sorted(by: { $0.key < $1.key }) {
                guard let cell = row[column], !cell.text.trimmed.isEmpty else { continue }
                markRecord(values, column: column, cell: cell, subject: subject, period: period.label)
            }
        case .subjectColumnsPeriods:
            guard !isTotal(values, row) else { return .continue }
            for (column, pair) in match.subjectPeriods.sorted(by: { $0.key < $1.key }) {
                guard let cell = row[column], !cell.text.trimmed.isEmpty else { continue }
                markRecord(values, column: column, cell: cell, subject: pair.subject, period: context.policy.period(id: pair.period)?.label ?? pair.period)
            }
        case .subjectColumnsPeriodRows:
            // The ФИО is written (or merged) on the first row of each student's group only.
            let identity = ["student", "surname", "name", "patronymic", "journalId", "birthDate", "class"]
            let hasIdentity = identity.contains { values[$0].map { !$0.value.text.trimmed.isEmpty } ?? false }
            if hasIdentity {
                if isTotal(values, row) { carried = [:]; return .continue }
                carried = values.fields.filter { identity.contains($0.key) }
            } else if !carried.isEmpty {
                for (k, v) in carried { values.fields[k] = v }
            }
            guard let periodCell = values["period"], !periodCell.value.text.trimmed.isEmpty else { return .continue }
            for (column, subject) in match.subjects.sorted(by: { $0.key < $1.key }) {
                guard let cell = row[column], !cell.text.trimmed.isEmpty else { continue }
                markRecord(values, column: column, cell: cell, subject: subject, period: nil)
            }
        }
        return .continue
    }

    private func markRecord(_ base: RowValues, column: Int, cell: CellValue, subject: String, period: String?) {
        var values = base
        values.fields["subject"] = RowValues.Value(value: .string(context.policy.subjects.term(id: subject)?.label ?? subject), column: column)
        values.fields["mark"] = RowValues.Value(value: cell, column: column)
        if let period { values.fields["period"] = RowValues.Value(value: .string(period), column: column) }
        build(.periodMark, values)
    }

    private func build(_ kind: RecordKind, _ values: RowValues) {
        let reader = FieldReader(env: environment, values: values)
        records += RecordBuilder.build(kind, reader, absences: &absences)
    }

    /// A total line under the table (`Итого`, `Средний балл`, `Качество знаний`) is not a student.
    private static let totalWords = ["итого", "всего", "среднийбалл", "средняяотметка", "среднее", "качествознаний", "качество", "успеваемость", "количество", "колво"]

    private func isTotalLabel(_ s: String) -> Bool {
        if let known = memo.totals[RawKey(s)] { return known }
        let key = TextKey.compact(s.prefix(40))
        let total = SheetImporter.totalWords.contains { key.hasPrefix($0) }
        memo.totals[RawKey(s)] = total
        return total
    }

    private func isTotal(_ values: RowValues, _ row: Row) -> Bool {
        let words = SheetImporter.totalWords
        for field in ["student", "surname", "number"] {
            if let v = values[field], case .string(let s) = v.value, isTotalLabel(s) { return true }
        }
        let identityEmpty = ["student", "surname", "journalId"].allSatisfy { values[$0].map { $0.value.text.trimmed.isEmpty } ?? true }
        guard identityEmpty else { return false }
        for cell in row.cells {
            if case .string(let s) = cell.value, words.contains(where: { TextKey.compact(s).hasPrefix($0) }) { return true }
        }
        return false
    }

    /// Exports split into pages repeat the header row.
    private func isRepeatedHeader(_ row: Row) -> Bool {
        guard row.cells.count >= 2 else { return false }
        for cell in row.cells {
            guard case .string(let s) = cell.value, headerTexts.contains(s.trimmed) else { return false }
        }
        return true
    }
}
