import CRdKafka

extension KafkaConsumer {
    /// For each partition, the offset of the first record whose timestamp is at or
    /// after `timestampMs` (`KafkaOffset.end` when there is none), asked of the leaders.
    /// Lets a reader start near a moment instead of scanning a partition from its start.
    public func offsets(
        forTimestampMs timestampMs: Int64, partitions: [TopicPartition], timeout: Duration = .seconds(10)
    ) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = TopicPartitionList(partitions.map { TopicPartitionOffset($0, offset: timestampMs) })
        try handle.call("looking up offsets for time \(timestampMs) in \(partitions)") {
            rd_kafka_offsets_for_times($0, list.pointer, timeout.milliseconds)
        }
        if let error = list.firstError("looking up offsets by time in") { throw error }
        return list.offsets
    }
}
