import JSON

/// A workspace's consent state (SPEC §6 step 13, §6.3 Consent): each contact's
/// consent, each contact's held events, and an expiry index over all holds.
///
/// Why the index: "processing any record of a workspace first settles expired
/// holds", so expiry is checked on every record. The index is a `TimeBucketQueue`
/// of (hold time, contact) entries, so `settleExpired` touches only the contacts
/// that have a hold at or before the cutoff, never every contact. Entries are not
/// removed when a hold is released or overflows; such stale entries are skipped when
/// they come due (the contact then has nothing expired), so the index holds at most
/// one entry per hold made in the last 30 days.
///
/// The engine, for a workspace in `consent_mode`, per record:
/// 1. `settleExpired(at:)` first, and writes each returned hold as `filtered` /
///    `consent_expired` with `expired_from_deferral: true`;
/// 2. for a `consent` event: accept it, then `recordConsent` and release the
///    returned holds, in order, through stages 15–17;
/// 3. for any other event that reached stage 13: if `isGranted` it continues to
///    stage 14, else `hold` it (verdict `deferred`) and settle a returned overflow
///    hold as `consent_expired`.
public struct ConsentLedger<Payload: Codable & Sendable & Equatable>: Sendable, Equatable, Codable {
    /// Contact key → what its `consent` events said. Public for checkpointing.
    public var consents: TrackedMap<String, ContactConsent>
    /// Contact key → its holds; contacts with none have no entry. Public for checkpointing.
    public var holds: TrackedMap<String, HeldEvents<Payload>>
    /// (hold time, contact) for every hold, due when the hold expires. Public for checkpointing.
    public var expiryIndex: TimeBucketQueue<String>
    /// The id the next hold gets.
    public private(set) var nextHoldID: Int64

    public init() {
        consents = TrackedMap()
        holds = TrackedMap()
        expiryIndex = TimeBucketQueue()
        nextHoldID = 0
    }

    /// Whether `contact` may send events of `category` now.
    /// - Parameter defaultGranted: the workspace's `consent_default` (true for `granted`).
    public func isGranted(_ category: ConsentCategory, contact: String, defaultGranted: Bool) -> Bool {
        (consents[contact] ?? ContactConsent()).isGranted(category, defaultGranted: defaultGranted)
    }

    /// Holds a `deferred` event of `contact`.
    /// - Returns: the contact's oldest holds when this is its 101st or brings its holds over
    ///   `HeldEvents.maxBytes`, to settle as `consent_expired`.
    @discardableResult
    public mutating func hold(_ payload: Payload, category: ConsentCategory, contact: String, at t: StreamTime)
        -> [HeldEvent<Payload>]
    {
        defer { nextHoldID += 1 }
        expiryIndex.insert(contact, at: t)
        return holds[contact, default: HeldEvents()].hold(payload, category: category, at: t, id: nextHoldID)
    }

    /// Removes and returns every hold of the workspace with `t − heldAt ≥ 30 d`, in the
    /// order they were held. Call before anything else for each record of the workspace.
    public mutating func settleExpired(at t: StreamTime) -> [HeldEvent<Payload>] {
        let popped = expiryIndex.popThrough(t.saturatingSubtracting(HeldEvents<Payload>.maxAge))
        guard !popped.isEmpty else { return [] }  // most records: no set, no sort
        let due = Set(popped.map(\.element))
        var expired: [HeldEvent<Payload>] = []
        for contact in due {
            guard var contactHolds = holds[contact] else { continue }
            let settled = contactHolds.expire(at: t)
            guard !settled.isEmpty else { continue }
            expired.append(contentsOf: settled)
            holds[contact] = contactHolds.isEmpty ? nil : contactHolds
        }
        return expired.sorted { $0.id < $1.id }
    }

    /// Applies a `consent` event of `contact` (its `properties`, if any) and removes and
    /// returns, in hold order, the contact's holds whose category is granted afterwards
    /// (by this event or by the workspace default).
    /// A contact's state remembers the time of its latest `consent` event (for the bound).
    public mutating func recordConsent(contact: String, properties: JSONObject?, defaultGranted: Bool,
                                       at t: StreamTime) -> [HeldEvent<Payload>]
    {
        var consent = consents[contact] ?? ContactConsent()
        if let properties { consent.apply(properties) }
        if !consent.isUnset {
            consent.recordedAt = t
            if consent != consents[contact] { consents[contact] = consent }
        }
        guard var contactHolds = holds[contact] else { return [] }
        let released = contactHolds.release(consent.grantedCategories(defaultGranted: defaultGranted))
        if !released.isEmpty { holds[contact] = contactHolds.isEmpty ? nil : contactHolds }
        return released
    }

    /// Keeps at most `limit` consent states (SPEC §11: bounded memory): when over it,
    /// forgets the states recorded longest ago (by `recordedAt`, then key) down to 90 %
    /// of `limit`, so the sort runs once per tenth of the bound. A forgotten contact
    /// falls back to the workspace's `consent_default`; its holds stay. Returns how
    /// many states it forgot.
    public mutating func forgetOldestConsents(keeping limit: Int) -> Int {
        guard consents.count > max(1, limit) else { return 0 }
        let target = max(0, limit - limit / 10)
        let oldest = consents.sorted { ($0.value.recordedAt ?? .min, $0.key) < ($1.value.recordedAt ?? .min, $1.key) }
            .prefix(consents.count - target)
        for (contact, _) in oldest { consents.removeValue(forKey: contact) }
        return oldest.count
    }
}
