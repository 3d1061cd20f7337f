import Digest
import GRDB
import FileIO
public import Ledger
public import Policy
public import Records
public import Settings

/// What a class report run wrote, for the command's lines.
public struct ClassReportFile: Sendable {
    /// The class, or `nil` for the school's report.
    public var schoolClass: String?
    /// Relative to the outbox, without the extension (`.xlsx` and `.html` lie there).
    public var stem: String
    /// The last period's indicators (all subjects together).
    public var lastPeriod: String?
    public var tally: MarkTally

    /// `7А: успеваемость 96,4 %, качество 51,2 %, СОУ 58,9 %, средний балл 3,9 (Год) → outbox/reports/classes/2025-2026/7А.xlsx, .html`.
    public var summary: String {
        let who = schoolClass ?? "Школа"
        guard let p = lastPeriod, tally.assessed > 0 else { return "\(who): отметок нет → outbox/\(stem).xlsx, .html" }
        return "\(who): успеваемость \(Rounded.text(tally.progress!, digits: 1)) %, качество \(Rounded.text(tally.quality!, digits: 1)) %, "
            + "СОУ \(Rounded.text(tally.degreeOfLearning!, digits: 1)) %, средний балл \(Rounded.text(tally.meanMark!, digits: 2)) (\(p)) → outbox/\(stem).xlsx, .html"
    }
}

/// Writes the class reports of a year: `outbox/reports/classes/<year>/<class>.xlsx`
/// and `.html` for every class with marks, `школа.xlsx` and `школа.html`.
public struct ClassReports: Sendable {
    public let ledger: Ledger
    public let policy: Policy
    public let settings: PipelineSettings

    /// The name of the school's files.
    public static let schoolStem = "школа"

    public init(ledger: Ledger, policy: Policy, settings: PipelineSettings) {
        self.ledger = ledger
        self.policy = policy
        self.settings = settings
    }

    public static func folder(_ year: AcademicYear) -> String { "reports/classes/\(year.fileName)" }

    /// Writes the reports (every class, or the one given; the school's always)
    /// with the periods up to `upTo`. Returns the files, the school's last.
    public func write(year: AcademicYear, upTo: Period? = nil, schoolClass: String? = nil) throws -> [ClassReportFile] {
        let results = try ClassResults.load(ledger: ledger, policy: policy, year: year, upTo: upTo)
        return try write(results, schoolClass: schoolClass, upTo: upTo)
    }

    /// Writes the reports of `results`. A report as it stood at the end of a
    /// period (`upTo`) goes into a folder of its own, named by the period
    /// («2 четверть»), so it never stands in for the year's whole report.
    public func write(_ results: ClassResults, schoolClass: String?, upTo: Period? = nil) throws -> [ClassReportFile] {
        let folder = ClassReports.folder(results.year) + (upTo.map { "/" + $0.label } ?? "")
        try Files.makeFolders(settings.outbox + "/" + folder)
        let book = ClassReportWorkbook(results: results, policy: policy, schoolName: settings.school.name)
        let page = ClassReportPage(results: results, policy: policy, schoolName: settings.school.name)
        var written: [ClassReportFile] = []
        for c in results.classes where schoolClass == nil || c.name == schoolClass {
            let stem = folder + "/" + c.name
            try book.writeClass(c, to: settings.outbox + "/" + stem + ".xlsx")
            try Files.writeAtomically(settings.outbox + "/" + stem + ".html", try page.classPage(c))
            let last = results.periods(of: c.name).last
            written.append(
                ClassReportFile(
                    schoolClass: c.name, stem: stem, lastPeriod: last?.label,
                    tally: last.map { results.classTally(c.name, $0.id) } ?? MarkTally()))
        }
        let stem = folder + "/" + ClassReports.schoolStem
        try book.writeSchool(to: settings.outbox + "/" + stem + ".xlsx")
        try Files.writeAtomically(settings.outbox + "/" + stem + ".html", try page.schoolPage())
        let last = results.periods.last
        written.append(
            ClassReportFile(
                schoolClass: nil, stem: stem, lastPeriod: last?.label,
                tally: last.map { results.schoolTally(subject: nil, $0.id) } ?? MarkTally()))
        return written
    }

    /// A digest of what the year's reports are made of: the tallies. Reports
    /// are written again only when it changes.
    static func fingerprint(_ results: ClassResults) -> String {
        var text = ""
        for c in results.classes {
            text += "\(c.name)|\(c.students)\n"
            for s in results.subjects(of: c.name) {
                for p in results.periods(of: c.name) {
                    let t = results.tally(c.name, s, p.id)
                    text += "\(s)|\(p.id)|\(t.points)|\(t.notAssessed)|\(t.passed)|\(t.failed)|\(t.exempt)|\(t.conflicts)\n"
                }
            }
            for (p, g) in (results.groups[c.name] ?? [:]).sorted(by: { $0.key < $1.key }) {
                text += "\(p)|\(g.assessed)|\(g.excellent)|\(g.good)|\(g.failing)|\(g.notAssessed)\n"
            }
        }
        return SHA256Hex.of(Array(text.utf8))
    }
}

/// Writes a year's class reports again when its period or annual marks
/// changed: the years of the changed students' enrolments whose tallies
/// differ from those the last reports were made of.
public struct ClassReportEmitter: Emitter {
    public let name = "отчёты по классам"

    public init() {}

    public func emit(students: [StudentID], context: EmitContext) async throws -> Int {
        guard !students.isEmpty else { return 0 }
        let reports = ClassReports(ledger: context.ledger, policy: context.policy, settings: context.settings)
        let ids = Set(students.map(\.rawValue))
        let years = try await context.ledger.database.read { db in
            Set(
                try Row.fetchAll(db, sql: "SELECT student_id, year FROM enrolment").compactMap { row -> Int? in
                    ids.contains(row["student_id"]) ? row["year"] : nil
                }
            ).map { AcademicYear(startYear: $0) }
        }
        let known = try context.ledger.outputs(kind: "class-report")
        var written = 0
        for year in years.sorted() {
            let results = try ClassResults.load(ledger: context.ledger, policy: context.policy, year: year)
            guard !results.classes.isEmpty else { continue }
            let fingerprint = ClassReports.fingerprint(results)
            let owner = String(year.startYear)
            let stem = ClassReports.folder(year) + "/" + ClassReports.schoolStem
            if let last = known[owner], last.sha256 == fingerprint, Files.exists(context.settings.outbox + "/" + stem + ".html") { continue }
            written += try reports.write(results, schoolClass: nil).count
            try context.ledger.recordOutputs([OutputFile(kind: "class-report", owner: owner, path: stem, sha256: fingerprint)])
        }
        return written
    }
}
