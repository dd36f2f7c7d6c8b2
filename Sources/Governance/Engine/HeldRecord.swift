import JSON

/// What the engine keeps of an event held for consent: the input record itself, so
/// a release re-reads it exactly as it arrived (validation is deterministic).
public struct HeldRecord: Sendable, Equatable {
    public var origin: Origin
    public var key: String?
    public var value: [UInt8]
    public var timestamp: StreamTime
}

extension HeldRecord: SizedHoldPayload {
    public var heldBytes: Int { value.count + (key?.utf8.count ?? 0) }
}

extension HeldRecord: Codable {
    private enum CodingKeys: String, CodingKey { case origin, key, value, timestamp }

    /// The value is stored as base64 text: an array of byte numbers would be four
    /// times larger and slow to encode in every checkpoint.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        origin = try container.decode(Origin.self, forKey: .origin)
        key = try container.decodeIfPresent(String.self, forKey: .key)
        let text = try container.decode(String.self, forKey: .value)
        guard let bytes = Base64.decode(text) else {
            throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "value is not base64")
        }
        value = bytes
        timestamp = try container.decode(StreamTime.self, forKey: .timestamp)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(origin, forKey: .origin)
        try container.encodeIfPresent(key, forKey: .key)
        try container.encode(Base64.encode(value), forKey: .value)
        try container.encode(timestamp, forKey: .timestamp)
    }
}
