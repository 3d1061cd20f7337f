import CivilDate
import Records

/// A made-up school: classes, students with their abilities, the curriculum.
/// Everything follows from the seed.
struct School {
    struct Student {
        var journalID: String
        var name: FullName
        var sex: Sex
        var birthDate: CivilDate
        var snils: String
        var schoolClass: SchoolClass
        /// 2.6 (weak) … 5.0 (excellent): marks scatter around it.
        var ability: Double
        var exempt: Bool
    }

    var students: [Student]
    var classes: [SchoolClass]
    let year = AcademicYear(startYear: 2025)

    init(size: Int, random: inout SeededRandom) {
        let perGrade = max(1, Int((Double(size) / 11 / 27).rounded(.up)))
        var classes: [SchoolClass] = []
        for grade in 1...11 {
            let letters = ["А", "Б", "В", "Г", "Д", "Е", "Ж", "З", "И", "К", "Л", "М", "Н", "О", "П", "Р", "С", "Т", "У", "Ф"]
            for k in 0..<min(perGrade, letters.count) { classes.append(SchoolClass(grade: grade, letter: letters[k])!) }
        }
        self.classes = classes
        var students: [Student] = []
        var usedIDs: Set<String> = []
        for i in 0..<size {
            let schoolClass = classes[i * classes.count / size]
            let female = random.chance(0.5)
            let surname = random.pick(Names.surnames)
            let father = random.pick(Names.fathers)
            let name = FullName(
                surname: female ? surname.female : surname.male,
                name: random.pick(female ? Names.female : Names.male),
                patronymic: female ? father.daughter : father.son)
            // Born in the year the class's first graders were seven, give or take.
            let birthYear = 2025 - 6 - schoolClass.grade - (random.chance(0.7) ? 0 : 1)
            let birth = CivilDate(year: birthYear, month: 1 + random.int(12), day: 1 + random.int(28))!
            var id: String
            repeat { id = String(100_000 + random.int(900_000)) } while !usedIDs.insert(id).inserted
            let ability = min(5.0, max(2.6, 3.9 + Double(random.int(1000) - 500) / 450))
            students.append(
                Student(
                    journalID: id, name: name, sex: female ? .female : .male, birthDate: birth,
                    snils: School.snils(&random), schoolClass: schoolClass, ability: ability, exempt: random.chance(0.02)))
        }
        self.students = students
    }

    func students(in schoolClass: SchoolClass) -> [Student] {
        students.filter { $0.schoolClass == schoolClass }.sorted { $0.name.key < $1.name.key }
    }

    /// A valid СНИЛС: nine random digits above 001-001-998 and their check number.
    static func snils(_ random: inout SeededRandom) -> String {
        let nine = (0..<9).map { i in i == 0 ? 1 + random.int(9) : random.int(10) }
        let check = SNILS.checkNumber(nine)
        let d = nine.map(String.init).joined()
        return "\(d.prefix(3))-\(d.dropFirst(3).prefix(3))-\(d.dropFirst(6)) \(check < 10 ? "0" : "")\(check)"
    }

    /// The curriculum: subjects (the policy's labels) a grade studies, with weekly lessons;
    /// `mathematicsAsOne`: «Математика» instead of its three courses.
    static func subjects(grade: Int, mathematicsAsOne: Bool = false) -> [(name: String, hours: Int)] {
        if mathematicsAsOne {
            let courses = ["Алгебра", "Геометрия", "Вероятность и статистика"]
            var s = subjects(grade: grade).filter { !courses.contains($0.name) }
            s.insert(("Математика", 6), at: min(3, s.count))
            return s
        }
        switch grade {
        case 1...4:
            var s = [
                ("Русский язык", 5), ("Литературное чтение", 4), ("Математика", 4), ("Окружающий мир", 2), ("Музыка", 1),
                ("Изобразительное искусство", 1), ("Труд (технология)", 1), ("Физическая культура", 2)
            ]
            if grade >= 2 { s.insert(("Иностранный язык (английский)", 2), at: 2) }
            if grade == 4 { s.append(("Основы религиозных культур и светской этики", 1)) }
            return s
        case 5, 6:
            var s = [
                ("Русский язык", 5), ("Литература", 3), ("Иностранный язык (английский)", 3), ("Математика", 5), ("История", 2),
                ("География", 1), ("Биология", 1), ("Музыка", 1), ("Изобразительное искусство", 1), ("Труд (технология)", 2),
                ("Физическая культура", 2)
            ]
            if grade == 5 { s.append(("Основы духовно-нравственной культуры народов России", 1)) } else { s.append(("Обществознание", 1)) }
            return s
        case 7, 8:
            var s = [
                ("Русский язык", 4), ("Литература", 2), ("Иностранный язык (английский)", 3), ("Алгебра", 3), ("Геометрия", 2),
                ("Вероятность и статистика", 1), ("Информатика", 1), ("История", 2), ("Обществознание", 1), ("География", 2),
                ("Биология", 1), ("Физика", 2), ("Музыка", 1), ("Труд (технология)", 1), ("Физическая культура", 2)
            ]
            if grade == 7 { s.append(("Изобразительное искусство", 1)) } else { s += [("Химия", 2), ("Основы безопасности и защиты Родины", 1)] }
            return s
        case 9:
            return [
                ("Русский язык", 3), ("Литература", 3), ("Иностранный язык (английский)", 3), ("Алгебра", 3), ("Геометрия", 2),
                ("Вероятность и статистика", 1), ("Информатика", 1), ("История", 2), ("Обществознание", 1), ("География", 2),
                ("Биология", 2), ("Физика", 3), ("Химия", 2), ("Основы безопасности и защиты Родины", 1), ("Физическая культура", 2)
            ]
        default:
            var s = [
                ("Русский язык", 2), ("Литература", 3), ("Иностранный язык (английский)", 3), ("Алгебра", 3), ("Геометрия", 2),
                ("Вероятность и статистика", 1), ("Информатика", 1), ("История", 2), ("Обществознание", 2), ("География", 1),
                ("Биология", 1), ("Физика", 2), ("Химия", 1), ("Основы безопасности и защиты Родины", 1), ("Физическая культура", 2)
            ]
            if grade == 10 { s.append(("Индивидуальный проект", 1)) }
            return s
        }
    }

    /// Subjects marked pass/fail rather than on the five-point scale.
    static func isPassFail(_ subject: String) -> Bool {
        subject.hasPrefix("Основы духовно") || subject.hasPrefix("Основы религиозных")
    }

    /// Quarters for grades 2–9, half-years for 10–11.
    static func periods(grade: Int) -> [(id: String, label: String, range: ClosedRange<CivilDate>)] {
        let d = { (y: Int, m: Int, day: Int) in CivilDate(year: y, month: m, day: day)! }
        if grade >= 10 {
            return [("h1", "1 полугодие", d(2025, 9, 1)...d(2025, 12, 27)), ("h2", "2 полугодие", d(2026, 1, 9)...d(2026, 5, 25))]
        }
        return [
            ("q1", "1 четверть", d(2025, 9, 1)...d(2025, 10, 24)), ("q2", "2 четверть", d(2025, 11, 5)...d(2025, 12, 27)),
            ("q3", "3 четверть", d(2026, 1, 9)...d(2026, 3, 20)), ("q4", "4 четверть", d(2026, 3, 30)...d(2026, 5, 25))
        ]
    }
}
