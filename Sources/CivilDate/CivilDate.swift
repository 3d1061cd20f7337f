/// A calendar date without a time zone: what a school's paper means by
/// «01.09.2025». Proleptic Gregorian calendar.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Read-only: a date is made only by an initialiser that checks it names a real day.
    public let year: Int
    public let month: Int
    public let day: Int

    /// Makes a date from its parts when they name a real day, else `nil`
    /// (the caller knows which text it parsed and reports it).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (negative before it).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `2025-09-01`.
    public var iso8601: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// `01.09.2025`, as Russian documents write dates.
    public var russian: String {
        pad(day, 2) + "." + pad(month, 2) + "." + pad(year, 4)
    }

    public var description: String { iso8601 }

    /// Adds days.
    public func adding(days: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Parses `2025-09-01`, `01.09.2025`, `1.9.2025`, `01/09/2025` (day first,
    /// as Russian documents write it) and `01.09.25` (years 00–69 → 2000s).
    /// A trailing time (`2025-09-01T08:30:00`, `01.09.2025 0:00:00`) is ignored.
    public init?(parsing text: some StringProtocol) {
        // Fast path for the two shapes nearly every date has: `2025-09-01` (the ledger's) and `01.09.2025`.
        if let fixed = text.utf8.withContiguousStorageIfAvailable({ CivilDate.fixedWidth($0) }), let date = fixed {
            self = date
            return
        }
        var s = Substring(text).drop(while: { $0 == " " })
        while s.last == " " { s.removeLast() }
        if let cut = s.firstIndex(where: { $0 == "T" || $0 == " " }) { s = s[..<cut] }
        let parts: [Substring]
        let isoOrder: Bool
        if s.contains("-") {
            parts = s.split(separator: "-", omittingEmptySubsequences: false)
            isoOrder = true
        } else if s.contains(".") {
            parts = s.split(separator: ".", omittingEmptySubsequences: false)
            isoOrder = false
        } else if s.contains("/") {
            parts = s.split(separator: "/", omittingEmptySubsequences: false)
            isoOrder = false
        } else {
            return nil
        }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }),
            let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2])
        else { return nil }
        if isoOrder {
            guard parts[0].count == 4 else { return nil }
            self.init(year: a, month: b, day: c)
        } else {
            var year = c
            if parts[2].count == 2 { year += c < 70 ? 2000 : 1900 } else if parts[2].count != 4 { return nil }
            self.init(year: year, month: b, day: a)
        }
    }

    /// `YYYY-MM-DD` or `DD.MM.YYYY` in exactly ten ASCII bytes; `nil` for anything else
    /// (which the general parser then reads or refuses).
    private static func fixedWidth(_ b: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        guard b.count == 10 else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                let v = b[i]
                guard v >= 0x30, v <= 0x39 else { return nil }
                n = n * 10 + Int(v - 0x30)
            }
            return n
        }
        if b[4] == 0x2D, b[7] == 0x2D, let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) {
            return CivilDate(year: y, month: m, day: d)
        }
        if b[2] == 0x2E, b[5] == 0x2E, let d = digits(0..<2), let m = digits(3..<5), let y = digits(6..<10) {
            return CivilDate(year: y, month: m, day: d)
        }
        return nil
    }
}

/// A date with a time of day and no time zone, or a time of day alone, as
/// spreadsheet cells hold them.
public struct CivilDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var date: CivilDate
    /// Seconds since midnight, 0..<86400.
    public var secondsOfDay: Int
    /// True for a time of day with no date (an Excel serial below 1).
    public var isTimeOnly: Bool

    public init(date: CivilDate, secondsOfDay: Int = 0, isTimeOnly: Bool = false) {
        self.date = date
        self.secondsOfDay = secondsOfDay
        self.isTimeOnly = isTimeOnly
    }

    /// `2025-09-01`, `2025-09-01T08:30:00`, or `08:30:00` for a time alone.
    public var iso8601: String {
        let time = pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":" + pad(secondsOfDay % 60, 2)
        if isTimeOnly { return time }
        if secondsOfDay == 0 { return date.iso8601 }
        return date.iso8601 + "T" + time
    }

    public var description: String { iso8601 }

    public static func < (a: CivilDateTime, b: CivilDateTime) -> Bool {
        (a.date, a.secondsOfDay) < (b.date, b.secondsOfDay)
    }
}

@inline(__always)
func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
