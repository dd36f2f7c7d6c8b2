import JSON

/// A record the engine writes: topic, key, serialized JSON value, timestamp, headers.
public struct OutputRecord: Sendable, Equatable {
    public var topic: String
    public var key: String?
    public var value: [UInt8]
    public var timestamp: StreamTime
    public var headers: [Header]

    public init(topic: String, key: String?, value: JSONValue, timestamp: StreamTime, headers: [Header] = []) {
        self.topic = topic
        self.key = key
        self.value = value.serializedBytes
        self.timestamp = timestamp
        self.headers = headers
    }

    /// A record whose value is already serialized JSON.
    public init(topic: String, key: String?, valueBytes: [UInt8], timestamp: StreamTime, headers: [Header] = []) {
        self.topic = topic
        self.key = key
        self.value = valueBytes
        self.timestamp = timestamp
        self.headers = headers
    }
}
