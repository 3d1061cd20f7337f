import CivilDate
import Policy
import Records
import Testing
@testable import Attestat
@testable import Ledger

/// REGULATIONS.md, «Final marks for the attestat», 9th grade; each test names its rule.
@Suite struct NinthGradeTests {
    /// Russian and mathematics (three courses) with their ОГЭ, two chosen ОГЭ, one more subject.
    static func base(_ id: String = "j1") -> Pupil {
        var p = Pupil(id)
        p.annual("russian", 3)
        p.exam("russian", mark: 4) // (3 + 4) / 2 = 3,5 → 4
        p.annual("algebra", 4)
        p.annual("geometry", 3)
        p.annual("probability", 5)
        p.exam("mathematics", mark: 4)
        p.annual("physics", 4)
        p.exam("physics", mark: 5, day: 28) // 4,5 → 5
        p.annual("biology", 3)
        p.exam("biology", mark: 5, day: 30) // 4
        p.annual("history", 3)
        return p
    }

    @Test("rule: exam subject = rounded mean of the 9th-grade annual and the exam mark (annual 3, exam 5 → 4)")
    func examSubjectIsTheMeanOfAnnualAndExam() throws {
        var p = NinthGradeTests.base()
        p.marks.removeAll { $0.subject == "biology" }
        p.annual("biology", 3)
        let g = try graduate(p)
        #expect(g.final("biology")?.value == .points(4))
        #expect(g.final("biology")?.formula == "(3 + 5) / 2 = 8/2 = 4 → 4")
        #expect(g.final("russian")?.value == .points(4))
        #expect(g.final("russian")?.formula == "(3 + 4) / 2 = 7/2 = 3,5 → 4")
        #expect(g.final("russian")?.components.map(\.description) == ["год 2025/2026: 3 (ведомость.xlsx, Лист1!C2)", "ОГЭ: 4 (ГИА.xlsx, ГИА!G3)"])
        #expect(g.final("physics")?.value == .points(5))
        #expect(g.final("history")?.value == .points(3))
        #expect(g.final("history")?.isExamSubject == false)
        #expect(g.outcome == .ready)
    }

    @Test("rule: mathematics as courses, default courses-mean-then-exam: round(((A + G + V) / 3 + E) / 2)")
    func coursesMeanThenExam() throws {
        var p = Pupil()
        p.annual("russian", 4)
        p.exam("russian", mark: 4)
        p.annual("algebra", 3)
        p.annual("geometry", 3)
        p.annual("probability", 3)
        p.exam("mathematics", mark: 4)
        p.annual("physics", 4)
        p.exam("physics", mark: 4, day: 28)
        p.annual("biology", 4)
        p.exam("biology", mark: 4, day: 30)
        let g = try graduate(p)
        // (9/3 + 4) / 2 = (9 + 12) / 6 = 21/6 = 3,5 → 4: one rounding, at the end.
        #expect(g.final("mathematics")?.value == .points(4))
        #expect(g.final("mathematics")?.formula == "((3 + 3 + 3) / 3 + 4) / 2 = 21/6 = 3,5 → 4")
        #expect(
            g.final("mathematics")?.components.map(\.label) == [
                "Алгебра, год 2025/2026", "Геометрия, год 2025/2026", "Вероятность и статистика, год 2025/2026", "ОГЭ"
            ])
        #expect(g.final("algebra") == nil && g.final("geometry") == nil && g.final("probability") == nil)
    }

    @Test("rule: mathematics method courses-and-exam-equal (a setting): round((A + G + V + E) / 4)")
    func coursesAndExamEqual() throws {
        var p = Pupil()
        p.annual("russian", 4)
        p.exam("russian", mark: 4)
        p.annual("algebra", 3)
        p.annual("geometry", 3)
        p.annual("probability", 3)
        p.exam("mathematics", mark: 4)
        p.annual("physics", 4)
        p.exam("physics", mark: 4, day: 28)
        p.annual("biology", 4)
        p.exam("biology", mark: 4, day: 30)
        let g = try graduate(p) { $0.grades[0].mathematics?.method = .coursesAndExamEqual }
        #expect(g.final("mathematics")?.value == .points(3))
        #expect(g.final("mathematics")?.formula == "(3 + 3 + 3 + 4) / 4 = 13/4 = 3,25 → 3")
    }

    @Test("rule: an annual mark for «Математика» itself is the annual mark")
    func mathematicsAsOneSubject() throws {
        var p = NinthGradeTests.base()
        p.marks.removeAll { ["algebra", "geometry", "probability"].contains($0.subject) }
        p.annual("mathematics", 4)
        p.annual("mathematics", 3, grade: 6) // 5th–6th grade «Математика» does not confuse it
        p.exams.removeAll { $0.subject == "mathematics" }
        p.exam("mathematics", mark: 5)
        let g = try graduate(p)
        #expect(g.final("mathematics")?.value == .points(5))
        #expect(g.final("mathematics")?.formula == "(4 + 5) / 2 = 9/2 = 4,5 → 5")
        #expect(g.outcome == .ready)
    }

    @Test("rule: a missing course mark flags mathematics (the class is taught three courses)")
    func missingCourseMarkFlagsMathematics() throws {
        var p = NinthGradeTests.base()
        p.marks.removeAll { $0.subject == "probability" }
        let all = try graduates([p, NinthGradeTests.base("j2")])
        let g = try #require(all["j1"])
        #expect(g.final("mathematics")?.value == nil)
        #expect(g.final("mathematics")?.problem == "нет годовой отметки по курсу «Вероятность и статистика» за 2025/2026")
        #expect(g.flags.contains { $0.subject == "Математика" && $0.blocks })
        #expect(g.outcome == .pending)
        #expect(all["j2"]?.final("mathematics")?.value == .points(4))
    }

    @Test("rule: the chosen exam subjects are those with an exam row, never guessed")
    func chosenSubjectsComeFromExamRows() throws {
        var p = NinthGradeTests.base()
        p.exams.removeAll { $0.subject == "physics" }
        let g = try graduate(p)
        #expect(g.final("physics")?.value == .points(4), "no exam row: physics is not an exam subject, its annual mark stands")
        #expect(g.final("physics")?.isExamSubject == false)
        #expect(g.final("biology")?.isExamSubject == true)
        #expect(g.flags.contains { $0.message == "экзаменов по выбору в записях ГИА 1 из 2 (ОГЭ): «Биология»" && $0.blocks })
        #expect(g.outcome == .pending)
    }

    @Test("rule: a row saying «не явился» is a registration without a result: the subject is chosen, its final mark empty with the reason")
    func registrationWithoutResult() throws {
        var p = NinthGradeTests.base()
        p.exams.removeAll { $0.subject == "biology" }
        p.exam("biology", noResult: "не явился", day: 30)
        let g = try graduate(p)
        #expect(g.final("biology")?.isExamSubject == true)
        #expect(g.final("biology")?.value == nil)
        #expect(g.final("biology")?.problem == "ОГЭ: не явился — результата нет (ГИА.xlsx, ГИА!G13)")
        #expect(g.gia.status == .pending)
        #expect(g.outcome == .pending, "no result yet is not a failure")
        #expect(g.failures.isEmpty)
        #expect(!g.flags.contains { $0.message.contains("экзаменов по выбору") })
    }

    @Test("rule: after a retake the latest result counts")
    func latestResultCounts() throws {
        var p = NinthGradeTests.base()
        p.exams.removeAll { $0.subject == "russian" }
        p.exam("russian", mark: 2, day: 20)
        p.exam("russian", noResult: "не явился", day: 24) // a no-show later does not undo a result
        p.exam("russian", mark: 5, retake: true, day: 25, month: 6)
        let g = try graduate(p)
        #expect(g.final("russian")?.formula == "(3 + 5) / 2 = 8/2 = 4 → 4")
        #expect(g.final("russian")?.components.last?.label == "ОГЭ (пересдача)")
        #expect(g.gia.status == .passed)
        #expect(g.outcome == .ready)
    }

    @Test("rule: an annulment («аннулирован», «удалён») after a result leaves no result: the mark empty, the attestat waits")
    func annulmentAfterAResultLeavesNone() throws {
        var p = NinthGradeTests.base()
        p.exam("russian", noResult: "аннулирован") // the same day as the «4» it annuls
        let g = try graduate(p)
        #expect(g.final("russian")?.value == nil)
        #expect(g.final("russian")?.problem == "ОГЭ: аннулирован (ГИА.xlsx, ГИА!G13) — результат, полученный раньше, не засчитывается")
        #expect(g.gia.status == .pending)
        #expect(g.outcome == .pending)
        // A retake after the annulment counts again.
        p.exam("russian", mark: 5, retake: true, day: 25, month: 6)
        let again = try graduate(p)
        #expect(again.final("russian")?.components.last?.label == "ОГЭ (пересдача)")
        #expect(again.outcome == .ready)
    }

    @Test("rule: two results of one sitting that differ (a corrected file beside the old one) are no result, and no retake")
    func differingResultsOfOneSittingAreNoResult() throws {
        var p = NinthGradeTests.base()
        p.exam("physics", mark: 2, day: 28) // a second protocol of the same exam
        let g = try graduate(p)
        #expect(g.final("physics")?.value == nil)
        #expect(
            g.final("physics")?.problem
                == "ОГЭ 28.05.2026: результаты одного экзамена расходятся — «5» (ГИА.xlsx, ГИА!G9) и «2» (ГИА.xlsx, ГИА!G13); оставьте верный (исправьте или отзовите файл с неверным)"
        )
        #expect(g.gia.status == .pending)
        #expect(g.outcome == .pending, "neither «5» nor «2» is guessed")
        #expect(!g.gia.retook)
        // The same result sent twice is one sitting: it counts, and is no retake.
        var twice = NinthGradeTests.base()
        twice.exam("physics", mark: 5, day: 28)
        let same = try graduate(twice)
        #expect(same.final("physics")?.value == .points(5))
        #expect(!same.gia.retook)
        #expect(same.outcome == .ready)
    }

    @Test("rule: a retake in the additional period (September, the next school year by its date) counts for the graduating year")
    func aSeptemberRetakeCounts() throws {
        var p = NinthGradeTests.base()
        p.exams.removeAll { $0.subject == "physics" }
        p.exam("physics", mark: 2, day: 28)
        #expect(try graduate(p).outcome == .withoutAttestat)
        p.row += 1
        p.exams.append(
            .init(
                subject: "physics", form: .oge, level: nil, primaryScore: nil, testScore: nil, mark: .points(4),
                date: CivilDate(year: 2026, month: 9, day: 10), year: AcademicYear(startYear: 2026), retake: true, noResult: nil,
                source: SourceRef(fileID: 2, sheet: "ГИА", row: p.row, column: 7)))
        let g = try graduate(p)
        #expect(g.final("physics")?.components.last?.label == "ОГЭ (пересдача)")
        #expect(g.outcome == .ready)
    }

    @Test("rule: a row marked as a retake comes after the first sitting even when that has no date")
    func aMarkedRetakeFollowsAnUndatedFirstSitting() throws {
        var p = NinthGradeTests.base()
        p.exams.removeAll { $0.subject == "mathematics" }
        p.exam("mathematics", mark: 2)
        p.exams[p.exams.count - 1].date = nil
        p.exam("mathematics", mark: 4, retake: true, day: 25, month: 6)
        let g = try graduate(p)
        #expect(g.final("mathematics")?.components.last?.label == "ОГЭ (пересдача)")
        #expect(g.gia.status == .passed)
    }

    @Test("rule: an exam below «3» (annual 5, ОГЭ 2): no final mark, no attestat, listed without attestat")
    func examBelowMinimumBarsTheAttestat() throws {
        var p = NinthGradeTests.base()
        p.marks.removeAll { $0.subject == "physics" }
        p.annual("physics", 5)
        p.exams.removeAll { $0.subject == "physics" }
        p.exam("physics", mark: 2, day: 28)
        let g = try graduate(p)
        #expect(g.final("physics")?.value == nil, "not 3,5 → 4")
        #expect(g.final("physics")?.barred == true)
        #expect(g.gia.status == .failed)
        #expect(g.failures == ["ГИА не пройдена: Физика: ОГЭ: «2» — ниже «3»; ГИА.xlsx, ГИА!G14"])
        #expect(g.outcome == .withoutAttestat)
        #expect(g.honours.award == nil)
    }

    @Test("rule: an annual «2» means no attestat")
    func annualTwoBarsTheAttestat() throws {
        var p = NinthGradeTests.base()
        p.marks.removeAll { $0.subject == "history" }
        p.annual("history", 2)
        let g = try graduate(p)
        #expect(g.final("history")?.value == .points(2))
        #expect(g.failures.contains { $0.hasPrefix("годовая отметка «2» по предмету «История»") })
        #expect(g.failures.contains { $0.hasPrefix("итоговая отметка «2» по предмету «История»") })
        #expect(g.outcome == .withoutAttestat)
    }

    @Test("rule: ГВЭ form: Russian and mathematics only, no chosen subjects")
    func gveTakesRussianAndMathematicsOnly() throws {
        var p = Pupil()
        p.annual("russian", 4)
        p.exam("russian", .gve, mark: 5)
        p.annual("algebra", 3)
        p.annual("geometry", 4)
        p.annual("probability", 4)
        p.exam("mathematics", .gve, mark: 4)
        p.annual("physics", 4)
        p.annual("history", 3)
        let g = try graduate(p)
        #expect(g.final("russian")?.formula == "(4 + 5) / 2 = 9/2 = 4,5 → 5")
        #expect(g.final("russian")?.components.last?.label == "ГВЭ")
        #expect(g.final("physics")?.isExamSubject == false)
        #expect(g.gia.status == .passed)
        #expect(!g.flags.contains { $0.message.contains("экзаменов по выбору") })
        #expect(g.outcome == .ready)
    }

    @Test("rule: a subject finished earlier takes the annual mark of the last of grades 5–8 it was studied in")
    func finishedEarlierTakesTheLastAnnual() throws {
        var p = NinthGradeTests.base()
        p.annual("music", 3, grade: 6)
        p.annual("music", 5, grade: 8)
        p.annual("art", 4, grade: 7)
        let g = try graduate(p)
        #expect(g.final("music")?.value == .points(5))
        #expect(g.final("music")?.formula == "годовая отметка последнего года изучения (8 класс, 2024/2025)")
        #expect(g.final("art")?.value == .points(4))
        #expect(g.final("art")?.components.first?.label == "год 2023/2024")
    }

    @Test("rule: the class's last year of a subject decides: a missing 7th-grade mark is flagged, not made good by a 6th-grade one")
    func anEarlierYearDoesNotStandInForTheLastYearStudied() throws {
        var a = NinthGradeTests.base("j1")
        a.annual("art", 4, grade: 7)
        var b = NinthGradeTests.base("j2")
        b.annual("art", 5, grade: 6)
        let g = try graduates([a, b])
        #expect(g["j1"]?.final("art")?.value == .points(4))
        #expect(g["j2"]?.final("art")?.value == nil)
        #expect(
            g["j2"]?.final("art")?.problem
                == "нет годовой отметки за 7 класс, последний год изучения предмета в классе (есть за 6 класс, 2022/2023): итоговая отметка — годовая последнего года изучения"
        )
        #expect(g["j2"]?.outcome == .pending)
    }

    @Test("rule: primary school's subjects (grades 1–4) never enter, whatever the ledger holds")
    func primarySchoolNeverEnters() throws {
        var p = NinthGradeTests.base()
        p.annual("reading", 5, grade: 4)
        p.annual("nature", 5, grade: 4)
        p.mark("orkse", "year", .pass, grade: 4)
        p.annual("music", 5, grade: 4) // music of the 4th grade: outside 5–9
        p.annual("nature", 4, grade: 5) // a primary subject named in the rules, marked in 5th grade: still out
        let g = try graduate(p)
        for s in ["reading", "nature", "orkse", "music"] { #expect(g.final(s) == nil, "\(s)") }
        #expect(g.outcome == .ready)
    }

    @Test("rule: a curriculum subject with no final mark is flagged, never dropped (a transfer)")
    func missingCurriculumSubjectIsFlagged() throws {
        var classmate = NinthGradeTests.base("j2")
        classmate.annual("art", 5, grade: 7)
        let transfer = NinthGradeTests.base("j1")
        let g = try #require(try graduates([transfer, classmate])["j1"])
        #expect(g.final("art")?.value == nil)
        #expect(g.final("art")?.problem == "нет годовой отметки ни за один из 5–8 классов, а в учебном плане класса предмет есть (изучался в 7 классе)")
        #expect(g.flags.contains { $0.subject == "Изобразительное искусство" && $0.blocks })
        #expect(g.outcome == .pending)
    }

    @Test("rule: the rules' curriculum list for a class replaces the default; electives stay out")
    func curriculumListAndElectives() throws {
        var p = NinthGradeTests.base()
        p.annual("music", 5, grade: 8)
        p.annual("informatics", 5)
        let g = try graduate(p) { r in
            r.grades[0].curriculum.classes = [
                .init(classes: ["9А"], subjects: ["russian", "algebra", "physics", "biology", "history", "chemistry", "informatics"])
            ]
            r.grades[0].curriculum.electives = ["informatics"]
        }
        #expect(g.final("music") == nil, "not in the class's list")
        #expect(g.final("informatics") == nil, "an elective stays out")
        #expect(g.final("chemistry")?.problem == "нет годовой отметки за 2025/2026 (9 класс), а в учебном плане класса предмет есть")
        #expect(g.final("mathematics")?.value == .points(4), "a course in the list stands for mathematics")
    }

    @Test("rule: pass/fail subjects carry «зачтено», an exempted student «освобожден»")
    func passFailAndExempt() throws {
        var p = NinthGradeTests.base()
        p.mark("odnknr", "year", .pass, grade: 5)
        p.mark("physical-education", "year", .exempt)
        let g = try graduate(p)
        #expect(g.final("odnknr")?.value == .pass)
        #expect(g.final("physical-education")?.value == .exempt)
        let r = try rules()
        #expect(r.word(.pass) == "зачтено")
        #expect(r.word(.exempt) == "освобожден")
        #expect(r.word(.points(5)) == "отлично")
    }

    @Test("rule: a missing component, н/а, or an open conflict leaves the mark empty and says why")
    func missingNotAssessedAndConflict() throws {
        var p = NinthGradeTests.base()
        p.exams.removeAll { $0.subject == "russian" }
        p.mark("geography", "year", .notAssessed)
        p.annual("history", 5) // a second value for history's annual mark
        p.conflicts = [.init(id: 7, subject: "history", year: Pupil.year, period: "year", open: true, rule: nil, winnerFact: nil, status: "open")]
        let g = try graduate(p)
        #expect(g.final("russian")?.problem == "нет записи о ГИА по предмету (ОГЭ/ГВЭ)")
        #expect(g.final("geography")?.problem == "не аттестован (н/а)")
        #expect(g.final("history")?.problem?.hasPrefix("расхождение отметок за «Год» 2025/2026: 3") == true)
        #expect(g.outcome == .pending)
        // Decided by the policy's rule, the chosen value counts.
        p.conflicts = [
            .init(
                id: 7, subject: "history", year: Pupil.year, period: "year", open: false, rule: "journal-over-manual", winnerFact: p.marks.last!.fact,
                status: "resolved")
        ]
        #expect(try graduate(p).final("history")?.value == .points(5))
        // Decided by a person: the decision's value counts, with the decision as its source, over the rule.
        let decision = DecisionRow(
            id: 1, value: "4", seen: ["3", "5"], reason: "по классному журналу", by: "Петрова А. А.", at: "2026-06-01T10:15:00",
            undoneAt: nil, undoneBy: nil, reopenedRun: nil, reopenedValues: [])
        p.conflicts = [
            .init(
                id: 7, subject: "history", year: Pupil.year, period: "year", open: false, rule: nil, winnerFact: nil, status: "decided",
                decision: decision)
        ]
        let decided = try #require(try graduate(p).final("history"))
        #expect(decided.value == .points(4))
        #expect(
            decided.components.map(\.description) == ["год 2025/2026 (решение по конфликту № 7): 4 (решение: Петрова А. А., 2026-06-01: по классному журналу)"])
    }
}
