/// One contact's held events, in the order they were held (SPEC §6 step 13,
/// §6.3 Consent): at most 100, none older than 30 days of stream time.
public struct HeldEvents<Payload: Codable & Sendable & Equatable>: Sendable, Equatable, Codable {
    /// The most holds a contact keeps; the 101st expires the oldest at once.
    public static var capacity: Int { 100 }
    /// A hold expires when the settling record is this much or more after it.
    public static var maxAge: Int64 { 30 * Millis.day }

    /// Oldest first.
    public private(set) var holds: [HeldEvent<Payload>]

    public init() { holds = [] }

    public var isEmpty: Bool { holds.isEmpty }

    /// Holds an event.
    /// - Parameter id: the workspace-wide hold number (see `ConsentLedger`).
    /// - Returns: the contact's oldest hold (the first held), removed, when this hold
    ///   is the 101st; the engine settles it as `consent_expired`.
    @discardableResult
    public mutating func hold(_ payload: Payload, category: ConsentCategory, at t: StreamTime, id: Int64)
        -> HeldEvent<Payload>?
    {
        holds.append(HeldEvent(payload: payload, category: category, heldAt: t, id: id))
        return holds.count > Self.capacity ? holds.removeFirst() : nil
    }

    /// Removes and returns, in hold order, the holds with `t − heldAt ≥ 30 d`.
    public mutating func expire(at t: StreamTime) -> [HeldEvent<Payload>] {
        take { t.saturatingSubtracting($0.heldAt) >= Self.maxAge }
    }

    /// Removes and returns, in hold order, the holds whose category is in `granted`.
    public mutating func release(_ granted: Set<ConsentCategory>) -> [HeldEvent<Payload>] {
        take { granted.contains($0.category) }
    }

    private mutating func take(where matches: (HeldEvent<Payload>) -> Bool) -> [HeldEvent<Payload>] {
        let taken = holds.filter(matches)
        if !taken.isEmpty { holds.removeAll(where: matches) }
        return taken
    }
}
