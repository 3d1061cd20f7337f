/// A person's name as Russian documents give it: surname, name and,
/// usually, a patronymic.
public struct FullName: Sendable, Hashable, Codable, CustomStringConvertible {
    public var surname: String
    public var name: String
    public var patronymic: String?

    public init(surname: String, name: String, patronymic: String? = nil) {
        self.surname = FullName.tidy(surname)
        self.name = FullName.tidy(name)
        let p = patronymic.map(FullName.tidy)
        self.patronymic = (p?.isEmpty ?? true) ? nil : p
    }

    /// Splits «Иванов Иван Иванович» (more words go to the patronymic:
    /// «Алиев Рашид Мамед оглы»). `nil` for fewer than two words.
    public init?(full text: String) {
        let words = FullName.tidy(text).split(separator: " ").map(String.init)
        guard words.count >= 2 else { return nil }
        self.init(surname: words[0], name: words[1], patronymic: words.count > 2 ? words[2...].joined(separator: " ") : nil)
    }

    /// `Иванов Иван Иванович`.
    public var description: String {
        [surname, name, patronymic].compactMap { $0 }.joined(separator: " ")
    }

    /// The form names are compared in: lower case, `ё` as `е`, one space
    /// between words, hyphens without spaces and of one kind.
    public var key: String { FullName.normalize(description) }

    /// `Иванов И. И.`: how a list addresses a person without the full name.
    public var initials: String {
        var out = surname + " " + String(name.prefix(1)) + "."
        if let patronymic, let first = patronymic.first { out += " " + String(first) + "." }
        return out
    }

    /// Compares names case-insensitively with `ё` = `е`, spaces folded.
    public static func normalize(_ text: String) -> String {
        String(tidy(text).lowercased().map { $0 == "ё" ? "е" : $0 })
    }

    /// Trims, folds runs of whitespace (non-breaking spaces too) into one
    /// space, and writes every dash between word parts as `-` with no spaces.
    public static func tidy(_ text: String) -> String {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { words.append(current); current = "" }
            } else if ["\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}", "-"].contains(scalar) {
                current.unicodeScalars.append("-")
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        // «Кузнецов - Смирнов» → «Кузнецов-Смирнов».
        var joined: [String] = []
        var i = 0
        while i < words.count {
            if words[i] == "-", !joined.isEmpty, i + 1 < words.count {
                joined[joined.count - 1] += "-" + words[i + 1]
                i += 2
            } else if words[i].hasSuffix("-"), words[i].count > 1, i + 1 < words.count {
                joined.append(words[i] + words[i + 1])
                i += 2
            } else if words[i].hasPrefix("-"), words[i].count > 1, !joined.isEmpty {
                joined[joined.count - 1] += words[i]
                i += 1
            } else {
                joined.append(words[i])
                i += 1
            }
        }
        return joined.joined(separator: " ")
    }
}
