import HeapModule

/// The open connections of a workspace in `connections` mode (SPEC §8, §6.3): live
/// state, whatever month a connect or disconnect is stamped in. What is per month
/// (contacts counted, peak, `T`) is in `UsageMonth`.
///
/// - Current: open connection ids; a repeated connect of an open id counts once, a
///   disconnect of an unknown id is ignored.
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

    public init() {
        open = TrackedMap()
        openedAt = TrackedMap()
        byTime = Heap()
    }

    public var current: Int64 { Int64(open.count) }

    /// Records an accepted connect. Returns true when it opened a connection that was not open.
    mutating func connect(_ connectionID: String, contact: String, at now: StreamTime) -> Bool {
        if openedAt[connectionID] != now {
            openedAt[connectionID] = now
            byTime.insert(TimedId(t0: now, id: connectionID))
        }
        guard open[connectionID] == nil else { return false }
        open[connectionID] = contact
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
}

extension ConnectionMeter: Equatable {
    public static func == (lhs: ConnectionMeter, rhs: ConnectionMeter) -> Bool {
        lhs.open == rhs.open && lhs.openedAt == rhs.openedAt
    }
}

extension ConnectionMeter: Codable {
    private enum CodingKeys: String, CodingKey { case open, openedAt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        open = try container.decode(TrackedMap<String, String>.self, forKey: .open)
        openedAt = try container.decodeIfPresent(TrackedMap<String, StreamTime>.self, forKey: .openedAt) ?? TrackedMap()
        rebuildIndex()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(open, forKey: .open)
        try container.encode(openedAt, forKey: .openedAt)
    }
}
