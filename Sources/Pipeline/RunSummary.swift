public import Ingest
public import StrictJSON

/// What happened to one file in a run.
public struct FileOutcome: Sendable {
    public enum Status: String, Sendable {
        case accepted, rejected, duplicate

        /// `принят`, `отклонён`, `повтор`.
        public var russian: String {
            switch self {
            case .accepted: "принят"
            case .rejected: "отклонён"
            case .duplicate: "повтор"
            }
        }
    }

    public var name: String
    public var sha256: String
    public var status: Status
    public var profiles: [String]
    /// Records read from the file.
    public var records: Int
    /// Records new to the ledger.
    public var inserted: Int
    public var errors: Int
    public var warnings: Int
    /// Rows left out under `skip-row`.
    public var skippedRows: Int
    /// Where the file went.
    public var storedAs: String
    /// The report written beside it, if any.
    public var report: String?
    public var conflictsOpened: Int
    public var conflictsResolved: Int
    public var byKind: [String: Int]
    /// What became of the cells under the file's headers.
    public var cells = CellTally()
    /// The declared source kind and why.
    public var source: String?
    public var sourceReason: String?
    /// Info lines of its report (rows and columns skipped by rule).
    public var notes = 0
    /// Conflicts the file opened, or opened again, by id.
    public var openedConflicts: [Int64] = []

    /// Something in its report a person should read.
    public var hasRemarks: Bool { errors > 0 || warnings > 0 || notes > 0 || cells.noRecord > 0 }
}

/// What a run did, for the closing summary and `summary.json`.
public struct RunSummary: Sendable {
    public var runID: String
    public var started: String
    public var finished: String
    public var seconds: Double
    public var files: [FileOutcome]
    /// Files still being copied (changed within the settle time).
    public var settling: Int
    /// Scans with no sidecar yet, left in the inbox.
    public var waitingScans: [String]
    /// Inbox subfolders no source in `pipeline.json` names, with the files left in them unread.
    public var unreadFolders: [String: Int] = [:]
    public var conflictsOpen: Int
    public var emitted: [String: Int]
    /// True when the run stopped early on a signal.
    public var interrupted: Bool
    public var stages: StageTimes
    /// The conflicts this run opened, in words for the staff (student by name, class and id;
    /// subject, period, every value with its file, cell and source kind). Not in `summary.json`.
    public var newConflictLines: [String] = []

    public var accepted: Int { files.count { $0.status == .accepted } }
    public var rejected: Int { files.count { $0.status == .rejected } }
    public var duplicates: Int { files.count { $0.status == .duplicate } }

    public var byKind: [String: Int] {
        var totals: [String: Int] = [:]
        for f in files { for (k, v) in f.byKind { totals[k, default: 0] += v } }
        return totals
    }

    public var conflictsOpened: Int { files.reduce(0) { $0 + $1.conflictsOpened } }
    public var conflictsResolved: Int { files.reduce(0) { $0 + $1.conflictsResolved } }

    /// Russian names of record kinds, for the summary.
    public static func kindName(_ kind: String) -> String {
        switch kind {
        case "roster": "контингент"
        case "mark.current": "текущие отметки"
        case "mark.period": "отметки за периоды"
        case "mark.annual": "годовые отметки"
        case "mark.exam": "экзаменационные отметки"
        case "mark.final": "итоговые отметки"
        case "exam": "результаты ГИА"
        case "achievement": "достижения"
        case "encouragement": "поощрения"
        case "development.personal": "личностные результаты"
        case "development.metasubject": "метапредметные результаты"
        case "attestat-issue": "выдача аттестатов"
        default: kind
        }
    }

    /// The closing lines a person reads.
    public var text: String {
        var lines: [String] = []
        lines.append(
            "Запуск \(runID): файлов \(files.count) — принято \(accepted), отклонено \(rejected), повторов \(duplicates)"
                + (settling > 0 ? "; ещё копируются \(settling)" : "") + (interrupted ? "; остановлен по сигналу" : ""))
        let kinds = byKind.sorted { $0.key < $1.key }.map { "\(RunSummary.kindName($0.key)) \($0.value)" }
        lines.append("Новых записей: " + (kinds.isEmpty ? "нет" : kinds.joined(separator: ", ")))
        lines.append("Конфликты: новых \(conflictsOpened), решено по правилу \(conflictsResolved), открыто всего \(conflictsOpen)")
        lines += newConflictLines
        if !emitted.isEmpty {
            lines.append("Выпущено: " + emitted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if !waitingScans.isEmpty { lines.append("Сканы без файла-описания (ждут в inbox): \(waitingScans.count)") }
        for (folder, count) in unreadFolders.sorted(by: { $0.key < $1.key }) {
            lines.append(
                "Не прочитано: в inbox/\(folder)/ файлов \(count) — этой папки нет среди источников pipeline.json («sources»); "
                    + "назовите её там (например \"sources\": {\"electronic-journal\": \"inbox/\(folder)\"}) или положите файлы прямо в inbox")
        }
        for f in files where f.status == .rejected {
            lines.append("  отклонён \(f.name): ошибок \(f.errors), отчёт \(f.report ?? "")")
        }
        for f in files where f.status == .accepted && f.hasRemarks {
            var what = (f.errors > 0 ? ["строк с ошибками пропущено \(f.skippedRows)"] : []) + (f.warnings > 0 ? ["предупреждений \(f.warnings)"] : [])
            if f.cells.noRecord > 0 { what.append("ячеек, не ставших записью, \(f.cells.noRecord) (каждая названа в отчёте)") }
            let verdict = what.isEmpty ? "принят" : "принят с замечаниями"
            lines.append("  \(verdict) \(f.name): " + (what.isEmpty ? "" : what.joined(separator: ", ") + ", ") + "отчёт \(f.report ?? "")")
        }
        lines.append("Время: " + String(format1(seconds)) + " с")
        return lines.joined(separator: "\n")
    }

    /// `summary.json`.
    public var json: JSONValue {
        .fields([
            "run": .string(runID), "started": .string(started), "finished": .string(finished), "seconds": .number((seconds * 1000).rounded() / 1000),
            "interrupted": .bool(interrupted),
            "stageSeconds": .fields([
                "parse": .number((stages.parse * 1000).rounded() / 1000), "merge": .number((stages.merge * 1000).rounded() / 1000),
                "emit": .number((stages.emit * 1000).rounded() / 1000)
            ]),
            "files": .fields([
                "total": .int(files.count), "accepted": .int(accepted), "rejected": .int(rejected), "duplicate": .int(duplicates),
                "settling": .int(settling)
            ]),
            "records": .object(byKind.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }),
            "conflicts": .fields([
                "opened": .int(conflictsOpened), "resolved": .int(conflictsResolved), "open": .int(conflictsOpen),
                "new": .array(files.flatMap(\.openedConflicts).map { .int(Int($0)) })
            ]),
            "emitted": .object(emitted.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }),
            "waitingScans": .array(waitingScans.map(JSONValue.string)),
            "unreadFolders": .object(unreadFolders.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) }),
            "details": .array(
                files.map { f in
                    .fields([
                        "name": .string(f.name), "sha256": .string(f.sha256), "status": .string(f.status.rawValue),
                        "profiles": .array(f.profiles.map(JSONValue.string)), "records": .int(f.records), "new": .int(f.inserted),
                        "errors": .int(f.errors), "warnings": .int(f.warnings), "skippedRows": .int(f.skippedRows),
                        "storedAs": .string(f.storedAs), "report": .optional(f.report),
                        "source": .optional(f.source), "sourceReason": .optional(f.sourceReason),
                        "cells": .fields([
                            "total": .int(f.cells.cells), "inRecords": .int(f.cells.inRecords), "absences": .int(f.cells.absences),
                            "skipped": .int(f.cells.skipped), "withErrors": .int(f.cells.withErrors),
                            "notTaken": .int(f.cells.notTaken), "noRecord": .int(f.cells.noRecord)
                        ]),
                        "conflictsOpened": .int(f.conflictsOpened), "conflictsResolved": .int(f.conflictsResolved)
                    ])
                })
        ])
    }
}

/// One decimal with a comma, as Russian text writes it: `12,7`.
public func format1(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10),\(tenths % 10)"
}
