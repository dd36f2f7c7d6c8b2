import Foundation
import Governance
import JSON
import Testing

/// Date-keyed trait values (SPEC §6.2): ISO-8601 or epoch seconds / milliseconds → epoch ms.
@Suite struct TraitDateTests {
    func ms(_ text: String) -> Int64? { TraitDate.epochMilliseconds(.string(text)) }
    func ms(number text: String) -> Int64? { TraitDate.epochMilliseconds(.number(JSONNumber(text: text))) }

    @Test func aDateAloneIsUTCMidnight() {
        #expect(ms("1970-01-01") == 0)
        #expect(ms("2024-02-29") == 1_709_164_800_000)
        #expect(ms("0000-01-01") == TraitDate.earliest)
        #expect(ms("9999-12-31") == 253_402_214_400_000)
    }

    @Test func leapYearsAndMonthLengthsAreValidated() {
        #expect(ms("2024-02-29") != nil)
        #expect(ms("2023-02-29") == nil)
        #expect(ms("2000-02-29") != nil)
        #expect(ms("1900-02-29") == nil)
        #expect(ms("2024-04-31") == nil)
        #expect(ms("2024-04-30") != nil)
        #expect(ms("2024-12-31") != nil)
        for invalid in ["2024-00-10", "2024-13-01", "2024-01-00", "2024-01-32"] { #expect(ms(invalid) == nil, "\(invalid)") }
    }

    @Test func aDateTimeWithoutOffsetIsUTC() {
        #expect(ms("2024-02-29T12:34:56") == 1_709_210_096_000)
        #expect(ms("2024-02-29T12:34") == 1_709_210_040_000)
        #expect(ms("2024-02-29 12:34:56") == ms("2024-02-29T12:34:56"))
        #expect(ms("2024-02-29t12:34:56z") == ms("2024-02-29T12:34:56Z"))
        #expect(ms("2024-02-29T12:34:56Z") == ms("2024-02-29T12:34:56"))
    }

    @Test func offsetsInEveryForm() {
        let utc = ms("2024-02-29T12:00:00Z")!
        #expect(ms("2024-02-29T14:30:00+02:30") == utc)
        #expect(ms("2024-02-29T14:30:00+0230") == utc)
        #expect(ms("2024-02-29T14:00:00+02") == utc)
        #expect(ms("2024-02-29T09:00:00-03:00") == utc)
        #expect(ms("2024-02-29T09:00:00-0300") == utc)
        #expect(ms("2024-02-29T12:00:00+00:00") == utc)
        #expect(ms("2024-02-29T12:00:00-00:00") == utc)
        #expect(ms("2024-03-01T00:30:00+12:30") == utc)
        #expect(ms("2024-02-29T12:00+01:00") == utc - 3_600_000)
    }

    @Test func fractionalSecondsAreTruncatedToMilliseconds() {
        let base = ms("2024-02-29T12:00:00Z")!
        #expect(ms("2024-02-29T12:00:00.5Z") == base + 500)
        #expect(ms("2024-02-29T12:00:00.12Z") == base + 120)
        #expect(ms("2024-02-29T12:00:00.123Z") == base + 123)
        #expect(ms("2024-02-29T12:00:00.123999999Z") == base + 123)
        #expect(ms("2024-02-29T12:00:00,250") == base + 250)
        #expect(ms("2024-02-29T12:00:00.999+01:00") == base - 3_600_000 + 999)
    }

    @Test(arguments: [
        "2024-02-29T24:00:00", "2024-02-29T23:60:00", "2024-02-29T23:59:60", "2024-02-29T12:00:00+24:00",
        "2024-02-29T12:00:00+01:60", "2024-02-29T12:00:00.Z", "2024-02-29T12", "2024-02-29T", "2024-02-29T1:00",
        "2024-2-29", "24-02-29", "+2024-02-29", "2024-02", "2024-W09-4", "2024-060", " 2024-02-29", "2024-02-29 ",
        "2024/02/29", "29.02.2024", "2024-02-29T12:00:00Zjunk", "2024-02-29T12:00:00+1", "2024-02-29T12:00:00+01:0",
        "2024-02-29T12:00:00 +01:00", "today", "", "-1700000000", "1.7e9", "1700000000.5", " 1700000000", "１７００",
        "0000-01-01T00:00:00+00:01",
    ])
    func anythingElseIsNotADate(text: String) {
        #expect(ms(text) == nil)
    }

    @Test func epochSecondsBelow10To11AndMillisecondsFrom10To11() {
        #expect(ms(number: "99999999999") == 99_999_999_999_000)
        #expect(ms(number: "100000000000") == 100_000_000_000)
        #expect(ms(number: "1700000000") == 1_700_000_000_000)
        #expect(ms(number: "1700000000000") == 1_700_000_000_000)
        #expect(ms(number: "0") == 0)
        #expect(ms(number: "-86400") == -86_400_000)
        #expect(ms(number: "1e11") == 100_000_000_000)
        #expect(ms(number: "1.7e9") == 1_700_000_000_000)
        #expect(ms(number: "1700000000.5") == 1_700_000_000_500)
        #expect(ms(number: "1700000000000.9") == 1_700_000_000_000)
        #expect(ms(number: "-1.5") == -1_500)
    }

    @Test func digitStringsAreEpochTimes() {
        #expect(ms("99999999999") == 99_999_999_999_000)
        #expect(ms("100000000000") == 100_000_000_000)
        #expect(ms("1700000000") == 1_700_000_000_000)
        #expect(ms("0001700000000") == 1_700_000_000_000)
        #expect(ms("20240229") == 20_240_229_000)
        #expect(ms("0") == 0)
    }

    @Test func epochTimesOutsideYears0To9999AreNotDates() {
        #expect(ms(number: "253402300799999") == TraitDate.latest)
        #expect(ms(number: "253402300800000") == nil)
        #expect(ms(number: "-62167219200") == TraitDate.earliest)
        #expect(ms(number: "-62167219201") == nil)
        #expect(ms("999999999999999999") == nil)
        #expect(ms("9999999999999999999999") == nil)
        #expect(ms(number: "1e300") == nil)
        #expect(ms(number: "12345678901234567890") == nil)
    }

    @Test func otherJSONTypesAreNotDates() {
        for value: JSONValue in [.null, true, ["2024-01-01"], ["d": "2024-01-01"]] {
            #expect(TraitDate.epochMilliseconds(value) == nil)
        }
    }

    @Test func agreesWithFoundationOnRandomDateTimes() {
        var generator = SystemRandomNumberGenerator()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -2_000_000_000...10_000_000_000, using: &generator)
            let offsetMinutes = Int.random(in: -14 * 60...14 * 60, using: &generator)
            formatter.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)!
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(ms(text) == seconds * 1000, "\(text)")
        }
    }
}
