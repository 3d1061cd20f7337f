import Attestat
public import CivilDate
import FileIO
import GRDB
public import Ledger
public import Policy
public import Records
public import Settings
import Spreadsheet

/// What `uchet frdo` wrote.
public struct FRDOSummary: Sendable {
    public var rows: Int
    public var findings: [FRDOFinding]
    /// Students with a register number but no row in the school's sheet of issued attestats.
    public var notIssued: Int
    /// Relative to the outbox.
    public var path: String
    public var reportPath: String
}

/// The upload of issued attestats to the federal register of education
/// documents (ФИС ФРДО): a workbook whose sheet «Шаблон» has the register's
/// columns in its order, one row per attestat the school has handed out
/// (a register number in the ledger and a row in the sheet of issued
/// attestats), every value checked before it is written. A cell with an
/// error is marked red and listed on «Ошибки» and in a report beside the
/// workbook, like an import report, so the school mends everything in one pass.
public struct FRDOExport: Sendable {
    public let ledger: Ledger
    public let policy: Policy
    public let settings: PipelineSettings

    public static let sheetName = "Шаблон"
    public static let columns = [
        "Название документа", "Вид документа", "Статус документа", "Подтверждение утраты", "Подтверждение обмена", "Подтверждение уничтожения",
        "Серия документа", "Номер документа", "Дата выдачи", "Регистрационный номер", "Фамилия получателя", "Имя получателя",
        "Отчество получателя", "Дата рождения получателя", "Пол получателя", "СНИЛС", "Гражданство получателя (код страны по ОКСМ)", "Форма обучения"
    ]
    /// Columns the register requires (the patronymic and the series are not).
    static let optional: Set<Int> = [6, 12]

    public init(ledger: Ledger, policy: Policy, settings: PipelineSettings) {
        self.ledger = ledger
        self.policy = policy
        self.settings = settings
    }

    /// What the attestat workbook of a class says of its students now.
    struct ClassOutcomes {
        var honours: Set<StudentID> = []
        var outcome: [StudentID: Graduate.Outcome] = [:]
        var leavers: Set<StudentID> = []

        init(_ result: ClassGraduates) {
            for g in result.graduates {
                outcome[g.record.id] = g.outcome
                if g.honours.attestat != nil { honours.insert(g.record.id) }
            }
            leavers = Set(result.leavers.map(\.record.id))
        }

        /// Why the register book has no line for a student now, or `nil` when it has.
        func notIssued(_ id: StudentID) -> String? {
            if leavers.contains(id) { return "обучающийся выбыл до конца учебного года и в число выпускников не входит" }
            switch outcome[id] {
            case .ready?: return nil
            case .withoutAttestat?: return "аттестат не выдаётся (лист «Без аттестата»)"
            case nil: return "обучающегося нет среди выпускников класса"
            case .pending?: return "аттестат пока не может быть выдан"
            }
        }
    }

    /// A row of the school's sheet as the ledger keeps it, with its file.
    struct IssueRow {
        var student: StudentID
        var values: [String: String]
        var file: String
        var cell: String
    }

    func issueRows(year: AcademicYear) throws -> [StudentID: [IssueRow]] {
        try ledger.database.read { db in
            var out: [StudentID: [IssueRow]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT a.*, f.name AS file_name FROM attestat_issue a JOIN file f ON f.id = a.file_id
                    WHERE a.year = ? ORDER BY a.student_id, f.sha256, a.sheet, a.row
                    """, arguments: [year.startYear])
            {
                var values: [String: String] = [:]
                for column in [
                    "register_number", "blank_series", "blank_number", "issue_date", "status", "loss_confirmation",
                    "exchange_confirmation", "destruction_confirmation", "snils", "citizenship", "study_form"
                ] {
                    if let v: String = row[column] { values[column] = v }
                }
                let provenance = Provenance(fileHash: "", fileName: row["file_name"], sheet: row["sheet"], row: row["row"], column: row["col"])
                let id = StudentID(rawValue: row["student_id"])
                out[id, default: []].append(IssueRow(student: id, values: values, file: row["file_name"], cell: provenance.location))
            }
            return out
        }
    }

    public func write(year: AcademicYear, today: CivilDate) throws -> FRDOSummary {
        let issues = try issueRows(year: year)
        let numbers = try ledger.givenRegisterNumbers(year: year, students: try ledger.students(year: year))
        let book = try AttestatBook(ledger: ledger, policy: policy, settings: settings)
        var classes: [String: ClassOutcomes] = [:]
        var lines: [Line] = []
        for (id, rows) in issues {
            guard let record = try ledger.studentRecord(id) else { continue }
            let enrolment = record.enrolments.first { $0.year == year }
            let schoolClass = enrolment?.schoolClass ?? "?"
            let grade = enrolment?.grade ?? 0
            if classes[schoolClass] == nil, book.rules.grade(grade) != nil {
                classes[schoolClass] = ClassOutcomes(try book.graduates(year: year, schoolClass: schoolClass))
            }
            var line = Line(schoolClass: schoolClass, number: numbers[id] ?? Int.max, id: id)
            let row = rows[0]
            let source = "лист выдачи аттестатов: \(row.file), \(row.cell)"
            line.twice(rows)
            line.document(
                level: book.rules.grade(grade)?.level, honours: classes[schoolClass]?.honours.contains(id) == true, year: year, values: row.values,
                source: source)
            line.issue(values: row.values, number: numbers[id], birth: record.birthDate, today: today, source: source)
            if numbers[id] != nil, let outcomes = classes[schoolClass], let why = outcomes.notIssued(id) {
                // A number given before stays the student's, but the book has no line for it now.
                line.fail(
                    9, "E-FRDO-REGISTER",
                    "рег. № \(numbers[id]!) был присвоен раньше, но сейчас \(why) (uchet attestat, «Замечания»): аттестат с этим номером в ФИС ФРДО не вносится"
                )
            }
            line.person(record, values: row.values, source: source)
            line.finish()
            lines.append(line)
        }
        lines.sort { ($0.number, $0.schoolClass, $0.id.rawValue) < ($1.number, $1.schoolClass, $1.id.rawValue) }

        let folder = "frdo/" + year.fileName
        try Files.makeFolders(settings.outbox + "/" + folder)
        let relative = folder + "/ФРДО-аттестаты.xlsx"
        let findings = try workbook(lines, at: settings.outbox + "/" + relative)
        let notIssued = numbers.keys.filter { issues[$0] == nil }.count
        var report = [
            "ФИС ФРДО: аттестаты, выданные в \(year) учебном году — \(relative)",
            "строк: \(lines.count), ошибок: \(findings.count)" + (notIssued > 0 ? ", рег. номер есть, выдача не внесена: \(notIssued)" : "")
        ]
        report += findings.map { "  " + $0.line }
        if !findings.isEmpty {
            report.append(
                "Ячейки с ошибками отмечены красным на листе «\(FRDOExport.sheetName)». Исправьте данные в контингенте или в листе выдачи аттестатов, положите файл в inbox и запустите uchet frdo снова; в реестр загружайте файл без ошибок."
            )
        }
        let reportPath = folder + "/ФРДО-аттестаты.report.txt"
        try Files.writeAtomically(settings.outbox + "/" + reportPath, Array((report.joined(separator: "\n") + "\n").utf8))
        return FRDOSummary(rows: lines.count, findings: findings, notIssued: notIssued, path: relative, reportPath: reportPath)
    }

    /// One graduate's row of the register: its cells, and what is wrong with which (the first problem of each).
    private struct Line {
        var schoolClass: String
        var number: Int
        var id: StudentID
        var cells = Array(repeating: "", count: FRDOExport.columns.count)
        var bad: [Int: (code: String, message: String)] = [:]

        init(schoolClass: String, number: Int, id: StudentID) {
            self.schoolClass = schoolClass
            self.number = number
            self.id = id
        }

        mutating func fail(_ column: Int, _ code: String, _ message: String) { if bad[column] == nil { bad[column] = (code, message) } }

        /// Two rows of the sheet for one student that say different things: neither is chosen.
        mutating func twice(_ rows: [IssueRow]) {
            guard rows.count > 1 else { return }
            for (i, key) in ["blank_number", "issue_date", "blank_series", "register_number"].enumerated()
            where Set(rows.map { $0.values[key] ?? "" }).count > 1 {
                fail(
                    [7, 8, 6, 9][i], "E-FRDO-TWICE",
                    "в листах выдачи аттестатов для обучающегося разные значения: "
                        + rows.map { "«\($0.values[key] ?? "")» (\($0.file), \($0.cell))" }.joined(separator: " и ")
                        + "; оставьте одно и пришлите лист снова")
            }
        }

        /// Columns 1–6: the document's kind, status, confirmations of a duplicate, blank series.
        mutating func document(level: String?, honours: Bool, year: AcademicYear, values v: [String: String], source: String) {
            if let level {
                let kind =
                    level.hasPrefix("основн")
                    ? "Аттестат об основном общем образовании"
                    : level.hasPrefix("средн") ? "Аттестат о среднем общем образовании" : "Аттестат: " + level
                cells[1] = kind
                cells[0] = kind + (honours ? " с отличием" : "")
            } else {
                fail(0, "E-FRDO-GRADE", "обучающийся в \(year) не в выпускном классе (\(schoolClass)): аттестат ему не выдаётся; проверьте строку: \(source)")
            }
            let status = FRDOChecks.status(v["status"])
            cells[2] = status.value ?? v["status"] ?? ""
            if let p = status.problem { fail(2, "E-FRDO-STATUS", p + " (\(source))") }
            for (i, key) in [(3, "loss_confirmation"), (4, "exchange_confirmation"), (5, "destruction_confirmation")] {
                let c = FRDOChecks.confirmation(v[key])
                cells[i] = c.value ?? v[key] ?? ""
                if let p = c.problem { fail(i, "E-FRDO-CONFIRMATION", p + " (\(source))") }
            }
            if status.value == "Дубликат", !(3...5).contains(where: { cells[$0] == "Да" }) {
                fail(3, "E-FRDO-CONFIRMATION", "у дубликата должно быть «Да» в подтверждении утраты, обмена или уничтожения оригинала (\(source))")
            }
            cells[6] = v["blank_series"] ?? ""
        }

        /// Columns 8–10: the blank's number, the date of issue, the register number the ledger gave.
        mutating func issue(values v: [String: String], number: Int?, birth: CivilDate, today: CivilDate, source: String) {
            if let blank = v["blank_number"] {
                cells[7] = blank
                if let p = FRDOChecks.blankNumber(blank) { fail(7, "E-FRDO-BLANK", p + " (\(source))") }
            } else {
                fail(7, "E-FRDO-BLANK", "не внесён номер бланка аттестата: впишите его в лист выдачи аттестатов (\(source)) и пришлите лист снова")
            }
            if let iso = v["issue_date"], let d = CivilDate(parsing: iso) {
                cells[8] = d.russian
                if d < birth || today < d {
                    fail(8, "E-FRDO-DATE", "дата выдачи \(d.russian) \(today < d ? "ещё не наступила" : "раньше даты рождения"); исправьте её (\(source))")
                }
            }
            if let number {
                cells[9] = String(number)
                if let written = v["register_number"], written != String(number) {
                    fail(9, "E-FRDO-REGISTER", "в листе выдачи рег. № \(written), а в книге регистрации (учёт) — \(number); исправьте лист (\(source))")
                }
            } else {
                cells[9] = v["register_number"] ?? ""
                fail(9, "E-FRDO-REGISTER", "обучающемуся не присвоен рег. № книги регистрации: аттестат не может быть выдан (см. uchet attestat, «Замечания»)")
            }
        }

        /// Columns 11–18: the graduate as the roster has them, the sheet's СНИЛС checked against it,
        /// citizenship and form of study.
        mutating func person(_ record: StudentRecord, values v: [String: String], source: String) {
            cells[10] = record.name.surname
            cells[11] = record.name.name
            cells[12] = record.name.patronymic ?? ""
            for (i, what) in [(10, "фамилия"), (11, "имя"), (12, "отчество")] where !cells[i].isEmpty {
                if let p = FRDOChecks.name(cells[i], what: what) { fail(i, p.code, p.message) }
            }
            cells[13] = record.birthDate.russian
            switch record.sex {
            case .male: cells[14] = "Муж"
            case .female: cells[14] = "Жен"
            case nil: fail(14, "E-FRDO-REQUIRED", "пол не указан в контингенте: впишите «м» или «ж» в столбец «Пол» и пришлите контингент снова")
            }
            // The sheet's СНИЛС, when written, is checked and must agree with the roster's.
            let stored = record.snils.flatMap(SNILS.init(stored:))
            if let written = v["snils"] {
                let check = FRDOChecks.snils(written)
                cells[15] = check.formatted ?? written
                if check.formatted == nil {
                    fail(15, check.code, check.message + " (\(source))")
                } else if let stored, stored.description != check.formatted {
                    fail(
                        15, "E-FRDO-SNILS-MISMATCH",
                        "СНИЛС в листе выдачи (\(check.formatted!)) не совпадает с контингентом (\(stored.description)); исправьте неверный (\(source))")
                }
            } else if let stored {
                cells[15] = stored.description
            } else {
                fail(15, "E-FRDO-REQUIRED", "нет СНИЛС: ни в контингенте, ни в листе выдачи аттестатов; впишите его в столбец «СНИЛС» одного из них")
            }
            let citizenship = FRDOChecks.citizenship(v["citizenship"])
            cells[16] = citizenship.code ?? v["citizenship"] ?? ""
            if let p = citizenship.problem { fail(16, "E-FRDO-CITIZENSHIP", p + " (\(source))") }
            let form = FRDOChecks.studyForm(v["study_form"])
            cells[17] = form.value ?? v["study_form"] ?? ""
            if let p = form.problem { fail(17, "E-FRDO-FORM", p + " (\(source))") }
        }

        /// The register's required columns filled, its dates as dates.
        mutating func finish() {
            for i in FRDOExport.columns.indices where cells[i].isEmpty && !FRDOExport.optional.contains(i) && bad[i] == nil {
                fail(i, "E-FRDO-REQUIRED", "графа «\(FRDOExport.columns[i])» обязательна в реестре и пуста")
            }
            for i in [8, 13] where !cells[i].isEmpty && bad[i] == nil {
                if let p = FRDOChecks.date(cells[i]) { fail(i, "E-FRDO-DATE", p) }
            }
        }
    }

    /// The register's workbook: its rows, the cells with problems in red, and a sheet listing
    /// each problem by cell; the problems.
    private func workbook(_ lines: [Line], at path: String) throws -> [FRDOFinding] {
        let writer = try XLSXWriter(path: path)
        let sheet = try writer.addSheet(
            FRDOExport.sheetName,
            layout: SheetLayout(
                columnWidths: [40, 36, 12, 12, 12, 12, 10, 18, 12, 12, 18, 16, 18, 12, 8, 16, 14, 14], frozenRows: 1))
        try sheet.addRow(FRDOExport.columns.map { .text($0, .borderedHeader) }, height: 60)
        var findings: [FRDOFinding] = []
        for (index, line) in lines.enumerated() {
            let rowNumber = index + 2
            try sheet.addRow(line.cells.enumerated().map { i, text in .text(text, line.bad[i] == nil ? .bordered : .borderedError) })
            for (i, problem) in line.bad.sorted(by: { $0.key < $1.key }) {
                findings.append(
                    FRDOFinding(
                        cell: columnName(i + 1) + String(rowNumber), column: FRDOExport.columns[i], code: problem.code,
                        message: problem.message, student: line.id.rawValue))
            }
        }
        let errors = try writer.addSheet("Ошибки", layout: SheetLayout(columnWidths: [10, 14, 30, 22, 100], frozenRows: 1))
        try errors.addRow(texts: ["Ячейка", "ID", "Графа", "Код", "Что не так и что сделать"], style: .borderedHeader)
        for f in findings {
            try errors.addRow([
                .text(FRDOExport.sheetName + "!" + f.cell, .bordered), .text(f.student, .bordered), .text(f.column, .bordered),
                .text(f.code, .bordered), .text(f.message, .bordered)
            ])
        }
        try writer.close()
        return findings
    }

    /// `A`, `B`, … `R`.
    private func columnName(_ n: Int) -> String { Provenance.columnName(n) }
}
