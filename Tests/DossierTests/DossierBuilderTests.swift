import CivilDate
import Digest
import Dossier
import Foundation
import Ingest
import Ledger
import Policy
import Records
import TestSupport
import Testing
import XMLStream

/// The dossier from a ledger made in code, without the binary: what it holds,
/// how it writes what XML cannot carry as is, that its bytes depend on the
/// ledger's facts and not on the order files came in, and the statement in Russian.
@Suite struct DossierBuilderTests {
    let policy: Policy
    let schema: XMLSchema
    let builder: DossierBuilder
    static let year = AcademicYear(startYear: 2025)
    static let schoolClass = SchoolClass(grade: 9, letter: "А")!
    static let student = Student(
        name: FullName(surname: "Иванова", name: "Анна", patronymic: "Петровна"), birthDate: CivilDate(year: 2010, month: 3, day: 14)!,
        sex: .female, journalID: "700001")

    init() throws {
        policy = try Policy.load(path: RepoPaths.policy("maou-sosh-134"))
        schema = try XMLSchema(path: RepoPaths.schemas + "/dossier.xsd")
        builder = DossierBuilder(policy: policy, school: SchoolInfo(name: "МАОУ СОШ № 134", code: "test"))
    }

    func provenance(_ file: String, sheet: String?, row: Int, column: Int? = nil) -> Provenance {
        Provenance(fileHash: "", fileName: file, sheet: sheet, row: row, column: column)
    }

    var roster: Records.Record {
        let s = DossierBuilderTests.student
        return .roster(
            RosterEntry(
                student: s, enrolment: Enrolment(studentID: s.id, year: DossierBuilderTests.year, schoolClass: DossierBuilderTests.schoolClass),
                provenance: provenance("Контингент.xlsx", sheet: "9А", row: 4)))
    }

    func mark(
        _ value: Int, kind: MarkKind, period: String? = nil, day: Int = 10, work: String? = nil, sign: String? = nil, file: String, row: Int,
        column: Int = 4
    ) -> Records.Record {
        var m = Mark(
            student: StudentReference(journalID: "700001"), subject: "algebra", year: DossierBuilderTests.year,
            schoolClass: DossierBuilderTests.schoolClass, period: period, kind: kind, value: .points(value),
            date: kind == .current ? CivilDate(year: 2025, month: 9, day: day) : nil, work: work, weight: kind == .current ? 2 : nil, sign: sign,
            provenance: provenance(file, sheet: kind == .current ? nil : "9А", row: row, column: column))
        m.studentID = DossierBuilderTests.student.id
        return .mark(m)
    }

    func file(_ name: String, _ records: [Records.Record], source: String) -> FileImport {
        FileImport(
            path: name, fileName: name, fileHash: SHA256Hex.of(Array(name.utf8)), format: name.hasSuffix(".csv") ? .csv : .xlsx, sheets: [],
            records: records, findings: [], absences: 0, rowsWithErrors: 0, sourceKind: source)
    }

    /// A ledger holding the files, merged in this order; the student's record from it.
    func record(_ files: [FileImport], in dir: TemporaryDirectory, named name: String = "ledger.sqlite") throws -> StudentRecord {
        let ledger = try Ledger(path: dir.file(name))
        for f in files {
            _ = try ledger.merge(f, source: MergeSource(runID: "r", received: "2026-01-01T00:00:00", storedAs: f.fileName), policy: policy)
        }
        return try #require(try ledger.studentRecord(DossierBuilderTests.student.id))
    }

    var files: [FileImport] {
        [
            file("Контингент.xlsx", [roster], source: "manual"),
            file(
                "Журнал 9А.csv",
                [
                    mark(5, kind: .current, day: 10, work: "Контрольная работа", file: "Журнал 9А.csv", row: 2),
                    mark(4, kind: .current, day: 12, sign: "-", file: "Журнал 9А.csv", row: 3)
                ], source: "electronic-journal"),
            file("Ведомость 9А.xlsx", [mark(4, kind: .period, period: "q1", file: "Ведомость 9А.xlsx", row: 5, column: 3)], source: "manual")
        ]
    }

    @Test func aDossierHoldsEachFactWithItsSourceAndPassesTheSchema() throws {
        let dir = TemporaryDirectory()
        let r = try record(files, in: dir)
        let xml = try builder.xml(r)
        try schema.validate(xml, document: "\(r.id).xml")
        let text = String(decoding: xml, as: UTF8.self)
        // The student by id, never by name in the element a file system shows.
        #expect(text.contains("student=\"\(DossierBuilderTests.student.id.rawValue)\""))
        #expect(text.contains("surname=\"Иванова\""))
        #expect(text.contains("<birthDate>2010-03-14</birthDate>"))
        #expect(text.contains("<enrolment year=\"2025/2026\" class=\"9А\""))
        // The period mark at its cell, the lesson marks with their date, work, weight and sign.
        #expect(text.contains("kind=\"period\" period=\"q1\" value=\"4\""))
        #expect(text.contains("9А!C5"))
        #expect(text.components(separatedBy: "kind=\"current\"").count - 1 == 2)
        #expect(text.contains("2025-09-10") && text.contains("Контрольная работа"))
        #expect(text.contains("sign=\"-\""))
        // Every source named once, with its SHA-256, and each `src` one of them.
        for name in ["Контингент.xlsx", "Журнал 9А.csv", "Ведомость 9А.xlsx"] {
            #expect(text.components(separatedBy: "name=\"\(name)\"").count - 1 == 1, "\(name)")
            #expect(text.contains(SHA256Hex.of(Array(name.utf8))), "\(name)")
        }
        let used = Set(text.matches(of: /src="(s\d+)"/).map { String($0.1) })
        let declared = Set(text.matches(of: /<source id="(s\d+)"/).map { String($0.1) })
        #expect(!used.isEmpty && used.isSubset(of: declared), "\(used) \(declared)")
    }

    @Test func textXMLCannotCarryAsIsIsEscapedOrReplacedAndStillValid() throws {
        let dir = TemporaryDirectory()
        let odd = "Работа <по теме> «A & B» \"кавычки\"\ttab\u{7}звонок"
        let r = try record(
            [
                file("Контингент.xlsx", [roster], source: "manual"),
                file("Ж.csv", [mark(5, kind: .current, work: odd, file: "Ж.csv", row: 2)], source: "electronic-journal")
            ],
            in: dir)
        let xml = try builder.xml(r)
        try schema.validate(xml, document: "odd.xml")
        // Read back by a parser: the same text, the bell (which XML 1.0 cannot carry) as U+FFFD.
        let works = WorkAttributes()
        try XMLPushParser.parse(document: "odd.xml", handler: works, bytes: xml)
        #expect(works.values == [odd.replacingOccurrences(of: "\u{7}", with: "\u{FFFD}")])
    }

    @Test func theBytesDoNotDependOnTheOrderTheFilesCameIn() throws {
        let dir = TemporaryDirectory()
        let forward = try builder.xml(try record(files, in: dir, named: "a.sqlite"))
        var reversed = files
        reversed.swapAt(1, 2)
        let backward = try builder.xml(try record(reversed, in: dir, named: "b.sqlite"))
        #expect(forward == backward)
    }

    @Test func aDossierLiesUnderItsYearAndClassAndTheStatementIsRussian() throws {
        let dir = TemporaryDirectory()
        let r = try record(files, in: dir)
        #expect(DossierEmitter.path(for: r) == "dossiers/2025-2026/9А/\(DossierBuilderTests.student.id.rawValue).xml")
        let statement = DossierText(policy: policy).text(r)
        #expect(statement.contains("Алгебра"), "\(statement)")
        #expect(statement.contains("9А"), "\(statement)")
    }
}

/// The `work` attribute of every `mark`, as a parser reads it back.
final class WorkAttributes: XMLEventHandler {
    var values: [String] = []

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        guard name == "mark", let work = attributes.string("work") else { return }
        values.append(work)
    }

    func endElement(_ name: XMLName) throws {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
}
