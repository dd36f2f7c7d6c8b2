/// Elements ordered by stream time, for rules that must find "everything at or
/// before a cutoff" on every record (consent-hold expiry, the rolling-30-day MAU)
/// without scanning every contact.
///
/// Entries live in one-hour buckets of a `TrackedMap`, so a checkpoint rewrites only
/// the buckets that changed and popping up to a cutoff touches only the buckets it
/// empties (plus the one the cutoff falls in). Within a bucket entries are sorted by
/// time, equal times in insertion order; an out-of-order insert goes to its sorted
/// place. Entries are never updated in place: callers that supersede an element push
/// a new entry and skip stale ones when they pop them (lazy deletion).
public struct TimeBucketQueue<Element: Codable & Sendable & Equatable>: Sendable, Equatable, Codable {
    /// One queued element and the stream time it is due at.
    public struct Entry: Sendable, Equatable, Codable {
        public var time: StreamTime
        public var element: Element

        public init(time: StreamTime, element: Element) {
            self.time = time
            self.element = element
        }
    }

    /// The width of a bucket: one hour of stream time.
    public static var bucketWidth: Int64 { Millis.hour }

    /// Bucket index (floor of time / width) → its entries, sorted by time.
    /// Public for checkpointing (`drainChanges` / `restore`); mutate only through the methods.
    public var buckets: TrackedMap<Int64, [Entry]>
    /// No bucket below this index holds entries; nil when the queue is empty.
    public private(set) var lowestBucket: Int64?

    public init() {
        buckets = TrackedMap()
        lowestBucket = nil
    }

    public var isEmpty: Bool { buckets.isEmpty }

    /// Queues `element` at `time`, after any entries with the same time.
    public mutating func insert(_ element: Element, at time: StreamTime) {
        let bucket = Self.bucket(of: time)
        let entries = buckets[bucket] ?? []
        var index = entries.endIndex
        while index > entries.startIndex, entries[index - 1].time > time { index -= 1 }
        buckets[bucket, default: []].insert(Entry(time: time, element: element), at: index)
        lowestBucket = min(lowestBucket ?? bucket, bucket)
    }

    /// Removes and returns every entry with `time <= cutoff`, ordered by time (equal
    /// times in insertion order). Work is proportional to the entries returned plus
    /// the smaller of the hours skipped and the buckets held.
    public mutating func popThrough(_ cutoff: StreamTime) -> [Entry] {
        guard let lowest = lowestBucket else { return [] }
        let last = Self.bucket(of: cutoff)
        guard lowest <= last else { return [] }
        let candidates: [Int64] =
            last - lowest > Int64(buckets.count)
            ? buckets.keys.filter { $0 <= last }.sorted()
            : Array(lowest...last)
        var popped: [Entry] = []
        for bucket in candidates {
            guard let entries = buckets[bucket] else { continue }
            let split = entries.firstIndex { $0.time > cutoff } ?? entries.endIndex
            guard split > entries.startIndex else { continue }
            popped.append(contentsOf: entries[..<split])
            buckets[bucket] = split == entries.endIndex ? nil : Array(entries[split...])
        }
        // Every bucket below `last` is now empty; `last` itself may keep later entries.
        lowestBucket = buckets.isEmpty ? nil : last
        return popped
    }

    static func bucket(of time: StreamTime) -> Int64 {
        time >= 0 ? time / bucketWidth : (time + 1) / bucketWidth - 1
    }
}
