import CivilDate
import Policy
import Records
import TestSupport
import Testing
@testable import Attestat
@testable import Ledger

/// Builds a student's ledger record by hand for the rules under test.
struct Pupil {
    var marks: [StudentRecord.MarkRow] = []
    var exams: [StudentRecord.ExamRow] = []
    var conflicts: [StudentRecord.ConflictRow] = []
    var grade = 9
    var fact: Int64 = 0
    let year = AcademicYear(startYear: 2025)

    static let source = SourceRef(fileID: 1, sheet: "Лист1", row: 2, column: 3)

    mutating func mark(_ subject: String, _ period: String, _ value: MarkValue, year: AcademicYear? = nil) {
        fact += 1
        let kind: MarkKind = period == "year" ? .annual : period == "exam" ? .exam : .period
        marks.append(.init(fact: fact, subject: subject, year: year ?? self.year, schoolClass: nil, kind: kind, period: period, value: value,
                           date: nil, work: nil, weight: nil, source: Pupil.source))
    }

    mutating func annual(_ subject: String, _ n: Int, year: AcademicYear? = nil) { mark(subject, "year", .points(n), year: year) }

    mutating func exam(_ subject: String, _ form: ExamForm = .oge, mark: MarkValue? = nil, score: Double? = nil, level: String? = nil, retake: Bool = false) {
        exams.append(.init(subject: subject, form: form, level: level, primaryScore: nil, testScore: score, mark: mark,
                           date: CivilDate(year: 2026, month: 5, day: 26), year: year, retake: retake, source: Pupil.source))
    }

    var record: StudentRecord {
        let enrolments = [StudentRecord.EnrolmentRow(year: year, schoolClass: "\(grade)А", grade: grade, enrolled: nil, left: nil, source: Pupil.source),
                          StudentRecord.EnrolmentRow(year: AcademicYear(startYear: 2024), schoolClass: "\(grade - 1)А", grade: grade - 1, enrolled: nil, left: nil, source: Pupil.source)]
        return StudentRecord(id: StudentID(rawValue: "j1"), name: FullName(surname: "Иванов", name: "Иван", patronymic: "Иванович"),
                             birthDate: CivilDate(year: 2010, month: 3, day: 4)!, sex: .male, snils: nil, journalID: "1", source: Pupil.source,
                             enrolments: enrolments, marks: marks, exams: exams, achievements: [], encouragements: [], development: [],
                             conflicts: conflicts, files: [1: SourceFileRow(id: 1, sha256: String(repeating: "a", count: 64), name: "ведомость.xlsx", sourceKind: "manual")])
    }
}

func calculator(mathematicsAsCourses: Bool = true) throws -> FinalMarkCalculator {
    let policy = try Policy.load(path: RepoPaths.policy("maou-sosh-134"))
    var rules = try AttestatRules.load(path: RepoPaths.schemas + "/attestat-rules.json", policy: policy)
    rules.grades[0].mathematics?.enabled = mathematicsAsCourses
    return FinalMarkCalculator(rules: rules, policy: policy)
}

extension Graduate {
    func final(_ subject: String) -> FinalMark? { marks.first { $0.subject == subject } }
}

@Suite struct RoundingTests {
    @Test(arguments: [(7, 2, 4), (9, 2, 5), (8, 2, 4), (26, 6, 4), (18, 4, 5), (17, 5, 3), (13, 4, 3), (14, 4, 4)])
    func halfGoesUpBelowGoesDown(sum: Int, count: Int, expected: Int) {
        #expect(FinalMarkCalculator.rounded(sum: sum, count: count) == expected)
    }
}

@Suite struct NinthGradeTests {
    /// The base: Russian and mathematics (three courses) with their exams, two chosen exams.
    func base() -> Pupil {
        var p = Pupil()
        p.annual("russian", 3); p.exam("russian", mark: .points(4))          // 3.5 → 4
        p.annual("algebra", 4); p.annual("geometry", 3); p.annual("probability", 5); p.exam("mathematics", mark: .points(4))  // 16/4 = 4
        p.annual("physics", 4); p.exam("physics", mark: .points(5))          // 4.5 → 5 (chosen exam)
        p.annual("biology", 3); p.exam("biology", mark: .points(5))          // 4 (chosen exam)
        p.annual("history", 3)                                                // not an exam subject: 3
        return p
    }

    @Test func examSubjectsAreTheMeanOfAnnualAndExamOthersTheAnnual() throws {
        let g = try #require(try calculator().graduate(base().record, year: AcademicYear(startYear: 2025)))
        #expect(g.final("russian")?.value == .points(4))
        #expect(g.final("russian")?.formula == "(3 + 4) / 2 = 3,5 → 4")
        #expect(g.final("physics")?.value == .points(5))
        #expect(g.final("biology")?.value == .points(4))
        #expect(g.final("history")?.value == .points(3))
        #expect(g.final("history")?.isExamSubject == false)
        #expect(g.final("physics")?.isExamSubject == true)
        #expect(g.complete)
        #expect(g.final("russian")?.components.map(\.description) == ["год 2025/2026: 3 (ведомость.xlsx, Лист1!C2)", "ОГЭ: 4 (ведомость.xlsx, Лист1!C2)"])
    }

    @Test func mathematicsAsThreeCoursesSwitch() throws {
        let on = try #require(try calculator(mathematicsAsCourses: true).graduate(base().record, year: AcademicYear(startYear: 2025)))
        #expect(on.final("mathematics")?.value == .points(4))
        #expect(on.final("mathematics")?.formula == "(4 + 3 + 5 + 4) / 4 = 4 → 4")
        #expect(on.final("algebra") == nil && on.final("geometry") == nil)
        let off = try #require(try calculator(mathematicsAsCourses: false).graduate(base().record, year: AcademicYear(startYear: 2025)))
        #expect(off.final("algebra")?.value == .points(4))
        #expect(off.final("geometry")?.value == .points(3))
        #expect(off.final("mathematics")?.value == nil, "no annual mark in «Математика» when it is taught as courses")
        #expect(off.final("mathematics")?.problem == "нет годовой отметки за 2025/2026")
    }

    @Test func subjectFinishedIn8thGradeTakesLastYearsAnnual() throws {
        var p = base()
        p.annual("music", 5, year: AcademicYear(startYear: 2024))
        p.annual("art", 4, year: AcademicYear(startYear: 2023))
        let g = try #require(try calculator().graduate(p.record, year: AcademicYear(startYear: 2025)))
        #expect(g.final("music")?.value == .points(5))
        #expect(g.final("music")?.formula == "годовая отметка последнего года изучения (2024/2025)")
        #expect(g.final("art")?.value == .points(4))
    }

    @Test func missingExamAndNotAssessedLeaveTheMarkEmptyWithTheReason() throws {
        var p = base()
        p.exams.removeAll { $0.subject == "russian" }
        p.annual("chemistry", 4)
        p.mark("geography", "year", .notAssessed)
        let g = try #require(try calculator().graduate(p.record, year: AcademicYear(startYear: 2025)))
        #expect(g.final("russian")?.value == nil)
        #expect(g.final("russian")?.problem == "нет отметки за экзамен (ОГЭ/ГВЭ)")
        #expect(g.final("geography")?.value == nil)
        #expect(g.final("geography")?.problem == "не аттестован (н/а)")
        #expect(!g.complete)
        #expect(g.flags.contains { $0.subject == "Русский язык" && $0.message.contains("экзамен") })
        var q = base()
        q.exams.removeAll { $0.subject == "russian" }
        q.exam("russian", mark: .notAssessed)
        let h = try #require(try calculator().graduate(q.record, year: AcademicYear(startYear: 2025)))
        #expect(h.final("russian")?.value == nil)
        #expect(h.final("russian")?.problem?.contains("н/а") == true)
    }

    @Test func passFailAndExemptCarryTheirWords() throws {
        var p = base()
        p.mark("odnknr", "year", .pass)
        p.mark("physical-education", "year", .exempt)
        let g = try #require(try calculator().graduate(p.record, year: AcademicYear(startYear: 2025)))
        #expect(g.final("odnknr")?.value == .pass)
        #expect(g.final("physical-education")?.value == .exempt)
        let rules = try calculator().rules
        #expect(rules.word(.pass) == "зачтено")
        #expect(rules.word(.exempt) == "освобожден")
        #expect(rules.word(.points(5)) == "отлично")
    }

    @Test func anOpenConflictKeepsTheMarkOut() throws {
        var p = base()
        p.annual("history", 5)   // a second value for history's annual mark
        p.conflicts = [.init(subject: "history", year: AcademicYear(startYear: 2025), period: "year", open: true, rule: nil, winnerFact: nil)]
        let g = try #require(try calculator().graduate(p.record, year: AcademicYear(startYear: 2025)))
        #expect(g.final("history")?.value == nil)
        #expect(g.final("history")?.problem?.hasPrefix("расхождение отметок за «Год» 2025/2026: 3") == true)
        // Decided by the rule, the chosen value counts.
        let winner = p.marks.last!.fact
        p.conflicts = [.init(subject: "history", year: AcademicYear(startYear: 2025), period: "year", open: false, rule: "journal-over-manual", winnerFact: winner)]
        let h = try #require(try calculator().graduate(p.record, year: AcademicYear(startYear: 2025)))
        #expect(h.final("history")?.value == .points(5))
    }

    func excellent() -> Pupil {
        var p = Pupil()
        p.annual("russian", 5); p.exam("russian", mark: .points(5))
        p.annual("algebra", 5); p.annual("geometry", 5); p.annual("probability", 5); p.exam("mathematics", mark: .points(5))
        p.annual("physics", 5); p.exam("physics", mark: .points(5))
        p.annual("biology", 5); p.exam("biology", mark: .points(5))
        p.annual("history", 5)
        return p
    }

    @Test func honoursNeedEveryFinalMarkFiveAndExamsPassedFirstTime() throws {
        let g = try #require(try calculator().graduate(excellent().record, year: AcademicYear(startYear: 2025)))
        #expect(g.honours.award == "аттестат с отличием")
        #expect(g.honours.conditions.allSatisfy { $0.hasSuffix("— да") })
        // A single 4 spoils honours, and the near miss is flagged with its reason.
        var four = excellent()
        four.marks.removeAll { $0.subject == "history" }
        four.annual("history", 4)
        let h = try #require(try calculator().graduate(four.record, year: AcademicYear(startYear: 2025)))
        #expect(h.honours.award == nil)
        #expect(h.honours.nearMiss?.contains("ниже: История") == true)
        // A retake does not count.
        var retake = excellent()
        retake.exams.removeAll { $0.subject == "biology" }
        retake.exam("biology", mark: .points(2))
        retake.exam("biology", mark: .points(5), retake: true)
        let r = try #require(try calculator().graduate(retake.record, year: AcademicYear(startYear: 2025)))
        #expect(r.final("biology")?.value == .points(5), "the retake's mark makes the final mark")
        #expect(r.honours.award == nil)
        #expect(r.honours.conditions.contains { $0.contains("«Биология»") && $0.contains("пересдача") && $0.hasSuffix("— нет") })
    }
}

@Suite struct EleventhGradeTests {
    let y10 = AcademicYear(startYear: 2024)

    /// Every subject: 10th grade h1, h2, year; 11th grade h1, h2, year.
    func pupil(_ grades: [String: [Int]], ege: [(String, Double)] = [("russian", 75), ("physics", 72)], basicMath: Int? = nil) -> Pupil {
        var p = Pupil()
        p.grade = 11
        for (subject, six) in grades {
            p.mark(subject, "h1", .points(six[0]), year: y10); p.mark(subject, "h2", .points(six[1]), year: y10); p.annual(subject, six[2], year: y10)
            p.mark(subject, "h1", .points(six[3])); p.mark(subject, "h2", .points(six[4])); p.annual(subject, six[5])
        }
        for (subject, score) in ege { p.exam(subject, .ege, score: score) }
        if let basicMath { p.exam("mathematics", .ege, mark: .points(basicMath), level: "базовый") }
        return p
    }

    let allFive: [String: [Int]] = ["russian": [5, 5, 5, 5, 5, 5], "algebra": [5, 5, 5, 5, 5, 5], "history": [5, 5, 5, 5, 5, 5], "physics": [5, 5, 5, 5, 5, 5]]

    @Test func finalIsTheMeanOverTwoYears() throws {
        let p = pupil(["russian": [4, 5, 5, 4, 4, 4], "history": [5, 5, 5, 4, 4, 4]])
        let g = try #require(try calculator().graduate(p.record, year: AcademicYear(startYear: 2025)))
        #expect(g.final("russian")?.value == .points(4))
        #expect(g.final("russian")?.formula == "(4 + 5 + 5 + 4 + 4 + 4) / 6 = 4,33 → 4")
        #expect(g.final("history")?.value == .points(5), "27/6 = 4.5 goes up")
        #expect(g.final("russian")?.components.count == 6)
    }

    @Test func egeScoresDoNotEnterFinalMarks() throws {
        let low = pupil(["russian": [4, 4, 4, 4, 4, 4]], ege: [("russian", 30)])
        let high = pupil(["russian": [4, 4, 4, 4, 4, 4]], ege: [("russian", 100)])
        #expect(try calculator().graduate(low.record, year: AcademicYear(startYear: 2025))?.final("russian")?.value == .points(4))
        #expect(try calculator().graduate(high.record, year: AcademicYear(startYear: 2025))?.final("russian")?.value == .points(4))
    }

    @Test func medalsAtTheThresholds() throws {
        func award(_ grades: [String: [Int]], _ ege: [(String, Double)], basic: Int? = nil) throws -> String? {
            try calculator().graduate(pupil(grades, ege: ege, basicMath: basic).record, year: AcademicYear(startYear: 2025))?.honours.award
        }
        let first = "медаль «За особые успехи в учении» I степени"
        let second = "медаль «За особые успехи в учении» II степени"
        #expect(try award(allFive, [("russian", 70), ("physics", 70)]) == first)
        #expect(try award(allFive, [("russian", 69), ("physics", 70)]) == second)
        #expect(try award(allFive, [("russian", 70), ("physics", 69)]) == second)
        #expect(try award(allFive, [("russian", 60), ("physics", 60)]) == second)
        #expect(try award(allFive, [("russian", 59), ("physics", 80)]) == nil)
        #expect(try award(allFive, [("russian", 80), ("physics", 59)]) == nil)
        // Only Russian and basic mathematics: basic mathematics 5 stands for the other subject (I degree).
        #expect(try award(allFive, [("russian", 72)], basic: 5) == first)
        #expect(try award(allFive, [("russian", 72)], basic: 4) == nil)
    }

    @Test func twoFoursStillAllowMedalTwoThreeDoNot() throws {
        var two = allFive
        two["history"] = [4, 4, 4, 4, 4, 4]
        two["physics"] = [4, 4, 4, 4, 4, 4]
        let g2 = try #require(try calculator().graduate(pupil(two, ege: [("russian", 90), ("physics", 90)]).record, year: AcademicYear(startYear: 2025)))
        #expect(g2.honours.award == "медаль «За особые успехи в учении» II степени")
        #expect(g2.honours.attestat == "аттестат с отличием (синий)")
        var three = two
        three["algebra"] = [4, 4, 4, 4, 4, 4]
        let g3 = try #require(try calculator().graduate(pupil(three, ege: [("russian", 90), ("physics", 90)]).record, year: AcademicYear(startYear: 2025)))
        #expect(g3.honours.award == nil)
        #expect(g3.honours.nearMiss?.contains("отметок «хорошо» не больше 2 (их 3") == true)
        #expect(g3.honours.conditions.contains { $0.contains("II степени: отметок «хорошо» не больше 2") && $0.hasSuffix("— нет") })
    }

    @Test func subjectFinishedIn10thGradeTakesItsAnnual() throws {
        var p = pupil(["russian": [5, 5, 5, 5, 5, 5]])
        p.mark("individual-project", "h1", .pass, year: y10)
        p.mark("individual-project", "year", .points(5), year: y10)
        let g = try #require(try calculator().graduate(p.record, year: AcademicYear(startYear: 2025)))
        #expect(g.final("individual-project")?.value == .points(5))
        #expect(g.final("individual-project")?.formula == "годовая отметка последнего года изучения (2024/2025)")
    }

    @Test func missingTenthGradeAnnualIsFlagged() throws {
        var p = pupil(["russian": [5, 5, 5, 5, 5, 5]])
        p.marks.removeAll { $0.subject == "russian" && $0.year == y10 && $0.period == "year" }
        let g = try #require(try calculator().graduate(p.record, year: AcademicYear(startYear: 2025)))
        #expect(g.final("russian")?.value == nil)
        #expect(g.final("russian")?.problem == "нет годовой отметки за 2024/2025")
    }
}

@Suite struct RulesFileTests {
    @Test func rulesLoadAndRefuseUnknownSubjects() throws {
        let policy = try Policy.load(path: RepoPaths.policy("maou-sosh-134"))
        let rules = try AttestatRules.load(path: RepoPaths.schemas + "/attestat-rules.json", policy: policy)
        #expect(rules.grade(9)?.requiredExamSubjects == ["russian", "mathematics"])
        #expect(rules.grade(11)?.medals.map(\.russianScore) == [70, 60])
        let broken = #expect(throws: (any Error).self) {
            try AttestatRules.parse(Array(#"{"version": "x", "source": "x", "words": {}, "grades": [{"grade": 9, "level": "x", "method": "annual-and-exam", "requiredExamSubjects": ["latin"]}]}"#.utf8), file: "r.json", policy: policy)
        }
        #expect("\(broken!)".contains("«latin»"))
    }
}
