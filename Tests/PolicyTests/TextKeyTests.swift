import Testing
@testable import Policy

/// Header and term matching rests on `TextKey.compact`: its faster writing
/// must give every key the scalar-by-scalar definition gives.
@Suite struct TextKeyTests {
    /// The definition: letters and digits only, lower case, `ё` as `е`.
    static func reference(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let v = s.value
            switch v {
            case 0x30...0x39, 0x61...0x7A: out.append(s)
            case 0x41...0x5A: out.append(Unicode.Scalar(v + 32)!)
            case 0x430...0x44F: out.append(s)
            case 0x410...0x42F: out.append(Unicode.Scalar(v + 32)!)
            case 0x401, 0x451: out.append("е")
            case 0...0x7F: continue
            default:
                if s.properties.isAlphabetic || s.properties.numericType != nil {
                    for l in s.properties.lowercaseMapping.unicodeScalars { out.append(l) }
                }
            }
        }
        return String(out)
    }

    @Test func keysAreTheDefinitionsKeys() {
        let samples = [
            "", "Ф.И.О.", "ФИО", "ф и о", "Физ-ра", "физра", "Ёлка ёж", "ЁЖИК", "Алгебра и начала анализа", "№ п/п", "#",
            "Иностранный язык (английский)", "1 четв.", "Год", "ЕГЭ-2026", "Résumé", "ÆØÅ", "Straße", "İstanbul", "ǅ",
            "Ⅻ", "½", "٣", "日本語", "e\u{301}", "Ѐѐ Ѝѝ Ўў Џџ", "ԀԁԂ", "😀 5", "\u{A0}нбсп\u{2009}", "\u{0}\u{1F}\u{7F}", "ΣΑΣ σας"
        ]
        for text in samples {
            #expect(TextKey.compact(text) == Self.reference(text), "«\(text)»")
            #expect(TextKey.compact(Substring(text)) == Self.reference(text), "«\(text)» as a substring")
        }
        // Every scalar of the Basic Multilingual Plane's letters around Cyrillic and Latin, one by one.
        for v in UInt32(0)...0x052F {
            guard let s = Unicode.Scalar(v) else { continue }
            let text = "a" + String(Character(s)) + "Я"
            #expect(TextKey.compact(text) == Self.reference(text), "U+\(String(v, radix: 16))")
        }
    }
}
