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

    /// The month key is `YYYY-MM` with the year padded to four digits, for every
    /// month of years −20 … 10,020 (written directly for 0 … 9999, formatted beyond).
    @Test func monthKeyIsThePaddedYearAndMonth() {
        func reference(_ t: StreamTime) -> String {
            let d = UTCCalendar.date(t)
            func pad(_ value: Int64, _ width: Int) -> String {
                let s = String(value)
                return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
            }
            return pad(d.year, 4) + "-" + pad(d.month, 2)
        }
        for year in Int64(-20)...10_020 {
            for month in Int64(1)...12 {
                let t = UTCCalendar.days(fromCivil: year, month, 1) * Millis.day + 12_345
                #expect(UTCCalendar.monthKey(t) == reference(t))
            }
        }
        #expect(UTCCalendar.monthKey(0) == "1970-01")
        #expect(UTCCalendar.monthKey(StreamTimeRange.highest) == "9999-12")
    }

    /// `iso8601` written as twenty bytes equals the padded format: every day of years
    /// 0 … 2 and 9,997 … 9,999 at several times of day, a day in every ~97 over the
    /// whole range, and each second of one day; beyond four-digit years the padded path.
    @Test func iso8601BytesEqualThePaddedFormat() {
        let lastDay = UTCCalendar.dayIndex(StreamTimeRange.highest)
        let firstDay = UTCCalendar.days(fromCivil: 0, 1, 1)
        var days = Array(firstDay ..< firstDay + 3 * 366) + Array(lastDay - 3 * 366 ... lastDay)
        days += Array(stride(from: firstDay, through: lastDay, by: 97))
        let times: [Int64] = [0, 1, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, 36_000_000, 43_199_999, 86_399_999]
        for day in days {
            for time in times {
                let t = day * Millis.day + time
                #expect(UTCCalendar.iso8601(t) == UTCCalendar.iso8601Padded(t), "\(t)")
            }
        }
        for second in Int64(0) ..< 86_400 {
            let t = 1_795_000_000_000 / Millis.day * Millis.day + second * 1000 + second % 1000
            #expect(UTCCalendar.iso8601(t) == UTCCalendar.iso8601Padded(t), "\(t)")
        }
        for t in [Int64(-1), -Millis.day, firstDay * Millis.day - 1, StreamTimeRange.highest + 1, 400_000_000_000_000] {
            #expect(UTCCalendar.iso8601(t) == UTCCalendar.iso8601Padded(t), "\(t)")
        }
        #expect(UTCCalendar.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(UTCCalendar.iso8601(StreamTimeRange.highest) == "9999-12-31T23:59:59Z")
    }
}
