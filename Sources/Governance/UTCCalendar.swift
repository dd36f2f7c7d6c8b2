/// UTC calendar arithmetic on stream time (SPEC §6.3: months and days are UTC
/// calendar months and days of the record's timestamp). Proleptic Gregorian,
/// using Howard Hinnant's days-from-civil algorithms; no Foundation, no time zones.
public enum UTCCalendar {
    /// A calendar date.
    public struct Date: Sendable, Hashable, Codable {
        public var year: Int64
        public var month: Int64
        public var day: Int64
    }

    /// Days since 1970-01-01 of the UTC day containing `t` (floored for negative times).
    public static func dayIndex(_ t: StreamTime) -> Int64 {
        t >= 0 ? t / Millis.day : (t + 1) / Millis.day - 1
    }

    /// The UTC date containing `t`.
    public static func date(_ t: StreamTime) -> Date { civil(fromDays: dayIndex(t)) }

    /// A month number that increases by one per calendar month: `year * 12 + month - 1`.
    public static func monthIndex(_ t: StreamTime) -> Int64 {
        let d = date(t)
        return d.year * 12 + d.month - 1
    }

    /// The month as `YYYY-MM`.
    public static func monthKey(_ t: StreamTime) -> String {
        let d = date(t)
        guard (0...9999).contains(d.year) else { return pad(d.year, 4) + "-" + pad(d.month, 2) }
        // Four-digit years (all of `StreamTimeRange`): the seven bytes written at once, a
        // small string without the padding and concatenation (~1,400 instructions).
        let year = Int(d.year), month = Int(d.month)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 7) { key in
            writeYearMonth(year, month, into: key)
            return String(decoding: UnsafeBufferPointer(key), as: UTF8.self)
        }
    }

    /// `YYYY-MM` of a four-digit year into the first seven bytes of `bytes`.
    @inline(__always)
    private static func writeYearMonth(_ year: Int, _ month: Int, into bytes: UnsafeMutableBufferPointer<UInt8>) {
        func digit(_ value: Int) -> UInt8 { UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value) }
        bytes[0] = digit(year / 1000)
        bytes[1] = digit(year / 100 % 10)
        bytes[2] = digit(year / 10 % 10)
        bytes[3] = digit(year % 10)
        bytes[4] = UInt8(ascii: "-")
        bytes[5] = digit(month / 10)
        bytes[6] = digit(month % 10)
    }

    /// The stream time of the next UTC midnight after `t`.
    public static func startOfNextDay(_ t: StreamTime) -> StreamTime { startOfDay(dayIndex(t) + 1) }

    /// The stream time of the midnight that starts day `day` (days since 1970-01-01),
    /// saturating at the ends of `Int64`.
    public static func startOfDay(_ day: Int64) -> StreamTime {
        let (start, overflow) = day.multipliedReportingOverflow(by: Millis.day)
        return overflow ? (day > 0 ? .max : .min) : start
    }

    /// `t` as ISO-8601 UTC with second precision, e.g. `2026-11-24T00:00:00Z`.
    public static func iso8601(_ t: StreamTime) -> String {
        let d = civil(fromDays: dayIndex(t))
        guard (0...9999).contains(d.year) else { return iso8601Padded(t) }
        // Four-digit years (all of `StreamTimeRange`): the twenty bytes written at once
        // (padding and thirteen concatenations cost ~3,000 instructions per call).
        let seconds = Int((t % Millis.day + Millis.day) % Millis.day / 1000)
        let year = Int(d.year), month = Int(d.month), day = Int(d.day)
        func digit(_ value: Int) -> UInt8 { UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value) }
        return String(unsafeUninitializedCapacity: 20) { text in
            writeYearMonth(year, month, into: text)
            text[7] = UInt8(ascii: "-")
            text[8] = digit(day / 10)
            text[9] = digit(day % 10)
            text[10] = UInt8(ascii: "T")
            text[11] = digit(seconds / 36_000)
            text[12] = digit(seconds / 3600 % 10)
            text[13] = UInt8(ascii: ":")
            text[14] = digit(seconds / 600 % 6)
            text[15] = digit(seconds / 60 % 10)
            text[16] = UInt8(ascii: ":")
            text[17] = digit(seconds % 60 / 10)
            text[18] = digit(seconds % 10)
            text[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// `iso8601` by padding each part: any year (and the reference the bytes are tested against).
    static func iso8601Padded(_ t: StreamTime) -> String {
        let days = dayIndex(t)
        let d = civil(fromDays: days)
        let ms = (t % Millis.day + Millis.day) % Millis.day
        let seconds = ms / 1000
        return pad(d.year, 4) + "-" + pad(d.month, 2) + "-" + pad(d.day, 2) + "T" + pad(seconds / 3600, 2) + ":"
            + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2) + "Z"
    }

    /// Days since 1970-01-01 of a civil date (month 1...12).
    public static func days(fromCivil y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number (days since 1970-01-01).
    public static func civil(fromDays z: Int64) -> Date {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return Date(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Days in a month of a year.
    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        let next = month == 12 ? days(fromCivil: year + 1, 1, 1) : days(fromCivil: year, month + 1, 1)
        return next - days(fromCivil: year, month, 1)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
