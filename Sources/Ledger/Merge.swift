import CivilDate
import Foundation
import GRDB
public import Ingest
public import Policy
public import Records

/// What merging one file changed.
public struct MergeOutcome: Sendable {
    public var fileID: Int64
    /// Records new to the ledger.
    public var inserted = 0
    /// Records the ledger already had (the same fact from an earlier file).
    public var known = 0
    public var conflictsOpened = 0
    public var conflictsResolved = 0
    /// Conflicts this file opened, or opened again (a decision's value set aside by a value it did not see), by id.
    public var openedConflicts: [Int64] = []
    /// Students whose outputs change.
    public var touched: Set<StudentID> = []
    /// New records by kind (`mark.current`, `achievement`, …), for the run's summary.
    public var byKind: [String: Int] = [:]
}

/// The ledger already holds a file with this content (merged by another
/// run between this run's check and its merge): nothing was written.
public struct DuplicateFile: Error, Sendable {
    public var sha256: String
}

/// Where a file's records come from, for the file row.
public struct MergeSource: Sendable {
    public var runID: String
    public var received: String
    /// Where the file was moved (`inbox/processed/2026-05-30/9А.xlsx`).
    public var storedAs: String

    public init(runID: String, received: String, storedAs: String) {
        self.runID = runID
        self.received = received
        self.storedAs = storedAs
    }
}

extension Ledger {
    /// Merges one file's records in one transaction: the file row, students
    /// and enrolments (rosters), every record with its provenance (a fact the
    /// ledger already holds is not added twice), conflicts detected and
    /// resolved by the policy's rule, and the students whose outputs must be
    /// written again. All or nothing.
    /// `plan`: the file's marks prepared beforehand (`MarkPlan(file)`, in a parse task
    /// rather than in the single writer); made here when not given.
    public func merge(_ file: FileImport, source: MergeSource, policy: Policy, plan: MarkPlan? = nil) throws -> MergeOutcome {
        let plan = plan.flatMap { $0.recordCount == file.records.count && $0.fileHash == file.fileHash ? $0 : nil } ?? MarkPlan(file)
        return try database.write { db in
            var merger = try Merger(db: db, file: file, source: source, policy: policy, plan: plan)
            return try merger.run()
        }
    }
}

/// What the merge works out of a file's marks before it touches the ledger,
/// from the file alone: each mark's identity and fact number (with its ordinal
/// among the same facts in the file), in the order they are inserted (student,
/// then identity), and the records that are not marks. Made in a parse task,
/// it keeps this work out of the single writer.
public struct MarkPlan: Sendable {
    struct Row: Sendable {
        var student: String
        var fact: Int64
        var identity: Data
        var order: UInt64
        var index: Int
    }

    /// A student's current marks in a subject and year, packed for one insert.
    struct CurrentPack: Sendable {
        var student: StudentID
        var subject: String
        var year: Int
        var pack: MarkPack
    }
    private struct PackKey: Hashable {
        var student: String
        var subject: String
        var year: Int
    }

    let fileHash: String
    let recordCount: Int
    /// Marks stored as rows: period and year marks.
    var rows: [Row] = []
    /// Current marks, by student, subject and year.
    var packs: [CurrentPack] = []
    /// Indexes of the records that are not marks.
    var others: [Int] = []
    /// The counts the ordinals were taken from, for the facts numbered after the marks.
    var ordinals: [UInt64: Int] = [:]
    var identityOrdinals: [FactIdentity: Int] = [:]
    var isoDates: [CivilDate: String] = [:]

    public init(_ file: FileImport) {
        fileHash = file.fileHash
        recordCount = file.records.count
        identityOrdinals.reserveCapacity(file.records.count)
        var current: [PackKey: MarkPack.Builder] = [:]
        // A file's marks are of one class or a few: each class's name made once.
        var className: (SchoolClass, String)?
        // Marks are most of a file: their facts are computed in file order (for
        // ordinals), then inserted in key order, so the table grows in sorted
        // runs rather than at random pages.
        for (index, record) in file.records.enumerated() {
            guard case .mark(let m) = record else {
                others.append(index)
                continue
            }
            guard let id = m.studentID else { continue }
            // A period mark's identity includes its source kind: the journal confirming a
            // hand-kept sheet's value is a fact of its own, and can decide a conflict.
            let source = m.kind == .current ? nil : file.sourceKind
            let identity = FactIdentity.mark(
                student: id.rawValue, subject: m.subject, year: m.year.startYear, kind: m.kind.rawValue, period: m.period,
                value: m.value.code, date: iso(m.date), work: m.work, sign: m.sign, source: source)
            let key = stored(identity)
            // The identity's first eight bytes, as the table orders blobs: the order of inserts.
            let order = key.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
            // The fields of `fact(...)`, hashed in place: no array of parts per mark.
            var fields = FactHash()
            fields.add(id.rawValue)
            fields.add(m.subject)
            fields.add(m.year.startYear)
            fields.add(m.kind.rawValue)
            fields.add(m.period)
            fields.add(m.value.code)
            fields.add(m.date)
            fields.add(m.kind == .current ? Merger.workAndSign(m) : file.sourceKind)
            let fact = numbered(fields)
            if m.kind == .current, m.period == nil {
                let p = m.provenance
                var schoolClass: String?
                if let c = m.schoolClass {
                    if className?.0 != c { className = (c, c.description) }
                    schoolClass = className?.1
                }
                current[PackKey(student: id.rawValue, subject: m.subject, year: m.year.startYear), default: MarkPack.Builder()].add(
                    identity: key, fact: fact, schoolClass: schoolClass, value: m.value.code, date: iso(m.date), work: m.work,
                    weight: m.weight, sheet: p.sheet, row: p.row, column: p.column, sign: m.sign)
                continue
            }
            rows.append(Row(student: id.rawValue, fact: fact, identity: key, order: order, index: index))
        }
        // A mark's identity is never met again in this file: another fact's begins with its own
        // table's tag. Dropped here, in the parse task, rather than with the plan in the writer.
        identityOrdinals = [:]
        packs = current.sorted { a, b in
            (a.key.student, a.key.subject, a.key.year) < (b.key.student, b.key.subject, b.key.year)
        }
        .map { CurrentPack(student: StudentID(rawValue: $0.key.student), subject: $0.key.subject, year: $0.key.year, pack: $0.value.pack()) }
        // In key order (student, then identity): each insert lands after the last in its student's stretch.
        rows.sort { a, b in a.student == b.student ? a.order < b.order : a.student < b.student }
    }

    /// The fact number of fields already hashed, with its ordinal in this file.
    mutating func numbered(_ fields: FactHash) -> Int64 {
        var hash = fields
        let n = ordinals[hash.value, default: 0] + 1
        ordinals[hash.value] = n
        hash.add(n)
        return Int64(bitPattern: hash.value)
    }

    /// The identity to store: the fields, and which of the same facts in this file it is.
    mutating func stored(_ identity: FactIdentity) -> Data {
        // One lookup: the count of this fact so far in the file, bumped in place.
        let n = { (count: inout Int) -> Int in
            count += 1
            return count
        }(&identityOrdinals[identity, default: 0])
        return identity.stored(ordinal: n)
    }

    /// ISO dates, made once per distinct date.
    mutating func iso(_ d: CivilDate?) -> String? {
        guard let d else { return nil }
        if let s = isoDates[d] { return s }
        let s = d.iso8601
        isoDates[d] = s
        return s
    }
}

/// The merge of one file, inside its transaction: the file row, then its marks
/// stored as rows, its packs of current marks, the other records one by one,
/// and the conflicts its period marks made. Each step is a method; what they
/// share is the file's plan (ordinals and dates) and what has been counted.
struct Merger {
    let db: Database
    let file: FileImport
    let source: MergeSource
    let policy: Policy
    private var plan: MarkPlan
    private var outcome: MergeOutcome
    private var fileID: Int64 { outcome.fileID }
    /// The period marks this file added: where a conflict may now be.
    private var periodKeys: [MarkKey] = []
    private let inserts: Inserts
    private let citations: Citations

    /// Adds the file's row; a file the ledger already holds is `DuplicateFile`.
    init(db: Database, file: FileImport, source: MergeSource, policy: Policy, plan: MarkPlan) throws {
        self.db = db
        self.file = file
        self.source = source
        self.policy = policy
        self.plan = plan
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM file WHERE sha256 = ?)", arguments: [file.fileHash]) == true {
            throw DuplicateFile(sha256: file.fileHash)
        }
        try db.execute(
            sql: """
                INSERT INTO file (sha256, name, format, profiles, source_kind, source_reason, records, new_records, skipped_rows, warnings, run_id, received, stored_as)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
                """,
            arguments: [
                file.fileHash, file.fileName, file.format.rawValue, file.profiles.joined(separator: ","), file.sourceKind, file.sourceReason,
                file.records.count, file.rowsWithErrors, file.findings.count { $0.severity == .warning },
                source.runID, source.received, source.storedAs
            ])
        outcome = MergeOutcome(fileID: db.lastInsertedRowID)
        inserts = try Inserts(db)
        citations = try Citations(db)
    }

    mutating func run() throws -> MergeOutcome {
        try insertMarkRows()
        try mergePacks()
        for index in plan.others {
            try insert(file.records[index])
        }
        try resolveConflicts()
        try db.execute(sql: "UPDATE file SET new_records = ? WHERE id = ?", arguments: [outcome.inserted, fileID])
        try Ledger.markPending(db, outcome.touched.map(\.rawValue))
        return outcome
    }

    /// The statements a file's records are inserted with. A fact already held (the
    /// same identity) is not added twice; any other constraint a row breaks is an
    /// error, never a silent skip.
    private struct Inserts {
        let student: Statement
        let enrolment: Statement
        let mark: Statement
        let exam: Statement
        let achievement: Statement
        let encouragement: Statement
        let attestatIssue: Statement
        let development: Statement

        init(_ db: Database) throws {
            student = try db.cachedStatement(
                sql: """
                    INSERT INTO student (id, surname, name, patronymic, birth_date, sex, snils, journal_id, file_id, sheet, row)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET surname = excluded.surname, name = excluded.name, patronymic = excluded.patronymic,
                        birth_date = excluded.birth_date, sex = COALESCE(excluded.sex, student.sex), snils = COALESCE(excluded.snils, student.snils),
                        journal_id = COALESCE(excluded.journal_id, student.journal_id)
                    """)
            enrolment = try db.cachedStatement(
                sql: """
                    INSERT INTO enrolment (student_id, year, class, grade, enrolled, left_date, file_id, sheet, row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(student_id, year) DO UPDATE SET class = excluded.class, grade = excluded.grade,
                        enrolled = COALESCE(excluded.enrolled, enrolment.enrolled), left_date = COALESCE(excluded.left_date, enrolment.left_date),
                        file_id = excluded.file_id, sheet = excluded.sheet, row = excluded.row
                    """)
            mark = try db.cachedStatement(
                sql: """
                    INSERT INTO mark (identity, fact, student_id, subject, year, class, kind, period, value, date, work, weight, file_id, sheet, row, col, sign)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (student_id, identity) DO NOTHING
                    """)
            exam = try db.cachedStatement(
                sql: """
                    INSERT INTO exam (identity, fact, student_id, subject, form, level, primary_score, test_score, mark, date, year, retake, no_result,
                        file_id, sheet, row, col)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING
                    """)
            achievement = try db.cachedStatement(
                sql: """
                    INSERT INTO achievement (identity, fact, student_id, grp, category, event, level, result, date, year, subject, organiser,
                        doc_kind, doc_number, scan_name, scan_sha256, gir, other_org, consent, file_id, sheet, row)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING
                    """)
            encouragement = try db.cachedStatement(
                sql: """
                    INSERT INTO encouragement (identity, fact, student_id, kind, area, order_number, order_date, year, basis, file_id, sheet, row)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING
                    """)
            attestatIssue = try db.cachedStatement(
                sql: """
                    INSERT INTO attestat_issue (identity, fact, student_id, year, register_number, blank_series, blank_number, issue_date, status,
                        loss_confirmation, exchange_confirmation, destruction_confirmation, snils, citizenship, study_form, file_id, sheet, row, col)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING
                    """)
            development = try db.cachedStatement(
                sql: """
                    INSERT INTO development (identity, fact, student_id, kind, category, indicator, value, date, year, basis, file_id, sheet, row)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING
                    """)
        }
    }

    /// The statements that keep a fact's citations when another file already brought it.
    private struct Citations {
        /// Moves a fact's citation here. A fact several files carry cites one of them whatever
        /// order they came in: the one whose SHA-256 sorts first (then sheet, row). So a ledger
        /// made anew from the same files, in any order, is the same ledger.
        let source: [String: Statement]
        /// Notes both files as carrying the fact (the cited one, and this one), so withdrawing
        /// either leaves the fact citing the other. Found by identity.
        let copies: [String: (cited: Statement, here: Statement)]

        static func key(_ table: String) -> String { table == "mark" ? "student_id = ? AND identity = ?" : "identity = ?" }

        init(_ db: Database) throws {
            var source: [String: Statement] = [:]
            var copies: [String: (cited: Statement, here: Statement)] = [:]
            for table in FactTables.all {
                let column = FactTables.byCell.contains(table)
                let key = Citations.key(table)
                source[table] = try db.cachedStatement(
                    sql: """
                        UPDATE \(table) SET file_id = ?, sheet = ?, row = ?\(column ? ", col = ?" : "")
                        WHERE \(key) AND (SELECT sha256 FROM file WHERE id = \(table).file_id) > ?
                        """)
                copies[table] = (
                    try db.cachedStatement(
                        sql: """
                            INSERT OR IGNORE INTO fact_copy (tbl, student_id, fact, file_id, sheet, row, col)
                            SELECT '\(table)', student_id, fact, file_id, sheet, row, \(column ? "col" : "NULL") FROM \(table) WHERE \(key)
                            """),
                    try db.cachedStatement(
                        sql: """
                            INSERT OR IGNORE INTO fact_copy (tbl, student_id, fact, file_id, sheet, row, col)
                            SELECT '\(table)', student_id, fact, ?, ?, ?, ? FROM \(table) WHERE \(key)
                            """)
                )
            }
            self.source = source
            self.copies = copies
        }
    }

    // MARK: - Counting and numbering

    /// Counts an insert; for a fact already known, notes both carriers and moves its
    /// citation here when this file sorts first. `cell`: the fact's sheet, row (and
    /// column, for the tables told by a cell), as the citation's update takes them.
    private mutating func count(_ kind: String, _ studentID: StudentID, table: String, identity: Data, at p: Provenance) throws {
        if db.changesCount > 0 {
            outcome.inserted += 1
            outcome.byKind[kind, default: 0] += 1
            outcome.touched.insert(studentID)
            return
        }
        outcome.known += 1
        let key: StatementArguments = table == "mark" ? [studentID.rawValue, identity] : [identity]
        try citations.copies[table]!.cited.execute(arguments: key)
        try citations.copies[table]!.here.execute(arguments: [fileID, p.sheet, p.row, p.column] + key)
        let place: StatementArguments = FactTables.byCell.contains(table) ? [fileID, p.sheet, p.row, p.column] : [fileID, p.sheet, p.row]
        try citations.source[table]!.execute(arguments: place + key + [file.fileHash])
        if db.changesCount > 0 { outcome.touched.insert(studentID) }
    }

    /// A fact's number; the same fact twice in one file (two fives on one day) is told apart by its ordinal.
    private mutating func fact(_ parts: FactPart...) -> Int64 { fact(parts) }

    private mutating func fact(_ parts: [FactPart]) -> Int64 {
        var hash = FactHash()
        for part in parts {
            switch part {
            case .text(let t): hash.add(t)
            case .int(let n): hash.add(n)
            case .date(let d): hash.add(d)
            case .number(let x): hash.add(x)
            }
        }
        return plan.numbered(hash)
    }

    /// The identity to store: the fields, and which of the same facts in this file it is.
    private mutating func stored(_ identity: FactIdentity) -> Data { plan.stored(identity) }

    private mutating func iso(_ d: CivilDate?) -> String? { plan.iso(d) }

    /// Inserts a fact into a table whose `fact` numbers are unique; a number another
    /// fact already holds (a 64-bit collision) moves the new fact to the next free one.
    private func insert(_ table: String, _ statement: Statement, identity: Data, fact: Int64, _ rest: [(any DatabaseValueConvertible)?]) throws {
        let holder = try db.cachedStatement(sql: "SELECT identity FROM \(table) WHERE fact = ?")
        var f = fact
        while let held = try Data.fetchOne(holder, arguments: [f]), held != identity { f &+= 1 }
        try statement.execute(arguments: StatementArguments([identity, f] + rest))
    }

    // MARK: - Marks

    /// Period and year marks, a row each, in the plan's order (student, then identity).
    private mutating func insertMarkRows() throws {
        let markRow = DirectBinding(inserts.mark)
        for row in plan.rows {
            guard case .mark(let m) = file.records[row.index], let id = m.studentID else { continue }
            let p = m.provenance
            let date = iso(m.date)
            markRow.newRow()
            markRow.bind(1, row.identity)
            markRow.bind(2, row.fact)
            markRow.bind(3, id.rawValue)
            markRow.bind(4, m.subject)
            markRow.bind(5, m.year.startYear)
            markRow.bind(6, m.schoolClass?.description)
            markRow.bind(7, m.kind.rawValue)
            markRow.bind(8, m.period)
            markRow.bind(9, m.value.code)
            markRow.bind(10, date)
            markRow.bind(11, m.work)
            markRow.bind(12, m.weight)
            markRow.bind(13, fileID)
            markRow.bind(14, p.sheet)
            markRow.bind(15, p.row)
            markRow.bind(16, p.column)
            markRow.bind(17, m.sign)
            try markRow.execute()
            let inserted = db.changesCount > 0
            try count(m.kind == .current ? "mark.current" : "mark.\(m.kind.rawValue)", id, table: "mark", identity: row.identity, at: p)
            if m.kind != .current, let period = m.period, inserted {
                periodKeys.append(MarkKey(student: id.rawValue, subject: m.subject, year: m.year.startYear, period: period))
            }
        }
    }

    /// Current marks, a pack per student, subject and year: one insert when the ledger has
    /// none of theirs yet; else merged with what it holds (`mergeKnown`).
    private mutating func mergePacks() throws {
        // Whether the ledger has current marks of a student in a subject and year yet: bound
        // directly, as it is asked for every pack; the packs are read only when it has.
        let holds = DirectBinding(
            try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM current_marks WHERE student_id = ? AND subject = ? AND year = ?)"))
        for pack in plan.packs {
            holds.newRow()
            holds.bind(1, pack.student.rawValue)
            holds.bind(2, pack.subject)
            holds.bind(3, pack.year)
            let held =
                try Bool.fetchOne(holds.statement) == true
                ? try CurrentMarks.held(db, student: pack.student.rawValue, subject: pack.subject, year: pack.year) : []
            if held.isEmpty {
                try CurrentMarks.insert(db, pack.pack, student: pack.student.rawValue, subject: pack.subject, year: pack.year, fileID: fileID)
                outcome.inserted += pack.pack.count
                outcome.byKind["mark.current", default: 0] += pack.pack.count
                outcome.touched.insert(pack.student)
            } else {
                try mergeKnown(pack, held: held)
            }
        }
    }

    // MARK: - The other records

    private mutating func insert(_ record: Records.Record) throws {
        let p = record.provenance
        switch record {
        case .roster(let r): try roster(r, at: p)
        case .mark: return
        case .exam(let e): try exam(e, at: p)
        case .achievement(let a): try achievement(a, at: p)
        case .encouragement(let e): try encouragement(e, at: p)
        case .development(let d): try development(d, at: p)
        case .attestatIssue(let a): try attestatIssue(a, at: p)
        }
    }

    private mutating func roster(_ r: RosterEntry, at p: Provenance) throws {
        let s = r.student
        try inserts.student.execute(arguments: [
            s.id.rawValue, s.name.surname, s.name.name, s.name.patronymic, s.birthDate.iso8601,
            s.sex?.rawValue, s.snils?.digits, s.journalID, fileID, p.sheet, p.row
        ])
        let e = r.enrolment
        try inserts.enrolment.execute(arguments: [
            s.id.rawValue, e.year.startYear, e.schoolClass.description, e.schoolClass.grade,
            e.enrolled?.iso8601, e.left?.iso8601, fileID, p.sheet, p.row
        ])
        outcome.touched.insert(s.id)
        outcome.inserted += 1
        outcome.byKind["roster", default: 0] += 1
    }

    private mutating func exam(_ e: ExamResult, at p: Provenance) throws {
        guard let id = e.studentID else { return }
        var parts: [FactPart] = [
            .text(id.rawValue), .text(e.subject), .text(e.form.rawValue), .int(e.year.startYear), .date(e.date),
            .text(e.mark?.code), .number(e.primaryScore), .number(e.testScore), .int(e.retake ? 1 : 0)
        ]
        // A registration without a result is told apart by its word and level (results by their values).
        if let word = e.noResult { parts += [.text(word), .text(e.level)] }
        let date = iso(e.date)
        let identity = stored(
            .exam(
                student: id.rawValue, subject: e.subject, form: e.form.rawValue, year: e.year.startYear, date: date,
                mark: e.mark?.code, primaryScore: e.primaryScore, testScore: e.testScore, retake: e.retake,
                noResult: e.noResult, level: e.level))
        let f = fact(parts)
        try insert(
            "exam", inserts.exam, identity: identity, fact: f,
            [
                id.rawValue, e.subject, e.form.rawValue, e.level, e.primaryScore, e.testScore,
                e.mark?.code, date, e.year.startYear, e.retake, e.noResult, fileID, p.sheet, p.row, p.column
            ])
        try count("exam", id, table: "exam", identity: identity, at: p)
    }

    private mutating func achievement(_ a: Achievement, at p: Provenance) throws {
        guard let id = a.studentID else { return }
        let f = fact(
            .text(id.rawValue), .text(a.group), .text(a.category), .text(a.event), .text(a.level), .text(a.result),
            .date(a.date), .int(a.year.startYear), .text(a.certificate?.number), .text(a.certificate?.sha256))
        let date = iso(a.date)
        let identity = stored(
            .achievement(
                student: id.rawValue, group: a.group, category: a.category, event: a.event, level: a.level,
                result: a.result, date: date, year: a.year.startYear, documentNumber: a.certificate?.number,
                scanSHA256: a.certificate?.sha256))
        try insert(
            "achievement", inserts.achievement, identity: identity, fact: f,
            [
                id.rawValue, a.group, a.category, a.event, a.level, a.result, date,
                a.year.startYear, a.subject, a.organiser, a.certificate?.kind, a.certificate?.number,
                a.certificate?.scanFile, a.certificate?.sha256, a.gir, a.otherOrganisation, a.consent,
                fileID, p.sheet, p.row
            ])
        try count("achievement", id, table: "achievement", identity: identity, at: p)
    }

    private mutating func encouragement(_ e: Encouragement, at p: Provenance) throws {
        guard let id = e.studentID else { return }
        let f = fact(.text(id.rawValue), .text(e.kind), .text(e.area), .text(e.orderNumber), .date(e.orderDate), .int(e.year.startYear))
        let date = iso(e.orderDate)
        let identity = stored(
            .encouragement(
                student: id.rawValue, kind: e.kind, area: e.area, orderNumber: e.orderNumber,
                orderDate: date, year: e.year.startYear))
        try insert(
            "encouragement", inserts.encouragement, identity: identity, fact: f,
            [
                id.rawValue, e.kind, e.area, e.orderNumber, date,
                e.year.startYear, e.basis, fileID, p.sheet, p.row
            ])
        try count("encouragement", id, table: "encouragement", identity: identity, at: p)
    }

    private mutating func development(_ d: DevelopmentResult, at p: Provenance) throws {
        guard let id = d.studentID else { return }
        let f = fact(
            .text(id.rawValue), .text(d.kind.rawValue), .text(d.category), .text(d.indicator), .text(d.value), .date(d.date),
            .int(d.year.startYear))
        let date = iso(d.date)
        let identity = stored(
            .development(
                student: id.rawValue, kind: d.kind.rawValue, category: d.category, indicator: d.indicator,
                value: d.value, date: date, year: d.year.startYear))
        try insert(
            "development", inserts.development, identity: identity, fact: f,
            [
                id.rawValue, d.kind.rawValue, d.category, d.indicator, d.value, date,
                d.year.startYear, d.basis, fileID, p.sheet, p.row
            ])
        try count("development.\(d.kind.rawValue)", id, table: "development", identity: identity, at: p)
    }

    private mutating func attestatIssue(_ a: AttestatIssue, at p: Provenance) throws {
        guard let id = a.studentID else { return }
        let f = fact(
            .text(id.rawValue), .int(a.year.startYear), .text(a.registerNumber), .text(a.blankSeries), .text(a.blankNumber),
            .date(a.issueDate), .text(a.status), .text(a.snils), .text(a.citizenship), .text(a.studyForm),
            .text(a.lossConfirmation), .text(a.exchangeConfirmation), .text(a.destructionConfirmation))
        let date = iso(a.issueDate)
        let identity = stored(
            .attestatIssue(
                student: id.rawValue, year: a.year.startYear,
                fields: [
                    a.registerNumber, a.blankSeries, a.blankNumber, date, a.status, a.snils, a.citizenship, a.studyForm,
                    a.lossConfirmation, a.exchangeConfirmation, a.destructionConfirmation
                ]))
        try insert(
            "attestat_issue", inserts.attestatIssue, identity: identity, fact: f,
            [
                id.rawValue, a.year.startYear, a.registerNumber, a.blankSeries,
                a.blankNumber, date, a.status, a.lossConfirmation,
                a.exchangeConfirmation, a.destructionConfirmation, a.snils,
                a.citizenship, a.studyForm, fileID, p.sheet, p.row, p.column
            ])
        try count("attestat-issue", id, table: "attestat_issue", identity: identity, at: p)
    }

    /// A pack of current marks whose student, subject and year the ledger already has marks
    /// in: a mark already held is not added twice; both files are noted as carrying it, and
    /// it moves to this file's pack when this file's SHA-256 sorts first (as rows of `mark` do).
    private mutating func mergeKnown(_ pack: MarkPlan.CurrentPack, held: [CurrentMarks.Stored]) throws {
        let student = pack.student.rawValue
        var held = held
        var at: [Data: (pack: Int, mark: Int)] = [:]
        for (p, stored) in held.enumerated() {
            for (i, m) in stored.marks.enumerated() { at[m.identity] = (p, i) }
        }
        let copy = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO fact_copy (tbl, student_id, fact, file_id, sheet, row, col) VALUES ('mark', ?, ?, ?, ?, ?, ?)")
        var fresh: [PackedMark] = []
        var movedOut: [Int: Set<Int>] = [:]
        for m in try MarkPack.marks(identities: pack.pack.identities, entries: pack.pack.entries, student: student) {
            guard let (p, i) = at[m.identity] else {
                fresh.append(m)
                outcome.inserted += 1
                outcome.byKind["mark.current", default: 0] += 1
                outcome.touched.insert(pack.student)
                continue
            }
            outcome.known += 1
            let cited = held[p].marks[i]
            try copy.execute(arguments: [student, cited.fact, held[p].fileID, cited.sheet, cited.row, cited.column])
            try copy.execute(arguments: [student, cited.fact, outcome.fileID, m.sheet, m.row, m.column])
            guard held[p].fileHash > file.fileHash else { continue }
            var moved = cited
            moved.sheet = m.sheet
            moved.row = m.row
            moved.column = m.column
            fresh.append(moved)
            movedOut[p, default: []].insert(i)
            outcome.touched.insert(pack.student)
        }
        for (p, gone) in movedOut.sorted(by: { $0.key < $1.key }) {
            let kept = held[p].marks.indices.filter { !gone.contains($0) }.map { held[p].marks[$0] }
            try CurrentMarks.replace(db, id: held[p].id, with: kept, student: student)
            held[p].marks = kept
        }
        try CurrentMarks.add(db, fresh, student: student, subject: pack.subject, year: pack.year, fileID: outcome.fileID)
    }

    /// For every period, year, exam or final mark this file added: when the
    /// same student, subject, year and period now has more than one value,
    /// the conflict is recorded, and decided by the policy's ranking of
    /// sources when one source outranks every other value's; else left open.
    private mutating func resolveConflicts() throws {
        let added = periodKeys
        // The keys with more than one value, asked once per student rather than once per key:
        // `mark` holds period and year marks only (current marks are packed), a few dozen a student.
        let differing = try db.cachedStatement(
            sql: """
                SELECT subject, year, period FROM mark WHERE student_id = ? AND kind <> 'current' AND period IS NOT NULL
                GROUP BY subject, year, period HAVING COUNT(DISTINCT value) > 1
                """)
        let keys = Set(added)
        var split: Set<MarkKey> = []
        for student in Set(keys.map(\.student)) {
            for r in try Row.fetchAll(differing, arguments: [student]) {
                let key = MarkKey(student: student, subject: r[0], year: r[1], period: r[2])
                if keys.contains(key) { split.insert(key) }
            }
        }
        for key in split.sorted() {
            let studentID = key.student
            let subject = key.subject
            let year = key.year
            let period = key.period
            let marks = try ConflictValues.fetch(db, student: studentID, subject: subject, year: year, period: period)
            let existing = try Row.fetchOne(
                db, sql: "SELECT id, status FROM conflict WHERE student_id = ? AND subject = ? AND year = ? AND period = ?",
                arguments: [studentID, subject, year, period])
            if let existing, (existing["status"] as String) == "decided" {
                // A person's decision outranks every source, for the values it saw; a value it
                // did not see opens the conflict again, the decision kept and cited.
                let id: Int64 = existing["id"]
                if try Conflicts.reopenIfUnseen(db, conflict: id, values: Set(marks.map { $0["value"] as String }), runID: source.runID) {
                    outcome.conflictsOpened += 1
                    outcome.openedConflicts.append(id)
                }
                outcome.touched.insert(StudentID(rawValue: studentID))
                continue
            }
            let decision = ConflictRuling.decide(marks.map { (id: $0["id"], value: $0["value"], source: $0["source_kind"]) }, policy: policy)
            if let existing {
                let status: String = existing["status"]
                let wasOpen = status == "open"
                try db.execute(
                    sql: "UPDATE conflict SET status = ?, rule = ?, winner_fact = ?, updated_run = ? WHERE id = ?",
                    arguments: [decision.status, decision.rule, decision.winner, source.runID, existing["id"] as Int64])
                if wasOpen, decision.status == "resolved" { outcome.conflictsResolved += 1 }
                // A conflict closed by a withdrawal, back with a new file: a new conflict for the summary.
                if status == "closed" {
                    outcome.conflictsOpened += 1
                    outcome.openedConflicts.append(existing["id"])
                    if decision.status == "resolved" { outcome.conflictsResolved += 1 }
                }
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO conflict (student_id, subject, year, period, status, rule, winner_fact, detected_run, updated_run)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [studentID, subject, year, period, decision.status, decision.rule, decision.winner, source.runID, source.runID])
                outcome.conflictsOpened += 1
                outcome.openedConflicts.append(db.lastInsertedRowID)
                if decision.status == "resolved" { outcome.conflictsResolved += 1 }
            }
            outcome.touched.insert(StudentID(rawValue: studentID))
        }
    }
}

/// Decides a conflict by the policy's rules: the values from the most
/// trusted source kind win when that source gives exactly one value and no
/// other value comes from an equally trusted source.
public enum ConflictRuling {
    public struct Decision: Sendable, Equatable {
        public var status: String
        public var rule: String?
        public var winner: Int64?
    }

    public static func decide(_ marks: [(id: Int64, value: String, source: String?)], policy: Policy) -> Decision {
        for rule in policy.conflictRules {
            func rank(_ source: String?) -> Int { source.flatMap { rule.ranking.firstIndex(of: $0) } ?? rule.ranking.count }
            guard let best = marks.map({ rank($0.source) }).min() else { break }
            let top = marks.filter { rank($0.source) == best }
            let values = Set(top.map(\.value))
            guard values.count == 1, best < rule.ranking.count, marks.contains(where: { rank($0.source) > best }) else { continue }
            return Decision(status: "resolved", rule: rule.id, winner: top.last!.id)
        }
        return Decision(status: "open", rule: nil, winner: nil)
    }
}

/// Student, subject, year and period: where two values conflict.
struct MarkKey: Hashable, Comparable {
    var student: String
    var subject: String
    var year: Int
    var period: String

    static func < (a: MarkKey, b: MarkKey) -> Bool { (a.student, a.subject, a.year, a.period) < (b.student, b.subject, b.year, b.period) }
}

/// The tables of facts with an identity, in the order a file's facts are merged and
/// withdrawn, and those whose facts are told by one cell (a `col` of their own).
enum FactTables {
    static let all = ["mark", "exam", "achievement", "encouragement", "development", "attestat_issue"]
    static let byCell: Set<String> = ["mark", "exam", "attestat_issue"]
}

extension Merger {
    /// A current mark's kind of work, with the sign written after it («5-») when there is one:
    /// «5-» and «5» on one day are two facts; an unsigned mark's identity is what it always was.
    static func workAndSign(_ m: Mark) -> String? {
        guard let sign = m.sign else { return m.work }
        return (m.work ?? "") + "\u{1}" + sign
    }
}

/// FNV-1a 64-bit over a record's fields: a stable identity for a fact.
struct FactHash {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    private mutating func byte(_ b: UInt8) {
        value ^= UInt64(b)
        value = value &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ part: String?) {
        if let part {
            for b in part.utf8 { byte(b) }
        } else {
            byte(0)
        }
        byte(0x1F)
    }

    mutating func add(_ n: Int) {
        var v = UInt64(bitPattern: Int64(n))
        for _ in 0..<8 {
            byte(UInt8(v & 0xFF))
            v >>= 8
        }
        byte(0x1F)
    }

    mutating func add(_ date: CivilDate?) {
        if let date { add(date.daysSinceEpoch) } else { add(nil as String?) }
    }

    mutating func add(_ d: Double?) {
        if let d { add(Int(truncatingIfNeeded: Int64(bitPattern: d.bitPattern))) } else { add(nil as String?) }
    }
}

/// A fact's fields, hashed as they are (no strings made for numbers and dates).
enum FactPart {
    case text(String?)
    case int(Int)
    case date(CivilDate?)
    case number(Double?)
}
