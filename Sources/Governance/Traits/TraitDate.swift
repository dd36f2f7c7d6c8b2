import JSON

/// The values a date-keyed trait may hold (SPEC §6.2), read as epoch milliseconds.
///
/// Accepted, anything else being `bad_date_format`:
/// - an ISO-8601 extended-format date `YYYY-MM-DD` (UTC midnight) or date-time
///   `YYYY-MM-DDThh:mm[:ss[.f…]][offset]`: `T`, `t` or a space between date and
///   time; fraction after `.` or `,` with any number of digits, truncated to
///   milliseconds; offset `Z`, `z`, `±hh`, `±hh:mm` or `±hhmm`, none meaning UTC.
///   Years 0000–9999, real calendar days (leap years included), hours 00–23,
///   minutes and seconds 00–59 (no leap second, no `24:00`), offsets up to ±23:59.
///   No surrounding white space, no week or ordinal dates, no basic format
///   (`20240229` is a digit string, hence epoch seconds).
/// - epoch seconds or milliseconds as a JSON number or a string of ASCII digits:
///   a value ≥ 10^11 is milliseconds, anything smaller (negative numbers too) is
///   seconds. Fractions are truncated toward negative infinity to whole ms.
/// Every result must lie in years 0000–9999 (UTC), so that it is a date at all.
public enum TraitDate {
    /// Values at or above this are epoch milliseconds rather than seconds.
    public static let millisecondsThreshold: Int64 = 100_000_000_000
    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in epoch ms.
    public static let earliest: Int64 = -62_167_219_200_000
    public static let latest: Int64 = 253_402_300_799_999

    /// The epoch milliseconds a trait value stands for, or nil.
    public static func epochMilliseconds(_ value: JSONValue) -> Int64? {
        switch value {
        case .number(let number): fromNumber(number)
        case .string(let string): fromString(string)
        default: nil
        }
    }

    static func fromString(_ string: String) -> Int64? {
        let bytes = Array(string.utf8)
        guard !bytes.isEmpty else { return nil }
        if bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // Digit strings longer than 18 digits cannot be in range anyway.
            guard bytes.count <= 18, let value = Int64(string) else { return nil }
            return fromEpoch(value)
        }
        var reader = ISO8601Reader(bytes)
        return reader.read().flatMap(inRange)
    }

    static func fromNumber(_ number: JSONNumber) -> Int64? {
        if let integer = number.int64Value { return fromEpoch(integer) }
        let value = number.doubleValue
        guard value.isFinite, abs(value) < 1e15 else { return nil }
        let ms = value >= Double(millisecondsThreshold) ? value : value * 1000
        return inRange(Int64(ms.rounded(.down)))
    }

    private static func fromEpoch(_ value: Int64) -> Int64? {
        if value >= millisecondsThreshold { return inRange(value) }
        let (ms, overflow) = value.multipliedReportingOverflow(by: 1000)
        return overflow ? nil : inRange(ms)
    }

    private static func inRange(_ ms: Int64) -> Int64? {
        ms >= earliest && ms <= latest ? ms : nil
    }
}

/// A cursor over the bytes of one ISO-8601 string for `TraitDate`.
private struct ISO8601Reader {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read() -> Int64? {
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        var ms = UTCCalendar.days(fromCivil: year, month, day) * Millis.day
        if atEnd { return ms }
        guard let separator = next(), separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == 0x20,
            let hour = digits(2), expect(":"), let minute = digits(2), hour <= 23, minute <= 59
        else { return nil }
        ms += hour * Millis.hour + minute * Millis.minute
        if peek == UInt8(ascii: ":") {
            index += 1
            guard let second = digits(2), second <= 59 else { return nil }
            ms += second * Millis.second
            if peek == UInt8(ascii: ".") || peek == UInt8(ascii: ",") {
                index += 1
                guard let fraction = fractionMilliseconds() else { return nil }
                ms += fraction
            }
        }
        if atEnd { return ms }
        switch next() {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            break
        case let sign? where sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"):
            guard let offsetHours = digits(2), offsetHours <= 23 else { return nil }
            var offsetMinutes: Int64 = 0
            if !atEnd {
                if peek == UInt8(ascii: ":") { index += 1 }
                guard let minutes = digits(2), minutes <= 59 else { return nil }
                offsetMinutes = minutes
            }
            let offset = offsetHours * Millis.hour + offsetMinutes * Millis.minute
            ms += sign == UInt8(ascii: "+") ? -offset : offset
        default:
            return nil
        }
        return atEnd ? ms : nil
    }

    private var atEnd: Bool { index == bytes.count }
    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func expect(_ character: Unicode.Scalar) -> Bool {
        guard peek == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// Exactly `count` ASCII digits as a number.
    private mutating func digits(_ count: Int) -> Int64? {
        guard index + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for _ in 0..<count {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
            index += 1
        }
        return value
    }

    /// One or more digits, truncated to milliseconds.
    private mutating func fractionMilliseconds() -> Int64? {
        var ms: Int64 = 0
        var count = 0
        while let byte = peek, byte >= 0x30 && byte <= 0x39 {
            if count < 3 { ms = ms * 10 + Int64(byte - 0x30) }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        if count < 3 { for _ in count..<3 { ms *= 10 } }
        return ms
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
