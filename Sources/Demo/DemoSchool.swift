import CivilDate
import Digest
import Crypto
import Records
import Spreadsheet
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet demo`: a realistic school's year of exports, in every input shape
/// the profiles know, with a few deliberate mistakes, so a new user sees
/// both acceptance and rejection.
public enum DemoSchool {
    public struct Report: Sendable {
        public var files: [String] = []
        public var students = 0
        public var classes = 0
        public var marks = 0
        /// Files made wrong on purpose, and why.
        public var mistakes: [(file: String, why: String)] = []
        /// Graduates planted for the attestat's rules: student id (or class), and what each shows.
        public var attestatCases: [(who: String, what: String)] = []
    }

    /// Writes the school's files into `folder`; the electronic journal's exports go into its
    /// subfolder `journalFolder` when the school declares one (`pipeline.json`, «sources»).
    public static func write(into folder: String, students: Int, seed: UInt64, journalFolder: String? = nil) throws -> Report {
        var random = SeededRandom(seed: seed)
        let school = School(size: students, random: &random)
        var writer = Writer(folder: folder, school: school, random: random)
        if let journalFolder {
            guard mkdir(folder + "/" + journalFolder, 0o700) == 0 || errno == EEXIST else {
                throw DemoError(message: "папка \(folder)/\(journalFolder) не создаётся")
            }
            writer.journal = journalFolder + "/"
        }
        try writer.all()
        writer.report.students = students
        writer.report.classes = school.classes.count
        writer.report.attestatCases = writer.cases.list
        return writer.report
    }
}

private struct Writer {
    let folder: String
    let school: School
    var random: SeededRandom
    var report = DemoSchool.Report()
    /// Where the electronic journal's exports go, inside the folder (`journal/`), or "" for the folder itself.
    var journal = ""
    /// Period and annual marks per student and subject, for the files that repeat them.
    var periodMarks: [String: [String: [String: String]]] = [:] // journal id → subject → period → mark
    let cases: AttestatCases

    init(folder: String, school: School, random: SeededRandom) {
        self.folder = folder
        self.school = school
        self.random = random
        cases = AttestatCases(school)
    }

    /// The subjects a class studies: the grade's, with «Математика» for the courses in the class that is taught so.
    func subjects(_ schoolClass: SchoolClass) -> [(name: String, hours: Int)] {
        School.subjects(grade: schoolClass.grade, mathematicsAsOne: schoolClass == cases.mathematicsClass)
    }

    mutating func all() throws {
        try roster()
        for (k, schoolClass) in school.classes.enumerated() where schoolClass.grade >= 2 {
            try gradebook(schoolClass)
            try periodSheet(schoolClass, style: k % 3)
        }
        try priorYears()
        try exams()
        try achievements()
        try sidecars()
        try encouragements()
        try development()
        try conflictsAndMistakes()
        // What intake must leave alone: an Excel lock file and a download in progress.
        try write("~$Контингент 2025-2026.xlsx", Array("lock".utf8), listed: false)
        try write("выгрузка журнала.csv.part", Array("Дата;Класс".utf8), listed: false)
    }

    // MARK: - Files

    mutating func write(_ name: String, _ bytes: [UInt8], listed: Bool = true) throws {
        let path = folder + "/" + name
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { throw DemoError(message: "файл \(path) не создаётся") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            guard n > 0 else { throw DemoError(message: "файл \(path) не записывается") }
            offset += n
        }
        if listed { report.files.append(name) }
    }

    mutating func workbook(_ name: String, _ sheets: [(name: String, rows: [[XLSXCell?]], merges: [String])], widths: [Double] = []) throws {
        let writer = try XLSXWriter(path: folder + "/" + name)
        for sheet in sheets {
            let s = try writer.addSheet(sheet.name, layout: SheetLayout(columnWidths: widths))
            for row in sheet.rows { try s.addRow(row) }
            for m in sheet.merges { s.merge(CellRange(m)!) }
        }
        try writer.close()
        report.files.append(name)
    }

    // MARK: - Roster

    mutating func roster() throws {
        var sheets: [(name: String, rows: [[XLSXCell?]], merges: [String])] = []
        for schoolClass in school.classes {
            var rows: [[XLSXCell?]] = [[.text("Список обучающихся \(schoolClass) класса на 01.09.2025")], []]
            rows.append(["№", "ID", "Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "СНИЛС", "Дата зачисления", "Дата выбытия"].map { .text($0, .bold) })
            for (i, s) in school.students(in: schoolClass).enumerated() {
                rows.append([
                    .number(i + 1), .text(s.journalID), .text(s.name.surname), .text(s.name.name), .text(s.name.patronymic ?? ""),
                    .date(s.birthDate), .text(s.sex.rawValue), .text(s.snils),
                    s.journalID == cases.transfer ? .date(CivilDate(year: 2025, month: 9, day: 1)!) : nil,
                    s.journalID == cases.left ? .date(cases.leftOn) : nil
                ])
            }
            sheets.append((schoolClass.description, rows, []))
        }
        try workbook("Контингент 2025-2026.xlsx", sheets, widths: [5, 10, 18, 14, 18, 14, 6, 16, 14, 14])
    }

    // MARK: - Marks

    /// A mark around a student's ability.
    mutating func mark(_ ability: Double) -> Int {
        let noise = (Double(random.int(1000)) + Double(random.int(1000)) - 1000) / 700
        return min(5, max(2, Int((ability + noise).rounded())))
    }

    static func rounded(_ values: [Int]) -> Int {
        let mean = Double(values.reduce(0, +)) / Double(values.count)
        return Int((mean + 0.5).rounded(.down))
    }

    /// A gradebook dump: Windows-1251, `;`, CR LF, a title line, marks with double marks and absences.
    mutating func gradebook(_ schoolClass: SchoolClass) throws {
        let works = ["Ответ на уроке", "Самостоятельная работа", "Контрольная работа", "Домашнее задание", "Проверочная работа", "Тест"]
        var lines = ["Выгрузка текущих отметок \(schoolClass) класса за 2025/2026 учебный год", "Дата;Класс;ID;Ученик;Предмет;Отметка;Вид работы;Вес"]
        for student in school.students(in: schoolClass) {
            let subjectAbility = subjects(schoolClass).map { ($0, student.ability + Double(random.int(100) - 50) / 100) }
            // A student who left mid-year has no marks after leaving, and no annual marks.
            let leftOn = student.journalID == cases.left ? cases.leftOn : nil
            for ((subject, hours), ability) in subjectAbility {
                var marks: [String: String] = [:]
                var periodValues: [Int] = []
                for period in School.periods(grade: schoolClass.grade) where leftOn.map({ period.range.lowerBound < $0 }) ?? true {
                    if School.isPassFail(subject) {
                        marks[period.id] = "зач"
                        continue
                    }
                    if student.exempt, subject == "Физическая культура" {
                        marks[period.id] = "осв"
                        continue
                    }
                    let days = period.range.upperBound.daysSinceEpoch - period.range.lowerBound.daysSinceEpoch
                    let count = max(3, hours * days / 7 * 5 / 6)
                    var values: [Int] = []
                    for _ in 0..<count {
                        var date = period.range.lowerBound.adding(days: random.int(days + 1))
                        if (date.daysSinceEpoch + 3) % 7 >= 5 { date = date.adding(days: -2) } // weekends move to Thursday/Friday
                        let work = random.int(10) < 2 ? works[2] : random.pick(works)
                        let weight = work == works[2] ? "2" : "1"
                        if random.chance(0.04) {
                            lines.append("\(date.russian);\(schoolClass);\(student.journalID);\(student.name);\(subject);н;;")
                            continue
                        }
                        var cell = String(mark(ability))
                        values.append(Int(cell)!)
                        if random.chance(0.03) {
                            let second = mark(ability)
                            values.append(second)
                            cell += "/\(second)"
                        }
                        report.marks += cell.contains("/") ? 2 : 1
                        lines.append("\(date.russian);\(schoolClass);\(student.journalID);\(student.name);\(subject);\(cell);\(work);\(weight)")
                    }
                    let value = values.isEmpty ? Int(ability.rounded()) : Writer.rounded(values)
                    marks[period.id] = String(value)
                    periodValues.append(value)
                }
                if leftOn == nil { marks["year"] = periodValues.isEmpty ? marks.values.first ?? "зач" : String(Writer.rounded(periodValues)) }
                periodMarks[student.journalID, default: [:]][subject] = marks
            }
            plant(student)
        }
        try write(journal + "Журнал \(schoolClass).csv", Windows1251.encode(lines.joined(separator: "\r\n") + "\r\n"))
    }

    /// The period and annual marks the attestat cases need.
    mutating func plant(_ student: School.Student) {
        let id = student.journalID
        // A planted case shows its one point: no other «2» to hide it.
        if cases.planted.contains(id) {
            for (subject, marks) in periodMarks[id] ?? [:] { periodMarks[id]![subject] = marks.mapValues { $0 == "2" ? "3" : $0 } }
        }
        if cases.excellent.contains(id) {
            for (subject, marks) in periodMarks[id] ?? [:] {
                periodMarks[id]![subject] = marks.mapValues { Int($0) != nil || $0 == "осв" ? "5" : $0 }
            }
        }
        if id == cases.ogeTwo { periodMarks[id]?["Физика"]?["year"] = "5" }
        if id == cases.annualTwo {
            periodMarks[id]?[AttestatCases.annualTwoSubject]?["q4"] = "2"
            periodMarks[id]?[AttestatCases.annualTwoSubject]?["year"] = "2"
        }
    }

    /// The period and annual marks, in one of the shapes schools keep them.
    mutating func periodSheet(_ schoolClass: SchoolClass, style: Int) throws {
        let students = school.students(in: schoolClass)
        let subjects = self.subjects(schoolClass).map(\.name)
        let periods = School.periods(grade: schoolClass.grade).map { ($0.id, $0.label) } + [("year", "Год")]
        func value(_ s: School.Student, _ subject: String, _ period: String) -> XLSXCell? {
            guard let v = periodMarks[s.journalID]?[subject]?[period] else { return nil }
            return Int(v).map { .number($0) } ?? .text(v)
        }
        report.marks += students.count * subjects.count * periods.count
        if schoolClass.grade >= 10 {
            // Long, UTF-8 with BOM, commas: as a spreadsheet saves «CSV UTF-8».
            var lines = ["ФИО,ID,Класс,Предмет,Период,Отметка"]
            for s in students {
                for subject in subjects {
                    for (id, label) in periods {
                        guard let v = periodMarks[s.journalID]?[subject]?[id] else { continue }
                        lines.append("\(s.name),\(s.journalID),\(schoolClass),\"\(subject)\",\(label),\(v)")
                    }
                }
            }
            try write("Отметки за полугодия \(schoolClass).csv", [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8))
            return
        }
        switch style {
        case 0:
            // The journal's summary: a row per period, the name on the first row of each group (merged).
            var rows: [[XLSXCell?]] = [[.text("Итоговые отметки обучающихся \(schoolClass) класса, 2025/2026 учебный год")]]
            rows.append([.text("№", .header), .text("ФИО", .header), .text("Период", .header)] + subjects.map { .text($0, .header) })
            var merges: [String] = []
            for (i, s) in students.enumerated() {
                let first = rows.count + 1
                for (j, (id, label)) in periods.enumerated() {
                    let lead: [XLSXCell?] = j == 0 ? [.number(i + 1), .text(s.name.description)] : [nil, nil]
                    rows.append(lead + [.text(label)] + subjects.map { value(s, $0, id) })
                }
                merges += ["A\(first):A\(first + periods.count - 1)", "B\(first):B\(first + periods.count - 1)"]
            }
            try workbook(journal + "Итоговые отметки \(schoolClass).xlsx", [(schoolClass.description, rows, merges)], widths: [5, 34, 14])
        case 1:
            // A hand-kept sheet: each subject merged over its period columns, the periods below.
            var top: [XLSXCell?] = [.text("№", .header), .text("ФИО", .header)]
            var below: [XLSXCell?] = [nil, nil]
            var merges = ["A2:A3", "B2:B3"]
            for subject in subjects {
                let start = top.count + 1
                top.append(.text(subject, .header))
                top += Array(repeating: nil, count: periods.count - 1)
                below += periods.map { .text($0.1 == "Год" ? "Год" : String($0.1.prefix(1)) + " ч", .header) }
                merges.append("\(CellReference.columnName(start))2:\(CellReference.columnName(start + periods.count - 1))2")
            }
            var rows: [[XLSXCell?]] = [[.text("Ведомость успеваемости \(schoolClass) класса, 2025/2026 учебный год")], top, below]
            for (i, s) in students.enumerated() {
                rows.append([.number(i + 1), .text(s.name.description)] + subjects.flatMap { subject in periods.map { value(s, subject, $0.0) } })
            }
            try workbook("Ведомость \(schoolClass).xlsx", [(schoolClass.description, rows, merges)], widths: [5, 34])
        default:
            // A summary sheet per period, the period in the title.
            var sheets: [(name: String, rows: [[XLSXCell?]], merges: [String])] = []
            for (id, label) in periods {
                let title = id == "year" ? "годовые отметки" : "за \(label)"
                var rows: [[XLSXCell?]] = [[.text("Сводная ведомость \(schoolClass) класса: \(title), 2025/2026 учебный год")], []]
                rows.append([.text("№", .header), .text("ФИО", .header)] + subjects.map { .text($0, .header) })
                for (i, s) in students.enumerated() {
                    rows.append([.number(i + 1), .text(s.name.description)] + subjects.map { value(s, $0, id) })
                }
                rows.append([nil, .text("Средний балл")])
                sheets.append((label, rows, []))
            }
            try workbook("Сводные ведомости \(schoolClass).xlsx", sheets, widths: [5, 34])
        }
    }

    /// Last years' annual marks the attestat needs: 10th grade for today's
    /// 11th graders, subjects finished before 9th grade for today's 9th
    /// graders, and primary school's, which never enter an attestat.
    mutating func priorYears() throws {
        var rows: [[XLSXCell?]] = [["ID", "ФИО", "Класс", "Учебный год", "Предмет", "Период", "Отметка"].map { .text($0, .header) }]
        for s in school.students where s.schoolClass.grade == 9 || s.schoolClass.grade == 11 {
            // A transfer's earlier marks have not come in.
            if s.journalID == cases.transfer { continue }
            let letter = s.schoolClass.letter
            var earlier: [(grade: Int, year: String, subjects: [String], periods: [String])] = []
            if s.schoolClass.grade == 9 {
                earlier = [
                    (8, "2024/2025", ["Музыка", "Труд (технология)"], ["Год"]), (7, "2023/2024", ["Изобразительное искусство"], ["Год"]),
                    (4, "2021/2022", ["Литературное чтение", "Окружающий мир", "Основы религиозных культур и светской этики"], ["Год"])
                ]
            } else {
                earlier = [(10, "2024/2025", School.subjects(grade: 10).map(\.name), ["1 полугодие", "2 полугодие", "Год"])]
            }
            let excellent = cases.excellent.contains(s.journalID)
            for e in earlier {
                for subject in e.subjects {
                    // A student who went up a grade had no annual «2».
                    let base = excellent ? 5 : max(3, mark(s.ability))
                    for period in e.periods {
                        let v = period == "Год" || excellent ? base : min(5, max(2, base + (random.chance(0.3) ? (random.chance(0.5) ? 1 : -1) : 0)))
                        let cell: XLSXCell =
                            School.isPassFail(subject)
                            ? .text("зач")
                            : s.exempt && subject == "Физическая культура" && !excellent ? .text("осв") : .number(v)
                        rows.append([
                            .text(s.journalID), .text(s.name.description), .text("\(e.grade)\(letter)"), .text(e.year),
                            .text(subject), .text(period), cell
                        ])
                        report.marks += 1
                    }
                }
            }
        }
        try workbook("Отметки прошлых лет (9 и 11 классы).xlsx", [("Отметки", rows, [])], widths: [10, 34, 8, 12, 30, 14, 9])
    }

    // MARK: - State exams

    mutating func exams() throws {
        let ogeChoice = ["Обществознание", "Информатика", "Биология", "География", "Химия", "Физика", "История", "Литература"]
        var oge: [[XLSXCell?]] = [
            [.text("Результаты ОГЭ, 2026")],
            ["ID", "ФИО", "Класс", "Предмет", "Форма", "Первичный балл", "Отметка", "Дата", "Пересдача"].map { .text($0, .header) }
        ]
        var ege: [[XLSXCell?]] = [
            [.text("Результаты ЕГЭ, 2026")],
            ["ID", "ФИО", "Класс", "Предмет", "Форма", "Уровень", "Тестовый балл", "Отметка", "Дата"].map { .text($0, .header) }
        ]
        var gve: [[XLSXCell?]] = [
            [.text("Результаты ГВЭ-11, 2026")],
            ["ID", "ФИО", "Класс", "Предмет", "Форма", "Отметка", "Дата"].map { .text($0, .header) }
        ]
        let day = { (m: Int, d: Int) in XLSXCell.date(CivilDate(year: 2026, month: m, day: d)!) }
        for s in school.students where s.schoolClass.grade == 9 && s.journalID != cases.left {
            var subjects = ["Русский язык", "Математика"]
            if s.journalID == cases.ogeTwo { subjects.append("Физика") }
            while subjects.count < 4 {
                let c = random.pick(ogeChoice)
                if !subjects.contains(c) { subjects.append(c) }
            }
            for (i, subject) in subjects.enumerated() {
                // Few fail an exam; the planted cases show what happens when one does.
                var m = max(3, mark(s.ability))
                var cell: XLSXCell = .number(m)
                if s.journalID == cases.ogeTwo, subject == "Физика" {
                    m = 2
                    cell = .number(2)
                }
                if s.journalID == cases.retake, subject == "Математика" {
                    m = 2
                    cell = .number(2)
                }
                if s.journalID == cases.noShow, i == 3 { cell = .text("не явился") }
                let primary: XLSXCell? = cell == .number(m) ? .number(6 + m * 5 + random.int(4)) : nil
                oge.append([
                    .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text(subject), .text("ОГЭ"),
                    primary, cell, [day(5, 20), day(5, 24), day(5, 28), day(6, 3)][i], nil
                ])
                if s.journalID == cases.retake, subject == "Математика" {
                    oge.append([
                        .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text(subject), .text("ОГЭ"),
                        .number(28), .number(4), day(6, 25), .text("да")
                    ])
                }
            }
        }
        for (k, s) in school.students.filter({ $0.schoolClass.grade == 11 }).enumerated() {
            if s.journalID == cases.gveMedal {
                for (subject, date) in [("Русский язык", day(5, 27)), ("Математика", day(6, 3))] {
                    gve.append([.text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text(subject), .text("ГВЭ"), .number(5), date]
                    )
                }
                continue
            }
            let planted = s.journalID == cases.basicTwo
            let profile = s.ability > 3.6 && !planted
            var rows: [(String, String?)] = [("Русский язык", nil), ("Математика", profile ? "профильный" : "базовый")]
            let choice = ["Обществознание", "Физика", "Информатика", "История", "Биология", "Химия", "Литература", "Английский язык"]
            if planted { rows.append(("Физика", nil)) }
            while rows.count < 4 {
                let c = random.pick(choice)
                if !rows.contains(where: { $0.0 == c }) { rows.append((c, nil)) }
            }
            for (i, (subject, level)) in rows.enumerated() {
                let score = planted ? 80 + i : min(100, max(30, Int(s.ability * 18) - 8 + random.int(20)))
                // Mathematics by level, as each journal names it: in the subject, or in a column of its own.
                var name = subject
                var levelCell = level.map { XLSXCell.text($0) }
                if let level {
                    switch k % 3 {
                    case 0:
                        name = "Математика (\(level) уровень)"
                        levelCell = nil
                    case 1:
                        name = level == "профильный" ? "Математика П" : "Математика Б"
                        levelCell = nil
                    default: break
                    }
                }
                if level == "базовый" {
                    let m = planted ? 2 : max(3, mark(s.ability))
                    ege.append([
                        .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text(name), .text("ЕГЭ"),
                        levelCell, nil, .number(m), day(6, 2)
                    ])
                } else {
                    ege.append([
                        .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text(name), .text("ЕГЭ"),
                        levelCell, .number(score), nil, day(5, 26 + i)
                    ])
                }
            }
        }
        try workbook("ОГЭ 2026.xlsx", [("ОГЭ", oge, [])], widths: [10, 34, 8, 24, 8, 10, 9, 12, 10])
        try workbook("ЕГЭ 2026.xlsx", [("ЕГЭ", ege, [])], widths: [10, 34, 8, 34, 8, 12, 10, 9, 12])
        if gve.count > 2 { try workbook("ГВЭ-11 2026.xlsx", [("ГВЭ", gve, [])], widths: [10, 34, 8, 24, 8, 9, 12]) }
    }

    // MARK: - Achievements, encouragements, personal results

    static let events: [(category: String, name: String)] = [
        ("Олимпиада", "Всероссийская олимпиада школьников по математике"), ("Олимпиада", "Всероссийская олимпиада школьников по русскому языку"),
        ("Олимпиада", "Олимпиада «Покори Воробьёвы горы!»"), ("Конкурс", "Конкурс чтецов «Живая классика»"),
        ("Спортивные соревнования", "Первенство города по лёгкой атлетике"), ("ГТО", "Сдача норм ГТО"),
        ("Проект", "Научно-практическая конференция «Шаг в будущее»"), ("Фестиваль", "Фестиваль детского творчества «Радуга»")
    ]

    mutating func achievements() throws {
        var rows: [[XLSXCell?]] = [
            [.text("Реестр достижений обучающихся, 2025/2026 учебный год")],
            [
                "ID", "ФИО", "Класс", "Направление", "Категория", "Мероприятие", "Уровень", "Результат", "Дата",
                "Документ", "Номер документа", "ГИР", "Другая организация", "Согласие"
            ].map { .text($0, .header) }
        ]
        let levels = ["школьный", "муниципальный", "региональный", "всероссийский"]
        for s in school.students where s.schoolClass.grade >= 3 && random.chance(0.35) {
            let event = random.pick(Writer.events)
            let level = random.pick(levels)
            let result =
                event.category == "ГТО"
                ? random.pick(["золотой знак", "серебряный знак", "бронзовый знак"])
                : random.pick(["победитель", "призёр", "участник", "участник"])
            let group =
                event.category == "Проект"
                ? "Учебные достижения" : random.pick(["Внеурочная деятельность", "Дополнительное образование", "Внеурочная деятельность"])
            let document = event.category == "ГТО" ? "удостоверение" : result == "участник" ? "сертификат" : "диплом"
            let date = CivilDate(year: 2025, month: 10, day: 1)!.adding(days: random.int(220))
            let other = group == "Дополнительное образование" && random.chance(0.3)
            rows.append([
                .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text(group), .text(event.category),
                .text(event.name), .text(level), .text(result), .date(date), .text(document), .text("\(100 + random.int(900))-\(random.int(10000))"),
                .text(result == "победитель" && level != "школьный" && random.chance(0.5) ? "да" : ""),
                other ? .text("ДДТ «Радуга»") : nil, other ? .text("заявление № \(random.int(90) + 10) от 01.10.2025") : nil
            ])
        }
        try workbook("Реестр достижений.xlsx", [("Реестр", rows, [])], widths: [10, 34, 8, 26, 22, 50, 16, 14, 12, 14, 14, 6, 18, 28])
    }

    /// Scanned diplomas with their JSON descriptions; one scan was replaced after its description was made.
    mutating func sidecars() throws {
        let candidates = school.students.filter { $0.schoolClass.grade >= 5 }
        guard !candidates.isEmpty else { return }
        for i in 0..<min(12, candidates.count) {
            let s = candidates[(i * 37) % candidates.count]
            let scanName = "диплом-\(s.journalID)-\(i + 1).pdf"
            let scan = Array("%PDF-1.4\n% скан диплома \(i + 1) (демонстрационный)\n%%EOF\n".utf8)
            try write(scanName, scan, listed: false)
            var sha = SHA256Hex.of(scan)
            let broken = i == 5
            if broken { sha = String(sha.reversed()) }
            let event = Writer.events[i % 4]
            let json = """
                {
                  "ФИО": "\(s.name)",
                  "journalId": "\(s.journalID)",
                  "class": "\(s.schoolClass)",
                  "group": "Внеурочная деятельность",
                  "category": "\(event.category)",
                  "event": "\(event.name), муниципальный этап",
                  "level": "муниципальный",
                  "result": "\(i % 3 == 0 ? "победитель" : "призёр")",
                  "date": "2026-0\(1 + i % 4)-1\(i % 9)",
                  "document": "диплом",
                  "documentNumber": "Д-\(2026_000 + i)",
                  "scan": "\(scanName)",
                  "sha256": "\(sha)"
                }
                """
            let name = "диплом-\(s.journalID)-\(i + 1).json"
            try write(name, Array(json.utf8))
            if broken { report.mistakes.append((name, "SHA-256 в описании не совпадает со сканом (скан заменён)")) }
        }
    }

    mutating func encouragements() throws {
        var rows: [[XLSXCell?]] = [["ID", "ФИО", "Класс", "Вид поощрения", "Вид деятельности", "Номер приказа", "Дата приказа"].map { .text($0, .header) }]
        for s in school.students where s.schoolClass.grade >= 2 {
            let marks = periodMarks[s.journalID] ?? [:]
            let allFive = !marks.isEmpty && marks.values.allSatisfy { ["5", "зач", "осв"].contains($0["year"] ?? "") }
            if allFive, s.schoolClass.grade != 9, s.schoolClass.grade != 11 {
                rows.append([
                    .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text("Похвальный лист"),
                    .text("учебная"), .text("№ 245-о"), .date(CivilDate(year: 2026, month: 5, day: 29)!)
                ])
            } else if random.chance(0.04) {
                rows.append([
                    .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text("Грамота"),
                    .text(random.pick(["спортивная", "творческая", "общественная"])), .text("№ 112-о"), .date(CivilDate(year: 2025, month: 12, day: 26)!)
                ])
            }
        }
        if rows.count == 1, let s = school.students.first(where: { $0.schoolClass.grade >= 2 }) {
            rows.append([
                .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text("Грамота"),
                .text("общественная"), .text("№ 112-о"), .date(CivilDate(year: 2025, month: 12, day: 26)!)
            ])
        }
        try workbook("Поощрения 2025-2026.xlsx", [("Приказы", rows, [])], widths: [10, 34, 8, 22, 18, 14, 14])
    }

    mutating func development() throws {
        var personal: [[XLSXCell?]] = [["ID", "ФИО", "Класс", "Личностный результат", "Показатель", "Уровень", "Дата"].map { .text($0, .header) }]
        var meta: [[XLSXCell?]] = [["ID", "ФИО", "Класс", "Группа УУД", "Умение", "Уровень сформированности", "Дата"].map { .text($0, .header) }]
        let levels = ["низкий", "базовый", "повышенный", "высокий"]
        for s in school.students where s.schoolClass.grade == 5 || s.schoolClass.grade == 9 {
            let date = CivilDate(year: 2026, month: 4, day: 15)!
            personal.append([
                .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text("Готовность к самообразованию"),
                .text("диагностика мотивации"), .text(random.pick(levels)), .date(date)
            ])
            if random.chance(0.2) {
                personal.append([
                    .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text("Волонтёрство"),
                    .text("часы волонтёрской работы"), .text("\(10 + random.int(40)) ч"), .date(date)
                ])
            }
            for group in ["Регулятивные", "Познавательные", "Коммуникативные"] {
                meta.append([
                    .text(s.journalID), .text(s.name.description), .text(s.schoolClass.description), .text(group),
                    .text(group == "Познавательные" ? "смысловое чтение" : group == "Регулятивные" ? "планирование" : "выражение своего мнения"),
                    .text(random.pick(levels)), .date(date)
                ])
            }
        }
        try workbook("Личностные результаты.xlsx", [("Результаты", personal, [])], widths: [10, 34, 8, 30, 26, 12, 12])
        try workbook("Метапредметные результаты (УУД).xlsx", [("УУД", meta, [])], widths: [10, 34, 8, 20, 26, 16, 12])
    }

    // MARK: - Conflicts and mistakes

    mutating func conflictsAndMistakes() throws {
        // The class teacher's own sheet disagrees with the journal twice: the journal's summary outranks it.
        if let journalClass = school.classes.enumerated().first(where: { $0.element.grade >= 2 && $0.element.grade <= 9 && $0.offset % 3 == 0 })?.element,
            let subject = School.subjects(grade: journalClass.grade).first?.name
        {
            let students = Array(school.students(in: journalClass).prefix(2))
            var rows: [[XLSXCell?]] = [
                [.text("Ведомость классного руководителя \(journalClass) класса за 1 четверть 2025/2026 учебного года")],
                [.text("№"), .text("ФИО"), .text(subject)]
            ]
            for (i, s) in students.enumerated() {
                let journal = Int(periodMarks[s.journalID]?[subject]?["q1"] ?? "4") ?? 4
                rows.append([.number(i + 1), .text(s.name.description), .number(journal == 5 ? 4 : journal + 1)])
            }
            try workbook("Ведомость классного руководителя \(journalClass).xlsx", [("1 четверть", rows, [])], widths: [5, 34, 14])
        }
        // Two hand-kept sheets disagree: no rule decides, the conflict stays open for a person.
        if let manualClass = school.classes.enumerated().first(where: { $0.element.grade >= 2 && $0.element.grade <= 9 && $0.offset % 3 == 1 })?.element,
            let s = school.students(in: manualClass).first
        {
            let subject = School.subjects(grade: manualClass.grade)[1].name
            let current = Int(periodMarks[s.journalID]?[subject]?["q2"] ?? "4") ?? 4
            let rows: [[XLSXCell?]] = [
                [.text("Исправления отметок \(manualClass) класса за 2 четверть 2025/2026 учебного года")],
                [.text("ФИО"), .text(subject)], [.text(s.name.description), .number(current == 2 ? 3 : current - 1)]
            ]
            try workbook("Исправления \(manualClass).xlsx", [("2 четверть", rows, [])], widths: [34, 14])
        }
        // A subject misspelt: the file is rejected with the nearest name suggested.
        if let c = school.classes.first(where: { $0.grade == 7 }), let s = school.students(in: c).first {
            let rows: [[XLSXCell?]] = [
                [.text("ID"), .text("ФИО"), .text("Класс"), .text("Предмет"), .text("Период"), .text("Отметка")],
                [.text(s.journalID), .text(s.name.description), .text(c.description), .text("Алгебраа"), .text("Год"), .number(4)]
            ]
            let name = "Доп. отметки \(c).xlsx"
            try workbook(name, [("Отметки", rows, [])])
            report.mistakes.append((name, "предмет «Алгебраа» (опечатка)"))
        }
        // A result from another organisation without the family's consent (5.1).
        if let s = school.students.first(where: { $0.schoolClass.grade == 6 }) {
            let rows: [[XLSXCell?]] = [
                ["ФИО", "Класс", "Направление", "Категория", "Мероприятие", "Дата", "Другая организация", "Согласие"].map { .text($0) },
                [
                    .text(s.name.description), .text(s.schoolClass.description), .text("Дополнительное образование"), .text("Конкурс"),
                    .text("Городской конкурс рисунка"), .date(CivilDate(year: 2026, month: 3, day: 3)!), .text("Художественная школа № 1"), nil
                ]
            ]
            let name = "Достижения из художественной школы.xlsx"
            try workbook(name, [("Достижения", rows, [])])
            report.mistakes.append((name, "достижение из другой организации без заявления (п. 5.1)"))
        }
    }
}

struct DemoError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
