/// A person's name as Russian documents give it: surname, name and,
/// usually, a patronymic.
public struct FullName: Sendable, Hashable, CustomStringConvertible {
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

    /// True when there is nothing to tidy: ASCII spaces only, single and
    /// not at the ends, no dashes but `-` not next to a space, no other
    /// whitespace. Checked on bytes, cheaply.
    static func isTidy(_ text: String) -> Bool {
        var previous: UInt8 = 0x20
        for b in text.utf8 {
            switch b {
            case 0x20: if previous == 0x20 || previous == UInt8(ascii: "-") { return false }
            case UInt8(ascii: "-"): if previous == 0x20 { return false }
            case 0...0x1F, 0x7F, 0xC2, 0xE2, 0xE3: return false
            default: break
            }
            previous = b
        }
        return previous != 0x20 && previous != UInt8(ascii: "-")
    }

    /// Compares names case-insensitively with `ё` = `е`, spaces folded.
    public static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in tidy(text).unicodeScalars {
            switch s.value {
            case 0x41...0x5A, 0x410...0x42F: out.append(Unicode.Scalar(s.value + 32)!)
            case 0x401, 0x451: out.append("е")
            case 0...0x7F, 0x430...0x44F: out.append(s)
            default: for l in s.properties.lowercaseMapping.unicodeScalars { out.append(l) }
            }
        }
        return String(out)
    }

    /// Trims, folds runs of whitespace (non-breaking spaces too) into one
    /// space, and writes every dash between word parts as `-` with no spaces.
    public static func tidy(_ text: String) -> String {
        if isTidy(text) { return text }
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !current.isEmpty {
                    words.append(current)
                    current = ""
                }
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
