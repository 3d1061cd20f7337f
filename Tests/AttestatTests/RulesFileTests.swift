import Foundation
import Policy
import Records
import TestSupport
import Testing
@testable import Attestat

/// `schemas/attestat-rules.json` is checked at load like the policy, and its numbers decide.
@Suite struct RulesFileTests {
    let text = try! String(contentsOfFile: RepoPaths.schemas + "/attestat-rules.json", encoding: .utf8)

    func parse(_ json: String) throws -> AttestatRules {
        try AttestatRules.parse(Array(json.utf8), file: "attestat-rules.json", policy: schoolPolicy)
    }

    func refusal(_ json: String) -> String {
        do {
            _ = try parse(json)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func shippedRulesLoad() throws {
        let r = try parse(text)
        #expect(r.grade(9)?.exams.required.map(\.subject) == ["russian", "mathematics"])
        #expect(r.grade(9)?.mathematics?.method == .coursesMeanThenExam)
        #expect(r.grade(9)?.curriculum.grades == [5, 6, 7, 8, 9])
        #expect(r.grade(11)?.curriculum.grades == [10, 11])
        #expect(r.grade(11)?.medals.map(\.maxFours) == [0, 2])
        #expect(r.examNames.level(named: "Математика П")?.level == "профильный")
        #expect(r.examNames.level(named: "математика базового уровня")?.level == "базовый")
        #expect(r.examNames.isNoResult("Неявка"))
        #expect(r.examNames.isNoResult("удален"))
    }

    @Test("rule: an unknown key stops the load, naming it")
    func unknownKey() {
        let bad = text.replacingOccurrences(of: "\"allFinalMarksFive\": true", with: "\"allFinalMarksFive\": true, \"allMarksFive\": true")
        #expect(refusal(bad).contains("grades[0].honours.allMarksFive: неизвестный ключ «allMarksFive»"))
    }

    @Test("rule: a wrong type stops the load, naming the key")
    func wrongType() {
        #expect(
            refusal(text.replacingOccurrences(of: "\"allFinalMarksFive\": true", with: "\"allFinalMarksFive\": \"да\""))
                .contains("grades[0].honours.allFinalMarksFive: ожидалось true или false"))
        #expect(
            refusal(text.replacingOccurrences(of: "\"minimumScore\": 24", with: "\"minimumScore\": \"24\""))
                .contains("grades[1].exams.required[0].passIf[0].minimumScore: ожидалось число"))
        #expect(
            refusal(text.replacingOccurrences(of: "\"method\": \"courses-mean-then-exam\"", with: "\"method\": \"courses-mean\""))
                .contains("grades[0].mathematics.method: «courses-mean»"))
    }

    @Test("rule: subjects and levels are checked against the policy and the exam levels")
    func unknownSubjectAndLevel() {
        #expect(
            refusal(text.replacingOccurrences(of: "\"neverInAttestat\": [\"reading\"", with: "\"neverInAttestat\": [\"latin\""))
                .contains("grades[0].curriculum.neverInAttestat[0]: предмета «latin» нет в положении"))
        #expect(
            refusal(text.replacingOccurrences(of: "\"level\": \"профильный\", \"minimumScore\": 27", with: "\"level\": \"углублённый\", \"minimumScore\": 27"))
                .contains("уровня «углублённый» нет у ЕГЭ по предмету «Математика»"))
        #expect(
            refusal(text.replacingOccurrences(of: "\"Математика П\"", with: "\"Математика\""))
                .contains("«Математика» — название предмета «Математика» в положении"))
    }

    @Test("rule: minimums are numbers in the rules file (Russian ЕГЭ minimum raised to 80: a 75 no longer passes)")
    func minimumsComeFromTheFile() throws {
        let raised = try parse(text.replacingOccurrences(of: "\"minimumScore\": 24", with: "\"minimumScore\": 80"))
        let p = EleventhGradeTests.pupil(["russian": [4, 4, 4, 4, 4, 4]], ege: [("russian", 75)])
        let g = try #require(FinalMarkCalculator(rules: raised, policy: schoolPolicy).graduate(p.record, year: Pupil.year))
        #expect(g.gia.status == .failed)
        #expect(try graduate(p).gia.status == .passed)
    }

    @Test("rule: medal thresholds are numbers in the rules file")
    func medalThresholdsComeFromTheFile() throws {
        let lowered = try parse(
            text.replacingOccurrences(
                of: "{\"subject\": \"russian\", \"minimumScore\": 70}], \"otherSubjectMinimumScore\": 70",
                with: "{\"subject\": \"russian\", \"minimumScore\": 50}], \"otherSubjectMinimumScore\": 50"))
        let p = EleventhGradeTests.pupil(["russian": [5, 5, 5, 5, 5, 5]], ege: [("russian", 55), ("physics", 55)])
        #expect(FinalMarkCalculator(rules: lowered, policy: schoolPolicy).graduate(p.record, year: Pupil.year)?.honours.award == HonoursTests.first)
        #expect(try graduate(p).honours.award == nil)
    }
}

@Suite struct RoundingTests {
    @Test(
        "rule: rounding once, at the end, on exact fractions: x.5 up, below .5 down",
        arguments: [(7, 2, 4), (9, 2, 5), (8, 2, 4), (26, 6, 4), (18, 4, 5), (17, 5, 3), (13, 4, 3), (14, 4, 4), (21, 6, 4), (20, 6, 3)])
    func halfGoesUpBelowGoesDown(sum: Int, count: Int, expected: Int) {
        #expect(FinalMarkCalculator.rounded(sum: sum, count: count) == expected)
    }

    @Test func fractionsAreShownExactly() {
        #expect(ExactMean(numerator: 7, denominator: 2).text == "7/2 = 3,5")
        #expect(ExactMean(numerator: 26, denominator: 6).text == "26/6 ≈ 4,33")
        #expect(ExactMean(numerator: 8, denominator: 2).text == "8/2 = 4")
        #expect(ExactMean(numerator: 13, denominator: 4).text == "13/4 = 3,25")
        #expect(ExactMean(numerator: 23, denominator: 6).text == "23/6 ≈ 3,83")
    }
}
