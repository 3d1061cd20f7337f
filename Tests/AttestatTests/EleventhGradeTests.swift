import CivilDate
import Policy
import Records
import Testing
@testable import Attestat
@testable import Ledger

/// REGULATIONS.md, «Final marks for the attestat», 11th grade and passing; each test names its rule.
@Suite struct EleventhGradeTests {
    /// Every subject: 10th grade h1, h2, year; 11th grade h1, h2, year; ЕГЭ Russian and profile mathematics passed.
    static func pupil(
        _ six: [String: [Int]], id: String = "j1", ege: [(String, Double)] = [("russian", 75), ("physics", 72)],
        profile: Double? = 50, basic: Int? = nil
    ) -> Pupil {
        var p = Pupil(id, grade: 11)
        for (subject, marks) in six.sorted(by: { $0.key < $1.key }) {
            p.halves(subject, Array(marks[0..<3]), grade: 10)
            p.halves(subject, Array(marks[3..<6]), grade: 11)
        }
        for (subject, score) in ege { p.exam(subject, .ege, score: score) }
        if let profile { p.exam("mathematics", .ege, score: profile, level: "профильный", day: 30) }
        if let basic { p.exam("mathematics", .ege, mark: basic, level: "базовый", day: 31) }
        return p
    }

    @Test("rule: 11th-grade final = rounded mean of every half-year and annual mark of 10th and 11th (4, 5, 5; 4, 4, 4 → 26/6 → 4)")
    func meanOverBothYears() throws {
        let g = try graduate(EleventhGradeTests.pupil(["russian": [4, 5, 5, 4, 4, 4], "history": [5, 5, 5, 4, 4, 4]]))
        #expect(g.final("russian")?.value == .points(4))
        #expect(g.final("russian")?.formula == "(4 + 5 + 5 + 4 + 4 + 4) / 6 = 26/6 ≈ 4,33 → 4")
        #expect(
            g.final("russian")?.components.map(\.label) == [
                "1 полугодие 2024/2025", "2 полугодие 2024/2025", "год 2024/2025",
                "1 полугодие 2025/2026", "2 полугодие 2025/2026", "год 2025/2026"
            ])
        #expect(g.final("history")?.value == .points(5), "27/6 = 4,5 goes up")
        #expect(g.outcome == .ready)
    }

    @Test("rule: a subject studied only in 10th grade: its 10th-grade half-year marks and annual mark (4, 4, 5 → 4)")
    func tenthOnlySubject() throws {
        var p = EleventhGradeTests.pupil(["russian": [5, 5, 5, 5, 5, 5]])
        p.halves("individual-project", [4, 4, 5], grade: 10)
        let g = try graduate(p)
        #expect(g.final("individual-project")?.value == .points(4))
        #expect(g.final("individual-project")?.formula == "(4 + 4 + 5) / 3 = 13/3 ≈ 4,33 → 4")
    }

    @Test("rule: no 10th-grade marks at all (a transfer): flagged, final marks empty, not from the 11th grade alone")
    func noTenthGradeMarksIsFlagged() throws {
        var transfer = Pupil("j1", grade: 11)
        transfer.enrolledGrades = [11]
        transfer.halves("russian", [5, 5, 5], grade: 11)
        transfer.exam("russian", .ege, score: 80)
        transfer.exam("mathematics", .ege, score: 70, level: "профильный")
        let classmate = EleventhGradeTests.pupil(["russian": [4, 4, 4, 4, 4, 4]], id: "j2")
        let g = try #require(try graduates([transfer, classmate])["j1"])
        #expect(g.final("russian")?.value == nil)
        #expect(g.final("russian")?.problem == "нет ни одной отметки за 10 класс (2024/2025)")
        let flags = g.flags.filter { $0.message.contains("10 класс") }
        #expect(flags.count == 1, "one flag for the student, not one per subject")
        #expect(flags.first?.blocks == true)
        #expect(g.outcome == .pending)
    }

    @Test("rule: ЕГЭ scores do not enter final marks")
    func egeScoresDoNotEnter() throws {
        let low = EleventhGradeTests.pupil(["russian": [4, 4, 4, 4, 4, 4]], ege: [("russian", 30)])
        let high = EleventhGradeTests.pupil(["russian": [4, 4, 4, 4, 4, 4]], ege: [("russian", 100)])
        #expect(try graduate(low).final("russian")?.value == .points(4))
        #expect(try graduate(high).final("russian")?.value == .points(4))
    }

    @Test("rule: 11th-grade ГИА passed with ЕГЭ Russian ≥ 24 and mathematics profile ≥ 27 or basic ≥ «3»")
    func egeMinimums() throws {
        let marks = ["russian": [4, 4, 4, 4, 4, 4]]
        func status(_ ege: [(String, Double)], profile: Double? = nil, basic: Int? = nil) throws -> GIAResult.Status {
            try graduate(EleventhGradeTests.pupil(marks, ege: ege, profile: profile, basic: basic)).gia.status
        }
        #expect(try status([("russian", 24)], profile: 27) == .passed)
        #expect(try status([("russian", 23)], profile: 27) == .failed)
        #expect(try status([("russian", 24)], profile: 26) == .failed)
        #expect(try status([("russian", 24)], basic: 3) == .passed)
        #expect(try status([("russian", 24)], basic: 2) == .failed)
        #expect(try status([("russian", 24)], profile: 20, basic: 3) == .passed, "either level passes mathematics")
        #expect(try status([("russian", 24)]) == .pending, "no mathematics result yet")
        let failed = try graduate(EleventhGradeTests.pupil(marks, ege: [("russian", 23)], profile: 60))
        #expect(failed.outcome == .withoutAttestat)
        #expect(
            failed.failures == [
                "ГИА не пройдена: Русский язык: ЕГЭ: 23 балла — ниже минимума (нужно: ЕГЭ не ниже 24 баллов или ГВЭ не ниже «3»); ГИА.xlsx, ГИА!G8"
            ])
    }

    @Test("rule: ГВЭ form: Russian and mathematics «3» or more")
    func gveMinimums() throws {
        let marks = ["russian": [4, 4, 4, 4, 4, 4]]
        var pass = EleventhGradeTests.pupil(marks, ege: [], profile: nil)
        pass.exam("russian", .gve, mark: 3)
        pass.exam("mathematics", .gve, mark: 3)
        #expect(try graduate(pass).gia.status == .passed)
        var fail = EleventhGradeTests.pupil(marks, ege: [], profile: nil)
        fail.exam("russian", .gve, mark: 3)
        fail.exam("mathematics", .gve, mark: 2)
        #expect(try graduate(fail).gia.status == .failed)
    }

    @Test("rule: a chosen ЕГЭ subject below its minimum does not block the attestat")
    func chosenEgeDoesNotBlock() throws {
        let g = try graduate(EleventhGradeTests.pupil(["russian": [4, 4, 4, 4, 4, 4]], ege: [("russian", 60), ("physics", 20)]))
        #expect(g.gia.status == .passed)
        #expect(g.outcome == .ready)
    }

    @Test("rule: ЕГЭ mathematics without its level is not guessed")
    func mathematicsWithoutLevel() throws {
        var p = EleventhGradeTests.pupil(["russian": [4, 4, 4, 4, 4, 4]], profile: nil)
        p.exam("mathematics", .ege, score: 70)
        let g = try graduate(p)
        #expect(g.gia.status == .pending)
        #expect(g.gia.missing.first?.contains("(не указан уровень экзамена)") == true)
    }

    @Test("rule: a final «2» means no attestat, even without an annual «2» (2, 2, 3; 2, 2, 3 → 14/6 → 2)")
    func finalTwoBars() throws {
        let g = try graduate(EleventhGradeTests.pupil(["russian": [4, 4, 4, 4, 4, 4], "chemistry": [2, 2, 3, 2, 2, 3]]))
        #expect(g.final("chemistry")?.value == .points(2))
        #expect(g.final("chemistry")?.formula == "(2 + 2 + 3 + 2 + 2 + 3) / 6 = 14/6 ≈ 2,33 → 2")
        #expect(g.failures == ["итоговая отметка «2» по предмету «Химия» ((2 + 2 + 3 + 2 + 2 + 3) / 6 = 14/6 ≈ 2,33 → 2)"])
        #expect(g.outcome == .withoutAttestat)
    }

    @Test("rule: the level's grades are 10–11; a 9th-grade mark in the ledger never enters")
    func ninthGradeMarksStayOut() throws {
        var p = EleventhGradeTests.pupil(["russian": [5, 5, 5, 5, 5, 5]])
        p.annual("russian", 2, grade: 9)
        p.annual("music", 5, grade: 8)
        let g = try graduate(p)
        #expect(g.final("russian")?.value == .points(5))
        #expect(g.final("music") == nil)
        #expect(g.outcome == .ready)
    }
}
