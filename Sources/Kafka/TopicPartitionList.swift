import CRdKafka

/// Owns one `rd_kafka_topic_partition_list_t`; converts from and to Swift values.
final class TopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int = 1) {
        pointer = rd_kafka_topic_partition_list_new(Int32(max(capacity, 1)))
    }

    convenience init(_ partitions: [TopicPartition]) {
        self.init(capacity: partitions.count)
        for tp in partitions {
            rd_kafka_topic_partition_list_add(pointer, tp.topic, tp.partition)
        }
    }

    convenience init(_ offsets: [TopicPartitionOffset]) {
        self.init(capacity: offsets.count)
        for tpo in offsets {
            rd_kafka_topic_partition_list_add(pointer, tpo.topic, tpo.partition).pointee.offset = tpo.offset
        }
    }

    /// Takes ownership of a list librdkafka handed out.
    init(owning pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    deinit { rd_kafka_topic_partition_list_destroy(pointer) }

    var offsets: [TopicPartitionOffset] { Self.offsets(of: pointer) }

    /// The first per-partition error, if any.
    func firstError(_ context: String) -> KafkaError? {
        Self.elements(of: pointer).first { $0.err != RD_KAFKA_RESP_ERR_NO_ERROR }.map {
            KafkaError($0.err, "\(context) \(String(cString: $0.topic))[\($0.partition)]")
        }
    }

    static func offsets(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartitionOffset] {
        elements(of: list).map {
            TopicPartitionOffset(String(cString: $0.topic), $0.partition, offset: $0.offset)
        }
    }

    private static func elements(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> UnsafeBufferPointer<rd_kafka_topic_partition_t> {
        UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt))
    }
}
