import CivilDate
import Policy
import Records
import Spreadsheet

/// Where a profile's header is in a sheet, and what each of its columns is.
struct HeaderMatch: Sendable {
    var profile: ImportProfile
    /// Index of the first header row among the rows looked at.
    var headerIndex: Int
    /// The first header row's number in the sheet (line in a CSV).
    var headerRow: Int
    /// Rows the header takes: 1, or 2–3 where a subject is merged over its
    /// period columns or the ФИО stands on the row above the subjects.
    var headerHeight: Int
    /// The header rows as read, to plan the columns again once the sheet's
    /// merged cells are known (an XLSX gives them after the rows).
    var headerRows: [Row]
    /// What every header cell stands for.
    var plan: ColumnPlan
    var score: Int

    /// Field name → column.
    var columns: [String: Int] { plan.fields }
}

/// Finds which profile a sheet is in, by its headers: the header may sit
/// under a title block anywhere in the first rows; a profile matches when
/// all its required headers appear in its header rows and its layout's
/// columns (subjects, periods, dates) are there. Headers compare as compact
/// keys (case, `ё`, spaces and punctuation do not matter) against the
/// spellings each profile and the policy list: exactly, never by distance.
struct HeaderMatcher {
    static let rowsLookedAt = 30

    let profiles: [ImportProfile]
    let policy: Policy
    /// The school year dates in a journal grid's header fall in, when the title does not say.
    let defaultYear: AcademicYear

    enum Outcome {
        case matched(HeaderMatch)
        case none(nearest: (profile: ImportProfile, missing: [String])?, headersSeen: [String])
        case ambiguous([HeaderMatch], headersSeen: [String])
    }

    func match(_ rows: [Row]) -> Outcome {
        var best: [String: HeaderMatch] = [:]
        var nearest: (profile: ImportProfile, found: Int, missing: [String])?
        let considered = Array(rows.prefix(HeaderMatcher.rowsLookedAt))
        // The school year a title names, for a grid's dates: the first year above each row.
        var years: [AcademicYear?] = []
        var found: AcademicYear?
        for row in considered {
            years.append(found)
            if found == nil {
                for cell in row.cells {
                    if case .string(let s) = cell.value, let y = TitleBlock.year(in: s) {
                        found = y
                        break
                    }
                }
            }
        }
        for index in considered.indices {
            let block = HeaderMatcher.block(considered, from: index)
            for profile in profiles where profile.layout != .sidecar {
                let planner = ColumnPlanner(profile: profile, policy: policy, year: years[index] ?? defaultYear, describe: false)
                let attempt = planner.plan(block, merges: [])
                var missing = attempt.missing
                if let reason = attempt.layoutFailure, missing.isEmpty { missing = [reason] }
                let found = attempt.plan.fields.count
                if nearest == nil || found - missing.count > nearest!.found - nearest!.missing.count {
                    nearest = (profile, found, missing)
                }
                guard attempt.layoutFailure == nil, attempt.missing.isEmpty else { continue }
                let candidate = HeaderMatch(
                    profile: profile, headerIndex: index, headerRow: considered[index].number,
                    headerHeight: attempt.height, headerRows: Array(block.prefix(attempt.height)),
                    plan: attempt.plan, score: attempt.plan.fields.count + (attempt.plan.hasDataColumns ? 1 : 0))
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

    /// Up to three consecutive sheet rows from `index` (a header is never split by a blank row).
    static func block(_ rows: [Row], from index: Int) -> [Row] {
        var block = [rows[index]]
        var i = index + 1
        while i < rows.count, block.count < 3, rows[i].number == block[block.count - 1].number + 1 {
            block.append(rows[i])
            i += 1
        }
        return block
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
