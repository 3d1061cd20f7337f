public import CivilDate
import GRDB
public import Records

/// Where a fact came from, as the ledger keeps it.
public struct SourceRef: Sendable, Hashable {
    public var fileID: Int64
    public var sheet: String?
    public var row: Int?
    public var column: Int?

    /// `Ведомость!C14`, `строка 812, столбец 4`, `строка 812`.
    public func location(fileName: String) -> String {
        Provenance(fileHash: "", fileName: fileName, sheet: sheet, row: row, column: column).location
    }

    /// The cell as `uchet inspect` names it: `Ведомость!C14` in a workbook,
    /// `E812` (column, line) in a CSV file, `Ведомость!14:14` or `14:14` for a whole row.
    public var cell: String? {
        guard let row else { return sheet }
        let reference = column.map { Provenance.columnName($0) + String(row) } ?? "\(row):\(row)"
        return sheet.map { $0 + "!" + reference } ?? reference
    }
}

/// A file the ledger merged.
public struct SourceFileRow: Sendable, Hashable {
    public var id: Int64
    public var sha256: String
    public var name: String
    public var sourceKind: String?
    /// Why the file has that kind: the folder it was put in.
    public var sourceReason: String?
}

/// Everything the ledger holds about one student, for the outputs.
public struct StudentRecord: Sendable {
    public struct EnrolmentRow: Sendable, Hashable {
        public var year: AcademicYear
        public var schoolClass: String
        public var grade: Int
        public var enrolled: CivilDate?
        public var left: CivilDate?
        public var source: SourceRef
    }

    public struct MarkRow: Sendable, Hashable {
        public var fact: Int64
        public var subject: String
        public var year: AcademicYear
        public var schoolClass: String?
        public var kind: MarkKind
        public var period: String?
        public var value: MarkValue
        public var date: CivilDate?
        public var work: String?
        public var weight: Double?
        /// `+` or `-` written after a current mark («5-»).
        public var sign: String?
        public var source: SourceRef

        /// The mark as the teacher wrote it: `5-`, `4`, `зачтено`.
        public var written: String { value.description + (sign ?? "") }
    }

    public struct ExamRow: Sendable, Hashable {
        public var subject: String
        public var form: ExamForm
        public var level: String?
        public var primaryScore: Double?
        public var testScore: Double?
        public var mark: MarkValue?
        public var date: CivilDate?
        public var year: AcademicYear
        public var retake: Bool
        /// A registration without a result: the word the row carried (`не явился`).
        public var noResult: String?
        public var source: SourceRef
    }

    public struct AchievementRow: Sendable, Hashable {
        public var group: String
        public var category: String
        public var event: String
        public var level: String?
        public var result: String?
        public var date: CivilDate?
        public var year: AcademicYear
        public var subject: String?
        public var organiser: String?
        public var documentKind: String?
        public var documentNumber: String?
        public var scanName: String?
        public var scanSHA256: String?
        public var gir: Bool
        public var otherOrganisation: String?
        public var consent: String?
        public var source: SourceRef
    }

    public struct EncouragementRow: Sendable, Hashable {
        public var kind: String
        public var area: String
        public var orderNumber: String?
        public var orderDate: CivilDate?
        public var year: AcademicYear
        public var basis: String?
        public var source: SourceRef
    }

    public struct DevelopmentRow: Sendable, Hashable {
        public var kind: DevelopmentResult.Kind
        public var category: String
        public var indicator: String?
        public var value: String
        public var date: CivilDate?
        public var year: AcademicYear
        public var basis: String?
        public var source: SourceRef
    }

    public struct ConflictRow: Sendable, Hashable {
        public var id: Int64
        public var subject: String
        public var year: AcademicYear
        public var period: String
        public var open: Bool
        public var rule: String?
        public var winnerFact: Int64?
        /// `open`, `resolved` (by a rule), `decided` (by a person), `closed` (the differing value withdrawn).
        public var status: String
        /// A person's decision in force: the chosen value outranks every source.
        public var decision: DecisionRow?
        /// The latest decision no longer in force (undone, or set aside by a value it did not see).
        public var previousDecision: DecisionRow?

        public init(
            id: Int64, subject: String, year: AcademicYear, period: String, open: Bool, rule: String?, winnerFact: Int64?, status: String,
            decision: DecisionRow? = nil, previousDecision: DecisionRow? = nil
        ) {
            self.id = id
            self.subject = subject
            self.year = year
            self.period = period
            self.open = open
            self.rule = rule
            self.winnerFact = winnerFact
            self.status = status
            self.decision = decision
            self.previousDecision = previousDecision
        }
    }

    public var id: StudentID
    public var name: FullName
    public var birthDate: CivilDate
    public var sex: Sex?
    public var snils: String?
    public var journalID: String?
    public var source: SourceRef
    public var enrolments: [EnrolmentRow]
    public var marks: [MarkRow]
    public var exams: [ExamRow]
    public var achievements: [AchievementRow]
    public var encouragements: [EncouragementRow]
    public var development: [DevelopmentRow]
    public var conflicts: [ConflictRow]
    /// The files the facts above came from, by id.
    public var files: [Int64: SourceFileRow]

    /// The latest enrolment: the class outputs are filed under.
    public var current: EnrolmentRow? { enrolments.max { $0.year < $1.year } }
}

extension Ledger {
    /// Everything about one student, or `nil` when the ledger has no such student.
    public func studentRecord(_ id: StudentID) throws -> StudentRecord? {
        try database.read { db in try StudentRecordReader(db: db).read(id) }
    }

    /// Students enrolled in a class in a year, by id.
    public func students(year: AcademicYear, schoolClass: String? = nil) throws -> [StudentID] {
        try database.read { db in
            if let schoolClass {
                return try String.fetchAll(
                    db, sql: "SELECT student_id FROM enrolment WHERE year = ? AND class = ? ORDER BY student_id",
                    arguments: [year.startYear, schoolClass]
                ).map(StudentID.init(rawValue:))
            }
            return try String.fetchAll(
                db, sql: "SELECT student_id FROM enrolment WHERE year = ? ORDER BY student_id",
                arguments: [year.startYear]
            ).map(StudentID.init(rawValue:))
        }
    }

    /// The school years the ledger has enrolments for, oldest first.
    public func enrolmentYears() throws -> [AcademicYear] {
        try database.read { db in
            try Int.fetchAll(db, sql: "SELECT DISTINCT year FROM enrolment ORDER BY year").map { AcademicYear(startYear: $0) }
        }
    }

    /// The classes these students are or were enrolled in, each once (what their
    /// class-wide outputs depend on), without reading their records.
    public func enrolledClasses(of students: [StudentID]) throws -> Set<EnrolledClass> {
        try database.read { db in
            let statement = try db.cachedStatement(sql: "SELECT year, class, grade FROM enrolment WHERE student_id = ?")
            var classes: Set<EnrolledClass> = []
            for id in students {
                for row in try Row.fetchAll(statement, arguments: [id.rawValue]) {
                    classes.insert(EnrolledClass(year: AcademicYear(startYear: row[0]), schoolClass: row[1], grade: row[2]))
                }
            }
            return classes
        }
    }

    /// The classes of a year, with their grade.
    public func classes(year: AcademicYear) throws -> [(schoolClass: String, grade: Int)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT class, grade FROM enrolment WHERE year = ? ORDER BY grade, class", arguments: [year.startYear])
                .map { ($0["class"], $0["grade"]) }
        }
    }
}

/// Reads one student's rows with prepared statements, columns by position
/// (by name GRDB folds case on every access, which costs more than the read).
/// A table at a time; what they share is the student's key and the files their rows cite.
struct StudentRecordReader {
    let db: Database

    /// The student's record, or `nil` when the ledger has no such student. A row
    /// that is there but does not read back (a date that is no date, a mark no scale
    /// has) is a fault, thrown with its table and value: never skipped.
    func read(_ id: StudentID) throws -> StudentRecord? {
        let key = id.rawValue
        guard
            let s = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT surname, name, patronymic, birth_date, sex, snils, journal_id, file_id, sheet, row FROM student WHERE id = ?
                        """), arguments: [key])
        else { return nil }
        var rows = Rows(db: db, key: key, fileIDs: [s[7]])
        guard let birth = CivilDate(parsing: s[3] as String) else { throw rows.unreadable("student", "birth_date", s[3]) }
        let enrolments = try rows.enrolments()
        let marks = try rows.marks()
        let exams = try rows.exams()
        let achievements = try rows.achievements()
        let encouragements = try rows.encouragements()
        let development = try rows.development()
        let conflicts = try rows.conflicts()
        let sex = try (s[4] as String?).map { code throws(UnreadableRow) in
            guard let sex = Sex(rawValue: code) else { throw rows.unreadable("student", "sex", code) }
            return sex
        }
        return StudentRecord(
            id: id, name: FullName(surname: s[0], name: s[1], patronymic: s[2]), birthDate: birth, sex: sex, snils: s[5], journalID: s[6],
            source: SourceRef(fileID: s[7], sheet: s[8], row: s[9], column: nil),
            enrolments: enrolments, marks: marks, exams: exams, achievements: achievements, encouragements: encouragements,
            development: development, conflicts: conflicts, files: try rows.files())
    }

    /// One student's rows, table by table, and the files they cite.
    private struct Rows {
        let db: Database
        let key: String
        var fileIDs: Set<Int64>

        func unreadable(_ table: String, _ column: String, _ value: String?) -> UnreadableRow {
            UnreadableRow(table: table, student: key, column: column, value: value ?? "NULL")
        }

        /// A stored ISO date; one that does not parse is `UnreadableRow`.
        func date(_ text: String?, _ table: String) throws(UnreadableRow) -> CivilDate? {
            guard let text else { return nil }
            guard let d = CivilDate(parsing: text) else { throw unreadable(table, "date", text) }
            return d
        }

        func date(_ row: Row, _ i: Int, _ table: String) throws(UnreadableRow) -> CivilDate? { try date(row[i] as String?, table) }

        /// file_id, sheet, row (and col) at `at`…; the file noted as cited.
        mutating func source(_ row: Row, _ at: Int, column: Bool = false) -> SourceRef {
            let file: Int64 = row[at]
            fileIDs.insert(file)
            return SourceRef(fileID: file, sheet: row[at + 1], row: row[at + 2], column: column ? row[at + 3] : nil)
        }

        mutating func enrolments() throws -> [StudentRecord.EnrolmentRow] {
            var enrolments: [StudentRecord.EnrolmentRow] = []
            for r in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT year, class, grade, enrolled, left_date, file_id, sheet, row FROM enrolment WHERE student_id = ? ORDER BY year
                        """), arguments: [key])
            {
                enrolments.append(
                    .init(
                        year: AcademicYear(startYear: r[0]), schoolClass: r[1], grade: r[2], enrolled: try date(r, 3, "enrolment"),
                        left: try date(r, 4, "enrolment"), source: source(r, 5)))
            }
            return enrolments
        }

        /// Period and year marks (rows of `mark`) and current marks (packs), in fact order: the
        /// order of a student's facts in outputs.
        mutating func marks() throws -> [StudentRecord.MarkRow] {
            var marks: [StudentRecord.MarkRow] = []
            let markRows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT fact, subject, year, class, kind, period, value, date, work, weight, file_id, sheet, row, col, sign FROM mark WHERE student_id = ? ORDER BY fact
                        """), arguments: [key])
            while let r = try markRows.next() {
                guard let kind = MarkKind(rawValue: r[4]) else { throw unreadable("mark", "kind", r[4]) }
                guard let value = MarkValue(code: r[6]) else { throw unreadable("mark", "value", r[6]) }
                marks.append(
                    .init(
                        fact: r[0], subject: r[1], year: AcademicYear(startYear: r[2]), schoolClass: r[3], kind: kind, period: r[5],
                        value: value, date: try date(r, 7, "mark"), work: r[8], weight: r[9], sign: r[14], source: source(r, 10, column: true)))
            }
            let table = "current_marks"
            for r in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT subject, year, file_id, identities, entries FROM current_marks WHERE student_id = ?"),
                arguments: [key])
            {
                let file: Int64 = r[2]
                fileIDs.insert(file)
                let subject: String = r[0]
                let year = AcademicYear(startYear: r[1])
                for m in try MarkPack.marks(identities: r[3], entries: r[4], student: key) {
                    guard let value = MarkValue(code: m.value) else { throw unreadable(table, "value", m.value) }
                    marks.append(
                        .init(
                            fact: m.fact, subject: subject, year: year, schoolClass: m.schoolClass, kind: .current, period: nil, value: value,
                            date: try date(m.date, table), work: m.work, weight: m.weight, sign: m.sign,
                            source: SourceRef(fileID: file, sheet: m.sheet, row: m.row, column: m.column)))
                }
            }
            marks.sort { $0.fact < $1.fact }
            return marks
        }

        mutating func exams() throws -> [StudentRecord.ExamRow] {
            var exams: [StudentRecord.ExamRow] = []
            for r in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT subject, form, level, primary_score, test_score, mark, date, year, retake, no_result, file_id, sheet, row, col FROM exam WHERE student_id = ? ORDER BY id
                        """), arguments: [key])
            {
                guard let form = ExamForm(rawValue: r[1]) else { throw unreadable("exam", "form", r[1]) }
                var mark: MarkValue?
                if let code = r[5] as String? {
                    guard let value = MarkValue(code: code) else { throw unreadable("exam", "mark", code) }
                    mark = value
                }
                exams.append(
                    .init(
                        subject: r[0], form: form, level: r[2], primaryScore: r[3], testScore: r[4], mark: mark,
                        date: try date(r, 6, "exam"), year: AcademicYear(startYear: r[7]), retake: r[8], noResult: r[9],
                        source: source(r, 10, column: true)))
            }
            return exams
        }

        mutating func achievements() throws -> [StudentRecord.AchievementRow] {
            var achievements: [StudentRecord.AchievementRow] = []
            for r in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT grp, category, event, level, result, date, year, subject, organiser, doc_kind, doc_number, scan_name, scan_sha256, gir,
                               other_org, consent, file_id, sheet, row FROM achievement WHERE student_id = ? ORDER BY id
                        """), arguments: [key])
            {
                achievements.append(
                    .init(
                        group: r[0], category: r[1], event: r[2], level: r[3], result: r[4], date: try date(r, 5, "achievement"),
                        year: AcademicYear(startYear: r[6]), subject: r[7], organiser: r[8], documentKind: r[9], documentNumber: r[10],
                        scanName: r[11], scanSHA256: r[12], gir: r[13], otherOrganisation: r[14], consent: r[15], source: source(r, 16)))
            }
            return achievements
        }

        mutating func encouragements() throws -> [StudentRecord.EncouragementRow] {
            var encouragements: [StudentRecord.EncouragementRow] = []
            for r in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT kind, area, order_number, order_date, year, basis, file_id, sheet, row FROM encouragement WHERE student_id = ? ORDER BY id
                        """), arguments: [key])
            {
                encouragements.append(
                    .init(
                        kind: r[0], area: r[1], orderNumber: r[2], orderDate: try date(r, 3, "encouragement"), year: AcademicYear(startYear: r[4]),
                        basis: r[5], source: source(r, 6)))
            }
            return encouragements
        }

        mutating func development() throws -> [StudentRecord.DevelopmentRow] {
            var development: [StudentRecord.DevelopmentRow] = []
            for r in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT kind, category, indicator, value, date, year, basis, file_id, sheet, row FROM development WHERE student_id = ? ORDER BY id
                        """), arguments: [key])
            {
                guard let kind = DevelopmentResult.Kind(rawValue: r[0]) else { throw unreadable("development", "kind", r[0]) }
                development.append(
                    .init(
                        kind: kind, category: r[1], indicator: r[2], value: r[3], date: try date(r, 4, "development"),
                        year: AcademicYear(startYear: r[5]), basis: r[6], source: source(r, 7)))
            }
            return development
        }

        /// The student's conflicts that are not closed, with their decisions.
        func conflicts() throws -> [StudentRecord.ConflictRow] {
            var conflicts: [StudentRecord.ConflictRow] = []
            for r in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT subject, year, period, status, rule, winner_fact, id FROM conflict WHERE student_id = ? AND status <> 'closed' ORDER BY subject, year, period
                        """), arguments: [key])
            {
                let status: String = r[3]
                let decisions = try Conflicts.decisions(db, conflict: r[6])
                conflicts.append(
                    .init(
                        id: r[6], subject: r[0], year: AcademicYear(startYear: r[1]), period: r[2], open: status == "open", rule: r[4],
                        winnerFact: r[5], status: status, decision: status == "decided" ? decisions.last(where: \.isActive) : nil,
                        previousDecision: decisions.last(where: { !$0.isActive })))
            }
            return conflicts
        }

        /// The files the rows read so far cite.
        func files() throws -> [Int64: SourceFileRow] {
            var files: [Int64: SourceFileRow] = [:]
            let fileStatement = try db.cachedStatement(sql: "SELECT id, sha256, name, source_kind, source_reason FROM file WHERE id = ?")
            for fileID in fileIDs {
                guard let r = try Row.fetchOne(fileStatement, arguments: [fileID]) else { throw unreadable("file", "id", String(fileID)) }
                files[fileID] = SourceFileRow(id: r[0], sha256: r[1], name: r[2], sourceKind: r[3], sourceReason: r[4])
            }
            return files
        }
    }
}

/// A ledger row the program cannot read back: the ledger is damaged or was
/// written by another version. A fault of uchet's own (exit 3), named; the
/// record is never left out of an output as if it were not there.
public struct UnreadableRow: Error, Sendable, CustomStringConvertible {
    public var table: String
    public var student: String
    public var column: String
    public var value: String

    public var description: String {
        "в учёте не читается строка таблицы \(table) обучающегося \(student): «\(value.prefix(60))» в столбце \(column). "
            + "Учёт повреждён или записан другой версией uchet; сохраните var/ledger.sqlite и сообщите разработчикам"
    }
}

/// A class in a year, with its grade: `9А` of 2025/2026, grade 9.
public struct EnrolledClass: Hashable, Sendable {
    public let year: AcademicYear
    public let schoolClass: String
    public let grade: Int
}
