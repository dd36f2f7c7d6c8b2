/// A record the engine processes: one line of a record file or one Kafka message.
public struct InputRecord: Sendable {
    public var origin: Origin
    /// The record key as UTF-8 text, nil when the record has none.
    public var key: String?
    /// The exact key bytes when they are not valid UTF-8 (`key` then has U+FFFD in
    /// place of the bad bytes); nil otherwise. Echoed so a DLQ replay is byte-identical.
    public var keyBytes: [UInt8]?
    public var value: [UInt8]?
    public var headers: [Header]
    /// The record's timestamp: its stream time.
    public var timestamp: StreamTime

    public init(origin: Origin, key: String?, keyBytes: [UInt8]? = nil, value: [UInt8]?, headers: [Header] = [],
                timestamp: StreamTime) {
        self.origin = origin
        self.key = key
        self.keyBytes = keyBytes
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}
