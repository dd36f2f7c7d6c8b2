/// One partition of one topic.
public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// A partition and an offset in it: where to start reading, a position, or an
/// offset to commit (the offset of the next record to read, as Kafka commits it).
public struct TopicPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    public var topicPartition: TopicPartition
    /// An absolute offset, or one of the logical `KafkaOffset` values.
    public var offset: Int64

    public init(_ topic: String, _ partition: Int32, offset: Int64) {
        self.topicPartition = TopicPartition(topic, partition)
        self.offset = offset
    }

    public init(_ topicPartition: TopicPartition, offset: Int64) {
        self.topicPartition = topicPartition
        self.offset = offset
    }

    public var topic: String { topicPartition.topic }
    public var partition: Int32 { topicPartition.partition }
    public var description: String { "\(topicPartition)@\(offset)" }
}

/// librdkafka's logical offsets.
public enum KafkaOffset {
    /// The oldest record still kept.
    public static let beginning: Int64 = -2
    /// After the newest record.
    public static let end: Int64 = -1
    /// The committed offset (or `auto.offset.reset` when there is none).
    public static let stored: Int64 = -1000
    /// No offset: nothing committed, or no position yet.
    public static let invalid: Int64 = -1001
}
