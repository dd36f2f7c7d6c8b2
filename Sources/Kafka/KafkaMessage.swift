import CRdKafka

/// A record header: a name and a value that may be null.
public struct KafkaHeader: Hashable, Sendable {
    public var name: String
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}

/// A record read from Kafka, copied out of librdkafka's memory.
public struct KafkaMessage: Hashable, Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    /// The record timestamp in ms since the epoch (CreateTime or LogAppendTime), or -1.
    public var timestampMs: Int64

    public init(
        topic: String, partition: Int32, offset: Int64,
        key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [], timestampMs: Int64
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
    /// The key as UTF-8 text (invalid bytes replaced), or nil.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
    /// The value of the last header called `name`, if any (nil also for a null value).
    public func header(_ name: String) -> [UInt8]? {
        headers.last { $0.name == name }?.value ?? nil
    }

    /// Copies a message librdkafka returned without error; the caller still destroys it.
    init(copying message: UnsafePointer<rd_kafka_message_t>) {
        let m = message.pointee
        topic = String(cString: rd_kafka_topic_name(m.rkt))
        partition = m.partition
        offset = m.offset
        key = Self.bytes(m.key, m.key_len)
        value = Self.bytes(m.payload, m.len)
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        timestampMs = rd_kafka_message_timestamp(message, &type)
        headers = Self.headers(of: message)
    }

    private static func bytes(_ pointer: UnsafeRawPointer?, _ count: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func headers(of message: UnsafePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var result: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            result.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: bytes(value, size)))
            index += 1
        }
        return result
    }
}
