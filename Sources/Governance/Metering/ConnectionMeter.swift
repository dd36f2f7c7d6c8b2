import HeapModule

/// Connections of a workspace in `connections` mode (SPEC §8, §6.3).
///
/// - MAU: distinct contacts with an accepted connect this calendar month.
/// - Current: open connection ids; a repeated connect of an open id counts once, a
///   disconnect of an unknown id is ignored. Open connections carry over into a new
///   month, whose peak starts at the number open.
/// - Over MAU: `mauReachedAt` is `T`, the first stream time this month at which
///   MAU ≥ `mau_included`; from then, a connect at `t > T + 3 d` from a contact not
///   counted this month is `over_cap` (`mau_limit`). `T` resets each month, and when
///   a raised plan puts MAU back under the included figure.
///
/// Bounded memory (SPEC §11, docs/GOVERNANCE.md §5 "Open connections that never
/// disconnect"): a connection whose latest connect is more than `maxIdle` (31 days) of
/// stream time before the meter's clock is closed (it stops counting as open; a peak
/// already reached stays), and at most `UsagePlan.openConnectionsMax` are open: beyond
/// it the longest idle are closed, down to 90 % of the bound. A repeated connect of an
/// open id refreshes its idle time.
public struct ConnectionMeter: Sendable {
    /// How long MAU may sit at or over the included figure before new contacts are refused.
    public static var mauGrace: Int64 { 3 * Millis.day }
    /// A connection without a connect for this long is closed as if disconnected. 31
    /// days: a connection opened in any month is still open when the next month starts,
    /// so it counts in that month's starting peak as SPEC §6.3 says.
    public static var maxIdle: Int64 { 31 * Millis.day }

    /// Open connection id → contact that opened it. Public for checkpointing.
    public var open: TrackedMap<String, String>
    /// Open connection id → stream time of its latest connect. Public for checkpointing.
    public var openedAt: TrackedMap<String, StreamTime>
    /// Every open connection by latest connect, oldest on top; stale pairs (a later
    /// connect, a disconnect) are skipped when they surface. Derived: rebuilt on restore.
    private var byTime: Heap<TimedId>
    /// Contact key → time of its first accepted connect this month. Public for checkpointing.
    public var monthContacts: TrackedMap<String, StreamTime>
    /// The month's peak of concurrent connections.
    public private(set) var peak: Int64
    /// `T`: since when MAU has been at or over the included figure this month.
    public private(set) var mauReachedAt: StreamTime?

    public init() {
        open = TrackedMap()
        openedAt = TrackedMap()
        byTime = Heap()
        monthContacts = TrackedMap()
        peak = 0
        mauReachedAt = nil
    }

    public var mau: Int64 { Int64(monthContacts.count) }
    public var current: Int64 { Int64(open.count) }

    /// Starts a calendar month: nobody counted, the peak is what is open, no `T`.
    mutating func startMonth() {
        for contact in Array(monthContacts.keys) { monthContacts.removeValue(forKey: contact) }
        peak = current
        mauReachedAt = nil
    }

    /// Whether a connect from `contact` at `now` is `over_cap` (`mau_limit`).
    func wouldExceedMAU(_ contact: String, at now: StreamTime, included: Int64) -> Bool {
        guard included >= 0, monthContacts[contact] == nil, mau >= included, let reached = mauReachedAt else {
            return false
        }
        return now > reached.saturatingAdding(Self.mauGrace)
    }

    /// Records an accepted connect. Returns true when it raised the month's peak.
    mutating func connect(_ connectionID: String, contact: String, at now: StreamTime) -> Bool {
        if monthContacts[contact] == nil { monthContacts[contact] = now }
        if openedAt[connectionID] != now {
            openedAt[connectionID] = now
            byTime.insert(TimedId(t0: now, id: connectionID))
        }
        guard open[connectionID] == nil else { return false }
        open[connectionID] = contact
        guard current > peak else { return false }
        peak = current
        return true
    }

    /// Records an accepted disconnect; an id that is not open is ignored.
    mutating func disconnect(_ connectionID: String) {
        if open[connectionID] != nil { close(connectionID) }
    }

    /// Closes every connection whose latest connect is more than `maxIdle` before `now`.
    /// Returns how many it closed.
    mutating func expireIdle(at now: StreamTime) -> Int {
        let cutoff = now.saturatingSubtracting(Self.maxIdle)
        var closed = 0
        while let oldest = byTime.min, oldest.t0 < cutoff {
            byTime.removeMin()
            guard openedAt[oldest.id] == oldest.t0 else { continue }
            close(oldest.id)
            closed += 1
        }
        return closed
    }

    /// When more than `limit` connections are open, closes the longest idle down to
    /// 90 % of `limit`. Returns how many it closed.
    mutating func enforceBound(_ limit: Int) -> Int {
        let limit = max(0, limit)
        guard open.count > limit else { return 0 }
        let target = limit - limit / 10
        var closed = 0
        while open.count > target, let oldest = byTime.popMin() {
            guard openedAt[oldest.id] == oldest.t0 else { continue }
            close(oldest.id)
            closed += 1
        }
        return closed
    }

    private mutating func close(_ connectionID: String) {
        open.removeValue(forKey: connectionID)
        if openedAt[connectionID] != nil { openedAt.removeValue(forKey: connectionID) }
    }

    /// Rebuilds the time index from `openedAt`, after a restore wrote it directly.
    /// Connections restored without a connect time (state written before the bound)
    /// count as connected at the earliest connect time known, so they close too.
    mutating func rebuildIndex() {
        let earliest = openedAt.values.min() ?? 0
        for id in open.keys where openedAt[id] == nil { openedAt.restore(id, earliest) }
        byTime = Heap(openedAt.map { TimedId(t0: $0.value, id: $0.key) })
    }

    /// Sets `T` when MAU first reaches `included`, clears it when MAU is under it
    /// (a raised or unlimited plan).
    mutating func trackMAULimit(included: Int64, at now: StreamTime) {
        if included >= 0, mau >= included {
            if mauReachedAt == nil { mauReachedAt = now }
        } else {
            mauReachedAt = nil
        }
    }
}

extension ConnectionMeter: Equatable {
    public static func == (lhs: ConnectionMeter, rhs: ConnectionMeter) -> Bool {
        lhs.open == rhs.open && lhs.openedAt == rhs.openedAt && lhs.monthContacts == rhs.monthContacts
            && lhs.peak == rhs.peak && lhs.mauReachedAt == rhs.mauReachedAt
    }
}

extension ConnectionMeter: Codable {
    private enum CodingKeys: String, CodingKey { case open, openedAt, monthContacts, peak, mauReachedAt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        open = try container.decode(TrackedMap<String, String>.self, forKey: .open)
        openedAt = try container.decodeIfPresent(TrackedMap<String, StreamTime>.self, forKey: .openedAt) ?? TrackedMap()
        monthContacts = try container.decode(TrackedMap<String, StreamTime>.self, forKey: .monthContacts)
        peak = try container.decode(Int64.self, forKey: .peak)
        mauReachedAt = try container.decodeIfPresent(StreamTime.self, forKey: .mauReachedAt)
        rebuildIndex()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(open, forKey: .open)
        try container.encode(openedAt, forKey: .openedAt)
        try container.encode(monthContacts, forKey: .monthContacts)
        try container.encode(peak, forKey: .peak)
        try container.encodeIfPresent(mauReachedAt, forKey: .mauReachedAt)
    }
}
