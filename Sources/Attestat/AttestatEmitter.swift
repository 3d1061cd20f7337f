import Dossier
public import Ledger
public import Policy
public import Records
public import Settings

/// What a class's attestat workbook says, for the summary line.
public struct ClassAttestat: Sendable {
    public var year: AcademicYear
    public var schoolClass: String
    public var graduates: Int
    public var complete: Int
    public var flags: Int
    public var honours: [String: Int]
    /// Relative to the outbox.
    public var path: String

    /// `9А: выпускников 25, итоговые отметки полностью у 23, замечаний 4, аттестат с отличием 2`.
    public var summary: String {
        var parts = ["выпускников \(graduates)", "итоговые отметки полностью у \(complete)", "замечаний \(flags)"]
        parts += honours.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return "\(schoolClass): " + parts.joined(separator: ", ")
    }
}

/// Builds and writes the attestat workbooks of graduating classes.
public struct AttestatBook: Sendable {
    public let rules: AttestatRules
    public let policy: Policy
    public let settings: PipelineSettings
    public let ledger: Ledger

    public init(ledger: Ledger, policy: Policy, settings: PipelineSettings) throws {
        self.ledger = ledger
        self.policy = policy
        self.settings = settings
        rules = try AttestatRules.load(path: settings.schemasPath + "/attestat-rules.json", policy: policy, displayName: "attestat-rules.json")
    }

    /// Graduating classes of a year (their grade has rules).
    public func classes(year: AcademicYear) throws -> [String] {
        try ledger.classes(year: year).filter { rules.grade($0.grade) != nil }.map(\.schoolClass)
    }

    /// Gives register numbers to the year's graduates who have none yet,
    /// class by class in the order `uchet run` writes them, so that work done
    /// in parallel afterwards (packaging) never races for numbers.
    public func numberGraduates(year: AcademicYear) throws {
        for c in try classes(year: year) {
            _ = try ledger.registerNumbers(year: year, students: try graduates(year: year, schoolClass: c).map(\.record.id), start: settings.registerNumberStart)
        }
    }

    /// The graduates of a class with their final marks, by name.
    public func graduates(year: AcademicYear, schoolClass: String) throws -> [Graduate] {
        let calculator = FinalMarkCalculator(rules: rules, policy: policy)
        var out: [Graduate] = []
        for id in try ledger.students(year: year, schoolClass: schoolClass) {
            guard let record = try ledger.studentRecord(id), let g = calculator.graduate(record, year: year) else { continue }
            out.append(g)
        }
        return out.sorted { ($0.record.name.key, $0.record.id) < ($1.record.name.key, $1.record.id) }
    }

    /// Writes `outbox/attestat/<year>/<class>.xlsx`, or the workbook to `path` when given.
    public func write(year: AcademicYear, schoolClass: String, to given: String? = nil) throws -> ClassAttestat {
        let graduates = try graduates(year: year, schoolClass: schoolClass)
        let numbers = try ledger.registerNumbers(year: year, students: graduates.map(\.record.id), start: settings.registerNumberStart)
        let relative = "attestat/\(year.fileName)/\(schoolClass).xlsx"
        let path = given ?? settings.outbox + "/" + relative
        if given == nil { _ = mkdirAll(settings.outbox + "/attestat/" + year.fileName, mode: 0o700) }
        try AttestatSheets(rules: rules, policy: policy, schoolName: settings.school.name)
            .write(graduates, schoolClass: schoolClass, year: year, numbers: numbers, to: path)
        var honours: [String: Int] = [:]
        for g in graduates { if let a = g.honours.award { honours[a, default: 0] += 1 } }
        return ClassAttestat(year: year, schoolClass: schoolClass, graduates: graduates.count, complete: graduates.count { $0.complete },
                             flags: graduates.reduce(0) { $0 + $1.flags.count }, honours: honours, path: relative)
    }
}

/// Writes the attestat workbooks of the graduating classes whose students' records changed.
public struct AttestatEmitter: Emitter {
    public let name = "ведомости аттестатов"

    public init() {}

    public func emit(students: [StudentID], context: EmitContext) throws -> Int {
        let book = try AttestatBook(ledger: context.ledger, policy: context.policy, settings: context.settings)
        var classes: Set<String> = []
        for id in students {
            guard let record = try context.ledger.studentRecord(id) else { continue }
            for e in record.enrolments where book.rules.grade(e.grade) != nil { classes.insert("\(e.year.startYear)|\(e.schoolClass)|\(e.grade)") }
        }
        let ordered = classes.map { $0.split(separator: "|").map(String.init) }
            .sorted { (Int($0[0])!, Int($0[2])!, $0[1]) < (Int($1[0])!, Int($1[2])!, $1[1]) }
        for c in ordered { _ = try book.write(year: AcademicYear(startYear: Int(c[0])!), schoolClass: c[1]) }
        return ordered.count
    }
}
