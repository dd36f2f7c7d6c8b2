/// A record the engine processes: one line of a record file or one Kafka message.
public struct InputRecord: Sendable {
    public var origin: Origin
    /// The record key as UTF-8 text, nil when the record has none.
    public var key: String?
    public var value: [UInt8]?
    public var headers: [Header]
    /// The record's timestamp: its stream time.
    public var timestamp: StreamTime

    public init(origin: Origin, key: String?, value: [UInt8]?, headers: [Header] = [], timestamp: StreamTime) {
        self.origin = origin
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}
