/// Everything a workspace's usage keeps per UTC calendar month (SPEC §6.3: months of
/// the record's timestamp): the accepted count and breakdown, the `active_events`
/// contacts, the `connections` month contacts, peak and `T`, the threshold levels and
/// quota flag requested, and when the month's last snapshot was. `UsageMeter` keeps
/// two (`SlotPair`); a record's month picks its slot.
public struct UsageMonth: Sendable, Equatable, Codable, PeriodSlot {
    /// `UTCCalendar.monthIndex`; nil while the slot is unused.
    public internal(set) var month: Int64?
    /// The highest stream time seen of this month (for the latest month, the meter's clock).
    public internal(set) var clock: StreamTime?
    public internal(set) var acceptedEvents: Int64
    public internal(set) var breakdown: UsageBreakdown
    /// `active_events` mode: contact → time it first counted this month. Public for checkpointing.
    public var activeContacts: TrackedMap<String, StreamTime>
    /// `connections` mode: contact → time of its first accepted connect this month.
    /// Public for checkpointing.
    public var connectedContacts: TrackedMap<String, StreamTime>
    /// The month's peak of concurrent connections.
    public internal(set) var peak: Int64
    /// `T`: since when `connections` MAU has been at or over the included figure this month.
    public internal(set) var mauReachedAt: StreamTime?
    public internal(set) var mauLevels: ThresholdLevels
    public internal(set) var pccLevels: ThresholdLevels
    public internal(set) var quotaExceededRequested: Bool
    public internal(set) var lastSnapshotAt: StreamTime?

    public init() {
        month = nil
        clock = nil
        acceptedEvents = 0
        breakdown = UsageBreakdown()
        activeContacts = TrackedMap()
        connectedContacts = TrackedMap()
        peak = 0
        mauReachedAt = nil
        mauLevels = ThresholdLevels()
        pccLevels = ThresholdLevels()
        quotaExceededRequested = false
        lastSnapshotAt = nil
    }

    var period: Int64? { month }

    /// `connections` MAU: distinct contacts with an accepted connect this month.
    public var connectedMAU: Int64 { Int64(connectedContacts.count) }

    /// Starts `month` in this slot: nothing counted, peak 0 (the meter raises it to the
    /// number open at once: connections carry over, SPEC §6.3). Map entries are removed
    /// one by one so the changelog records their removal.
    mutating func start(_ month: Int64) {
        var fresh = UsageMonth()
        fresh.month = month
        // The maps keep their identity (and their pending removals) across the reset.
        swap(&fresh.activeContacts, &activeContacts)
        swap(&fresh.connectedContacts, &connectedContacts)
        for contact in Array(fresh.activeContacts.keys) { fresh.activeContacts.removeValue(forKey: contact) }
        for contact in Array(fresh.connectedContacts.keys) { fresh.connectedContacts.removeValue(forKey: contact) }
        self = fresh
    }

    /// Whether a connect from `contact` at `now` is `over_cap` (`mau_limit`).
    func wouldExceedMAU(_ contact: String, at now: StreamTime, included: Int64) -> Bool {
        guard included >= 0, connectedContacts[contact] == nil, connectedMAU >= included, let reached = mauReachedAt else {
            return false
        }
        return now > reached.saturatingAdding(ConnectionMeter.mauGrace)
    }

    /// Sets `T` when MAU first reaches `included`, clears it when MAU is under it
    /// (a raised or unlimited plan).
    mutating func trackMAULimit(included: Int64, at now: StreamTime) {
        if included >= 0, connectedMAU >= included {
            if mauReachedAt == nil { mauReachedAt = now }
        } else {
            mauReachedAt = nil
        }
    }
}
