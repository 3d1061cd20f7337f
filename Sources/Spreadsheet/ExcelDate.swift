public import CivilDate

/// The two date systems of spreadsheet files: serial day numbers counted
/// from 1899-12-30 (with Lotus 1-2-3's fictitious 1900-02-29 kept as day 60)
/// or from 1904-01-01 (old Mac Excel; `date1904` in the workbook).
public enum ExcelDateSystem: Sendable {
    case d1900
    case d1904

    private static let epoch1900 = CivilDate(year: 1899, month: 12, day: 30)!.daysSinceEpoch
    private static let epoch1904 = CivilDate(year: 1904, month: 1, day: 1)!.daysSinceEpoch
    /// 9999-12-31 in the 1900 system.
    private static let maxSerial = 2_958_465.0

    /// The date and time a serial stands for, or `nil` when it is outside the
    /// dates a spreadsheet can show (negative, past 9999). A serial below 1 is
    /// a time of day alone. In the 1900 system serials 1–59 are shifted by a
    /// day (1 is 1900-01-01) and 60, the fictitious 29 February, reads as
    /// 1900-02-28, as openpyxl reads it.
    public func dateTime(serial: Double) -> CivilDateTime? {
        guard ExcelDateSystem.isDateSerial(serial) else { return nil }
        var day = serial.rounded(.down)
        var seconds = ((serial - day) * 86_400).rounded()
        if seconds >= 86_400 {
            day += 1
            seconds -= 86_400
        }
        if serial < 1, day == 0 {
            let epoch = self == .d1900 ? ExcelDateSystem.epoch1900 : ExcelDateSystem.epoch1904
            return CivilDateTime(date: CivilDate(daysSinceEpoch: epoch), secondsOfDay: Int(seconds), isTimeOnly: true)
        }
        switch self {
        case .d1900:
            if day < 60 { day += 1 }
            return CivilDateTime(date: CivilDate(daysSinceEpoch: ExcelDateSystem.epoch1900 + Int(day)), secondsOfDay: Int(seconds))
        case .d1904:
            return CivilDateTime(date: CivilDate(daysSinceEpoch: ExcelDateSystem.epoch1904 + Int(day)), secondsOfDay: Int(seconds))
        }
    }

    /// True when `serial` stands for a date this system can show.
    @inline(__always)
    public static func isDateSerial(_ serial: Double) -> Bool {
        serial >= 0 && serial <= maxSerial
    }

    /// The serial of a date and time (the inverse of `dateTime(serial:)`).
    public func serial(of value: CivilDateTime) -> Double {
        let fraction = Double(value.secondsOfDay) / 86_400
        if value.isTimeOnly { return fraction }
        switch self {
        case .d1900:
            var day = value.date.daysSinceEpoch - ExcelDateSystem.epoch1900
            if day <= 60 { day -= 1 }
            return Double(day) + fraction
        case .d1904:
            return Double(value.date.daysSinceEpoch - ExcelDateSystem.epoch1904) + fraction
        }
    }

    /// The serial of a date at midnight.
    public func serial(of date: CivilDate) -> Double {
        serial(of: CivilDateTime(date: date))
    }
}
