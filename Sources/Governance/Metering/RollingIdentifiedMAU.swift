/// MAU of `identified_rolling_30d` mode (SPEC §8, §6.3): a contact identified at `t0`
/// (its latest accepted `identify`) counts at `t` while `t − t0 < 30 d`.
///
/// `lastIdentified` holds exactly the contacts that count, so MAU is its size.
/// Expiry is lazy: `expiry` queues each contact under the hour of its `t0`, and
/// `expire(at:)` drops the contacts whose `t0` came due (`RollingExpiryQueue`).
///
/// Memory: a contact's key bytes are held once (the queue's entry shares the key's
/// storage in `lastIdentified`; Swift strings over 15 bytes are a heap object each).
/// Only `lastIdentified` is checkpointed: the queue is rebuilt from it after a restore
/// (`rebuildIndexes`), so equality and coding see `lastIdentified` alone.
public struct RollingIdentifiedMAU: Sendable {
    /// The window a contact counts for after an identify.
    public static var window: Int64 { 30 * Millis.day }

    /// Contact key → latest identify time, for the contacts that count. Public for checkpointing.
    public var lastIdentified: TrackedMap<String, StreamTime>
    /// The contacts by the hour of their `t0`, derived from `lastIdentified`.
    private(set) var expiry: RollingExpiryQueue
    /// The queue as checkpoints before it was derived wrote it (changelog path
    /// `identifiedExpiry`): read from an old changelog only to be deleted, so the next
    /// checkpoint writes tombstones for its entries and a compacted changelog drops them.
    public var legacyExpiry: TrackedMap<Int64, [TimeBucketQueue<String>.Entry]>

    public init() {
        lastIdentified = TrackedMap()
        expiry = RollingExpiryQueue()
        legacyExpiry = TrackedMap()
    }

    /// The contacts counting as of the last `expire(at:)`.
    public var count: Int64 { Int64(lastIdentified.count) }

    /// Records an accepted identify of `contact` at `t` when `now` is the meter's
    /// clock (`now ≥ t`). An identify older than the contact's `t0` never moves it back;
    /// one already 30 days behind `now` counts for nothing.
    public mutating func identify(_ contact: String, at t: StreamTime, now: StreamTime) {
        guard now.saturatingSubtracting(t) < Self.window else { return }
        var key = contact
        var previous: StreamTime?
        if let index = lastIdentified.storage.index(forKey: contact) {
            let (stored, t0) = lastIdentified.storage[index]
            if t0 >= t { return }
            key = stored
            previous = t0
        }
        lastIdentified[key] = t
        expiry.insert(key, at: t, previous: previous)
    }

    /// Drops the contacts whose latest identify is 30 days or more before `now`.
    public mutating func expire(at now: StreamTime) {
        expiry.expire(through: now.saturatingSubtracting(Self.window), from: &lastIdentified)
    }

    /// After a restore set `lastIdentified`: rebuilds the queue from it (sharing each
    /// key's storage) and deletes a legacy queue an old checkpoint restored. Changes
    /// no value, marks nothing changed but the legacy entries.
    public mutating func rebuildIndexes() {
        expiry = RollingExpiryQueue(rebuildingFrom: lastIdentified)
        for bucket in Array(legacyExpiry.keys) { legacyExpiry.removeValue(forKey: bucket) }
    }
}

extension RollingIdentifiedMAU: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.lastIdentified == rhs.lastIdentified }
}

extension RollingIdentifiedMAU: Codable {
    private enum CodingKeys: String, CodingKey { case lastIdentified }

    /// Reads `lastIdentified` (an older encoding's `expiry` is ignored: it is derived).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lastIdentified = try container.decode(TrackedMap<String, StreamTime>.self, forKey: .lastIdentified)
        expiry = RollingExpiryQueue(rebuildingFrom: lastIdentified)
        legacyExpiry = TrackedMap()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lastIdentified, forKey: .lastIdentified)
    }
}
