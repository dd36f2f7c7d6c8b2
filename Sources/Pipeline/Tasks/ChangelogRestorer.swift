import Governance
import Kafka
import Logging

/// Restores a partition task from its changelog partition before the partition's
/// first record is processed (SPEC §11).
struct ChangelogRestorer {
    let config: KafkaConfig
    let changelogTopic: String
    /// The consumer group whose records are read; others sharing the topic are skipped.
    let namespace: String
    let inputTopics: [String]
    let settings: EngineSettings
    let logger: Logger

    /// What a restore found, and how long it took.
    struct Restored {
        var task: PartitionTask
        var records: Int
        var seconds: Double
    }

    func restore(partition p: Int32) throws -> Restored {
        let started = ContinuousClock.now
        let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: logger)
        defer { try? consumer.close() }
        // Metadata first: it waits for a broker connection, and with the partition
        // leaders cached the watermark query is answered at once; without it half the
        // parallel restores waited ~1 s for librdkafka's next leader query.
        _ = try consumer.partitionCount(of: changelogTopic)
        let (low, high) = try consumer.queryWatermarkOffsets(topic: changelogTopic, partition: p)
        var replay = ChangelogReplay(logStartOffset: low)
        if high > low {
            try consumer.assign([TopicPartitionOffset(changelogTopic, p, offset: low)])
            var next = low
            while next < high {
                for message in try consumer.poll(maxMessages: 2_000, timeout: .milliseconds(200)) where message.partition == p {
                    next = message.offset + 1
                    guard let record = try ChangelogCodec.decode(
                        key: message.key, value: message.value,
                        headers: MessageAdapter.changelogHeaders(message), offset: message.offset, namespace: namespace)
                    else { continue }
                    replay.apply(record, size: (message.key?.count ?? 0) + (message.value?.count ?? 0))
                }
                // On a real cluster every committed transaction ends with a control
                // record that is never handed out but takes an offset (often the last
                // one): the consumer's position moves past it, message offsets do not.
                if let position = try consumer.position([TopicPartition(changelogTopic, p)]).first?.offset {
                    next = max(next, position)
                }
                if ContinuousClock.now - started > .seconds(120) {
                    throw CheckpointError("restoring \(changelogTopic)[\(p)] did not reach offset \(high) within 120 s (at \(next))")
                }
            }
        }
        let state = try replay.finish()
        let (engine, org) = try StateCheckpoint().restore(state, settings: settings)
        var offsets: [String: Int64] = [:]
        for topic in inputTopics { offsets[topic] = replay.offsets[topic] ?? 0 }
        var task = PartitionTask(partition: p, engine: engine, org: org, nextOffsets: offsets,
                                 nextAttempt: replay.highestAttempt + 1, discarded: replay.unfinishedAttempts,
                                 bytesSinceSnapshot: replay.bytesSinceSnapshot, replayClocks: replay.unfinishedClocks,
                                 rewrites: replay.unfinishedKeys.map { ($0, state[$0]) })
        // What a snapshot of this state would write: the next one is due after as many
        // bytes (`prepareCommit`'s threshold), as it was before the restart. Without it
        // every partition of a restarted instance found a snapshot due at once.
        let entryKeyPrefix = ChangelogCodec.entryKeyPrefix(namespace: namespace).count
        task.lastSnapshotBytes = state.reduce(0) { $0 + entryKeyPrefix + $1.key.count + $1.value.count }
        return Restored(task: task, records: replay.recordsRead, seconds: (ContinuousClock.now - started).seconds)
    }
}
