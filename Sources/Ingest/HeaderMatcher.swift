import Policy
import Spreadsheet

/// Where a profile's fields are in a sheet, once its header row is found.
struct HeaderMatch: Sendable {
    var profile: ImportProfile
    /// Index of the header row among the rows looked at.
    var headerIndex: Int
    /// The header's row number in the sheet (line in a CSV).
    var headerRow: Int
    /// Field name → column.
    var columns: [String: Int]
    /// Subject columns of a summary sheet: column → subject id.
    var subjects: [Int: String]
    /// Two-row headers: column → (subject id, period id).
    var subjectPeriods: [Int: (subject: String, period: String)]
    /// Rows the header takes (2 for a subject merged over period columns).
    var headerHeight: Int
    var score: Int
}

/// Finds which profile a sheet is in, by its headers: the header row may
/// sit under a title block anywhere in the first rows; a profile matches
/// when all its required headers appear in one row. Headers compare as
/// compact keys (case, `ё`, spaces and punctuation do not matter) against
/// the spellings each profile lists.
struct HeaderMatcher {
    static let rowsLookedAt = 30

    let profiles: [ImportProfile]
    let policy: Policy

    enum Outcome {
        case matched(HeaderMatch)
        case none(nearest: (profile: ImportProfile, missing: [String])?, headersSeen: [String])
        case ambiguous([HeaderMatch], headersSeen: [String])
    }

    func match(_ rows: [Row]) -> Outcome {
        var best: [String: HeaderMatch] = [:]
        var nearest: (profile: ImportProfile, found: Int, missing: [String])?
        let considered = Array(rows.prefix(HeaderMatcher.rowsLookedAt))
        for profile in profiles where profile.layout != .sidecar {
            let keyToField = Dictionary(profile.fields.flatMap { f in f.keys.map { ($0, f.name) } }, uniquingKeysWith: { a, _ in a })
            for (index, row) in considered.enumerated() {
                var columns: [String: Int] = [:]
                var unmatched: [(column: Int, key: String, text: String)] = []
                for cell in row.cells {
                    guard case .string(let text) = cell.value else { continue }
                    let key = TextKey.compact(text)
                    guard !key.isEmpty else { continue }
                    if let field = keyToField[key], columns[field] == nil {
                        columns[field] = cell.column
                    } else {
                        unmatched.append((cell.column, key, text))
                    }
                }
                let required = profile.requiredInHeader
                let missing = required.filter { columns[$0.name] == nil }.map { $0.headers[0] }
                    + missingAlternative(profile, columns)
                    + (profile.needsOneOf.isEmpty || profile.needsOneOf.contains { columns[$0] != nil } ? [] : [profile.needsOneOf.compactMap { profile.field($0)?.headers[0] }.joined(separator: " или ")])
                let found = columns.count
                if nearest == nil || found - missing.count > nearest!.found - nearest!.missing.count {
                    nearest = (profile, found, missing)
                }
                guard missing.isEmpty else { continue }
                guard var candidate = layoutMatch(profile, rows: considered, index: index, columns: columns, unmatched: unmatched) else { continue }
                candidate.score = columns.count + (candidate.subjects.isEmpty && candidate.subjectPeriods.isEmpty ? 0 : 1)
                if let current = best[profile.id], current.score >= candidate.score { continue }
                best[profile.id] = candidate
            }
        }
        let seen = headersSeen(considered)
        guard let top = best.values.map(\.score).max() else {
            return .none(nearest: nearest.map { ($0.profile, $0.missing) }, headersSeen: seen)
        }
        let winners = best.values.filter { $0.score == top }.sorted { $0.profile.id < $1.profile.id }
        if winners.count > 1 { return .ambiguous(winners, headersSeen: seen) }
        return .matched(winners[0])
    }

    /// The first header of each field of the closest alternative, when none is complete.
    private func missingAlternative(_ profile: ImportProfile, _ columns: [String: Int]) -> [String] {
        guard !profile.anyOf.isEmpty else { return [] }
        if profile.anyOf.contains(where: { $0.allSatisfy { columns[$0] != nil } }) { return [] }
        let names = profile.anyOf.map { $0.compactMap { profile.field($0)?.headers[0] }.joined(separator: " + ") }
        return [names.joined(separator: " или ")]
    }

    /// The layout's own conditions: subject columns, period labels below them, a period column.
    private func layoutMatch(_ profile: ImportProfile, rows: [Row], index: Int, columns: [String: Int],
                             unmatched: [(column: Int, key: String, text: String)]) -> HeaderMatch? {
        let row = rows[index]
        var match = HeaderMatch(profile: profile, headerIndex: index, headerRow: row.number, columns: columns,
                                subjects: [:], subjectPeriods: [:], headerHeight: 1, score: 0)
        switch profile.layout {
        case .table, .sidecar:
            return match
        case .subjectColumns, .subjectColumnsPeriods, .subjectColumnsPeriodRows:
            var subjects: [Int: String] = [:]
            for cell in unmatched {
                if let subject = policy.subjects.match(cell.text) { subjects[cell.column] = subject.id }
            }
            guard !subjects.isEmpty else { return nil }
            let hasPeriodColumn = columns["period"] != nil
            // Period labels in the next row under or right of the first subject column.
            var periodsBelow: [Int: String] = [:]
            if index + 1 < rows.count, rows[index + 1].number == row.number + 1, let firstSubject = subjects.keys.min() {
                for cell in rows[index + 1].cells where cell.column >= firstSubject {
                    if let period = policy.period(matching: cell.value.text) { periodsBelow[cell.column] = period.id }
                }
            }
            switch profile.layout {
            case .subjectColumns:
                guard !hasPeriodColumn, periodsBelow.isEmpty else { return nil }
                match.subjects = subjects
            case .subjectColumnsPeriodRows:
                guard hasPeriodColumn else { return nil }
                match.subjects = subjects
            default:
                guard !hasPeriodColumn, !periodsBelow.isEmpty else { return nil }
                // Each period column belongs to the nearest subject header at or left of it
                // (a subject merged over its period columns is written in the first one).
                let subjectColumns = subjects.keys.sorted()
                for (column, period) in periodsBelow {
                    guard let owner = subjectColumns.last(where: { $0 <= column }) else { continue }
                    match.subjectPeriods[column] = (subjects[owner]!, period)
                }
                guard !match.subjectPeriods.isEmpty else { return nil }
                match.headerHeight = 2
            }
            return match
        }
    }

    /// The texts of the row that looks most like a header (the most text cells), for messages.
    private func headersSeen(_ rows: [Row]) -> [String] {
        let row = rows.max { a, b in
            a.cells.count { if case .string = $0.value { true } else { false } } < b.cells.count { if case .string = $0.value { true } else { false } }
        }
        return (row?.cells ?? []).compactMap { cell -> String? in
            guard case .string(let s) = cell.value else { return nil }
            let t = s.trimmed
            return t.isEmpty ? nil : String(t.prefix(60))
        }
    }
}
