/// Stream time: the Kafka message timestamp of the record being processed,
/// in milliseconds since the Unix epoch, UTC (SPEC §2). Never the wall clock.
public typealias StreamTime = Int64

/// Stream-time durations in milliseconds.
public enum Millis {
    public static let second: Int64 = 1_000
    public static let minute: Int64 = 60_000
    public static let hour: Int64 = 3_600_000
    public static let day: Int64 = 86_400_000
}

/// The stream times the engine governs: 1970-01-01T00:00:00.000Z through
/// 9999-12-31T23:59:59.999Z, the span that `YYYY-MM` months and ISO-8601
/// `resets_at` can spell. A broker can hand over any `Int64` (−1 for "no
/// timestamp", microseconds or nanoseconds sent as milliseconds, `Int64.max`);
/// a record outside this span is dead-lettered as `invalid_timestamp` before any
/// stage reads its time, so every sum of a valid stream time and a rule's window
/// (at most 30 days) stays far inside `Int64`.
public enum StreamTimeRange {
    public static let lowest: StreamTime = 0
    public static let highest: StreamTime = 253_402_300_799_999

    /// True when the engine governs records at `t`.
    public static func contains(_ t: StreamTime) -> Bool { t >= lowest && t <= highest }

    /// `t` moved into the span (config versions and org-stage inputs, whose time is
    /// only carried, not judged).
    public static func clamp(_ t: StreamTime) -> StreamTime { min(max(t, lowest), highest) }

    /// How far behind a rule's clock a record may be before that clock counts as
    /// misplaced (set by a record from the future): a token bucket's last update, the
    /// debouncer's last pass. Within it, late records follow SPEC to the letter; beyond
    /// it the clock moves back to the record, so one far-future record cannot freeze a
    /// workspace (docs/GOVERNANCE.md §5, "Records from the future").
    public static let misplacedClockTolerance: Int64 = Millis.hour
}

extension Int64 {
    /// `self + other`, saturating at `Int64.min` / `Int64.max` instead of trapping.
    /// Rules that add a window to a stream time use it, so that a value that reached
    /// them unchecked (restored state, a direct caller) cannot crash the process.
    @inlinable
    public func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self − other`, saturating at `Int64.min` / `Int64.max` instead of trapping.
    @inlinable
    public func saturatingSubtracting(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }
}
