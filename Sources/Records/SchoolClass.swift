public import CivilDate

/// A class: grade 1–11 and, usually, a letter (`9А`).
public struct SchoolClass: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var grade: Int
    public var letter: String

    public init?(grade: Int, letter: String) {
        guard (1...11).contains(grade), letter.count <= 2, letter.allSatisfy(\.isLetter) else { return nil }
        self.grade = grade
        // Latin letters typed for their Cyrillic look-alikes (`9A`) are read as Cyrillic.
        let lookalikes: [Character: Character] = [
            "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О",
            "P": "Р", "C": "С", "T": "Т", "X": "Х", "Y": "У"
        ]
        self.letter = String(letter.uppercased().replacingYo().map { lookalikes[$0] ?? $0 })
    }

    /// Parses `9А`, `9 А`, `9-а`, `9 «А»`, `9"А"`, `11Б класс`, `9`.
    public init?(parsing text: String) {
        var digits = ""
        var letters = ""
        var seenDigit = false
        for ch in text.trimmingSpaces() {
            if ch.isNumber, ch.isASCII, letters.isEmpty {
                digits.append(ch)
                seenDigit = true
            } else if ch.isLetter, seenDigit {
                letters.append(ch)
            } else if [" ", "-", "«", "»", "\"", "'", "(", ")", "“", "”", "„"].contains(ch) {
                continue
            } else {
                return nil
            }
        }
        if letters.lowercased().hasSuffix("класс") { letters.removeLast(5) }
        guard let grade = Int(digits), !digits.isEmpty, digits.count <= 2 else { return nil }
        self.init(grade: grade, letter: letters)
    }

    /// `9А`.
    public var description: String { "\(grade)\(letter)" }

    /// An ASCII form for file names: `9A`-like transliteration of the letter (`9a` for `9А`).
    public var fileName: String {
        "\(grade)" + letter.map { Transliteration.latin($0) }.joined()
    }

    public static func < (a: SchoolClass, b: SchoolClass) -> Bool { (a.grade, a.letter) < (b.grade, b.letter) }
}

/// A school year, `2025/2026`, from 1 September to 31 August unless the policy says otherwise.
public struct AcademicYear: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    /// Parses `2025/2026`, `2025-2026`, `2025–2026`, `2025/26`, `2025 - 2026 уч. год`.
    public init?(parsing text: String) {
        let numbers = text.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count >= 2, (1990...2100).contains(numbers[0]) else { return nil }
        let second = numbers[1] < 100 ? numbers[0] / 100 * 100 + numbers[1] : numbers[1]
        guard second == numbers[0] + 1 else { return nil }
        startYear = numbers[0]
    }

    /// The year a date falls in, with the year starting on `startMonth`-`startDay`.
    public init(containing date: CivilDate, startMonth: Int = 9, startDay: Int = 1) {
        startYear = (date.month, date.day) >= (startMonth, startDay) ? date.year : date.year - 1
    }

    /// `2025/2026`.
    public var description: String { "\(startYear)/\(startYear + 1)" }

    /// `2025-2026`, for file and folder names.
    public var fileName: String { "\(startYear)-\(startYear + 1)" }

    public static func < (a: AcademicYear, b: AcademicYear) -> Bool { a.startYear < b.startYear }
}

extension String {
    func trimmingSpaces() -> Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }

    func replacingYo() -> String {
        String(map { $0 == "Ё" ? "Е" : $0 == "ё" ? "е" : $0 })
    }
}

/// Cyrillic to Latin for file names (GOST 7.79 system B, simplified to ASCII).
public enum Transliteration {
    private static let table: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "j",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
        "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "shh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"
    ]

    public static func latin(_ ch: Character) -> String {
        let lower = Character(ch.lowercased())
        if let mapped = table[lower] { return mapped }
        if ch.isASCII, ch.isLetter || ch.isNumber { return String(ch).lowercased() }
        return "-"
    }

    public static func latin(_ text: String) -> String { text.map(latin).joined() }
}
