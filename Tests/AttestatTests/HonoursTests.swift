import CivilDate
import Policy
import Records
import Testing
@testable import Attestat
@testable import Ledger

/// REGULATIONS.md, «Honours»: the 9th grade's attestat with honours and the medals of приказ № 730.
@Suite struct HonoursTests {
    static func excellentNinth() -> Pupil {
        var p = Pupil()
        p.annual("russian", 5)
        p.exam("russian", mark: 5)
        p.annual("algebra", 5)
        p.annual("geometry", 5)
        p.annual("probability", 5)
        p.exam("mathematics", mark: 5)
        p.annual("physics", 5)
        p.exam("physics", mark: 5, day: 28)
        p.annual("biology", 5)
        p.exam("biology", mark: 5, day: 30)
        p.annual("history", 5)
        p.mark("physical-education", "year", .exempt)
        return p
    }

    static let honours = "аттестат об основном общем образовании с отличием"
    static let first = "медаль «За особые успехи в учении» I степени"
    static let second = "медаль «За особые успехи в учении» II степени"

    @Test("rule: 9th-grade honours — every final mark 5 and ГИА passed without a retake")
    func ninthGradeHonours() throws {
        let g = try graduate(HonoursTests.excellentNinth())
        #expect(g.honours.award == HonoursTests.honours)
        #expect(g.honours.conditions.allSatisfy { $0.hasSuffix("— да") })
        // A single 4 spoils it, and the near miss is flagged with its reason.
        var four = HonoursTests.excellentNinth()
        four.marks.removeAll { $0.subject == "history" }
        four.annual("history", 4)
        let h = try graduate(four)
        #expect(h.honours.award == nil)
        #expect(h.honours.nearMiss?.contains("ниже: История") == true)
        #expect(h.flags.contains { $0.message.hasPrefix("кандидат:") && !$0.blocks })
        #expect(h.outcome == .ready)
        // A retake keeps the attestat but not honours.
        var retake = HonoursTests.excellentNinth()
        retake.exams.removeAll { $0.subject == "biology" }
        retake.exam("biology", mark: 2, day: 30)
        retake.exam("biology", mark: 5, retake: true, day: 25, month: 6)
        let r = try graduate(retake)
        #expect(r.final("biology")?.value == .points(5))
        #expect(r.outcome == .ready)
        #expect(r.honours.award == nil)
        #expect(r.honours.conditions.contains { $0.contains("ГИА без пересдач (пересдача: Биология)") && $0.hasSuffix("— нет") })
    }

    @Test("rule: allFinalMarksFive is a setting that decides (false: a 4 keeps honours)")
    func allFinalMarksFiveIsUsed() throws {
        var four = HonoursTests.excellentNinth()
        four.marks.removeAll { $0.subject == "history" }
        four.annual("history", 4)
        #expect(try graduate(four).honours.award == nil)
        #expect(try graduate(four) { $0.grades[0].honours?.allFinalMarksFive = false }.honours.award == HonoursTests.honours)
        #expect(try graduate(four) { $0.grades[0].honours?.retakesCount = true }.honours.award == nil)
    }

    let allFive: [String: [Int]] = ["russian": [5, 5, 5, 5, 5, 5], "algebra": [5, 5, 5, 5, 5, 5], "history": [5, 5, 5, 5, 5, 5], "physics": [5, 5, 5, 5, 5, 5]]

    func award(_ marks: [String: [Int]], _ ege: [(String, Double)], profile: Double? = 50, basic: Int? = nil) throws -> Graduate {
        try graduate(EleventhGradeTests.pupil(marks, ege: ege, profile: profile, basic: basic))
    }

    @Test("rule: medals by приказ № 730 — ЕГЭ Russian ≥ 70 and another subject ≥ 70 (I), ≥ 60 (II)")
    func medalThresholds() throws {
        #expect(try award(allFive, [("russian", 70), ("physics", 70)]).honours.award == HonoursTests.first)
        #expect(try award(allFive, [("russian", 69), ("physics", 70)]).honours.award == HonoursTests.second)
        #expect(try award(allFive, [("russian", 70), ("physics", 69)]).honours.award == HonoursTests.second)
        #expect(try award(allFive, [("russian", 60), ("physics", 60)]).honours.award == HonoursTests.second)
        #expect(try award(allFive, [("russian", 59), ("physics", 80)]).honours.award == nil)
        #expect(try award(allFive, [("russian", 80), ("physics", 59)], profile: 59).honours.award == nil)
        #expect(try award(allFive, [("russian", 80)], profile: 75).honours.award == HonoursTests.first, "profile mathematics is another subject")
        let medal = try award(allFive, [("russian", 70), ("physics", 70)])
        #expect(medal.honours.attestat == "аттестат о среднем общем образовании с отличием")
    }

    @Test("rule: medal II allows at most two 4s; three do not")
    func twoFoursAllowMedalTwo() throws {
        var two = allFive
        two["history"] = [4, 4, 4, 4, 4, 4]
        two["physics"] = [4, 4, 4, 4, 4, 4]
        #expect(try award(two, [("russian", 90), ("physics", 90)]).honours.award == HonoursTests.second)
        var three = two
        three["algebra"] = [4, 4, 4, 4, 4, 4]
        let g = try award(three, [("russian", 90), ("physics", 90)])
        #expect(g.honours.award == nil)
        #expect(g.honours.nearMiss?.contains("отметок «хорошо» не больше 2 (их 3") == true)
    }

    @Test("rule: a medal needs ГИА passed — basic mathematics «2» with otherwise medal-worthy marks: no medal, no attestat")
    func medalNeedsGiaPassed() throws {
        let g = try award(allFive, [("russian", 90), ("physics", 90)], profile: nil, basic: 2)
        #expect(g.gia.status == .failed)
        #expect(g.honours.award == nil)
        #expect(g.outcome == .withoutAttestat)
        #expect(g.failures.first?.hasPrefix("ГИА не пройдена: Математика: ЕГЭ (базовый): «2» — ниже минимума") == true)
    }

    @Test("rule: basic mathematics «5» stands for the other subject where only Russian and basic mathematics were taken")
    func basicMathematicsRoute() throws {
        #expect(try award(allFive, [("russian", 72)], profile: nil, basic: 5).honours.award == HonoursTests.first)
        #expect(try award(allFive, [("russian", 72)], profile: nil, basic: 4).honours.award == nil)
        #expect(
            try award(allFive, [("russian", 72), ("history", 50)], profile: nil, basic: 5).honours.award == nil,
            "with another ЕГЭ subject the basic route does not apply, and 50 is below 70")
    }

    @Test("rule: the ГВЭ route to medal I — Russian and mathematics «5»")
    func gveMedal() throws {
        var p = EleventhGradeTests.pupil(allFive, ege: [], profile: nil)
        p.exam("russian", .gve, mark: 5)
        p.exam("mathematics", .gve, mark: 5)
        let g = try graduate(p)
        #expect(g.honours.award == HonoursTests.first)
        #expect(g.honours.conditions.contains { $0.contains("«ГВЭ»: Русский язык: «5», нужно не ниже «5» — да") })
        var four = EleventhGradeTests.pupil(allFive, ege: [], profile: nil)
        four.exam("russian", .gve, mark: 5)
        four.exam("mathematics", .gve, mark: 4)
        #expect(try graduate(four).honours.award == nil, "medal II has no ГВЭ route")
    }
}
