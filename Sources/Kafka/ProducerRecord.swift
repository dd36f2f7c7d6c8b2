/// A record to produce.
public struct ProducerRecord: Sendable, Hashable {
    public var topic: String
    /// An explicit partition, or nil to let the partitioner choose
    /// (murmur2 of the key, Java-compatible; random for a record without a key).
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    /// CreateTime in ms since the epoch, or nil for "now".
    public var timestampMs: Int64?

    public init(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
        headers: [KafkaHeader] = [], timestampMs: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }

    /// A record whose key is the UTF-8 of `key`.
    public init(
        topic: String, partition: Int32? = nil, key: String?, value: [UInt8]?,
        headers: [KafkaHeader] = [], timestampMs: Int64? = nil
    ) {
        self.init(
            topic: topic, partition: partition, key: key.map { Array($0.utf8) }, value: value,
            headers: headers, timestampMs: timestampMs)
    }
}
