import Foundation
import GRDB
import Ledger
import Spreadsheet
import TestSupport
import Testing
import XMLStream

@Suite(.serialized) struct DossierTests {
    func dossiers(_ school: DemoFolder) -> [String] { school.files(in: "outbox/dossiers").filter { $0.hasSuffix(".xml") } }

    @Test func everyDossierOfTheDemoSchoolValidatesAgainstTheSchema() throws {
        let school = try DemoFolder(students: 40, seed: 31)
        let run = try school.run()
        #expect(run.stdout.contains("досье 40"), "\(run.stdout)")
        let files = dossiers(school)
        #expect(files.count == 40)
        let schema = try XMLSchema(path: RepoPaths.schemas + "/dossier.xsd")
        for file in files {
            try schema.validate(try readBytes(school.path + "/outbox/dossiers/" + file), document: file)
            #expect(file.range(of: #"^\d{4}-\d{4}/\d{1,2}[А-Я]/[a-z0-9]+\.xml$"#, options: .regularExpression) != nil, "\(file)")
        }
    }

    @Test func twoRunsOverTheSameInboxGiveByteIdenticalDossiers() throws {
        let a = try DemoFolder(students: 30, seed: 8)
        let b = try DemoFolder(students: 30, seed: 8)
        _ = try a.run()
        _ = try b.run()
        let files = dossiers(a)
        #expect(files == dossiers(b))
        for file in files {
            #expect(try readBytes(a.path + "/outbox/dossiers/" + file) == readBytes(b.path + "/outbox/dossiers/" + file), "\(file)")
        }
        // A rebuild from the ledger writes the same bytes again.
        let before = try files.map { try readBytes(a.path + "/outbox/dossiers/" + $0) }
        #expect(try Uchet.run(["rebuild"], in: a.path).status == 0)
        #expect(try files.map { try readBytes(a.path + "/outbox/dossiers/" + $0) } == before)
    }

    @Test func aNewMarksFileForOneClassReEmitsOnlyItsStudents() throws {
        let school = try DemoFolder(students: 40, seed: 9)
        _ = try school.run()
        let folder = try #require(school.files(in: "outbox/dossiers").first { $0.contains("/7А/") }.map { ($0 as NSString).deletingLastPathComponent })
        let classFiles = dossiers(school).filter { $0.hasPrefix(folder + "/") }
        let ids = classFiles.prefix(2).map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        let names = try db.read { db in
            try ids.map { try String.fetchOne(db, sql: "SELECT surname || ' ' || name || ' ' || patronymic FROM student WHERE id = ?", arguments: [$0])! }
        }
        // A dossier written again is a new file renamed into place: its inode changes (no waiting for the clock to tick).
        func inodes() throws -> [UInt64] {
            try dossiers(school).map {
                try (FileManager.default.attributesOfItem(atPath: school.path + "/outbox/dossiers/" + $0)[.systemFileNumber] as! NSNumber).uint64Value
            }
        }
        let stamps = try inodes()
        try school.dir.write(
            "inbox/extra.csv",
            text: "ФИО;Класс;Предмет;Период;Отметка;Учебный год\n" + names.map { "\($0);7А;Музыка;Экзамен;5;2025/2026" }.joined(separator: "\n") + "\n")
        let run = try school.run()
        #expect(run.stdout.contains("досье 2"), "\(run.stdout)")
        let after = try inodes()
        let changed = zip(dossiers(school), zip(stamps, after)).filter { $0.1.0 != $0.1.1 }.map(\.0)
        #expect(Set(changed) == Set(ids.map { "\(folder)/\($0).xml" }))
    }

    @Test func aDossierHoldsEveryRecordOfItsStudentAndNoOther() throws {
        let school = try DemoFolder(students: 40, seed: 12)
        _ = try school.run()
        let db = try DatabaseQueue(path: school.path + "/var/ledger.sqlite")
        for file in dossiers(school).prefix(8) {
            let id = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let xml = try String(contentsOfFile: school.path + "/outbox/dossiers/" + file, encoding: .utf8)
            let marks = try Self.elements("mark", in: xml).map { "\($0["kind"]!)|\($0["period"] ?? "")|\($0["value"]!)|\($0["date"] ?? "")" }.sorted()
            let ledger = try db.read { db in
                // The rows of `mark` and the current marks packed beside them, by column name.
                try
                    (Row.fetchAll(db, sql: "SELECT kind, period, value, date FROM mark WHERE student_id = ?", arguments: [id])
                    + CurrentMarks.rows(db).filter { ($0["student_id"] as String) == id })
                    .map { "\($0["kind"] as String)|\(($0["period"] as String?) ?? "")|\($0["value"] as String)|\(($0["date"] as String?) ?? "")" }.sorted()
            }
            #expect(marks == ledger, "\(id): marks differ")
            for (element, table) in [("exam", "exam"), ("achievement", "achievement"), ("encouragement", "encouragement")] {
                let inLedger = try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table) WHERE student_id = ?", arguments: [id]) ?? 0 }
                #expect(try Self.elements(element, in: xml).count == inLedger, "\(id): \(element)")
            }
            let development = try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM development WHERE student_id = ?", arguments: [id]) ?? 0 }
            #expect(try Self.elements("result", in: xml).count == development)
            // The only student it names is its own.
            #expect(xml.contains("student=\"\(id)\""))
            let others = try db.read { try String.fetchAll($0, sql: "SELECT id FROM student WHERE id <> ?", arguments: [id]) }
            #expect(!others.contains { xml.contains("\"\($0)\"") })
        }
    }

    @Test func aDossierThatFailsItsSchemaIsNeverWritten() throws {
        let school = try DemoFolder(students: 20, seed: 14, schemas: "schemas")
        // A schema that asks for something the dossier does not have.
        let strict = try String(contentsOfFile: RepoPaths.schemas + "/dossier.xsd", encoding: .utf8)
            .replacingOccurrences(
                of: #"<xs:attribute name="code" type="xs:string" use="required"/>"#,
                with: #"<xs:attribute name="code" type="xs:string" use="required"/><xs:attribute name="inn" type="xs:string" use="required"/>"#)
        try FileManager.default.createDirectory(atPath: school.path + "/schemas", withIntermediateDirectories: true)
        try school.dir.write("schemas/dossier.xsd", text: strict)
        try FileManager.default.copyItem(atPath: RepoPaths.schemas + "/attestat-rules.json", toPath: school.path + "/schemas/attestat-rules.json")
        let run = try school.run()
        #expect(run.status == 3)
        #expect(run.stderr.contains("не соответствует схеме dossier.xsd"))
        #expect(dossiers(school).isEmpty)
        // Fixed, the next run writes the dossiers still pending.
        try FileManager.default.removeItem(atPath: school.path + "/schemas/dossier.xsd")
        try FileManager.default.copyItem(atPath: RepoPaths.schemas + "/dossier.xsd", toPath: school.path + "/schemas/dossier.xsd")
        let again = try school.run()
        #expect(again.stdout.contains("досье 20"), "\(again.stdout)")
    }

    @Test func dossierCommandAndStatement() throws {
        let school = try DemoFolder(students: 20, seed: 15)
        _ = try school.run()
        let file = try #require(dossiers(school).first)
        let id = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let xml = try Uchet.run(["dossier", id, "--format", "xml"], in: school.path)
        #expect(xml.status == 0)
        #expect(Array(xml.stdout.utf8) == (try readBytes(school.path + "/outbox/dossiers/" + file)))
        let text = try Uchet.run(["dossier", id], in: school.path)
        #expect(text.stdout.hasPrefix("Индивидуальный учёт результатов: "))
        #expect(text.stdout.contains("Отметки, 2025/2026 учебный год"))
        #expect(try Uchet.run(["dossier", "nobody"], in: school.path).status == 2)
        let statement = try Uchet.run(["statement", id, "--year", "2025/2026"], in: school.path)
        #expect(statement.status == 0, "\(statement.stderr)")
        let path = school.path + "/outbox/statements/\(id)-2025-2026.xlsx"
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
        #expect(mode & 0o077 == 0)
        let reader = try XLSXReader(path: path)
        #expect(reader.sheets.map(\.name) == ["Выписка", "Текущие отметки"])
        let rows = try reader.rows(reader.sheets[0])
        #expect(rows.contains { $0.cells.contains { $0.value.text.hasPrefix("Выписка из классного журнала") } })
        #expect(try reader.rows(reader.sheets[1]).count > 10)
    }

    /// Attributes of every element with this local name.
    static func elements(_ name: String, in xml: String) throws -> [[String: String]] {
        let regex = try NSRegularExpression(pattern: "<\(name) ([^>]*?)/?>")
        let attr = try NSRegularExpression(pattern: #"(\w+)="([^"]*)""#)
        return regex.matches(in: xml, range: NSRange(xml.startIndex..., in: xml)).map { m in
            let body = String(xml[Range(m.range(at: 1), in: xml)!])
            var out: [String: String] = [:]
            for a in attr.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
                out[String(body[Range(a.range(at: 1), in: body)!])] = String(body[Range(a.range(at: 2), in: body)!])
            }
            return out
        }
    }
}
