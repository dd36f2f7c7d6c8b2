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
/// State is `segments` alone: ids are kept in runs (`DedupSegment`) so that the changelog
/// writes one entry per run instead of one per id — nearly every event enters a new id,
/// and one record per id was a quarter of everything the pipeline produced. An id lives
/// in exactly one segment; every change to a segment (an id entered, purged, evicted or
/// re-entered) marks it changed, so a checkpoint rewrites it whole (or deletes it when
/// it empties) and the changelog's newest record of each segment is its content. New
/// ids go to the open segment of their entry minute until it is full or has been written
/// by a checkpoint (`TrackedMap`'s change flag says so), so a commit starts new segments
/// instead of rewriting ones it wrote, and ids purged together (by entry time) leave
/// together: a late id does not keep a segment of newer ids rewritten cut after cut.
/// The id index, the time index and the open segments are rebuilt on restore.
public struct DedupWindow: Sendable {
    /// The window: 24 hours of stream time.
    public static let window: Int64 = Millis.day
    /// Default size bound per workspace: about 100 MB of ids.
    public static let defaultMaxEntries = 1_000_000
    /// Default lateness served exactly by purging: one hour past the window.
    public static let defaultAllowedLateness: Int64 = Millis.hour
    /// The most ids in one segment (one changelog record of a few tens of KB).
    public static let segmentCapacity = 512

    /// The most ids kept; the oldest are evicted first.
    public let maxEntries: Int
    /// How far behind the newest record a record may be and still find every id it should.
    public let allowedLateness: Int64
    /// The window's ids in segments, by segment number: the state a checkpoint writes.
    public internal(set) var segments: TrackedMap<UInt64, DedupSegment>
    /// Entries of a changelog written before segments (one per id, map path `dedup`):
    /// restored here, then moved into segments by `rebuildIndex` (which deletes them).
    public internal(set) var legacyEntries: TrackedMap<String, StreamTime>
    /// Message id → when it entered the window and its segment.
    private var index: [MessageKey: Placement]
    /// Every entry by `t0`, oldest on top; may hold stale pairs of re-entered ids,
    /// skipped when they surface.
    private var byTime: Heap<TimedId>
    /// The segment new ids of each entry minute go to (see `segmentForNewID`).
    private var openSegments: [Int64: UInt64]
    /// The last entry of `openSegments` used: most ids enter in the same minute as the one before.
    private var lastOpen: (minute: Int64, segment: UInt64)?
    /// The number a new segment gets (derived: above every segment after a restore).
    private var nextSegment: UInt64

    public init(maxEntries: Int = defaultMaxEntries, allowedLateness: Int64 = defaultAllowedLateness) {
        self.maxEntries = max(1, maxEntries)
        self.allowedLateness = max(0, allowedLateness)
        segments = TrackedMap()
        legacyEntries = TrackedMap()
        index = [:]
        byTime = Heap()
        openSegments = [:]
        lastOpen = nil
        nextSegment = 0
    }

    /// Number of ids in the window.
    public var count: Int { index.count }

    /// When `messageID` entered the window (nil: it is not in it).
    public func entryTime(of messageID: String) -> StreamTime? { index[MessageKey(messageID)]?.t0 }

    /// True when `messageID` entered the window at `t0` with `t − t0 < 24 h` (SPEC §6.3 to
    /// the letter: also any `t < t0`).
    public func isDuplicate(_ messageID: String, at t: StreamTime) -> Bool {
        guard let t0 = index[MessageKey(messageID)]?.t0 else { return false }
        return t.saturatingSubtracting(t0) < Self.window
    }

    /// Enters `messageID` at `t` when it is absent or expired (a duplicate keeps its `t0`),
    /// then purges expired entries and enforces the size bound.
    /// - Returns: how many ids the size bound evicted (expired ids purged are not counted).
    @discardableResult
    public mutating func record(_ messageID: String, at t: StreamTime) -> Int {
        let (open, position) = segmentForNewID(at: t)
        // One lookup: a duplicate keeps its t0, an absent or expired id is entered at t.
        switch Self.enter(&index[MessageKey(messageID)], at: t, segment: open) {
        case .duplicate:
            break
        case .new:
            // `position` is still valid: nothing was inserted into or removed from `segments`.
            if let position {
                segments.modifyChanged(at: position) { $0.append(messageID, t) }
            } else {
                segments[open, default: DedupSegment()].append(messageID, t)
            }
            byTime.insert(TimedId(t0: t, id: messageID))
        case .reentered(let old):
            removeFromSegment(messageID, old)
            segments[open, default: DedupSegment()].append(messageID, t)
            byTime.insert(TimedId(t0: t, id: messageID))
        }
        purge(olderThan: t.saturatingSubtracting(Self.window).saturatingSubtracting(allowedLateness))
        var evicted = 0
        while index.count > maxEntries, let oldest = popOldest() {
            remove(oldest.id)
            evicted += 1
        }
        return evicted
    }

    private enum Entering { case duplicate, new, reentered(from: UInt64) }

    private static func enter(_ placement: inout Placement?, at t: StreamTime, segment: UInt64) -> Entering {
        guard let old = placement else {
            placement = Placement(t0: t, segment: segment)
            return .new
        }
        if t.saturatingSubtracting(old.t0) < window { return .duplicate }
        placement = Placement(t0: t, segment: segment)
        return .reentered(from: old.segment)
    }

    /// The segment for an id entering at `t`: its minute's open segment, or a new one when
    /// that is full or a checkpoint has written it since it last changed (appending would
    /// rewrite what is already out). An absent segment is (re)used as it is: a segment
    /// number may be reused, its newest record is always its content. With the segment's
    /// position when it is present (so the append needs no second lookup).
    private mutating func segmentForNewID(at t: StreamTime) -> (UInt64, TrackedMap<UInt64, DedupSegment>.Position?) {
        let minute = t >= 0 ? t / Millis.minute : (t + 1) / Millis.minute - 1
        let candidate: UInt64? = if let lastOpen, lastOpen.minute == minute { lastOpen.segment } else { openSegments[minute] }
        if let candidate {
            guard let (position, changed) = segments.lookup(candidate) else {
                lastOpen = (minute, candidate)
                return (candidate, nil)
            }
            if changed && segments[position].count < Self.segmentCapacity {
                lastOpen = (minute, candidate)
                return (candidate, position)
            }
        }
        if openSegments.count >= 64 {
            // Forgotten minutes open new segments if more of their ids come: bounded work and
            // memory when entry minutes advance without checkpoints (`governor check`, a backlog).
            openSegments.removeAll(keepingCapacity: true)
        }
        let number = nextSegment
        nextSegment &+= 1
        openSegments[minute] = number
        lastOpen = (minute, number)
        return (number, nil)
    }

    /// Rebuilds the id and time indexes from `segments`, after a restore wrote them
    /// directly, and moves legacy entries into segments (deleting their old keys).
    public mutating func rebuildIndex() {
        index = [:]
        index.reserveCapacity(segments.values.reduce(0) { $0 + $1.count })
        // In segment order, so that if an id were in two segments (the writer never does
        // it) the answer would not depend on hashing.
        for number in segments.keys.sorted() {
            let segment = segments[number]!
            for (id, t0) in zip(segment.ids, segment.times) { index[MessageKey(id)] = Placement(t0: t0, segment: number) }
        }
        openSegments = [:]
        lastOpen = nil
        nextSegment = segments.keys.max().map { $0 &+ 1 } ?? 0
        for (id, t0) in legacyEntries.storage.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            if index[MessageKey(id)] == nil {
                let (open, _) = segmentForNewID(at: t0)
                index[MessageKey(id)] = Placement(t0: t0, segment: open)
                segments[open, default: DedupSegment()].append(id, t0)
            }
            legacyEntries.removeValue(forKey: id)
        }
        byTime = Heap(index.map { TimedId(t0: $0.value.t0, id: $0.key.id) })
    }

    /// The live entry with the smallest `t0` (dropping stale index pairs on the way).
    mutating func oldest() -> TimedId? {
        while let oldest = byTime.min {
            if index[MessageKey(oldest.id)]?.t0 == oldest.t0 { return oldest }
            byTime.removeMin()
        }
        return nil
    }

    /// Removes `entry`, the window's `oldest()`, for a bound over several windows.
    mutating func evict(_ entry: TimedId) {
        guard index[MessageKey(entry.id)]?.t0 == entry.t0 else { return }
        remove(entry.id)
        if byTime.min == entry { byTime.removeMin() }
    }

    /// Removes every entry whose `t0` is at or before `cutoff`.
    private mutating func purge(olderThan cutoff: StreamTime) {
        while let oldest = byTime.min, oldest.t0 <= cutoff {
            byTime.removeMin()
            if index[MessageKey(oldest.id)]?.t0 == oldest.t0 { remove(oldest.id) }
        }
    }

    /// Pops the live entry with the smallest `t0`, skipping stale index pairs.
    private mutating func popOldest() -> TimedId? {
        while let oldest = byTime.popMin() {
            if index[MessageKey(oldest.id)]?.t0 == oldest.t0 { return oldest }
        }
        return nil
    }

    /// Removes a present id from the index and from its segment.
    private mutating func remove(_ messageID: String) {
        guard let placement = index.removeValue(forKey: MessageKey(messageID)) else { return }
        removeFromSegment(messageID, placement.segment)
    }

    /// Removes `messageID` from `segment` (in place: the segment is present, so the
    /// `default` is never used), deleting the segment when it empties.
    private mutating func removeFromSegment(_ messageID: String, _ segment: UInt64) {
        if segments[segment, default: DedupSegment()].removeReportingEmpty(messageID) {
            segments.removeValue(forKey: segment)
        }
    }
}

/// Where an id of the window is: when it entered and which segment holds it.
private struct Placement {
    var t0: StreamTime
    var segment: UInt64
}

/// A run of ids the dedup window entered, with their entry times: one changelog entry.
/// Ids are in the order they entered (so the purge, oldest first, finds them near the front).
public struct DedupSegment: Sendable, Equatable, Codable {
    public private(set) var ids: [String]
    public private(set) var times: [StreamTime]

    public init() {
        ids = []
        times = []
    }

    public var count: Int { ids.count }

    mutating func append(_ id: String, _ t0: StreamTime) {
        ids.append(id)
        times.append(t0)
    }

    /// Removes `id`; true when the segment is left empty.
    mutating func removeReportingEmpty(_ id: String) -> Bool {
        if let i = ids.firstIndex(of: id) {
            ids.remove(at: i)
            times.remove(at: i)
        }
        return ids.isEmpty
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ids = try container.decode([String].self, forKey: .ids)
        times = try container.decode([StreamTime].self, forKey: .times)
        guard ids.count == times.count else {
            throw DecodingError.dataCorruptedError(forKey: .times, in: container, debugDescription: "\(ids.count) ids but \(times.count) times")
        }
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
    /// The same bounds and the same ids with the same entry times (however segmented).
    public static func == (lhs: DedupWindow, rhs: DedupWindow) -> Bool {
        guard lhs.maxEntries == rhs.maxEntries, lhs.allowedLateness == rhs.allowedLateness,
              lhs.index.count == rhs.index.count else { return false }
        for (id, placement) in lhs.index where rhs.index[id]?.t0 != placement.t0 { return false }
        return true
    }
}

extension DedupWindow: Codable {
    /// `entries` is the layout before segments (one map of id → t0), still read.
    private enum CodingKeys: String, CodingKey { case maxEntries, allowedLateness, segments, entries }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxEntries: try container.decode(Int.self, forKey: .maxEntries),
            allowedLateness: try container.decode(Int64.self, forKey: .allowedLateness)
        )
        segments = try container.decodeIfPresent(TrackedMap<UInt64, DedupSegment>.self, forKey: .segments) ?? TrackedMap()
        for (id, t0) in try container.decodeIfPresent(TrackedMap<String, StreamTime>.self, forKey: .entries) ?? TrackedMap() {
            legacyEntries.restore(id, t0)
        }
        rebuildIndex()
        // Decoding is not a change: what it moved from the old layout is simply the state.
        _ = segments.drainChanges()
        _ = legacyEntries.drainChanges()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maxEntries, forKey: .maxEntries)
        try container.encode(allowedLateness, forKey: .allowedLateness)
        try container.encode(segments, forKey: .segments)
    }
}
