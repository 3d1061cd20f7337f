import GRDB
public import Records

extension Ledger {
    /// Registration numbers of the attestat register book for these students:
    /// the ones given before are kept; the others get the next numbers of the
    /// year's sequence (starting at `start`), in the order given. Never reused.
    public func registerNumbers(year: AcademicYear, students: [StudentID], start: Int) throws -> [StudentID: Int] {
        try database.write { db in
            var numbers: [StudentID: Int] = [:]
            let existing = try db.cachedStatement(sql: "SELECT number FROM register_number WHERE year = ? AND student_id = ?")
            var next = max(
                start, (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM register_number WHERE year = ?", arguments: [year.startYear]) ?? start - 1) + 1)
            let insert = try db.cachedStatement(sql: "INSERT INTO register_number (year, student_id, number) VALUES (?, ?, ?)")
            for id in students {
                if let n = try Int.fetchOne(existing, arguments: [year.startYear, id.rawValue]) {
                    numbers[id] = n
                } else {
                    try insert.execute(arguments: [year.startYear, id.rawValue, next])
                    numbers[id] = next
                    next += 1
                }
            }
            return numbers
        }
    }
}

extension Ledger {
    /// The numbers given before to any of these students in a year, without giving new ones.
    public func givenRegisterNumbers(year: AcademicYear, students: [StudentID]) throws -> [StudentID: Int] {
        try database.read { db in
            let statement = try db.cachedStatement(sql: "SELECT number FROM register_number WHERE year = ? AND student_id = ?")
            var numbers: [StudentID: Int] = [:]
            for id in students {
                if let n = try Int.fetchOne(statement, arguments: [year.startYear, id.rawValue]) { numbers[id] = n }
            }
            return numbers
        }
    }
}
