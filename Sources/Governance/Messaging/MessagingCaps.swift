/// A workspace's outbound sends per contact per UTC day of the send's own timestamp
/// (SPEC §9, §6.3 "days of the record's timestamp").
///
/// Two day slots (`SlotPair`): a send counts in the slot of its own day; a send of a
/// day without a slot takes the slot of the older day (its counts dropped, the new day
/// starts at 0). So a late send stamped 23:59:59 of day D, processed after sends of
/// D+1, counts toward D with D's earlier sends, and a send from the future (a
/// producer's clock off, docs/GOVERNANCE.md §5) takes one slot while the real days
/// keep using the other. Memory: the contacts messaged in two days.
public struct MessagingCaps: Sendable, Equatable, Codable {
    /// One UTC day's counts.
    public struct Day: Sendable, Equatable, Codable, PeriodSlot {
        /// `UTCCalendar.dayIndex`; nil while the slot is unused.
        public internal(set) var day: Int64?
        /// Contact key → sends allowed that day. Public for checkpointing.
        public var counts: TrackedMap<String, Int64>

        public init() {
            day = nil
            counts = TrackedMap()
        }

        var period: Int64? { day }

        /// Starts `day` with no sends counted; entries are removed one by one so the
        /// changelog records their removal.
        mutating func start(_ day: Int64) {
            for key in Array(counts.keys) { counts.removeValue(forKey: key) }
            self.day = day
        }
    }

    /// The two day slots. Public for checkpointing.
    public var days: SlotPair<Day>

    public init() { days = SlotPair(Day(), Day()) }

    /// Decides an outbound send of `contact` at `t` and counts it when allowed.
    /// - Parameter limit: `messages_per_contact_per_day`; negative (−1) means unlimited.
    /// - Returns: `allowed` while the sends counted on `t`'s UTC day are under `limit`
    ///   (count then includes this one), else `capped` with the sends counted that day;
    ///   unlimited is always `allowed` with `limit` −1 and the count including this
    ///   one. `resets_at` is the midnight after `t`'s day.
    public mutating func decide(contact: String, at t: StreamTime, limit: Int64) -> MessagingDecision {
        let day = UTCCalendar.dayIndex(t)
        let slot = days.slot(for: day)
        let resetsAt = UTCCalendar.iso8601(UTCCalendar.startOfDay(day + 1))
        // One lookup, on the slot in place (the pair's `_read` subscript copied both days).
        let (allowed, count) = days.withSlot(slot) { day in
            day.counts.update(contact) { sent -> (Bool, Int64) in
                let before = sent ?? 0
                guard limit < 0 || before < limit else { return (false, before) }
                sent = before + 1
                return (true, before + 1)
            }
        }
        guard allowed else { return MessagingDecision(verdict: .capped, limit: limit, count: count, resetsAt: resetsAt) }
        return MessagingDecision(verdict: .allowed, limit: limit < 0 ? -1 : limit, count: count, resetsAt: resetsAt)
    }
}

extension MessagingCaps {
    /// `day`: state written before the day slots (one day): read into slot 0, whose
    /// counts keep their changelog path (`messages`).
    private enum CodingKeys: String, CodingKey { case days, day }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        if let days = try container.decodeIfPresent(SlotPair<Day>.self, forKey: .days) {
            self.days = days
        } else {
            days.first.day = try container.decodeIfPresent(Int64.self, forKey: .day)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(days, forKey: .days)
    }
}
