import Testing
@testable import CivilDate

@Suite struct CivilDateTests {
    @Test func daysSinceEpochRoundTripsAcrossCenturies() {
        for days in stride(from: -800_000, through: 3_000_000, by: 997) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1)!.daysSinceEpoch == 11017)
    }

    @Test func refusesDaysThatDoNotExist() {
        #expect(CivilDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2025, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2025, month: 4, day: 31) == nil)
    }

    @Test(arguments: [
        ("2025-09-01", "2025-09-01"), ("01.09.2025", "2025-09-01"), ("1.9.2025", "2025-09-01"),
        ("01/09/2025", "2025-09-01"), ("01.09.25", "2025-09-01"), ("31.12.99", "1999-12-31"),
        (" 25.05.2026 ", "2026-05-25"), ("2025-09-01T08:30:00", "2025-09-01"), ("25.05.2026 0:00:00", "2026-05-25"),
        ("2024-02-29", "2024-02-29"), ("29.02.2024", "2024-02-29"), ("0001-01-01", "0001-01-01")
    ])
    func parsesTheWaysSchoolsWriteDates(text: String, iso: String) {
        #expect(CivilDate(parsing: text)?.iso8601 == iso)
    }

    @Test(arguments: [
        "", "31.02.2025", "2025-9", "сентябрь", "1.1", "12345.01.01", "01.09.2025.1", "2025-13-01",
        // ten characters, the fast path's shapes, not real days or not digits
        "2025-02-29", "30.02.2025", "0000-01-01", "2025-0a-01", "01.09-2025", "٢٠٢٥-٠٩-٠١"
    ])
    func refusesWhatIsNotADate(text: String) {
        #expect(CivilDate(parsing: text) == nil)
    }

    @Test func readsASubstringAsItsText() {
        let line = "дата: 2025-09-01; 01.09.2025"
        #expect(CivilDate(parsing: line.dropFirst(6).prefix(10))?.iso8601 == "2025-09-01")
        #expect(CivilDate(parsing: line.suffix(10))?.iso8601 == "2025-09-01")
    }

    @Test func formatsDatesAndTimes() {
        let d = CivilDate(year: 2025, month: 9, day: 1)!
        #expect(d.russian == "01.09.2025")
        #expect(CivilDateTime(date: d).iso8601 == "2025-09-01")
        #expect(CivilDateTime(date: d, secondsOfDay: 8 * 3600 + 30 * 60).iso8601 == "2025-09-01T08:30:00")
        #expect(CivilDateTime(date: d, secondsOfDay: 59, isTimeOnly: true).iso8601 == "00:00:59")
        #expect(d.adding(days: 30).iso8601 == "2025-10-01")
    }
}
