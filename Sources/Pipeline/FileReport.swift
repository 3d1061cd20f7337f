import Ingest
import Spreadsheet
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
#endif

/// The report written beside a rejected file (and beside an accepted one
/// whose bad rows were skipped): `<name>.report.txt` to read, and
/// `<name>.report.xlsx` with one row per finding to sort and filter.
enum FileReport {
    static func write(for result: FileImport, verdict: String, advice: String, beside path: String, runID: String, time: String) throws -> String {
        let text = self.text(result, verdict: verdict, advice: advice, runID: runID, time: time)
        let txt = path + ".report.txt"
        try Files.writeAtomically(txt, Array(text.utf8))
        if !result.findings.isEmpty { try workbook(result, at: path + ".report.xlsx") }
        return txt
    }

    static func text(_ result: FileImport, verdict: String, advice: String, runID: String, time: String) -> String {
        var lines: [String] = []
        lines.append("Файл: \(result.fileName)")
        lines.append("SHA-256: \(result.fileHash)")
        lines.append("Получен: \(time), запуск \(runID)")
        if let kind = result.sourceKind { lines.append("Источник: " + (result.sourceReason ?? kind)) }
        for sheet in result.sheets {
            let place = sheet.sheet.map { "Лист «\($0)»: " } ?? ""
            if let label = sheet.profileLabel {
                lines.append("\(place)профиль «\(label)» (\(sheet.profile ?? "")), записей \(sheet.records)")
                if result.format != .sidecar { lines.append("  " + CellAccount.line(sheet.cells)) }
            }
        }
        let errors = result.findings.count { $0.severity == .error }
        let warnings = result.findings.count { $0.severity == .warning }
        lines.append("Итог: \(verdict); ошибок \(errors), предупреждений \(warnings).")
        lines.append(advice)
        lines.append("")
        for severity in Severity.allCases {
            let found = result.findings.filter { $0.severity == severity }.sorted { ($0.location, $0.code) < ($1.location, $1.code) }
            guard !found.isEmpty else { continue }
            lines.append(severity == .error ? "Ошибки:" : severity == .warning ? "Предупреждения:" : "Сведения:")
            for f in found {
                let place = f.location.place.isEmpty ? "" : f.location.place + " — "
                lines.append("  \(place)\(f.code): \(f.message)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func workbook(_ result: FileImport, at path: String) throws {
        let writer = try XLSXWriter(path: path)
        let sheet = try writer.addSheet("Замечания", layout: SheetLayout(columnWidths: [6, 16, 22, 18, 18, 90], frozenRows: 1, printLandscape: true))
        try sheet.addRow(texts: ["№", "Важность", "Код", "Лист", "Ячейка / строка", "Что не так и что сделать"], style: .borderedHeader)
        let found = result.findings.sorted { ($0.severity, $0.location, $0.code) < ($1.severity, $1.location, $1.code) }
        for (i, f) in found.enumerated() {
            let cell: String
            if let row = f.location.row {
                cell = f.location.column.map { "\(CellReference.columnName($0))\(row)" } ?? "строка \(row)"
            } else {
                cell = ""
            }
            try sheet.addRow([
                .number(i + 1, .bordered), .text(f.severity.russian, .bordered), .text(f.code, .bordered),
                .text(f.location.sheet ?? "", .bordered), .text(cell, .bordered), .text(f.message, .bordered)
            ])
        }
        try writer.close()
    }
}
