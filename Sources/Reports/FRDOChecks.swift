import CivilDate
import Records

/// One problem in the ФРДО sheet: the cell of «Шаблон» it is in, a stable
/// code and what to do, in Russian, as an import report words it.
public struct FRDOFinding: Sendable, Hashable {
    /// `H3`.
    public var cell: String
    public var column: String
    public var code: String
    public var message: String
    /// The student's id (never the name: the finding goes to the screen and the report).
    public var student: String

    /// `Шаблон!H3 (j1234, «Номер документа»): ошибка E-FRDO-REQUIRED: …`.
    public var line: String { "\(FRDOExport.sheetName)!\(cell) (\(student), «\(column)»): ошибка \(code): \(message)" }
}

/// The checks of the register's template, one per kind of value. Each
/// returns the problem in words, or `nil` when the value is right.
enum FRDOChecks {
    /// Latin letters that look like Cyrillic ones, and the Cyrillic letter meant.
    static let lookalikes: [Character: Character] = [
        "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к", "m": "м", "t": "т", "h": "н", "b": "в",
        "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У"
    ]

    /// A name in Cyrillic only: letters, a hyphen, a space, an apostrophe.
    static func name(_ text: String, what: String) -> (code: String, message: String)? {
        for (i, ch) in text.enumerated() {
            if ch.isASCII, ch.isLetter {
                let meant = lookalikes[ch].map { " (похожа на кириллическую «\($0)»)" } ?? ""
                return (
                    "E-FRDO-LATIN",
                    "в поле «\(what)» латинская буква «\(ch)»\(meant) — \(i + 1)-й знак; реестр принимает только кириллицу: перепечатайте букву в русской раскладке в контингенте и пришлите его снова"
                )
            }
            let cyrillic = ch.unicodeScalars.allSatisfy { (0x0400...0x04FF).contains($0.value) }
            if !(cyrillic && ch.isLetter) && !["-", " ", "'", "’"].contains(ch) {
                return ("E-FRDO-CHAR", "в поле «\(what)» знак «\(ch)» (\(i + 1)-й) — не буква кириллицы; исправьте ФИО в контингенте")
            }
        }
        return nil
    }

    /// `dd.mm.yyyy`, a real date.
    static func date(_ text: String) -> String? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[2]), let month = Int(parts[1]), let day = Int(parts[0]),
            CivilDate(year: year, month: month, day: day) != nil
        else {
            return "«\(text)» — не дата в виде дд.мм.гггг"
        }
        return nil
    }

    /// A СНИЛС: eleven digits with the right check number; the register wants `000-000-000 00`.
    static func snils(_ text: String) -> (code: String, message: String, formatted: String?) {
        switch SNILS.parse(text) {
        case .success(let s): ("", "", s.description)
        case .failure(.format): ("E-SNILS-FORMAT", "СНИЛС «\(text)» не из 11 цифр; пишите как 112-233-445 95", nil)
        case .failure(.checksum(let expected)):
            (
                "E-SNILS-CHECKSUM",
                "в СНИЛС «\(text)» не сходится контрольное число (по первым девяти цифрам должно быть \(expected < 10 ? "0" : "")\(expected)); проверьте номер по документу",
                nil
            )
        }
    }

    /// The citizenship as an ОКСМ code: three digits, or Russia by name.
    static func citizenship(_ text: String?) -> (code: String?, problem: String?) {
        guard let text, !text.isEmpty else { return ("643", nil) }
        let t = text.lowercased()
        if ["россия", "рф", "российская федерация", "россии"].contains(t) { return ("643", nil) }
        if text.count == 3, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return (text, nil) }
        return (nil, "гражданство «\(text)» — не код страны по ОКСМ (три цифры: 643 — Россия); впишите код в лист выдачи аттестатов")
    }

    /// The forms of study the register knows.
    static let studyForms = ["Очная", "Очно-заочная", "Заочная", "Семейное образование", "Самообразование"]

    static func studyForm(_ text: String?) -> (value: String?, problem: String?) {
        guard let text, !text.isEmpty else { return ("Очная", nil) }
        if let f = studyForms.first(where: { $0.lowercased() == text.lowercased() }) { return (f, nil) }
        return (nil, "форма обучения «\(text)» не из списка реестра: \(studyForms.joined(separator: ", "))")
    }

    /// Оригинал or Дубликат (empty: an original).
    static func status(_ text: String?) -> (value: String?, problem: String?) {
        guard let text, !text.isEmpty else { return ("Оригинал", nil) }
        switch text.lowercased() {
        case "оригинал": return ("Оригинал", nil)
        case "дубликат": return ("Дубликат", nil)
        default: return (nil, "статус «\(text)»: в реестре бывает только «Оригинал» или «Дубликат»")
        }
    }

    /// A yes/no confirmation column (loss, exchange, destruction).
    static func confirmation(_ text: String?) -> (value: String?, problem: String?) {
        guard let text, !text.isEmpty else { return ("Нет", nil) }
        switch text.lowercased() {
        case "да": return ("Да", nil)
        case "нет": return ("Нет", nil)
        default: return (nil, "«\(text)»: здесь пишут «Да» или «Нет»")
        }
    }

    /// A blank's number: digits.
    static func blankNumber(_ text: String) -> String? {
        text.allSatisfy({ $0.isASCII && $0.isNumber }) ? nil : "номер бланка «\(text)» — только цифры, как напечатано на бланке (без серии, пробелов и знака №)"
    }
}
