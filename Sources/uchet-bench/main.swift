// uchet-bench: makes the benchmark's files and measures baselines.
// Not part of the product; `make bench` drives it.
//
//   uchet-bench gradebook FILE [ROWS]   write a gradebook-like XLSX (8 columns, shared strings)
//   uchet-bench floor FILE              time libxml2 alone on the first sheet: SAX push vs xmlTextReader
//   uchet-bench writer-sample FILE      a workbook using every writer feature, for scripts/check-interop
//   uchet-bench read-floor FOLDER       read every cell of every table file under FOLDER, one after another:
//                                       the floor a run over that inbox is measured against
//   uchet-bench merge-all FOLDER        import every table file under FOLDER, merge them one by one into a fresh
//                                       ledger, and time the merges and the imports apart (run in a school's folder)
//   uchet-bench sniff-all FOLDER        the header matching of every table file under FOLDER (run in a school's folder)
//   uchet-bench dossiers FOLDER         the dossiers of a school's ledger, written with and without validation
import CivilDate
import Dossier
import FileIO
import Ingest
import Ledger
import Records
import Policy
import Settings
import Spreadsheet
import XMLStream
import ZipIO
#if canImport(Glibc)
    import Glibc
#endif

func seconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// A small deterministic generator (xorshift), so the file is the same every run.
struct Random {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound))
    }
}

func writeGradebook(path: String, rows: Int) throws {
    let surnames = [
        "Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
        "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов"
    ]
    let names = ["Иван", "Пётр", "Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Никита", "Артём", "Егор"]
    let patronymics = ["Иванович", "Петрович", "Алексеевич", "Дмитриевич", "Сергеевич", "Андреевич"]
    let subjects = [
        "Русский язык", "Литература", "Алгебра", "Геометрия", "История", "Обществознание", "География",
        "Биология", "Физика", "Химия", "Английский язык", "Информатика", "Физическая культура"
    ]
    let kinds = ["Ответ на уроке", "Контрольная работа", "Самостоятельная работа", "Домашнее задание", "Диктант", "Проверочная работа"]
    let classes = (5...11).flatMap { grade in ["А", "Б", "В"].map { "\(grade)\($0)" } }
    var random = Random(state: 0x9E37_79B9_7F4A_7C15)
    let students = (0..<600).map { _ in
        (
            surnames[random.next(surnames.count)] + " " + names[random.next(names.count)] + " " + patronymics[random.next(patronymics.count)],
            CivilDate(year: 2008 + random.next(8), month: 1 + random.next(12), day: 1 + random.next(28))!,
            classes[random.next(classes.count)]
        )
    }
    let start = CivilDate(year: 2025, month: 9, day: 1)!
    let writer = try XLSXWriter(path: path)
    let sheet = try writer.addSheet("Журнал", layout: SheetLayout(columnWidths: [12, 8, 36, 14, 24, 9, 26, 6], frozenRows: 1))
    try sheet.addRow(texts: ["Дата", "Класс", "ФИО", "Дата рождения", "Предмет", "Отметка", "Вид работы", "Вес"], style: .bold)
    for _ in 0..<rows {
        let student = students[random.next(students.count)]
        let mark: XLSXCell = random.next(12) == 0 ? .text("н") : .number(2 + random.next(4))
        try sheet.addRow([
            .date(start.adding(days: random.next(270))), .text(student.2), .text(student.0), .date(student.1),
            .text(subjects[random.next(subjects.count)]), mark, .text(kinds[random.next(kinds.count)]),
            .number(1 + random.next(3))
        ])
    }
    try writer.close()
}

func writerSample(path: String) throws {
    let writer = try XLSXWriter(path: path)
    let marks = try writer.addSheet("Отметки 9А", layout: SheetLayout(columnWidths: [5, 32, 12, 14, 12], frozenRows: 1, printLandscape: true))
    try marks.addRow(texts: ["№", "ФИО", "Отметка", "Дата", "Примечание"], style: .borderedHeader)
    try marks.addRow([
        .number(1), .text("Иванов Иван Иванович", .bordered), .number(5, .borderedCenter),
        .date(CivilDate(year: 2025, month: 9, day: 1)!, .borderedDate), .text("=1+1")
    ])
    try marks.addRow([
        .number(2), .text("  Петрова Анна  "), .text("н/а"),
        XLSXCell(XLSXCell.Value.dateTime(CivilDateTime(date: CivilDate(year: 2026, month: 5, day: 25)!, secondsOfDay: 30600))),
        .text("+7 (900) 000-00-00")
    ])
    try marks.addRow([.number(3), .text("Ёлкина Мария"), .number(4.5), .date(CivilDate(year: 1900, month: 1, day: 1)!), .text("-")])
    try marks.addRow([.number(4), .text("строка\nс переводом"), .bool(true), .bool(false), .text("@почта")])
    try marks.addRow([.text("Итого", .bold), nil, .number(-0.125), .number(1e-7), .text("_x0041_")])
    marks.merge(CellRange("A6:B6")!)
    let second = try writer.addSheet("Второй")
    try second.addRow(texts: ["Предмет", "Период"], style: .header)
    try second.addRow(texts: ["Русский язык", "1 четверть"])
    let inline = try writer.addSheet("Пусто")
    try inline.addRow([])
    try writer.close()
}

func floor(path: String) throws {
    let reader = try XLSXReader(path: path)
    guard let part = reader.sheets.first?.part else { throw SpreadsheetError(.noSuchSheet, file: path, message: "нет листа") }
    for (label, useReader) in [("libzip + SAX2 push, no handler", false), ("libzip + xmlTextReader, no handler", true)] {
        var archive = try ZipArchive(path: path)
        let entry = try archive.require(part)
        let t0 = seconds()
        let elements = try archive.withStream(entry) { stream -> Int in
            if useReader {
                // The reader pulls through an escaping callback; the stream outlives it within this scope.
                return try withUnsafeMutablePointer(to: &stream) { pointer in
                    try XMLBaseline.textReaderNoop { try pointer.pointee.read(into: $0) }
                }
            }
            return try XMLBaseline.saxNoop { try stream.read(into: $0) }
        }
        print("\(label): \(String(format3(seconds() - t0))) s, \(elements) elements")
    }
}

func format3(_ x: Double) -> String {
    let scaled = Int((x * 1000).rounded())
    return "\(scaled / 1000).\(String(repeating: "0", count: 3 - String(scaled % 1000).count))\(scaled % 1000)"
}

let args = CommandLine.arguments
do {
    switch args.count > 2 ? args[1] : "" {
    case "gradebook":
        let rows = args.count > 3 ? Int(args[3]) ?? 200_000 : 200_000
        let t0 = seconds()
        try writeGradebook(path: args[2], rows: rows)
        print("wrote \(args[2]): \(rows) rows × 8 columns in \(format3(seconds() - t0)) s")
    case "floor":
        try floor(path: args[2])
    case "import":
        // Imports one file on the main thread (for profiling), with ./pipeline.json.
        let (_, context) = try schoolContext()
        let t0 = seconds()
        let result = FileImporter.run(path: args[2], context: context)
        print("\(result.records.count) records, \(result.findings.count) findings in \(format3(seconds() - t0)) s")
    case "merge":
        // Imports one file and merges it into a fresh ledger, timing the merge alone (for profiling).
        let (policy, context) = try schoolContext()
        var result = FileImporter.run(path: args[2], context: context)
        for i in result.records.indices { result.records[i].studentID = result.records[i].student.journalID.map(StudentID.init(journalID:)) }
        let path = "/tmp/uchet-bench-ledger-\(getpid()).sqlite"
        defer { for s in ["", "-wal", "-shm"] { unlink(path + s) } }
        let ledger = try Ledger(path: path)
        let t0 = seconds()
        let outcome = try ledger.merge(result, source: MergeSource(runID: "bench", received: "now", storedAs: "x"), policy: policy)
        print("\(outcome.inserted) records merged in \(format3(seconds() - t0)) s")
    case "merge-all":
        // Every table file under FOLDER imported (rosters first, as a run takes them), then
        // merged one after another into one fresh ledger: the merge alone, timed, as it
        // meets a growing ledger without a parse competing for the cores.
        let (policy, context) = try schoolContext()
        let paths = tableFiles(under: args[2])
        let sniffs = await Parallel.map(paths.count) { i in FileImporter.sniff(path: paths[i], context: context) }
        let kinds = sniffs.map(\.kind)
        let ordered = zip(paths, kinds).filter { $0.1 == .roster }.map(\.0) + zip(paths, kinds).filter { $0.1 != .roster }.map(\.0)
        let path = "/tmp/uchet-bench-ledger-\(getpid()).sqlite"
        defer { for s in ["", "-wal", "-shm"] { unlink(path + s) } }
        let ledger = try Ledger(path: path)
        var roster: RosterIndex?
        var records = 0
        var spent = 0.0
        var parsing = 0.0
        for (i, file) in ordered.enumerated() {
            if roster == nil, kinds[paths.firstIndex(of: file)!] != .roster { roster = try ledger.rosterIndex() }
            let p0 = seconds()
            var result = FileImporter.run(path: file, context: context, sniff: sniffs[paths.firstIndex(of: file)!])
            if let roster { StudentResolver.resolve(&result, roster: roster) }
            // As a run does: the marks are prepared with the parse, not in the writer.
            let plan = MarkPlan(result)
            parsing += seconds() - p0
            guard result.errorCount == 0 || !result.records.isEmpty else { continue }
            let t0 = seconds()
            let outcome = try ledger.merge(
                result, source: MergeSource(runID: "bench", received: "now", storedAs: "f\(i)"), policy: policy, plan: plan)
            spent += seconds() - t0
            records += result.records.count
            _ = outcome
        }
        print("merge-all: \(ordered.count) files, \(records) records merged in \(format3(spent)) s, \(Int(Double(records) / spent)) records/s")
        print("           the same files imported (read, parsed, students resolved, marks prepared) in \(format3(parsing)) s, one after another")
    case "sniff-all":
        // The header matching of every table file under FOLDER (what a run does first to
        // take rosters before the rest), one file after another, three times: the fastest.
        let (_, context) = try schoolContext()
        let paths = tableFiles(under: args[2])
        var best = Double.infinity
        var kinds: [String: Int] = [:]
        for _ in 0..<3 {
            let t0 = seconds()
            kinds = [:]
            for path in paths { kinds[FileImporter.sniff(path: path, context: context).kind.map { "\($0)" } ?? "none", default: 0] += 1 }
            best = min(best, seconds() - t0)
        }
        print("sniff-all: \(paths.count) files \(kinds.sorted { $0.key < $1.key }) in \(format3(best)) s")
    case "read-floor":
        let t0 = seconds()
        var cells = 0
        var files = 0
        for path in tableFiles(under: args[2]) {
            // A file no reader takes (a lock file, a scan, a broken workbook) is no part of the floor.
            do {
                let kind = try TableFileKind.of(path: path)
                if let reader = try kind.openWorkbook(path: path) {
                    for sheet in reader.sheets {
                        try reader.scan(sheet) { row in
                            cells += row.count
                            return .continue
                        }
                    }
                } else if kind == .csv {
                    try CSVReader(path: path).scan { row in
                        cells += row.count
                        return .continue
                    }
                } else {
                    continue
                }
                files += 1
            } catch {
                continue
            }
        }
        print("read floor: \(files) files, \(cells) cells in \(format3(seconds() - t0)) s")
    case "dossiers":
        // The dossiers of every student in the ledger, built and written twice: as the
        // emitter does (validated against dossier.xsd) and without validation.
        let settings = try PipelineSettings.load(path: args[2] + "/pipeline.json")
        let policy = try Policy.load(path: settings.policyPath)
        let ledger = try Ledger(path: settings.ledger)
        let schema = try XMLSchema(path: settings.schemasPath + "/dossier.xsd")
        let builder = DossierBuilder(policy: policy, school: SchoolInfo(name: settings.school.name, code: settings.school.code))
        let ids = try ledger.database.read { db in try String.fetchAll(db, sql: "SELECT id FROM student ORDER BY id") }.map(StudentID.init(rawValue:))
        let out = "/tmp/uchet-bench-dossiers-\(getpid())"
        defer { _ = system("rm -rf '\(out)'") }
        var times: [Bool: Double] = [:]
        // Three of each, taking turns, the fastest of each kept: this machine is shared and noisy.
        for validate in [false, true, false, true, false, true] {
            let t0 = seconds()
            let results = await Parallel.map(ids.count) { i in
                guard let record = try ledger.studentRecord(ids[i]) else { return 0 }
                let bytes = try builder.xml(record)
                if validate { try schema.validate(bytes, document: "\(ids[i]).xml") }
                try Files.writeAtomically(out + "/" + DossierEmitter.path(for: record), bytes)
                return bytes.count
            }
            for r in results { _ = try r.get() }
            times[validate] = min(times[validate] ?? .infinity, seconds() - t0)
        }
        let plain = times[false]!, validated = times[true]!
        print("dossiers: \(ids.count), validated \(format3(validated)) s, unvalidated \(format3(plain)) s, ratio \(format3(validated / plain))")
    case "writer-sample":
        try writerSample(path: args[2])
    default:
        print("usage: uchet-bench gradebook FILE [ROWS] | floor FILE | writer-sample FILE | read-floor FOLDER | dossiers FOLDER")
        exit(2)
    }
} catch {
    print("uchet-bench: \(error)")
    exit(1)
}

/// Table files under a folder (not its processed/ or rejected/), sorted.
/// The policy and import context of the school in the current folder (./pipeline.json), as a run makes them.
func schoolContext() throws -> (Policy, ImportContext) {
    let settings = try PipelineSettings.load(path: nil)
    let policy = try Policy.load(path: settings.policyPath)
    let profiles = try ProfileSet.load(folder: settings.profilesPath, policy: policy)
    let context = ImportContext(
        policy: policy, profiles: profiles, defaultYear: settings.academicYear, today: CivilDate(year: 2026, month: 6, day: 30)!)
    return (policy, context)
}

func tableFiles(under folder: String) -> [String] {
    var out: [String] = []
    for name in Files.namesIfAny(in: folder) {
        guard !name.hasPrefix("."), name != "processed", name != "rejected" else { continue }
        let path = folder + "/" + name
        var info = stat()
        guard stat(path, &info) == 0 else { continue }
        if info.st_mode & S_IFMT == S_IFDIR { out += tableFiles(under: path) } else { out.append(path) }
    }
    return out.sorted()
}
