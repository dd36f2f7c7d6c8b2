import Foundation
import Testing
@testable import Governance

@Suite struct UTCCalendarTests {
    @Test func monthBoundaryIsUTCMidnightOfTheFirst() {
        let lastMsOfOctober: StreamTime = 1_793_491_199_999  // 2026-10-31T23:59:59.999Z
        #expect(UTCCalendar.monthKey(lastMsOfOctober) == "2026-10")
        #expect(UTCCalendar.monthKey(lastMsOfOctober + 1) == "2026-11")
        #expect(UTCCalendar.monthIndex(lastMsOfOctober + 1) == UTCCalendar.monthIndex(lastMsOfOctober) + 1)
    }

    @Test func nextMidnightAndISOFormat() {
        let t: StreamTime = 1_795_000_000_000
        #expect(UTCCalendar.iso8601(t) == "2026-11-18T11:06:40Z")
        #expect(UTCCalendar.iso8601(UTCCalendar.startOfNextDay(t)) == "2026-11-19T00:00:00Z")
        #expect(UTCCalendar.startOfNextDay(UTCCalendar.startOfNextDay(t) - 1) == UTCCalendar.startOfNextDay(t))
    }

    @Test func agreesWithFoundationOverManyDays() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for day in stride(from: Int64(-140_000), through: 2_000_000, by: 997) {
            let t = day * Millis.day + 12_345
            let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(t) / 1000))
            let ours = UTCCalendar.date(t)
            #expect(ours.year == Int64(c.year!) && ours.month == Int64(c.month!) && ours.day == Int64(c.day!))
            #expect(UTCCalendar.days(fromCivil: ours.year, ours.month, ours.day) == day)
        }
    }
}
