import ArgumentParser
import Spreadsheet

/// `uchet inspect`: what the readers see in a file, cell by cell.
struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Показать, что uchet читает из файла XLSX, ODS, HTML или CSV: каждую непустую ячейку.",
        discussion: """
            Для XLSX и ODS печатает по строке JSON на непустую ячейку:
              {"sheet":"Отметки","ref":"B3","type":"number","value":4}
            Типы: string, number, bool, date (значение в ISO 8601), error.
            Страница HTML (выгрузка журнала «в Excel») — то же, лист — каждая таблица, \
            значения — текст. Для CSV то же без "sheet"; разделитель и кодировка — в stderr.

            Примеры:
              uchet inspect inbox/9А.xlsx
              uchet inspect inbox/9А.ods --sheet Отметки --format csv
              uchet inspect inbox/журнал.xls
              uchet inspect inbox/журнал.csv --stats
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, csv
    }

    @Argument(help: "Файл .xlsx, .ods, .html (.xls из журнала) или .csv.")
    var file: String

    @Option(help: "Лист: имя или номер с 1 (по умолчанию все листы).")
    var sheet: String?

    @Option(help: "Формат вывода: jsonl или csv.")
    var format: Format = .jsonl

    @Flag(help: "Прочитать все ячейки и напечатать только их число по типам.")
    var stats = false

    func run() async throws {
        let kind: TableFileKind
        do {
            kind = try TableFileKind.of(path: file)
        } catch {
            throw Failure(error, status: .rejected)
        }
        let output = Output()
        let printer = CellPrinter(format: format, output: output)
        do {
            if let reader = try kind.openWorkbook(path: file) {
                try inspectWorkbook(reader, printer: printer)
            } else {
                try inspectCSV(printer: printer)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch let usage as ValidationError {
            throw Failure(usage, status: .usage)
        } catch {
            output.flush()
            throw Failure(error, status: .rejected)
        }
        output.flush()
    }

    private func inspectWorkbook(_ reader: any WorkbookReader, printer: CellPrinter) throws {
        let chosen: [SheetInfo]
        if let sheet {
            if let index = Int(sheet), index >= 1, index <= reader.sheets.count {
                chosen = [reader.sheets[index - 1]]
            } else if let named = reader.sheet(named: sheet) {
                chosen = [named]
            } else {
                let names = reader.sheets.map { "«\($0.name)»" }.joined(separator: ", ")
                throw ValidationError("в книге нет листа «\(sheet)»; листы: \(names)")
            }
        } else {
            chosen = reader.sheets
        }
        for info in chosen {
            var counts = CellCounts()
            try reader.scan(info) { row in
                if stats {
                    counts.add(row)
                } else {
                    printer.print(row, sheet: info.name)
                }
                return .continue
            }
            if stats { printer.output.line("лист «\(info.name)»: \(counts)") }
        }
    }

    private func inspectCSV(printer: CellPrinter) throws {
        let reader = try CSVReader(path: file)
        printError("\(reader.fileName): \(reader.dialect)")
        var counts = CellCounts()
        try reader.scan { row in
            if stats {
                counts.add(row)
            } else {
                printer.print(row, sheet: nil)
            }
            return .continue
        }
        for finding in reader.findings { printError("\(reader.fileName), \(finding)") }
        if stats { printer.output.line("\(reader.fileName): \(counts)") }
    }
}

/// Counts of non-empty cells by kind.
struct CellCounts: CustomStringConvertible {
    var rows = 0
    var byKind = [Int](repeating: 0, count: CellKind.allCases.count)

    mutating func add(_ row: RowView) {
        rows += 1
        for i in 0..<row.count { byKind[Int(row.kind(at: i).rawValue)] += 1 }
    }

    var description: String {
        let cells = byKind.reduce(0, +)
        let parts = CellKind.allCases.map { "\($0) \(byKind[Int($0.rawValue)])" }.joined(separator: ", ")
        return "строк \(rows), ячеек \(cells) (\(parts))"
    }
}

/// Prints cells as JSON lines or CSV.
struct CellPrinter {
    let format: Inspect.Format
    let output: Output

    func print(_ row: RowView, sheet: String?) {
        let sheetJSON = sheet.map { "{\"sheet\":" + JSON.string($0) + "," } ?? "{"
        for i in 0..<row.count {
            let ref = CellReference(column: row.column(at: i), row: row.number).description
            let value = row.value(at: i)
            switch format {
            case .jsonl:
                output.line(sheetJSON + "\"ref\":\"" + ref + "\",\"type\":\"\(value.kind)\",\"value\":" + CellPrinter.json(value) + "}")
            case .csv:
                let fields = [sheet ?? "", ref, value.kind.description, CellPrinter.plain(value)]
                output.line(fields.map(CellPrinter.csvField).joined(separator: ","))
            }
        }
    }

    static func json(_ value: CellValue) -> String {
        switch value {
        case .string(let s), .error(let s): JSON.string(s)
        case .number(let n): JSON.number(n)
        case .bool(let b): b ? "true" : "false"
        case .date(let d): JSON.string(d.iso8601)
        }
    }

    static func plain(_ value: CellValue) -> String {
        switch value {
        case .date(let d): d.iso8601
        case .number(let n): JSON.number(n)
        case .bool(let b): b ? "true" : "false"
        case .string(let s), .error(let s): s
        }
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
