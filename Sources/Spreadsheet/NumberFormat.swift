/// Tells date formats from number formats, as spreadsheet readers must:
/// the file stores a date as a number and only its format says otherwise.
public enum NumberFormat {
    /// Built-in format ids that show dates or times (ECMA-376 18.8.30).
    public static func isBuiltInDate(_ id: Int) -> Bool {
        (14...22).contains(id) || (45...47).contains(id)
    }

    /// True when a custom format code shows a date or time: a `d`, `m`, `y`,
    /// `h` or `s` outside quoted text, outside `[…]` (colours, locales,
    /// conditions) and not escaped by `\`, `_` or `*`. Only the first section
    /// (before `;`) counts.
    public static func isDate(code: String) -> Bool {
        var inQuotes = false
        var inBrackets = false
        var skipNext = false
        for byte in code.utf8 {
            if skipNext {
                skipNext = false
                continue
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") { inQuotes = false }
                continue
            }
            if inBrackets {
                if byte == UInt8(ascii: "]") { inBrackets = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inQuotes = true
            case UInt8(ascii: "["): inBrackets = true
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"): skipNext = true
            case UInt8(ascii: ";"): return false
            case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "m"), UInt8(ascii: "M"),
                UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "h"), UInt8(ascii: "H"),
                UInt8(ascii: "s"), UInt8(ascii: "S"):
                return true
            default: continue
            }
        }
        return false
    }
}
