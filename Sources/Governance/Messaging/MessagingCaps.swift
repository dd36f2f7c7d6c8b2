/// A workspace's outbound sends per contact per UTC day of stream time (SPEC §9).
///
/// Only today's counts are kept: when the clock (the highest stream time seen)
/// enters a new UTC day every count is dropped, so memory is bounded by the contacts
/// messaged in one day. A late send from an earlier day counts toward the current day
/// (its own day's counts are gone, and a count never runs backwards). A send two or
/// more days behind the clock means the clock was set by a send from the future: the
/// day moves back to the send's and starts afresh (docs/GOVERNANCE.md §5).
public struct MessagingCaps: Sendable, Equatable, Codable {
    /// `UTCCalendar.dayIndex` of the clock.
    public private(set) var day: Int64?
    /// Contact key → sends allowed today. Public for checkpointing.
    public var counts: TrackedMap<String, Int64>

    public init() {
        day = nil
        counts = TrackedMap()
    }

    /// Decides an outbound send of `contact` at `t` and counts it when allowed.
    /// - Parameter limit: `messages_per_contact_per_day`; negative (−1) means unlimited.
    /// - Returns: `allowed` while the sends counted today are under `limit` (count then
    ///   includes this one), else `capped` with the sends counted today; unlimited is
    ///   always `allowed` with `limit` −1 and the count including this one.
    public mutating func decide(contact: String, at t: StreamTime, limit: Int64) -> MessagingDecision {
        let recordDay = UTCCalendar.dayIndex(t)
        // A clock more than a day ahead of the record was set by a send from the future:
        // it moves back to the record's day rather than holding today's counts until then.
        let misplaced = day.map { $0.saturatingSubtracting(recordDay) > 1 } ?? false
        let today = misplaced ? recordDay : max(day ?? recordDay, recordDay)
        if day != today {
            day = today
            for key in Array(counts.keys) { counts.removeValue(forKey: key) }
        }
        let resetsAt = UTCCalendar.iso8601(UTCCalendar.startOfDay(today + 1))
        let sent = counts[contact] ?? 0
        guard limit < 0 || sent < limit else {
            return MessagingDecision(verdict: .capped, limit: limit, count: sent, resetsAt: resetsAt)
        }
        counts[contact] = sent + 1
        return MessagingDecision(verdict: .allowed, limit: limit < 0 ? -1 : limit, count: sent + 1, resetsAt: resetsAt)
    }
}
