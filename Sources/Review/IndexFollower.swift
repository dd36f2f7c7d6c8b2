import Kafka
import Logging
import Synchronization

/// Fills a `ReviewIndex` from Kafka: reads the followed topics (read_committed,
/// outside any consumer group) from the offsets the index stored, and indexes each
/// polled batch in one transaction with the new offsets.
public struct IndexFollower: Sendable {
    public let index: ReviewIndex
    public let config: KafkaConfig
    public let topics: [String]
    public let logger: Logger

    public init(index: ReviewIndex, config: KafkaConfig, topics: [String] = ReviewIndex.topics, logger: Logger) {
        self.index = index
        self.config = config
        self.topics = topics
        self.logger = logger
    }

    /// Indexes every record written before the call (the end offsets seen at its
    /// start) and returns how many records it read.
    /// - Throws: when a partition does not reach its end offset within `timeout`
    ///   (for example an open transaction that never commits).
    @discardableResult
    public func catchUp(timeout: Duration = .seconds(120), progress: (Int) -> Void = { _ in }) throws -> Int {
        let consumer = try makeConsumer()
        defer { try? consumer.close() }
        let (assignment, ends) = try assign(consumer)
        var pending = Set(assignment.filter { ($0.offset >= 0 ? $0.offset : 0) < (ends[$0.topicPartition] ?? 0) }
            .map(\.topicPartition))
        var read = 0
        let deadline = ContinuousClock.now + timeout
        while !pending.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError.timedOut("indexing \(pending.sorted { $0.description < $1.description }.prefix(5)) up to the end offsets")
            }
            let messages = try consumer.poll(maxMessages: 5_000, timeout: .milliseconds(200))
                .filter { $0.offset < (ends[$0.topicPartition] ?? 0) }
            try index.ingest(messages)
            read += messages.count
            if !messages.isEmpty { progress(read) }
            // Positions, not offsets seen: control records of transactions occupy offsets too.
            for position in try consumer.position(Array(pending)) where position.offset >= (ends[position.topicPartition] ?? 0) {
                pending.remove(position.topicPartition)
            }
        }
        return read
    }

    /// Indexes new records as they arrive until `stop` returns true. Blocks: run
    /// it on a thread of its own. `onBatch` hears of every indexed batch.
    public func follow(stop: @Sendable () -> Bool, onBatch: @Sendable (Int) -> Void = { _ in }) throws {
        let consumer = try makeConsumer()
        defer { try? consumer.close() }
        var (assignment, _) = try assign(consumer)
        var lastTopicCheck = ContinuousClock.now
        while !stop() {
            let messages = try consumer.poll(maxMessages: 5_000, timeout: .milliseconds(250))
            try index.ingest(messages)
            if !messages.isEmpty { onBatch(messages.count) }
            // A topic created after the start (dlq-replays on an older cluster) joins later.
            if ContinuousClock.now - lastTopicCheck > .seconds(30) {
                lastTopicCheck = ContinuousClock.now
                let known = Set(assignment.map(\.topic))
                if topics.contains(where: { !known.contains($0) && (try? consumer.partitionCount(of: $0)) != nil }) {
                    assignment = try assign(consumer).assignment
                }
            }
        }
    }

    private func makeConsumer() throws -> KafkaConsumer {
        var settings = ConsumerSettings(groupID: nil)
        settings.readCommitted = true
        settings.autoOffsetReset = "earliest"
        return try KafkaConsumer(config: config, settings: settings, logger: logger)
    }

    /// Assigns every partition of the followed topics that exist, from the stored
    /// offsets (the beginning where none); returns the assignment and the end offsets.
    private func assign(_ consumer: KafkaConsumer) throws -> (assignment: [TopicPartitionOffset], ends: [TopicPartition: Int64]) {
        var assignment: [TopicPartitionOffset] = []
        var ends: [TopicPartition: Int64] = [:]
        for topic in topics {
            let count: Int
            do {
                count = try consumer.partitionCount(of: topic)
            } catch let error where error.code == .unknownTopicOrPartition {
                logger.warning("review index: topic \(topic) does not exist on the cluster; skipping it")
                continue
            } catch {
                throw KafkaError(code: error.code, message: "cannot read the cluster's metadata (check --brokers): \(error)")
            }
            let stored = try index.nextOffsets(topic)
            for partition in 0..<Int32(count) {
                let (low, high) = try consumer.queryWatermarkOffsets(topic: topic, partition: partition)
                let tp = TopicPartition(topic, partition)
                ends[tp] = high
                // Retention may have dropped what the index has not read: start at the oldest kept.
                assignment.append(TopicPartitionOffset(tp, offset: max(stored[partition] ?? low, low)))
            }
        }
        try consumer.assign(assignment)
        return (assignment, ends)
    }
}
