import CivilDate
public import Ledger
public import Policy
public import Records
public import Settings
import FileIO

/// What a class's attestat workbook says, for the summary line.
public struct ClassAttestat: Sendable {
    public var year: AcademicYear
    public var schoolClass: String
    public var graduates: Int
    /// Attestats that can be issued (a register number given).
    public var ready: Int
    public var withoutAttestat: Int
    /// Graduates whose attestat waits for something (a mark, a result).
    public var pending: Int
    /// Final marks not set, each with its reason on «Замечания».
    public var flaggedMarks: Int
    public var flags: Int
    /// Students who left before the year's end.
    public var leavers: Int
    /// Award → how many (attestat with honours, medals by degree).
    public var honours: [String: Int]
    /// Relative to the outbox.
    public var path: String

    /// `9А: выпускников 25, аттестатов готово 21, без аттестата 2, …`.
    public var summary: String {
        var parts = [
            "выпускников \(graduates)", "аттестатов готово \(ready)", "без аттестата \(withoutAttestat)", "ждут данных \(pending)",
            "отметок не выставлено \(flaggedMarks)", "замечаний \(flags)"
        ]
        if leavers > 0 { parts.append("выбыли до конца года \(leavers)") }
        parts += honours.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return "\(schoolClass): " + parts.joined(separator: ", ")
    }
}

/// A graduating class: its graduates, and those who left before the year's end.
public struct ClassGraduates: Sendable {
    public var graduates: [Graduate]
    public var leavers: [Leaver]
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
        rules = try AttestatRules.load(path: settings.schemasPath + "/" + AttestatRules.fileName, policy: policy, displayName: AttestatRules.fileName)
    }

    /// Graduating classes of a year (their grade has rules).
    public func classes(year: AcademicYear) throws -> [String] {
        try ledger.classes(year: year).filter { rules.grade($0.grade) != nil }.map(\.schoolClass)
    }

    /// Gives register numbers to the year's graduates who receive the attestat
    /// and have none yet, class by class in the order `uchet run` writes them,
    /// so that work done in parallel afterwards (packaging) never races for numbers.
    public func numberGraduates(year: AcademicYear) throws {
        for c in try classes(year: year) {
            _ = try ledger.registerNumbers(
                year: year, students: try graduates(year: year, schoolClass: c).graduates.filter { $0.outcome == .ready }.map(\.record.id),
                start: settings.registerNumberStart)
        }
    }

    /// The graduates of a class with their final marks, by name; students who
    /// left before the year's end apart.
    public func graduates(year: AcademicYear, schoolClass: String) throws -> ClassGraduates {
        let end = policy.bounds(of: year).upperBound
        var records: [StudentRecord] = []
        var leavers: [Leaver] = []
        for id in try ledger.students(year: year, schoolClass: schoolClass) {
            guard let record = try ledger.studentRecord(id) else { continue }
            if let left = record.enrolments.first(where: { $0.year == year })?.left, left < end {
                leavers.append(Leaver(record: record, left: left))
            } else {
                records.append(record)
            }
        }
        let graduates = FinalMarkCalculator(rules: rules, policy: policy).graduates(records, schoolClass: schoolClass, year: year)
        return ClassGraduates(
            graduates: graduates.sorted { ($0.record.name.key, $0.record.id) < ($1.record.name.key, $1.record.id) },
            leavers: leavers.sorted { ($0.record.name.key, $0.record.id) < ($1.record.name.key, $1.record.id) })
    }

    /// Writes `outbox/attestat/<year>/<class>.xlsx`, or the workbook to `path` when given.
    public func write(year: AcademicYear, schoolClass: String, to given: String? = nil) throws -> ClassAttestat {
        var result = try graduates(year: year, schoolClass: schoolClass)
        let ready = result.graduates.filter { $0.outcome == .ready }.map(\.record.id)
        let numbers = try ledger.registerNumbers(year: year, students: ready, start: settings.registerNumberStart)
        // A number given before to a student who has since lost the right stays theirs, unused.
        let kept = try ledger.givenRegisterNumbers(year: year, students: (result.graduates.map(\.record) + result.leavers.map(\.record)).map(\.id))
            .filter { numbers[$0.key] == nil }
        for i in result.graduates.indices {
            guard let n = kept[result.graduates[i].record.id] else { continue }
            let why =
                result.graduates[i].outcome == .withoutAttestat
                ? "аттестат не выдаётся (лист «Без аттестата»)" : "аттестат пока не может быть выдан (замечания выше)"
            result.graduates[i].flags.append(
                AttestatFlag(
                    subject: nil, message: "рег. № \(n) был присвоен раньше, но сейчас \(why); номер остаётся за обучающимся и никому другому не выдаётся",
                    action:
                        "не заполняйте строку книги с этим номером, пока аттестат не будет выдан; если он не будет выдан, отметьте номер в книге как неиспользованный",
                    blocks: false))
        }
        let relative = "attestat/\(year.fileName)/\(schoolClass).xlsx"
        let path = given ?? settings.outbox + "/" + relative
        if given == nil { try Files.makeFolders(settings.outbox + "/attestat/" + year.fileName) }
        try AttestatSheets(rules: rules, policy: policy, schoolName: settings.school.name)
            .write(result, schoolClass: schoolClass, year: year, numbers: numbers, kept: kept, to: path)
        var honours: [String: Int] = [:]
        for g in result.graduates { if let a = g.honours.award { honours[a, default: 0] += 1 } }
        return ClassAttestat(
            year: year, schoolClass: schoolClass, graduates: result.graduates.count, ready: ready.count,
            withoutAttestat: result.graduates.count { $0.outcome == .withoutAttestat },
            pending: result.graduates.count { $0.outcome == .pending },
            flaggedMarks: result.graduates.reduce(0) { $0 + $1.marks.count { $0.value == nil } },
            flags: result.graduates.reduce(0) { $0 + $1.flags.count } + result.leavers.count,
            leavers: result.leavers.count, honours: honours, path: relative)
    }
}

/// Writes the attestat workbooks of the graduating classes whose students' records changed.
public struct AttestatEmitter: Emitter {
    public let name = "ведомости аттестатов"

    public init() {}

    public func emit(students: [StudentID], context: EmitContext) async throws -> Int {
        let book = try AttestatBook(ledger: context.ledger, policy: context.policy, settings: context.settings)
        let ordered = try context.ledger.enrolledClasses(of: students).filter { book.rules.grade($0.grade) != nil }
            .sorted { ($0.year, $0.grade, $0.schoolClass) < ($1.year, $1.grade, $1.schoolClass) }
        for c in ordered { _ = try book.write(year: c.year, schoolClass: c.schoolClass) }
        return ordered.count
    }
}
