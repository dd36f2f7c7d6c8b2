/// MAU of `identified_rolling_30d` mode (SPEC §8, §6.3): a contact identified at `t0`
/// (its latest accepted `identify`) counts at `t` while `t − t0 < 30 d`.
///
/// `lastIdentified` holds exactly the contacts that count, so MAU is its size.
/// Expiry is lazy: `expiry` counts the contacts per hour of their `t0` and holds the
/// hour the cut-off is in with times, and `expire(at:)` drops the contacts whose `t0`
/// came due (`RollingExpiryIndex`).
///
/// Memory: a contact is its entry in `lastIdentified` alone (the frontier hour's
/// entries share the key's storage). Only `lastIdentified` is checkpointed: the index
/// is rebuilt from it after a restore (`rebuildIndexes`), so equality and coding see
/// `lastIdentified` alone.
public struct RollingIdentifiedMAU: Sendable {
    /// The window a contact counts for after an identify.
    public static var window: Int64 { 30 * Millis.day }

    /// Contact key → latest identify time, for the contacts that count. Public for checkpointing.
    public var lastIdentified: TrackedMap<String, StreamTime>
    /// The contacts per hour of their `t0`, derived from `lastIdentified`.
    private(set) var expiry: RollingExpiryIndex
    /// The expiry queue as checkpoints wrote it before it was derived (changelog path
    /// `identifiedExpiry`): read from an old changelog only to be deleted, so the next
    /// checkpoint writes tombstones for its entries and a compacted changelog drops them.
    public var legacyExpiry: TrackedMap<Int64, [TimeBucketQueue<String>.Entry]>

    public init() {
        lastIdentified = TrackedMap()
        expiry = RollingExpiryIndex()
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

    /// After a restore set `lastIdentified`: rebuilds the expiry index from it and
    /// deletes a legacy queue an old checkpoint restored. Changes
    /// no value, marks nothing changed but the legacy entries.
    public mutating func rebuildIndexes() {
        expiry = RollingExpiryIndex(rebuildingFrom: lastIdentified)
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
        expiry = RollingExpiryIndex(rebuildingFrom: lastIdentified)
        legacyExpiry = TrackedMap()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lastIdentified, forKey: .lastIdentified)
    }
}
