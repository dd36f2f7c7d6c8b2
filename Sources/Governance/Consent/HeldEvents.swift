/// A held payload that knows its size, so a contact's holds can be bounded in bytes.
public protocol SizedHoldPayload {
    /// The bytes the payload keeps (value and key).
    var heldBytes: Int { get }
}

/// One contact's held events, in the order they were held (SPEC §6 step 13,
/// §6.3 Consent): at most 100, none older than 30 days of stream time, and at most
/// `maxBytes` of `SizedHoldPayload` bytes, so that the contact's changelog entry
/// (all its holds, base64) stays under the producer's `message.max.bytes`: 100 holds
/// of 32 KB would be a 4.4 MB entry that no transaction could commit.
public struct HeldEvents<Payload: Codable & Sendable & Equatable>: Sendable, Equatable, Codable {
    /// The most holds a contact keeps; the 101st expires the oldest at once.
    public static var capacity: Int { 100 }
    /// A hold expires when the settling record is this much or more after it.
    public static var maxAge: Int64 { 30 * Millis.day }
    /// The most payload bytes a contact's holds keep (384 KiB: about 520 KB as base64).
    /// Beyond it the oldest holds expire at once, as the 101st hold does.
    public static var maxBytes: Int { 393_216 }

    /// Oldest first.
    public private(set) var holds: [HeldEvent<Payload>]

    public init() { holds = [] }

    public var isEmpty: Bool { holds.isEmpty }

    /// Holds an event.
    /// - Parameter id: the workspace-wide hold number (see `ConsentLedger`).
    /// - Returns: the contact's oldest holds, removed, when this hold is the 101st or
    ///   brings the holds over `maxBytes` (never the new hold itself); the engine
    ///   settles them as `consent_expired`.
    @discardableResult
    public mutating func hold(_ payload: Payload, category: ConsentCategory, at t: StreamTime, id: Int64)
        -> [HeldEvent<Payload>]
    {
        holds.append(HeldEvent(payload: payload, category: category, heldAt: t, id: id))
        var overflow: [HeldEvent<Payload>] = []
        if holds.count > Self.capacity { overflow.append(holds.removeFirst()) }
        guard Payload.self is any SizedHoldPayload.Type else { return overflow }
        var bytes = holds.reduce(0) { $0 + (($1.payload as? any SizedHoldPayload)?.heldBytes ?? 0) }
        while bytes > Self.maxBytes, holds.count > 1 {
            let oldest = holds.removeFirst()
            bytes -= (oldest.payload as? any SizedHoldPayload)?.heldBytes ?? 0
            overflow.append(oldest)
        }
        return overflow
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
