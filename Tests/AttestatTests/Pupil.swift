import CivilDate
import Policy
import Records
import TestSupport
import Testing
@testable import Attestat
@testable import Ledger

/// A student's ledger record built by hand for the rule under test: marks by
/// grade (the year follows from the graduating one), exam rows, conflicts.
struct Pupil {
    var id: String
    var name: FullName
    var grade: Int
    var marks: [StudentRecord.MarkRow] = []
    var exams: [StudentRecord.ExamRow] = []
    var conflicts: [StudentRecord.ConflictRow] = []
    var fact: Int64 = 0
    var row = 1
    /// Grades the roster knows the student in (the graduating one and the one before, by default).
    var enrolledGrades: [Int]?
    static let year = AcademicYear(startYear: 2025)

    init(_ id: String = "j1", grade: Int = 9) {
        self.id = id
        self.grade = grade
        name = FullName(surname: "Иванов-" + id, name: "Иван", patronymic: "Иванович")
    }

    func year(ofGrade g: Int) -> AcademicYear { AcademicYear(startYear: Pupil.year.startYear - (grade - g)) }

    /// A period mark (`q1`…, `h1`, `h2`, `year`, `exam`) of grade `g` (the graduating one by default).
    mutating func mark(_ subject: String, _ period: String, _ value: MarkValue, grade g: Int? = nil) {
        fact += 1
        row += 1
        let g = g ?? grade
        let kind: MarkKind = period == "year" ? .annual : period == "exam" ? .exam : .period
        marks.append(
            .init(
                fact: fact, subject: subject, year: year(ofGrade: g), schoolClass: "\(g)А", kind: kind, period: period, value: value,
                date: nil, work: nil, weight: nil, source: SourceRef(fileID: 1, sheet: "Лист1", row: row, column: 3)))
    }

    mutating func annual(_ subject: String, _ n: Int, grade g: Int? = nil) { mark(subject, "year", .points(n), grade: g) }

    /// Half-year marks and the annual mark of grade `g`: `[h1, h2, year]`.
    mutating func halves(_ subject: String, _ three: [Int], grade g: Int) {
        mark(subject, "h1", .points(three[0]), grade: g)
        mark(subject, "h2", .points(three[1]), grade: g)
        annual(subject, three[2], grade: g)
    }

    mutating func exam(
        _ subject: String, _ form: ExamForm = .oge, mark: Int? = nil, score: Double? = nil, level: String? = nil,
        retake: Bool = false, noResult: String? = nil, day: Int = 26, month: Int = 5
    ) {
        row += 1
        exams.append(
            .init(
                subject: subject, form: form, level: level, primaryScore: nil, testScore: score, mark: mark.map { .points($0) },
                date: CivilDate(year: 2026, month: month, day: day), year: Pupil.year, retake: retake, noResult: noResult,
                source: SourceRef(fileID: 2, sheet: "ГИА", row: row, column: 7)))
    }

    var record: StudentRecord {
        let grades = enrolledGrades ?? [grade - 1, grade]
        let enrolments = grades.map {
            StudentRecord.EnrolmentRow(
                year: year(ofGrade: $0), schoolClass: "\($0)А", grade: $0, enrolled: nil, left: nil,
                source: SourceRef(fileID: 3, sheet: nil, row: 1, column: nil))
        }
        return StudentRecord(
            id: StudentID(rawValue: id), name: name, birthDate: CivilDate(year: 2010, month: 3, day: 4)!, sex: .male, snils: nil,
            journalID: id, source: SourceRef(fileID: 3, sheet: nil, row: 1, column: nil), enrolments: enrolments, marks: marks,
            exams: exams, achievements: [], encouragements: [], development: [], conflicts: conflicts,
            files: [
                1: SourceFileRow(id: 1, sha256: String(repeating: "a", count: 64), name: "ведомость.xlsx", sourceKind: "manual"),
                2: SourceFileRow(id: 2, sha256: String(repeating: "b", count: 64), name: "ГИА.xlsx", sourceKind: nil),
                3: SourceFileRow(id: 3, sha256: String(repeating: "c", count: 64), name: "контингент.xlsx", sourceKind: nil)
            ])
    }
}

let schoolPolicy = try! Policy.load(path: RepoPaths.policy("maou-sosh-134"))

/// The repository's rules, changed as a test needs.
func rules(_ change: (inout AttestatRules) -> Void = { _ in }) throws -> AttestatRules {
    var r = try AttestatRules.load(path: RepoPaths.schemas + "/attestat-rules.json", policy: schoolPolicy)
    change(&r)
    return r
}

/// The graduates of one class made of these pupils, by id.
func graduates(_ pupils: [Pupil], _ change: (inout AttestatRules) -> Void = { _ in }) throws -> [String: Graduate] {
    let calculator = FinalMarkCalculator(rules: try rules(change), policy: schoolPolicy)
    let list = calculator.graduates(pupils.map(\.record), schoolClass: "\(pupils[0].grade)А", year: Pupil.year)
    return Dictionary(uniqueKeysWithValues: list.map { ($0.record.id.rawValue, $0) })
}

/// One pupil as a class of one.
func graduate(_ pupil: Pupil, _ change: (inout AttestatRules) -> Void = { _ in }) throws -> Graduate {
    try #require(try graduates([pupil], change)[pupil.id])
}
