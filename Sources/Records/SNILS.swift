/// СНИЛС, the insurance number: eleven digits written `XXX-XXX-XXX YY`,
/// the last two a check number.
public struct SNILS: Sendable, Hashable, CustomStringConvertible {
    /// The eleven digits.
    public let digits: String

    /// Why a text is not a valid СНИЛС.
    public enum Problem: Error, Sendable, Equatable {
        /// Not eleven digits (with the usual spaces and hyphens).
        case format
        /// The check number does not match; carries the expected one.
        case checksum(expected: Int)
    }

    /// Parses `112-233-445 95`, `11223344595`, `112 233 445 95`, and verifies
    /// the check number for numbers above 001-001-998.
    public static func parse(_ text: String) -> Result<SNILS, Problem> {
        var digits: [Int] = []
        for ch in text.unicodeScalars {
            if let d = Int(String(ch)), ("0"..."9").contains(ch) {
                digits.append(d)
            } else if ch == "-" || ch == " " || ch == "\u{00A0}" {
                continue
            } else {
                return .failure(.format)
            }
        }
        guard digits.count == 11 else { return .failure(.format) }
        let number = digits[0..<9].reduce(0) { $0 * 10 + $1 }
        let given = digits[9] * 10 + digits[10]
        if number > 1_001_998 {
            let expected = checkNumber(Array(digits[0..<9]))
            if expected != given { return .failure(.checksum(expected: expected)) }
        }
        return .success(SNILS(digits: digits.map(String.init).joined()))
    }

    private init(digits: String) { self.digits = digits }

    /// A number as the ledger keeps it (eleven digits, checked when it came in); `nil` when it is not one.
    public init?(stored digits: String) {
        guard digits.utf8.count == 11, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        self.digits = digits
    }

    /// The check number of the first nine digits: each digit times its
    /// position from the right (9…1), summed; below 100 as is; 100 and 101
    /// give 00; above, the remainder of division by 101, 100 giving 00.
    public static func checkNumber(_ nine: [Int]) -> Int {
        let sum = nine.enumerated().reduce(0) { $0 + $1.element * (9 - $1.offset) }
        if sum < 100 { return sum }
        if sum == 100 || sum == 101 { return 0 }
        let r = sum % 101
        return r == 100 ? 0 : r
    }

    /// `112-233-445 95`.
    public var description: String {
        let d = Array(digits)
        return String(d[0..<3]) + "-" + String(d[3..<6]) + "-" + String(d[6..<9]) + " " + String(d[9..<11])
    }
}
