import Crypto
public import Records
import Policy
public import Spreadsheet
import StrictJSON
import XMLStream
import ZipIO
#if canImport(Glibc)
    import Glibc
    import FileIO
    import Digest
#endif

/// Everything an import of one file found: which profile each sheet
/// matched, the records, the findings. Never thrown: a file that cannot be
/// read is a finding like any other.
public struct FileImport: Sendable {
    public var path: String
    public var fileName: String
    /// SHA-256 of the file's bytes.
    public var fileHash: String
    public var format: Format
    public var sheets: [SheetReport]
    public var records: [Record]
    public var findings: [Finding]
    /// Absences (`н`) met in gradebooks: counted, not records.
    public var absences: Int
    /// Rows whose errors kept them out (so `skip-row` can list them).
    public var rowsWithErrors: Int
    /// The policy's source kind (`electronic-journal`, `manual`), for conflict rules: declared by
    /// the folder the school put the file in, never guessed from its layout.
    public var sourceKind: String?
    /// Why the file has that kind, in Russian, for reports and dossiers.
    public var sourceReason: String?

    public enum Format: String, Sendable {
        case xlsx = "XLSX"
        case ods = "ODS"
        case html = "HTML"
        case csv = "CSV"
        case sidecar = "JSON"
        /// A scan or photo given alone: named, not read.
        case scan = "скан"
        case unknown = "?"
    }

    public init(
        path: String, fileName: String, fileHash: String, format: Format, sheets: [SheetReport], records: [Record],
        findings: [Finding], absences: Int, rowsWithErrors: Int, sourceKind: String?
    ) {
        self.path = path
        self.fileName = fileName
        self.fileHash = fileHash
        self.format = format
        self.sheets = sheets
        self.records = records
        self.findings = findings
        self.absences = absences
        self.rowsWithErrors = rowsWithErrors
        self.sourceKind = sourceKind
    }

    public var hasErrors: Bool { findings.contains { $0.severity == .error } }

    /// What became of the cells under the headers of every sheet read.
    public var cells: CellTally { sheets.reduce(CellTally()) { $0 + $1.cells } }
    public var errorCount: Int { findings.count { $0.severity == .error } }

    /// Profiles that matched, in sheet order.
    public var profiles: [String] {
        var seen: [String] = []
        for s in sheets { if let p = s.profile, !seen.contains(p) { seen.append(p) } }
        return seen
    }
}

/// Imports one file: tells its format from its bytes, reads every visible
/// sheet through the profile its headers match, and checks every record
/// against the policy.
public enum FileImporter {
    /// `hash`: the file's SHA-256 when the caller has it already (a run checks it against the ledger first);
    /// `sniff`: what `sniff` matched in this file, when the caller sniffed it.
    public static func run(
        path: String, context: ImportContext, displayName: String? = nil, source: DeclaredSource = .handKept,
        hash: String? = nil, sniff: Sniff? = nil
    ) -> FileImport {
        let name = displayName ?? String(path.split(separator: "/").last ?? Substring(path))
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let diagnostics = Diagnostics()
        var result = FileImport(
            path: path, fileName: name, fileHash: "", format: .unknown, sheets: [], records: [], findings: [],
            absences: 0, rowsWithErrors: 0, sourceKind: source.kind)
        result.sourceReason = source.reason
        let fileLocation = Location(file: name)
        if let hash {
            result.fileHash = hash
        } else {
            do {
                result.fileHash = try SHA256Hex.of(file: path)
            } catch {
                diagnostics.error("E-FILE-UNREADABLE", fileLocation, "файл не читается: \(error.reason)")
                result.findings = diagnostics.findings
                return result
            }
        }
        let source = SourceFile(name: name, hash: result.fileHash, folder: folder)
        var size = stat()
        if stat(path, &size) == 0, size.st_size == 0 {
            diagnostics.error("E-FILE-EMPTY", fileLocation, "файл пуст (0 байт): выгрузка не удалась или файл не докопирован")
            result.findings = diagnostics.findings
            return result
        }

        if path.lowercased().hasSuffix(".json") {
            result.format = .sidecar
            let (records, report) = SidecarImporter.run(path: path, source: source, context: context, diagnostics: diagnostics)
            result.records = records
            result.sheets = [report]
        } else {
            do {
                let kind = try TableFileKind.of(path: path)
                switch kind {
                case .ole:
                    diagnostics.error("E-FILE-FORMAT", fileLocation, kind.refusal ?? "")
                case .scan:
                    // Not read: a scan goes in with the sidecar that names it. Alone it waits, as
                    // `uchet run` leaves it in the inbox; under a table's name it is refused.
                    result.format = .scan
                    if ScanFormat.isScanName(name) {
                        diagnostics.info("I-SCAN-ALONE", fileLocation, kind.refusal ?? "")
                    } else {
                        diagnostics.error("E-FILE-FORMAT", fileLocation, "имя у файла как у таблицы, но " + (kind.refusal ?? ""))
                    }
                case .xlsx, .ods, .html:
                    result.format = kind == .xlsx ? .xlsx : kind == .ods ? .ods : .html
                    try importWorkbook(
                        path: path, kind: kind, source: source, context: context, sniff: sniff, diagnostics: diagnostics, into: &result)
                case .csv:
                    result.format = .csv
                    try importCSV(path: path, source: source, context: context, sniff: sniff, diagnostics: diagnostics, into: &result)
                }
            } catch {
                diagnostics.error(FileImporter.code(of: error), fileLocation, "\(error)")
            }
            let matched = result.sheets.filter { $0.status == .imported }
            for sheet in result.sheets where sheet.status == .unmatched || sheet.status == .ambiguous {
                let code = sheet.status == .ambiguous ? "E-PROFILE-AMBIGUOUS" : "E-PROFILE-NONE"
                let location = Location(file: name, sheet: sheet.sheet)
                let what = sheet.sheet.map { "лист «\($0)»" } ?? "файл"
                if matched.isEmpty {
                    diagnostics.error(code, location, "\(what) \(sheet.explanation ?? "")")
                } else {
                    diagnostics.warning("W-SHEET-SKIPPED", location, "\(what) пропущен: \(sheet.explanation ?? "")")
                }
            }
            if !result.sheets.isEmpty, !diagnostics.hasErrors, result.sheets.allSatisfy({ $0.status == .empty || $0.status == .hidden }) {
                diagnostics.error("E-FILE-EMPTY", fileLocation, "в файле нет данных: все листы пусты")
            }
            for sheet in matched where sheet.records == 0 && !diagnostics.hasErrors {
                diagnostics.error(
                    "E-NO-RECORDS", Location(file: name, sheet: sheet.sheet, row: sheet.headerRow),
                    "под заголовками нет ни одной записи; файл выгружен не полностью?")
            }
            checkRegisterScans(&result, source: source, context: context, diagnostics: diagnostics)
        }
        result.findings = diagnostics.findings
        result.rowsWithErrors = diagnostics.rowsWithErrors.count
        return result
    }

    /// Imports a table already in memory, as `run` imports a CSV file with
    /// these rows: header matching against the profiles, every field read
    /// and checked against the policy. For tools (and the fuzzer) that hold
    /// rows rather than a file.
    public static func importRows(_ rows: [Row], name: String, context: ImportContext) -> FileImport {
        let diagnostics = Diagnostics()
        let importer = SheetImporter(context: context, source: SourceFile(name: name, hash: "", folder: "."), sheetName: nil, diagnostics: diagnostics)
        for row in rows where importer.feed(row) == .stop { break }
        let report = importer.finish(merges: [])
        return FileImport(
            path: name, fileName: name, fileHash: "", format: .csv, sheets: [report], records: importer.records,
            findings: diagnostics.findings, absences: importer.absences, rowsWithErrors: diagnostics.rowsWithErrors.count,
            sourceKind: nil)
    }

    /// What kind of records a file holds, from its headers alone (the first
    /// rows of each visible sheet, up to the first that matches a profile):
    /// lets a run merge rosters before the files that name their students.
    /// What each sheet looked at matched is kept for the parse
    /// (`run(…, sniff:)`), which then does not match the same rows again.
    /// The sheets after the first match are left to the parse: an ODS sheet
    /// is reached by reading the whole `content.xml` before it.
    public static func sniff(path: String, context: ImportContext) -> Sniff {
        if path.lowercased().hasSuffix(".json") { return Sniff(kind: .achievement) }
        let matcher = HeaderMatcher(profiles: context.profiles.profiles, policy: context.policy, defaultYear: context.defaultYear)
        var sniff = Sniff()
        func look(_ rows: [Row], sheet: String?) {
            let outcome = matcher.match(rows)
            sniff.headers.append(Sniff.Header(sheet: sheet, rows: Sniff.digest(rows), outcome: outcome))
            if case .matched(let m) = outcome { sniff.kind = m.profile.record }
        }
        do {
            let fileKind = try TableFileKind.of(path: path)
            switch fileKind {
            case .xlsx, .ods, .html:
                guard let reader = try fileKind.openWorkbook(path: path, limits: context.spreadsheetLimits) else { break }
                for sheet in reader.sheets where sheet.isWorksheet && sheet.visibility == .visible && sniff.kind == nil {
                    look(try reader.rows(sheet, limit: HeaderMatcher.rowsLookedAt), sheet: sheet.name)
                }
            case .csv:
                look(try CSVReader(path: path, limits: context.csvLimits).rows(limit: HeaderMatcher.rowsLookedAt), sheet: nil)
            case .ole, .scan:
                break
            }
        } catch {}
        return sniff
    }

    /// The finding code of a reader's failure: the layer's own (`E-ZIP-RATIO-LIMIT`,
    /// `E-XML-ENTITY`, `E-XLSX-SST-INDEX`…), so a report says what exactly was refused.
    static func code(of error: any Error) -> String {
        switch error {
        case let e as ZipError: e.code.rawValue
        case let e as XMLError: e.code.rawValue
        case let e as SpreadsheetError: e.code == .ioFailed ? "E-FILE-UNREADABLE" : e.code.rawValue
        default: "E-FILE-UNREADABLE"
        }
    }

    /// The scan a sidecar names, read from its JSON (for claiming the scan with it).
    public static func sidecarScan(path: String, context: ImportContext) -> String? {
        guard let profile = context.profiles.profiles.first(where: { $0.layout == .sidecar }),
            let keys = profile.field("scan")?.keys,
            let bytes = try? Files.read(path, limit: 1 << 20),
            case .object(let members)? = try? JSONParser.parse(bytes)
        else { return nil }
        for (key, value) in members where keys.contains(TextKey.compact(key)) {
            if case .string(let s) = value { return s }
        }
        return nil
    }

    /// XLSX, ODS and the tables of an HTML page, through one `WorkbookReader`.
    private static func importWorkbook(
        path: String, kind: TableFileKind, source: SourceFile, context: ImportContext, sniff: Sniff?, diagnostics: Diagnostics,
        into result: inout FileImport
    ) throws {
        guard let reader = try kind.openWorkbook(path: path, limits: context.spreadsheetLimits) else { return }
        if reader.sheets.isEmpty {
            diagnostics.error("E-FILE-EMPTY", Location(file: source.name), "в файле нет ни одной таблицы")
        }
        for sheet in reader.sheets {
            guard sheet.isWorksheet else { continue }
            guard sheet.visibility == .visible else {
                result.sheets.append(SheetReport(sheet: sheet.name, status: .hidden, records: 0))
                // Left alone, but never unsaid: a hidden sheet may hold a quarter's marks.
                var cells = 0
                var first: Int?
                _ = try? reader.scan(sheet) { row in
                    cells += row.count
                    if first == nil { first = row.row.number }
                    return .continue
                }
                if cells > 0 {
                    diagnostics.warning(
                        "W-SHEET-HIDDEN", Location(file: source.name, sheet: sheet.name, row: first),
                        "лист скрыт и не читается, а ячеек с данными на нём \(cells): если на нём нужные записи, покажите лист в Excel или LibreOffice и положите файл снова; если это служебный лист (списки, расчёты), ничего делать не нужно"
                    )
                }
                continue
            }
            let importer = SheetImporter(
                context: context, source: source, sheetName: sheet.name, diagnostics: diagnostics, sniffed: sniff?.header(sheet: sheet.name))
            var merges: [CellRange] = []
            do {
                let scan = try reader.scan(sheet) { importer.feed($0.row) }
                merges = scan.merges
                if let (a, b) = CellRange.firstOverlap(in: scan.merges) {
                    diagnostics.warning(
                        "W-MERGE-OVERLAP", Location(file: source.name, sheet: sheet.name),
                        "объединённые области \(a) и \(b) перекрываются (Excel сочтёт файл повреждённым); значения ячеек прочитаны как есть, проверьте лист")
                }
            } catch {
                diagnostics.error(FileImporter.code(of: error), Location(file: source.name, sheet: sheet.name), "\(error)")
            }
            let report = importer.finish(merges: merges)
            result.sheets.append(report)
            result.records += importer.records
            result.absences += importer.absences
        }
    }

    private static func importCSV(
        path: String, source: SourceFile, context: ImportContext, sniff: Sniff?, diagnostics: Diagnostics,
        into result: inout FileImport
    ) throws {
        let reader = try CSVReader(path: path, limits: context.csvLimits)
        let importer = SheetImporter(context: context, source: source, sheetName: nil, diagnostics: diagnostics, sniffed: sniff?.header(sheet: nil))
        try reader.scan { importer.feed($0.row) }
        for finding in reader.findings {
            let severity: Severity = finding.code.isError ? .error : .warning
            diagnostics.add(Finding(finding.code.rawValue, severity, Location(file: source.name, row: finding.line), finding.message))
        }
        result.sheets.append(importer.finish(merges: []))
        result.records += importer.records
        result.absences += importer.absences
    }

    /// A register row may name a scan: when it lies beside the register it
    /// is checked (and its hash taken); when it is not there, a warning.
    private static func checkRegisterScans(_ result: inout FileImport, source: SourceFile, context: ImportContext, diagnostics: Diagnostics) {
        for i in result.records.indices {
            guard case .achievement(var a) = result.records[i], let scan = a.certificate?.scanFile else { continue }
            let location = Location(a.provenance)
            if ScanPath.problem(scan) == nil, access(source.folder + "/" + scan, F_OK) != 0 {
                diagnostics.warning("W-SCAN-ABSENT", location, "скан «\(scan)» не найден рядом с реестром; положите его в inbox с файлом-описанием")
                continue
            }
            if let digest = SidecarImporter.checkScan(
                scan, given: a.certificate?.sha256, folder: source.folder,
                root: context.inboxRoot ?? source.folder, location: location, diagnostics: diagnostics)
            {
                a.certificate?.sha256 = digest
                result.records[i] = .achievement(a)
            }
        }
        // Rows whose scan failed its checks are errors: drop their records.
        result.records.removeAll { record in
            guard case .achievement = record, let row = record.provenance.row else { return false }
            return diagnostics.rowHasError(sheet: record.provenance.sheet, row: row)
        }
    }
}

/// What `FileImporter.sniff` learned of a file: the kind of its records, and
/// for each sheet it looked at, what its first rows matched. The rows are
/// kept as their digest: a run holds the sniffs of its whole inbox at once,
/// and thirty rows of a journal grid (a column a lesson) are hundreds of cells.
public struct Sniff: Sendable {
    public var kind: RecordKind?
    var headers: [Header] = []

    struct Header: Sendable {
        /// The sheet's name; `nil` for a CSV.
        var sheet: String?
        /// `Sniff.digest` of the rows matched.
        var rows: [UInt8]
        var outcome: HeaderMatcher.Outcome
    }

    init(kind: RecordKind? = nil) { self.kind = kind }

    func header(sheet: String?) -> Header? { headers.first { $0.sheet == sheet } }

    /// SHA-256 of rows, every number and cell written with a tag (and a text with
    /// its length): two lists of rows have one digest only when they are the same.
    static func digest(_ rows: [Row]) -> [UInt8] {
        var hasher = SHA256()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 12)
        func int(_ n: Int) { withUnsafeBytes(of: Int64(n).littleEndian) { bytes.append(contentsOf: $0) } }
        func text(_ s: String) {
            int(s.utf8.count)
            bytes.append(contentsOf: s.utf8)
        }
        int(rows.count)
        for row in rows {
            int(row.number)
            int(row.cells.count)
            for cell in row.cells {
                int(cell.column)
                switch cell.value {
                case .string(let s):
                    bytes.append(0)
                    text(s)
                case .number(let x):
                    bytes.append(1)
                    withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                case .bool(let b):
                    bytes.append(2)
                    bytes.append(b ? 1 : 0)
                case .date(let d):
                    bytes.append(3)
                    int(d.date.year)
                    int(d.date.month)
                    int(d.date.day)
                    int(d.secondsOfDay)
                    bytes.append(d.isTimeOnly ? 1 : 0)
                case .error(let e):
                    bytes.append(4)
                    text(e)
                }
            }
            if bytes.count >= 1 << 16 {
                hasher.update(data: bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(data: bytes)
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }
}
