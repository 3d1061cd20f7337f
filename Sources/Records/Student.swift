public import CivilDate

public enum Sex: String, Sendable, Hashable {
    case male = "м"
    case female = "ж"

    /// Reads `м`, `муж`, `мужской`, `male`, `ж`, `жен`, `женский`, `female`.
    public init?(parsing text: String) {
        let t = text.lowercased().trimmingSpaces()
        if ["м", "м.", "муж", "муж.", "мужской", "m", "male"].contains(t) {
            self = .male
        } else if ["ж", "ж.", "жен", "жен.", "женский", "f", "female"].contains(t) {
            self = .female
        } else {
            return nil
        }
    }
}

/// A student as the roster gives them.
public struct Student: Sendable, Hashable {
    public var id: StudentID
    public var name: FullName
    public var birthDate: CivilDate
    public var sex: Sex?
    public var snils: SNILS?
    public var journalID: String?

    public init(name: FullName, birthDate: CivilDate, sex: Sex? = nil, snils: SNILS? = nil, journalID: String? = nil) {
        self.id = journalID.map { StudentID(journalID: $0) } ?? StudentID(name: name, birthDate: birthDate)
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.snils = snils
        self.journalID = journalID
    }
}

/// A student in a class for a school year.
public struct Enrolment: Sendable, Hashable {
    public var studentID: StudentID
    public var year: AcademicYear
    public var schoolClass: SchoolClass
    public var enrolled: CivilDate?
    public var left: CivilDate?

    public init(studentID: StudentID, year: AcademicYear, schoolClass: SchoolClass, enrolled: CivilDate? = nil, left: CivilDate? = nil) {
        self.studentID = studentID
        self.year = year
        self.schoolClass = schoolClass
        self.enrolled = enrolled
        self.left = left
    }
}

/// Who a record names, as the file names them, before the roster resolves it.
public struct StudentReference: Sendable, Hashable, CustomStringConvertible {
    public var journalID: String?
    public var name: FullName?
    /// The name cell as written, for messages when it does not parse.
    public var written: String?
    public var birthDate: CivilDate?
    public var schoolClass: SchoolClass?

    public init(journalID: String? = nil, name: FullName? = nil, written: String? = nil, birthDate: CivilDate? = nil, schoolClass: SchoolClass? = nil) {
        self.journalID = journalID
        self.name = name
        self.written = written
        self.birthDate = birthDate
        self.schoolClass = schoolClass
    }

    /// How a message names the student: never the full name (logs and reports
    /// travel); initials, class and journal id are enough for staff to find the row.
    public var description: String {
        var parts: [String] = []
        if let name { parts.append(name.initials) } else if let written { parts.append("«\(written.prefix(40))»") }
        if let schoolClass { parts.append(schoolClass.description) }
        if let journalID { parts.append("id \(journalID)") }
        return parts.joined(separator: ", ")
    }
}

/// A roster row: the student and their class for the year.
public struct RosterEntry: Sendable, Hashable {
    public var student: Student
    public var enrolment: Enrolment
    public var provenance: Provenance

    public init(student: Student, enrolment: Enrolment, provenance: Provenance) {
        self.student = student
        self.enrolment = enrolment
        self.provenance = provenance
    }
}
