import HeapModule

/// The 24-hour duplicate window of one workspace (SPEC §6 step 11, §6.3 "Dedup").
///
/// An id first entered at `t0` makes a later occurrence at `t` a duplicate while
/// `t − t0 < 24 h` (also when `t < t0`, an out-of-order record). A duplicate never
/// refreshes `t0`; an expired id is entered afresh. Which verdicts enter the window
/// (all but `dlq` and `rate_limited`) is the caller's rule.
///
/// Memory is bounded twice over:
/// - Expired entries are purged as stream time advances: `record` drops every entry with
///   `t0 + 24 h + allowedLateness ≤ t`. This changes no answer for records at most
///   `allowedLateness` older than the newest record seen; a record later than that
///   may miss its original and pass as new.
/// - At most `maxEntries` ids are kept; beyond that the oldest `t0` goes first, so in a
///   workspace receiving more than `maxEntries` distinct ids per 24 h a very old
///   duplicate can get through.
///
/// Only `entries` is state: the time index is rebuilt on decode and on `restore`, so a
/// checkpoint of the `TrackedMap` alone restores the window.
public struct DedupWindow: Sendable {
    /// The window: 24 hours of stream time.
    public static let window: Int64 = Millis.day
    /// Default size bound per workspace: at ~100 bytes an id, about 100 MB.
    public static let defaultMaxEntries = 1_000_000
    /// Default lateness served exactly by purging: one hour past the window.
    public static let defaultAllowedLateness: Int64 = Millis.hour

    /// The most ids kept; the oldest are evicted first.
    public let maxEntries: Int
    /// How far behind the newest record a record may be and still find every id it should.
    public let allowedLateness: Int64
    /// Message id → the stream time `t0` at which it entered the window.
    public internal(set) var entries: TrackedMap<String, StreamTime>
    /// Every entry by `t0`, oldest on top; may hold stale pairs of re-entered ids,
    /// skipped when they surface.
    private var byTime: Heap<TimedId>

    public init(maxEntries: Int = defaultMaxEntries, allowedLateness: Int64 = defaultAllowedLateness) {
        self.maxEntries = max(1, maxEntries)
        self.allowedLateness = max(0, allowedLateness)
        entries = TrackedMap()
        byTime = Heap()
    }

    /// Number of ids in the window.
    public var count: Int { entries.count }

    /// True when `messageID` entered the window at `t0` with `t − t0 < 24 h` (SPEC §6.3 to
    /// the letter: also any `t < t0`).
    public func isDuplicate(_ messageID: String, at t: StreamTime) -> Bool {
        guard let t0 = entries[messageID] else { return false }
        return t.saturatingSubtracting(t0) < Self.window
    }

    /// Enters `messageID` at `t` when it is absent or expired (a duplicate keeps its `t0`),
    /// then purges expired entries and enforces the size bound.
    /// - Returns: how many ids the size bound evicted (expired ids purged are not counted).
    @discardableResult
    public mutating func record(_ messageID: String, at t: StreamTime) -> Int {
        // One lookup: a duplicate keeps its t0, an absent or expired id is entered at t.
        let entered = entries.update(messageID) { t0 in
            if let t0, t.saturatingSubtracting(t0) < Self.window { return false }
            t0 = t
            return true
        }
        if entered { byTime.insert(TimedId(t0: t, id: messageID)) }
        purge(olderThan: t.saturatingSubtracting(Self.window).saturatingSubtracting(allowedLateness))
        var evicted = 0
        while entries.count > maxEntries, let oldest = popOldest() {
            entries.removeValue(forKey: oldest.id)
            evicted += 1
        }
        return evicted
    }

    /// The entries changed since the last drain (`nil` = purged), for the changelog.
    public mutating func drainChanges() -> [(key: String, value: StreamTime?)] {
        entries.drainChanges()
    }

    /// Sets an entry while restoring from the changelog, without marking it changed.
    public mutating func restore(_ messageID: String, _ t0: StreamTime?) {
        entries.restore(messageID, t0)
        if let t0 { byTime.insert(TimedId(t0: t0, id: messageID)) }
    }

    /// Rebuilds the time index from `entries`, after a restore wrote them directly.
    public mutating func rebuildIndex() {
        byTime = Heap(entries.map { TimedId(t0: $0.value, id: $0.key) })
    }

    /// The live entry with the smallest `t0` (dropping stale index pairs on the way).
    mutating func oldest() -> TimedId? {
        while let oldest = byTime.min {
            if entries[oldest.id] == oldest.t0 { return oldest }
            byTime.removeMin()
        }
        return nil
    }

    /// Removes `entry`, the window's `oldest()`, for a bound over several windows.
    mutating func evict(_ entry: TimedId) {
        guard entries[entry.id] == entry.t0 else { return }
        entries.removeValue(forKey: entry.id)
        if byTime.min == entry { byTime.removeMin() }
    }

    /// Removes every entry whose `t0` is at or before `cutoff`.
    private mutating func purge(olderThan cutoff: StreamTime) {
        while let oldest = byTime.min, oldest.t0 <= cutoff {
            byTime.removeMin()
            entries.update(oldest.id) { t0 in if t0 == oldest.t0 { t0 = nil } }
        }
    }

    /// Pops the live entry with the smallest `t0`, skipping stale index pairs.
    private mutating func popOldest() -> TimedId? {
        while let oldest = byTime.popMin() {
            if entries[oldest.id] == oldest.t0 { return oldest }
        }
        return nil
    }
}

/// An index pair of the dedup window, ordered by entry time, then id (deterministic eviction).
struct TimedId: Sendable, Comparable, Equatable {
    var t0: StreamTime
    var id: String

    static func < (lhs: TimedId, rhs: TimedId) -> Bool {
        (lhs.t0, lhs.id) < (rhs.t0, rhs.id)
    }
}

extension DedupWindow: Equatable {
    public static func == (lhs: DedupWindow, rhs: DedupWindow) -> Bool {
        lhs.maxEntries == rhs.maxEntries && lhs.allowedLateness == rhs.allowedLateness && lhs.entries == rhs.entries
    }
}

extension DedupWindow: Codable {
    private enum CodingKeys: String, CodingKey { case maxEntries, allowedLateness, entries }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxEntries: try container.decode(Int.self, forKey: .maxEntries),
            allowedLateness: try container.decode(Int64.self, forKey: .allowedLateness)
        )
        for (id, t0) in try container.decode(TrackedMap<String, StreamTime>.self, forKey: .entries) {
            restore(id, t0)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maxEntries, forKey: .maxEntries)
        try container.encode(allowedLateness, forKey: .allowedLateness)
        try container.encode(entries, forKey: .entries)
    }
}
