import GRDB
public import Records

/// A student `uchet find` lists: enough to tell namesakes apart.
public struct FoundStudent: Sendable, Hashable {
    public var id: StudentID
    public var name: FullName
    public var birthDate: String
    /// The latest class and its year.
    public var schoolClass: String?
    public var year: AcademicYear?
    public var journalID: String?
}

extension Ledger {
    /// Students a text names: their id or journal id; a СНИЛС (its digits,
    /// 9 or more); a class (`9А`: everyone in it in its latest year); or the
    /// ФИО or a part of it (every word of the text a part of the name, case,
    /// `ё`/`е` and spaces aside). By name, then id.
    public func findStudents(_ text: String) throws -> [FoundStudent] {
        let query = String(String(text.drop(while: \.isWhitespace).reversed()).drop(while: \.isWhitespace).reversed())
        guard !query.isEmpty else { return [] }
        return try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, s.surname, s.name, s.patronymic, s.birth_date, s.snils, s.journal_id, e.class, e.year
                    FROM student s LEFT JOIN enrolment e ON e.student_id = s.id
                      AND e.year = (SELECT MAX(year) FROM enrolment WHERE student_id = s.id)
                    """)
            let students = rows.map { r in
                (
                    found: FoundStudent(
                        id: StudentID(rawValue: r[0]), name: FullName(surname: r[1], name: r[2], patronymic: r[3]), birthDate: r[4],
                        schoolClass: r[7], year: (r[8] as Int?).map(AcademicYear.init(startYear:)), journalID: r[6]),
                    snils: r[5] as String?
                )
            }
            let lower = query.lowercased()
            var hits = students.filter { $0.found.id.rawValue.lowercased() == lower || $0.found.journalID?.lowercased() == lower }
            let digits = query.filter { $0.isASCII && $0.isNumber }
            if hits.isEmpty, digits.count >= 9, query.allSatisfy({ $0.isNumber || " -".contains($0) }) {
                hits = students.filter { $0.snils?.contains(digits) ?? false }
            }
            if hits.isEmpty, let wanted = SchoolClass(parsing: query), query.contains(where: \.isLetter) || query.count <= 2 {
                let latest = students.filter { $0.found.schoolClass.flatMap(SchoolClass.init(parsing:)) == wanted }.compactMap(\.found.year).max()
                hits = students.filter { $0.found.schoolClass.flatMap(SchoolClass.init(parsing:)) == wanted && $0.found.year == latest }
            }
            if hits.isEmpty {
                let words = FullName.normalize(query).split(separator: " ").map(String.init)
                hits = students.filter { s in
                    let key = s.found.name.key
                    return !words.isEmpty && words.allSatisfy { key.contains($0) }
                }
            }
            return hits.map(\.found).sorted { ($0.name.key, $0.id.rawValue) < ($1.name.key, $1.id.rawValue) }
        }
    }
}
