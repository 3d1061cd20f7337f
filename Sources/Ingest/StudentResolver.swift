public import CivilDate
public import Records

/// The students a roster lists, indexed for resolving the names other
/// files use: by journal id, else by ФИО and birth date, else by ФИО and
/// class when that is unique. Never a guess by name alone.
public struct RosterIndex: Sendable {
    private var byJournal: [String: StudentID] = [:]
    private var byNameBirth: [String: Set<StudentID>] = [:]
    private var byNameClass: [String: Set<StudentID>] = [:]
    private var byName: [String: Set<StudentID>] = [:]
    /// Who each student is, and their classes, to check a row's ФИО against the id it gives.
    private var known: [StudentID: (person: Person, initials: String, classes: Set<SchoolClass>)] = [:]
    public private(set) var count = 0

    public init() {}

    public init(entries: [RosterEntry]) {
        for entry in entries { add(entry.student, classes: [entry.enrolment.schoolClass]) }
    }

    /// Adds a student with the classes they were enrolled in.
    public mutating func add(_ student: Student, classes: [SchoolClass]) {
        count += 1
        if let j = student.journalID { byJournal[j] = student.id }
        known[student.id, default: (Person(student), student.name.initials, [])].classes.formUnion(classes)
        // Files often leave the patronymic out: each student is indexed with
        // and without it, and a reference is looked up in the form it has.
        var keys = [student.name.key]
        if student.name.patronymic != nil { keys.append(RosterIndex.shortKey(student.name)) }
        for key in keys {
            byNameBirth[key + "|" + student.birthDate.iso8601, default: []].insert(student.id)
            for c in classes { byNameClass[key + "|" + c.description, default: []].insert(student.id) }
            byName[key, default: []].insert(student.id)
        }
    }

    /// A student as rows name them: surname and given name folded (`fold`), and the birth date.
    public struct Person: Sendable, Hashable {
        public var surname: String
        public var given: String
        public var birth: CivilDate

        public init(_ student: Student) {
            surname = RosterIndex.fold(student.name.surname)
            given = RosterIndex.fold(student.name.name)
            birth = student.birthDate
        }
    }

    /// Who the index has under an id, with their initials for messages.
    public func student(_ id: StudentID) -> (person: Person, initials: String)? {
        known[id].map { ($0.person, $0.initials) }
    }

    /// The classes the roster has a student in.
    public func classes(of id: StudentID) -> Set<SchoolClass>? { known[id]?.classes }

    /// Whether a row's name is the roster student's: the same surname, and the same given
    /// name or its initial («Алексеев А. Д.»), compared with `ё` as `е` and Latin letters
    /// that look Cyrillic (`о`, `а`, `е`, `с`, `р`, `х`…) as the Cyrillic ones.
    static func same(_ name: FullName, as person: Person) -> Bool {
        guard fold(name.surname) == person.surname else { return false }
        let g = fold(name.name)
        if g == person.given { return true }
        let initial = g.hasSuffix(".") ? String(g.dropLast()) : g
        return initial.count == 1 && person.given.hasPrefix(initial)
    }

    private static let latinLookAlikes: [Character: Character] = [
        "a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "y": "у", "k": "к", "m": "м", "t": "т", "b": "в", "h": "н"
    ]

    /// Lower case, `ё` as `е`, Latin look-alikes as Cyrillic letters.
    static func fold(_ text: String) -> String {
        String(FullName.normalize(text).map { latinLookAlikes[$0] ?? $0 })
    }

    /// «фамилия имя» without the patronymic.
    static func shortKey(_ name: FullName) -> String {
        FullName(surname: name.surname, name: name.name).key
    }

    public enum Resolution: Sendable, Equatable {
        case found(StudentID)
        case notFound
        case ambiguous([StudentID])
        /// The journal id is a student's whose surname and name differ from the row's.
        case otherName(StudentID)
    }

    public func resolve(_ ref: StudentReference) -> Resolution {
        if let j = ref.journalID, let id = byJournal[j] {
            if let name = ref.name, let student = known[id], !RosterIndex.same(name, as: student.person) { return .otherName(id) }
            return .found(id)
        }
        guard let name = ref.name else { return .notFound }
        let key = name.patronymic == nil ? RosterIndex.shortKey(name) : name.key
        if let birth = ref.birthDate {
            let ids = byNameBirth[key + "|" + birth.iso8601] ?? []
            if ids.count == 1 { return .found(ids.first!) }
            if ids.count > 1 { return .ambiguous(ids.sorted()) }
            return .notFound
        }
        if let c = ref.schoolClass {
            let ids = byNameClass[key + "|" + c.description] ?? []
            if ids.count == 1 { return .found(ids.first!) }
            if ids.count > 1 { return .ambiguous(ids.sorted()) }
            return .notFound
        }
        let ids = byName[key] ?? []
        return ids.count > 1 ? .ambiguous(ids.sorted()) : .notFound
    }
}

/// Resolves the students of an import's records against a roster, adding
/// a finding (one per row) for each that cannot be resolved.
public enum StudentResolver {
    /// A roster's rows checked against the students the ledger has and against each other:
    /// a journal id is a student's identity, and a row that gives it to another person
    /// (rows out of step, an id copied to a newcomer) would rename that student and hand
    /// them someone else's year. Such a row is an error; a surname or a birth date changed
    /// alone (a correction, a new surname) is taken, with a warning that says so.
    public static func checkRoster(_ result: inout FileImport, roster: RosterIndex) {
        // A roster without journal ids names students the ledger has by name and birth date: the
        // same students, not new ones beside them.
        for i in result.records.indices {
            guard case .roster(var entry) = result.records[i], entry.student.journalID == nil,
                case .found(let id) = roster.resolve(StudentReference(name: entry.student.name, birthDate: entry.student.birthDate)),
                id != entry.student.id
            else { continue }
            entry.student.id = id
            entry.enrolment.studentID = id
            result.records[i] = .roster(entry)
        }
        var seen: [String: (row: String, person: RosterIndex.Person, initials: String)] = [:]
        var snils: [String: (row: String, id: StudentID)] = [:]
        var findings: [Finding] = []
        var bad = 0
        result.records.removeAll { record in
            guard case .roster(let entry) = record else { return false }
            let p = entry.provenance
            let location = Location(file: p.fileName, sheet: p.sheet, row: p.row)
            // One СНИЛС, one person: the same number on two students is a copied cell.
            if let number = entry.student.snils?.digits {
                if let first = snils[number], first.id != entry.student.id {
                    findings.append(
                        Finding(
                            "E-SNILS-TWICE", .error, location,
                            "СНИЛС \(entry.student.snils!) уже указан у другого обучающегося (\(first.row)): у каждого свой номер; проверьте столбец СНИЛС"))
                    bad += 1
                    return true
                }
                snils[number] = (p.location, entry.student.id)
            }
            guard let journalID = entry.student.journalID else { return false }
            let name = entry.student.name
            let person = RosterIndex.Person(entry.student)
            if let first = seen[journalID] {
                if first.person == person { return false } // the same student on two sheets (classes, years)
                findings.append(
                    Finding(
                        "E-ROSTER-ID", .error, location,
                        "идентификатор \(journalID) уже у другого обучающегося (\(first.initials), \(first.row)): у обучающегося свой идентификатор; проверьте столбец идентификаторов"
                    ))
                bad += 1
                return true
            }
            seen[journalID] = (p.location, person, name.initials)
            guard let known = roster.student(entry.student.id) else { return false }
            let surname = person.surname == known.person.surname
            let given = person.given == known.person.given
            let birth = person.birth == known.person.birth
            if !given || !surname && !birth {
                findings.append(
                    Finding(
                        "E-ROSTER-IDENTITY", .error, location,
                        "идентификатор \(journalID) в учёте у обучающегося \(known.initials), дата рождения \(known.person.birth.russian), а в строке — \(name.initials), \(entry.student.birthDate.russian): "
                            + "строки не сдвинуты? Один идентификатор — один обучающийся; исправьте строку (если это тот же обучающийся, имя и дата рождения должны совпасть с учётом)"
                    ))
                bad += 1
                return true
            }
            if !surname || !birth {
                findings.append(
                    Finding(
                        "W-ROSTER-CHANGED", .warning, location,
                        !surname
                            ? "у обучающегося \(journalID) (\(known.initials)) новая фамилия: \(name.surname); учёт и досье будут с ней"
                            : "у обучающегося \(journalID) (\(known.initials)) изменена дата рождения: \(known.person.birth.russian) → \(entry.student.birthDate.russian)"
                    ))
            }
            return false
        }
        result.findings += findings
        result.rowsWithErrors += bad
    }

    public static func resolve(_ result: inout FileImport, roster: RosterIndex) {
        var reported: Set<String> = []
        var otherClass: Set<String> = []
        var findings: [Finding] = []
        // Resolved in place and compacted (the records kept move to the front, in order):
        // copying each record into a new array cost a retain and a release of each of its texts.
        var records = result.records
        result.records = []
        var kept = 0
        // A row's records name one student, one after another: resolved once.
        var last: (ref: StudentReference, resolution: RosterIndex.Resolution)?
        for index in records.indices {
            if case .roster = records[index] {
                records.swapAt(kept, index)
                kept += 1
                continue
            }
            let ref = records[index].student
            let resolution: RosterIndex.Resolution
            if let last, last.ref == ref {
                resolution = last.resolution
            } else {
                resolution = roster.resolve(ref)
                last = (ref, resolution)
            }
            let p = records[index].provenance
            if case .found(let id) = resolution {
                // A parallel class the roster never had the student in (9Б for 9А): told once per student
                // and class. Another grade is another year's class (a sheet of past years' marks).
                if let c = ref.schoolClass, let classes = roster.classes(of: id), !classes.contains(c), classes.contains(where: { $0.grade == c.grade }),
                    otherClass.insert(id.rawValue + "|" + c.description).inserted
                {
                    findings.append(
                        Finding(
                            "W-STUDENT-CLASS", .warning, Location(file: p.fileName, sheet: p.sheet, row: p.row),
                            "обучающийся \(ref) (id \(id.rawValue)) по контингенту в классе \(classes.sorted().map(\.description).joined(separator: ", ")), а в файле — \(c): проверьте класс или пришлите контингент с переводом"
                        ))
                }
                records[index].studentID = id
                records.swapAt(kept, index)
                kept += 1
                continue
            }
            let rowKey = "\(p.sheet ?? "")|\(p.row ?? 0)"
            let location = Location(file: p.fileName, sheet: p.sheet, row: p.row)
            switch resolution {
            case .found:
                continue
            case .otherName(let id):
                if reported.insert(rowKey).inserted {
                    findings.append(
                        Finding(
                            "E-STUDENT-MISMATCH", .error, location,
                            "идентификатор \(ref.journalID ?? "") в контингенте у другого обучающегося (id \(id.rawValue)), а в строке — \(ref): проверьте идентификатор и ФИО в строке"
                        ))
                }
            case .notFound:
                if reported.insert(rowKey).inserted {
                    findings.append(
                        Finding(
                            "E-STUDENT-UNKNOWN", .error, location,
                            "обучающийся \(ref) не найден в контингенте: сверьте ФИО (и дату рождения или класс) с выгрузкой контингента или загрузите её"))
                }
            case .ambiguous(let ids):
                if reported.insert(rowKey).inserted {
                    findings.append(
                        Finding(
                            "E-STUDENT-AMBIGUOUS", .error, location,
                            "обучающийся \(ref) совпадает с \(ids.count) учениками контингента (\(ids.map(\.rawValue).joined(separator: ", "))): укажите дату рождения или идентификатор из журнала"
                        ))
                }
            }
        }
        records.removeLast(records.count - kept)
        result.records = records
        result.findings += findings
        result.rowsWithErrors += reported.count
    }
}
