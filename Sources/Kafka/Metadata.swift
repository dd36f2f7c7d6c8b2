import CRdKafka

/// Cluster metadata reads. Always asks for all topics: a request naming a topic
/// can make a broker auto-create it.
enum Metadata {
    /// Partition counts of every topic in the cluster.
    static func partitionCounts(handle: KafkaHandle, timeout: Duration) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        try handle.call("reading cluster metadata") { rd_kafka_metadata($0, 1, nil, &metadata, timeout.milliseconds) }
        guard let metadata else { return [:] }
        defer { rd_kafka_metadata_destroy(metadata) }
        var counts: [String: Int] = [:]
        for topic in UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        where topic.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            counts[String(cString: topic.topic)] = Int(topic.partition_cnt)
        }
        return counts
    }

    static func partitionCount(handle: KafkaHandle, topic: String, timeout: Duration) throws(KafkaError) -> Int {
        guard let count = try partitionCounts(handle: handle, timeout: timeout)[topic] else {
            throw KafkaError(code: .unknownTopicOrPartition, message: "topic \(topic) does not exist")
        }
        return count
    }
}
