import Foundation
import Testing
import HeadshotTestSupport
@testable import HeadshotCore

/// The pages' dates read exactly as a `DateFormatter` in UTC and en_US_POSIX writes them (what they
/// were made with before), for every day of several years and times around midnight.
@Suite("Dates on pages") struct DateTextTests {
    static func formatted(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    @Test func pageDatesMatchTheFormatterInUTCForEveryDay() {
        let start = Date(timeIntervalSince1970: 1_704_067_200) // 1 January 2024, 00:00 UTC
        for day in 0..<(3 * 366) {
            for seconds in [0, 59, 3_599, 43_200 + 17 * 60, 86_399] {
                let date = start.addingTimeInterval(TimeInterval(day * 86_400 + seconds))
                #expect(DateText.long(date) == Self.formatted(date, "d MMMM yyyy"))
                #expect(DateText.short(date) == Self.formatted(date, "d MMM yyyy, HH:mm 'UTC'"))
            }
        }
        #expect(DateText.long(Date(timeIntervalSince1970: 1_796_256_000)) == "3 December 2026")
        #expect(DateText.short(Date(timeIntervalSince1970: 1_796_256_000 + 9 * 3600 + 5 * 60)) == "3 Dec 2026, 09:05 UTC")
    }
}
