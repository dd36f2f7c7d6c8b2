/// What the engine keeps of an event held for consent: the input record itself, so
/// a release re-reads it exactly as it arrived (validation is deterministic).
public struct HeldRecord: Sendable, Equatable, Codable {
    public var origin: Origin
    public var key: String?
    public var value: [UInt8]
    public var timestamp: StreamTime
}
