/// An event held for consent (verdict `deferred`), waiting for its category to be
/// granted, or to expire after 30 days of stream time, or to overflow.
public struct HeldEvent<Payload: Codable & Sendable & Equatable>: Sendable, Equatable, Codable {
    /// What the engine needs to finish the event later (the record, its origin, …).
    public var payload: Payload
    public var category: ConsentCategory
    /// The stream time of the record that was held.
    public var heldAt: StreamTime
    /// Increases with every hold of the workspace: the order holds were made.
    public var id: Int64

    public init(payload: Payload, category: ConsentCategory, heldAt: StreamTime, id: Int64) {
        self.payload = payload
        self.category = category
        self.heldAt = heldAt
        self.id = id
    }
}
