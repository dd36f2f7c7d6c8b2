import Kafka
import Logging

/// Reads every record of a topic, all partitions, up to the end offsets seen when
/// it starts (`governor demo --outputs`, tests).
public struct TopicReader {
    public let config: KafkaConfig
    public let logger: Logger

    public init(config: KafkaConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// The records of `topic` in partition, then offset order.
    public func readAll(_ topic: String, timeout: Duration = .seconds(60)) throws -> [KafkaMessage] {
        let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: logger)
        defer { try? consumer.close() }
        var ends: [Int32: Int64] = [:]
        var assignment: [TopicPartitionOffset] = []
        for p in 0..<Int32(try consumer.partitionCount(of: topic)) {
            let (low, high) = try consumer.queryWatermarkOffsets(topic: topic, partition: p)
            if high > low {
                ends[p] = high
                assignment.append(TopicPartitionOffset(topic, p, offset: low))
            }
        }
        guard !assignment.isEmpty else { return [] }
        try consumer.assign(assignment)
        var records: [Int32: [KafkaMessage]] = [:]
        var reached: [Int32: Int64] = [:]
        let deadline = ContinuousClock.now + timeout
        while ends.contains(where: { reached[$0.key, default: -1] < $0.value - 1 }) {
            guard ContinuousClock.now < deadline else {
                throw KafkaError.timedOut("reading \(topic) to its end offsets \(ends)")
            }
            for message in try consumer.poll(maxMessages: 5_000, timeout: .milliseconds(200)) {
                guard let end = ends[message.partition], message.offset < end else { continue }
                records[message.partition, default: []].append(message)
                reached[message.partition] = message.offset
            }
            // A transactional topic's last offset is often a commit marker, which is never
            // handed out: the position moves past it, message offsets do not.
            for position in try consumer.position(ends.keys.map { TopicPartition(topic, $0) }) where position.offset > 0 {
                reached[position.topicPartition.partition] = max(reached[position.topicPartition.partition] ?? -1, position.offset - 1)
            }
        }
        return records.keys.sorted().flatMap { records[$0]! }
    }

    /// The end offset (next offset to be written) of every partition of each topic,
    /// asked of one client.
    public func endOffsets(_ topics: [String]) throws -> [String: [Int32: Int64]] {
        let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: logger)
        defer { try? consumer.close() }
        var ends: [String: [Int32: Int64]] = [:]
        for topic in topics {
            for p in 0..<Int32(try consumer.partitionCount(of: topic)) {
                ends[topic, default: [:]][p] = try consumer.queryWatermarkOffsets(topic: topic, partition: p).high
            }
        }
        return ends
    }
}
