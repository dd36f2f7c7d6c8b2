/// MAU of `identified_rolling_30d` mode (SPEC §8, §6.3): a contact identified at `t0`
/// (its latest accepted `identify`) counts at `t` while `t − t0 < 30 d`.
///
/// `lastIdentified` holds exactly the contacts that count, so MAU is its size.
/// Expiry is lazy: `expiry` queues (t0, contact) and `expire(at:)` pops the entries
/// that came due, dropping a contact only when the entry is still its latest `t0`
/// (a later identify pushed a newer entry and left the old one stale).
///
/// Memory: a contact's key bytes are held once. Every queued entry shares the string
/// storage of the contact's key in `lastIdentified` (Swift strings over 15 bytes are
/// a heap object each), on identify and after a restore (`shareRestoredKeys`).
public struct RollingIdentifiedMAU: Sendable, Equatable, Codable {
    /// The window a contact counts for after an identify.
    public static var window: Int64 { 30 * Millis.day }

    /// Contact key → latest identify time, for the contacts that count. Public for checkpointing.
    public var lastIdentified: TrackedMap<String, StreamTime>
    /// (identify time, contact), due when that identify stops counting. Public for checkpointing.
    public var expiry: TimeBucketQueue<String>

    public init() {
        lastIdentified = TrackedMap()
        expiry = TimeBucketQueue()
    }

    /// The contacts counting as of the last `expire(at:)`.
    public var count: Int64 { Int64(lastIdentified.count) }

    /// Records an accepted identify of `contact` at `t` when `now` is the meter's
    /// clock (`now ≥ t`). An identify older than the contact's `t0` never moves it back;
    /// one already 30 days behind `now` counts for nothing.
    public mutating func identify(_ contact: String, at t: StreamTime, now: StreamTime) {
        guard now.saturatingSubtracting(t) < Self.window else { return }
        var key = contact
        if let index = lastIdentified.storage.index(forKey: contact) {
            let (stored, t0) = lastIdentified.storage[index]
            if t0 >= t { return }
            key = stored
        }
        lastIdentified[key] = t
        expiry.insert(key, at: t)
    }

    /// Drops the contacts whose latest identify is 30 days or more before `now`.
    public mutating func expire(at now: StreamTime) {
        for entry in expiry.popThrough(now.saturatingSubtracting(Self.window)) where lastIdentified[entry.element] == entry.time {
            lastIdentified[entry.element] = nil
        }
    }

    /// After a restore decoded the queue's contacts as strings of their own: points
    /// each entry at its contact's key in `lastIdentified`, freeing the copies. Changes
    /// no value, marks nothing changed.
    public mutating func shareRestoredKeys() {
        for bucket in Array(expiry.buckets.keys) {
            guard var entries = expiry.buckets.storage[bucket] else { continue }
            expiry.buckets.restore(bucket, nil)
            for i in entries.indices {
                if let index = lastIdentified.storage.index(forKey: entries[i].element) {
                    entries[i].element = lastIdentified.storage[index].key
                }
            }
            expiry.buckets.restore(bucket, entries)
        }
    }
}
