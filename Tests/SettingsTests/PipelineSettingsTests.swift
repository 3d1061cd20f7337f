import Records
import Settings
import StrictJSON
import Testing

/// `pipeline.json` read by the code every command uses: defaults, paths
/// resolved against its folder, and each refusal naming its key.
@Suite struct PipelineSettingsTests {
    func parse(_ text: String) throws(SchemaError) -> PipelineSettings {
        try PipelineSettings.parse(Array(text.utf8), file: "pipeline.json", folder: "/school")
    }

    @Test func theSmallestFileGetsTheDefaults() throws {
        let s = try parse(#"{"school": {"name": "Школа", "code": "s1"}, "policy": "schemas/policies/p.json", "academicYear": "2025/2026"}"#)
        #expect(s.academicYear == AcademicYear(startYear: 2025))
        #expect(s.inbox == "/school/inbox")
        #expect(s.outbox == "/school/outbox")
        #expect(s.ledger == "/school/var/ledger.sqlite")
        #expect(s.policyPath == "/school/schemas/policies/p.json")
        #expect(s.workers == 0)
        #expect(s.settleSeconds == 2)
        #expect(s.registerNumberStart == 1)
        #expect(s.sources.isEmpty)
    }

    @Test(arguments: [
        (#""academicYear": "2025""#, "academicYear", "не учебный год"),
        (#""academicYear": "2025/2026", "workers": 65"#, "workers", "от 0"),
        (#""academicYear": "2025/2026", "settleSeconds": -1"#, "settleSeconds", "от 0 до 3600"),
        (#""academicYear": "2025/2026", "onInvalidRow": "ignore""#, "onInvalidRow", "reject-file"),
        (#""academicYear": "2025/2026", "registerNumberStart": 0"#, "registerNumberStart", "не меньше 1"),
        (#""academicYear": "2025/2026", "sources": {"electronic-journal": "journal"}"#, "electronic-journal", "прямо в папке inbox"),
        (#""academicYear": "2025/2026", "sources": {"electronic-journal": "inbox/processed"}"#, "electronic-journal", "занята самим uchet"),
        (#""academicYear": "2025/2026", "colour": "red""#, "colour", "неизвестный ключ")
    ])
    func eachRefusalNamesItsKey(_ tail: String, key: String, words: String) throws {
        let text = #"{"school": {"name": "Школа", "code": "s1"}, "policy": "p.json", "# + tail + "}"
        do {
            _ = try parse(text)
            Issue.record("accepted: \(tail)")
        } catch {
            #expect(error.path.hasSuffix(key), "\(error)")
            #expect(error.message.contains(words), "\(error)")
        }
    }

    @Test func aSchoolCodeThatCannotNameAPackageIsRefused() throws {
        #expect(throws: SchemaError.self) {
            _ = try parse(#"{"school": {"name": "Школа", "code": "школа 1"}, "policy": "p.json", "academicYear": "2025/2026"}"#)
        }
    }
}
