/// Counts of an occurrence (name-cap hits) per UTC hour of stream time over the last
/// 7 days: a bounded structure (at most 168 buckets) for "hits in the last 24 h / 7 d".
public struct HourlyCounts: Sendable, Equatable, Codable {
    static let retainedHours: Int64 = 168

    /// Hour index (floor of time / 1 h) → occurrences in that hour.
    public private(set) var counts: [Int64: Int64] = [:]
    /// The latest hour seen; the window never moves back.
    public private(set) var latestHour: Int64?

    /// Counts one occurrence at `t`; one older than the retained week is dropped.
    mutating func add(at t: StreamTime) {
        let hour = Self.hour(of: t)
        let latest = max(latestHour ?? hour, hour)
        if latest != latestHour {
            latestHour = latest
            counts = counts.filter { $0.key > latest - Self.retainedHours }
        }
        guard hour > latest - Self.retainedHours else { return }
        counts[hour, default: 0] += 1
    }

    /// Occurrences in the last `hours` whole hours at `t`: the hour containing
    /// `max(t, latest seen)` and the `hours − 1` before it.
    func total(lastHours hours: Int64, at t: StreamTime) -> Int64 {
        let now = max(latestHour ?? Self.hour(of: t), Self.hour(of: t))
        return counts.reduce(0) { $1.key > now - hours ? $0 + $1.value : $0 }
    }

    static func hour(of t: StreamTime) -> Int64 {
        t >= 0 ? t / Millis.hour : (t + 1) / Millis.hour - 1
    }
}
