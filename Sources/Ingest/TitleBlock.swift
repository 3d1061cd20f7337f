import Policy
import Records
import Spreadsheet

/// What the rows above a header say about the whole sheet: the class, the
/// school year, the period («Сводная ведомость 9А класса за 1 четверть
/// 2025/2026 учебного года»). The sheet's name counts as a title line too
/// (exports often name a sheet after its class).
struct TitleBlock: Sendable {
    var schoolClass: SchoolClass?
    var year: AcademicYear?
    var period: Period?
    /// The subject a teacher's sheet or a journal grid is for («Физика, 9А»).
    var subject: Term?
    /// Where each came from, for findings.
    var lines: [String]
    /// Why the period the title would give cannot be trusted (two periods named,
    /// the title and the sheet's name disagree, «итоговые» outside 9th and 11th grade).
    var periodProblem: String?
    /// The title and the sheet's name name different subjects.
    var subjectProblem: String?

    static let empty = TitleBlock(lines: [])

    init(lines: [String], schoolClass: SchoolClass? = nil, year: AcademicYear? = nil, period: Period? = nil) {
        self.lines = lines
        self.schoolClass = schoolClass
        self.year = year
        self.period = period
    }

    /// Reads the title rows (each row's texts joined) and the sheet name.
    init(rows: [Row], sheetName: String?, policy: Policy) {
        var lines: [String] = []
        for row in rows {
            let texts = row.cells.map { $0.value.text.trimmed }.filter { !$0.isEmpty }
            if !texts.isEmpty { lines.append(texts.joined(separator: " ")) }
        }
        self.lines = lines
        for line in lines {
            if year == nil { year = TitleBlock.year(in: line) }
        }
        // A class is looked for first where the word «класс» says it is one.
        for line in lines where line.lowercased().contains("класс") {
            if schoolClass == nil { schoolClass = TitleBlock.schoolClass(in: line) }
        }
        // Without the word, only a capital letter makes a class («Физика, 9А»): «за 1 ч.» is a period.
        for line in lines where schoolClass == nil { schoolClass = TitleBlock.schoolClass(in: line, capitalOnly: true) }
        if schoolClass == nil, let sheetName { schoolClass = SchoolClass(parsing: sheetName) ?? TitleBlock.schoolClass(in: sheetName, capitalOnly: true) }
        for line in lines {
            if period == nil { period = TitleBlock.period(in: line, policy: policy) }
            let named = TitleBlock.periods(in: line, policy: policy)
            if named.count > 1, periodProblem == nil {
                periodProblem = "в заголовке «\(line.prefix(80))» названо несколько периодов: " + named.map { "«\($0.label)»" }.joined(separator: ", ")
            }
        }
        // The sheet's name («2 четверть») gives the period when the title does not, and must agree with it when it does.
        if let sheetName, let fromName = TitleBlock.period(in: sheetName, policy: policy) {
            if let period, period.id != fromName.id, periodProblem == nil {
                periodProblem = "в заголовке период «\(period.label)», а лист назван «\(sheetName)»"
            } else if period == nil, periodProblem == nil {
                period = fromName
            }
        }
        if let period, period.kind == .final, periodProblem == nil {
            if let grade = schoolClass?.grade, grade != 9, grade != 11 {
                periodProblem =
                    "«\(period.label)» отметки ставятся в аттестат, в 9 и 11 классах, а ведомость \(grade) класса; годовые отметки подпишите «годовые»"
            } else if let line = lines.first(where: TitleBlock.saysForTheYear) {
                periodProblem =
                    "заголовок «\(line.prefix(80))» можно понять и как годовые отметки, и как итоговые (в аттестат); напишите «годовые» или «итоговые (в аттестат)»"
            }
        }
        if periodProblem != nil { period = nil }
        for line in lines where subject == nil {
            subject = TitleBlock.subject(in: line, policy: policy)
        }
        if let sheetName, let fromName = TitleBlock.subject(in: sheetName, policy: policy) {
            if let subject, subject.id != fromName.id {
                subjectProblem = "в заголовке предмет «\(subject.label)», а лист назван «\(sheetName)»"
                self.subject = nil
            } else if subject == nil {
                subject = fromName
                // A title naming a subject in another case («по геометрии») is not read as one; it must
                // not disagree with the sheet's name.
                if let (other, word) = lines.lazy.compactMap({ TitleBlock.subjectByStem(in: $0, policy: policy) }).first, other.id != fromName.id {
                    subjectProblem = "в заголовке, похоже, предмет «\(other.label)» («\(word)»), а лист назван «\(sheetName)»"
                    subject = nil
                }
            }
        }
    }

    /// A subject a title names in another grammatical case («по геометрии», «русскому
    /// языку»): a word sharing its first five letters with a subject's one-word name
    /// or first word. Only to question the sheet's name, never to give a subject.
    static func subjectByStem(in text: String, policy: Policy) -> (Term, String)? {
        for word in TitleBlock.words(text).split(separator: " ") where word.count >= 6 && word.allSatisfy(\.isLetter) {
            let stem = word.prefix(5)
            for term in policy.subjects.terms {
                guard let first = TitleBlock.words(term.label).split(separator: " ").first, first.count >= 5, first.prefix(5) == stem else { continue }
                return (term, String(word))
            }
        }
        return nil
    }

    /// «за учебный год», «за 2025/2026 учебный год», «за год»: the whole year, said of the marks.
    static func saysForTheYear(_ line: String) -> Bool {
        let words = " " + TitleBlock.words(line) + " "
        return words.range(of: #" за( \d{4}(/\d{2,4})?)*( учебный| уч)? год[а-я]* "#, options: .regularExpression) != nil
    }

    /// Every period the text names (a spelling inside a longer one of another period counts as the longer;
    /// «итоговые отметки за 1 полугодие» names the half-year: «итоговые» before «за» a period is a word of the phrase).
    static func periods(in text: String, policy: Policy) -> [Period] {
        let words = " " + TitleBlock.stripYears(TitleBlock.words(text)) + " "
        var hits: [(spelling: String, period: Period)] = []
        for term in policy.periods.terms {
            guard let period = policy.period(id: term.id) else { continue }
            for spelling in [term.label] + term.synonyms + period.titleForms {
                let w = TitleBlock.words(spelling)
                if !w.isEmpty, words.contains(" " + w + " ") { hits.append((w, period)) }
            }
        }
        let kept = hits.filter { hit in
            !hits.contains { other in
                other.period.id != hit.period.id && other.spelling.count > hit.spelling.count && (" " + other.spelling + " ").contains(" " + hit.spelling + " ")
            }
        }
        var seen: [Period] = []
        for hit in kept where !seen.contains(where: { $0.id == hit.period.id }) { seen.append(hit.period) }
        if seen.count == 2, let final = seen.firstIndex(where: { $0.kind == .final }),
            kept.contains(where: { $0.period.id == seen[1 - final].id && words.contains(" за " + $0.spelling + " ") })
        {
            seen.remove(at: final)
        }
        return seen
    }

    /// The words with the school year's own set aside: «учебный год», and a year
    /// written as a number before «год» («на 2025-2026 год», «2025 г.»).
    static func stripYears(_ words: String) -> String {
        var words = " " + words + " "
        for phrase in ["учебного года", "учебный год", "учебном году", "уч год"] {
            words = words.replacingAll(" " + phrase + " ", with: " ")
        }
        let tokens = words.split(separator: " ")
        var out: [Substring] = []
        var i = 0
        while i < tokens.count {
            let isYear = tokens[i].count >= 4 && tokens[i].allSatisfy { $0.isNumber || $0 == "/" }
            if isYear, i + 1 < tokens.count, tokens[i + 1].count >= 4, tokens[i + 1].allSatisfy(\.isNumber) {
                out.append(tokens[i])
                out.append(tokens[i + 1])
                i += 2
            } else {
                out.append(tokens[i])
                i += 1
            }
            if isYear, i < tokens.count, ["год", "года", "году", "гг", "г"].contains(tokens[i]) { i += 1 }
        }
        return out.joined(separator: " ")
    }

    /// The one subject a text names as whole words (`Физика, 9А`,
    /// `Предмет: Алгебра`); a spelling inside a longer one counts as the
    /// longer (`алгебра и начала анализа`); two subjects named is no subject.
    static func subject(in text: String, policy: Policy) -> Term? {
        let words = TitleBlock.words(text).split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        var hits: [(start: Int, length: Int, term: Term)] = []
        for term in policy.subjects.terms {
            for spelling in [term.label] + term.synonyms {
                let w = TitleBlock.words(spelling).split(separator: " ").map(String.init)
                guard !w.isEmpty, w.count <= words.count else { continue }
                for start in 0...(words.count - w.count) where Array(words[start..<start + w.count]) == w {
                    hits.append((start, w.count, term))
                }
            }
        }
        let kept = hits.filter { hit in
            !hits.contains { other in
                other.length > hit.length && other.start <= hit.start && hit.start + hit.length <= other.start + other.length
            }
        }
        let ids = Set(kept.map(\.term.id))
        return ids.count == 1 ? kept[0].term : nil
    }

    /// `2025/2026`, `2025-2026`, `2025–26` anywhere in the text.
    static func year(in text: String) -> AcademicYear? {
        let chars = Array(text)
        var i = 0
        while i + 4 <= chars.count {
            if chars[i..<i + 4].allSatisfy({ $0.isASCII && $0.isNumber }), i == 0 || !chars[i - 1].isNumber {
                var j = i + 4
                while j < chars.count, chars[j] == " " { j += 1 }
                if j < chars.count, ["/", "-", "–", "—"].contains(chars[j]) {
                    var k = j + 1
                    while k < chars.count, chars[k] == " " { k += 1 }
                    var end = k
                    while end < chars.count, chars[end].isASCII, chars[end].isNumber { end += 1 }
                    if end - k == 2 || end - k == 4, let year = AcademicYear(parsing: String(chars[i..<end])) { return year }
                }
            }
            i += 1
        }
        return nil
    }

    /// A token like `9А`, `10 Б`, `9 «А»`, `11-а` (digits then one letter not
    /// followed by another letter).
    static func schoolClass(in text: String, capitalOnly: Bool = false) -> SchoolClass? {
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber, i == 0 || !(chars[i - 1].isNumber || chars[i - 1].isLetter || chars[i - 1] == "/") else {
                i += 1
                continue
            }
            var j = i
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            let digits = String(chars[i..<j])
            var k = j
            while k < chars.count, [" ", "-", "«", "\"", "“", "'", "„"].contains(chars[k]) { k += 1 }
            if digits.count <= 2, k < chars.count, chars[k].isLetter, !capitalOnly || chars[k].isUppercase,
                k + 1 >= chars.count || !chars[k + 1].isLetter,
                let parsed = SchoolClass(parsing: digits + String(chars[k]))
            {
                return parsed
            }
            i = j
        }
        return nil
    }

    /// A period named in the text as whole words (`за 1 четверть`, `II полугодие`,
    /// `годовая`), with the school year's own words («учебный год») set aside.
    static func period(in text: String, policy: Policy) -> Period? {
        let words = " " + TitleBlock.stripYears(TitleBlock.words(text)) + " "
        var found: (length: Int, period: Period)?
        var conflict = false
        for term in policy.periods.terms {
            guard let period = policy.period(id: term.id) else { continue }
            for spelling in [term.label] + term.synonyms + period.titleForms {
                let w = TitleBlock.words(spelling)
                guard !w.isEmpty, words.contains(" " + w + " ") else { continue }
                if let current = found, current.period.id != period.id {
                    if w.count > current.length { found = (w.count, period) } else if w.count == current.length { conflict = true }
                } else if found == nil || w.count > found!.length {
                    found = (w.count, period)
                }
            }
        }
        return conflict ? nil : found?.period
    }

    /// Lower case, `ё` as `е`, punctuation as spaces, spaces folded.
    static func words(_ text: String) -> String {
        var out = ""
        var space = false
        for ch in text.lowercased() {
            let c: Character = ch == "ё" ? "е" : ch
            if c.isLetter || c.isNumber || c == "/" {
                if space, !out.isEmpty { out.append(" ") }
                space = false
                out.append(c)
            } else {
                space = true
            }
        }
        return out
    }
}

extension String {
    /// Without leading and trailing whitespace; the common case of nothing
    /// to trim costs a look at the two ends.
    var trimmed: String {
        guard let firstByte = utf8.first, let lastByte = utf8.last else { return self }
        if firstByte > 0x20, firstByte < 0x80, lastByte > 0x20, lastByte < 0x80 { return self }
        // Letters of the Cyrillic block (lead bytes D0–D3) are never whitespace: no property lookups for them.
        if let f = unicodeScalars.first, let l = unicodeScalars.last {
            let plain = { (s: Unicode.Scalar) in (0x21..<0x7F).contains(s.value) || (0x400...0x4FF).contains(s.value) || !s.properties.isWhitespace }
            if plain(f), plain(l) { return self }
        }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = self
        while result.contains(target) {
            result = result.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
        }
        return result
    }
}
