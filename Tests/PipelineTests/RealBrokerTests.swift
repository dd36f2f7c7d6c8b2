import Foundation
import Governance
import Kafka
import RecordFile
import Testing
@testable import Pipeline

/// The real-broker tier: what librdkafka's mock cluster cannot show (isolation,
/// fencing, compaction), on noida-db 0.2.3 (docs/KAFKA.md). Each test starts its own
/// broker. Skipped, with the reason, only when scripts/lib/noida.sh could not install it.
@Suite(.serialized, .enabled(if: NoidaBroker.binary != nil, Comment(rawValue: NoidaBroker.unavailable)))
struct RealBrokerTests {
    private func readCommitted(_ kafka: KafkaConfig, topic: String, partitions: Int32 = 1) throws -> KafkaConsumer {
        let consumer = try KafkaConsumer(config: kafka, settings: ConsumerSettings(groupID: nil), logger: crashLogger)
        try consumer.assign((0..<partitions).map { TopicPartitionOffset(topic, $0, offset: KafkaOffset.beginning) })
        return consumer
    }

    /// Polls until `count` records arrived, then a little longer to catch extra ones.
    private func drain(_ consumer: KafkaConsumer, atLeast count: Int) throws -> [KafkaMessage] {
        var messages: [KafkaMessage] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while messages.count < count, ContinuousClock.now < deadline {
            messages += try consumer.poll(maxMessages: 1_000, timeout: .milliseconds(100))
        }
        let settle = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < settle { messages += try consumer.poll(maxMessages: 1_000, timeout: .milliseconds(100)) }
        return messages
    }

    @Test func readCommittedHidesOpenAndAbortedTransactions() throws {
        let broker = try NoidaBroker()
        let topic = "isolation"
        _ = try KafkaAdmin(config: broker.kafka, logger: crashLogger).createTopics([TopicSpec(name: topic, partitions: 1)])
        let producer = try TransactionalProducer(config: broker.kafka, transactionalID: "isolation-tx", logger: crashLogger)
        try producer.initTransactions()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [1]))
        _ = try producer.flush()
        try producer.abortTransaction()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [2]))
        _ = try producer.commitTransaction()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [3]))
        _ = try producer.flush()

        let reader = try readCommitted(broker.kafka, topic: topic)
        #expect(try drain(reader, atLeast: 1).map(\.value) == [[2]], "aborted [1] and open [3] must be hidden")
        try reader.close()
        _ = try producer.commitTransaction()
        // A new reader: this one's fetches now start after the aborted transaction
        // (see the next test for what noida-db does then).
        let again = try readCommitted(broker.kafka, topic: topic)
        #expect(try drain(again, atLeast: 2).map(\.value) == [[2], [3]], "[3] appears once committed")
        try again.close()
    }

    /// noida-db 0.2.3's limit (docs/KAFKA.md, "The real-broker tier"): a fetch that
    /// starts after an aborted transaction still lists that transaction as aborted,
    /// so librdkafka drops every later record of the same producer (it waits for an
    /// abort marker that lies before the fetch): a read_committed consumer that
    /// starts, or seeks, past an abort never sees that producer's later records.
    /// Kafka lists only aborted transactions that overlap the fetched range. If this
    /// test fails, noida-db fixed it: update docs/KAFKA.md and the crash loop's workaround.
    @Test func brokerLimitAReaderStartingAfterAnAbortMissesLaterRecordsOfThatProducer() throws {
        let broker = try NoidaBroker()
        let topic = "stale-abort"
        _ = try KafkaAdmin(config: broker.kafka, logger: crashLogger).createTopics([TopicSpec(name: topic, partitions: 1)])
        let producer = try TransactionalProducer(config: broker.kafka, transactionalID: "stale-abort-tx", logger: crashLogger)
        try producer.initTransactions()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [1]))  // offset 0, aborted; its marker at 1
        _ = try producer.flush()
        try producer.abortTransaction()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [2]))  // offset 2, committed; marker at 3
        _ = try producer.commitTransaction()
        var results: [String: [[UInt8]?]] = [:]
        for (name, start, committed, hidden) in [("read_committed from the start", KafkaOffset.beginning, true, false),
                                                 ("read_committed from 2", Int64(2), true, true),
                                                 ("read_uncommitted from 2", Int64(2), false, false)] {
            var settings = ConsumerSettings(groupID: nil)
            settings.readCommitted = committed
            let consumer = try KafkaConsumer(config: broker.kafka, settings: settings, logger: crashLogger)
            try consumer.assign([TopicPartitionOffset(topic, 0, offset: start)])
            // A reader that should see [2] waits up to 20 s for it (a slow first fetch
            // must not pass for a hidden record), then 3 s more for any other record;
            // the one that should see nothing reads for 3 s.
            var values: [[UInt8]?] = []
            var deadline = ContinuousClock.now + (hidden ? .seconds(3) : .seconds(20))
            var settling = hidden
            while ContinuousClock.now < deadline {
                values += try consumer.poll(maxMessages: 100, timeout: .milliseconds(100)).map(\.value)
                if !settling, !values.isEmpty {
                    settling = true
                    deadline = ContinuousClock.now + .seconds(3)
                }
            }
            results[name] = values
            try consumer.close()
        }
        #expect(results["read_committed from the start"] == [[2]])
        #expect(results["read_uncommitted from 2"] == [[2]])
        #expect(results["read_committed from 2"] == [], "noida-db no longer lists stale aborted transactions: update docs/KAFKA.md")
    }

    /// noida-db 0.2.3's limit (docs/KAFKA.md, "compaction of transactional batches"):
    /// its cleaner leaves transactional batches as they are, so a changelog written
    /// in transactions (`exactly_once`) is never compacted, while the same records
    /// written without transactions are. Kafka compacts both. If this test fails,
    /// noida-db compacts transactional batches now: run
    /// `restoreAfterTheBrokersCompaction` in `exactly_once` and update docs/KAFKA.md.
    @Test func brokerLimitTransactionalBatchesAreNeverCompacted() throws {
        let broker = try NoidaBroker()
        let compact = ["cleanup.policy": "compact", "segment.ms": "100", "min.cleanable.dirty.ratio": "0.01",
                       "delete.retention.ms": "100", "retention.ms": "-1"]
        _ = try KafkaAdmin(config: broker.kafka, logger: crashLogger).createTopics([
            TopicSpec(name: "compact-plain", partitions: 1, configs: compact),
            TopicSpec(name: "compact-transactional", partitions: 1, configs: compact),
        ])
        // 20 rounds × 5 keys on each topic: 100 records, 5 distinct keys.
        let plain = try KafkaProducer(config: broker.kafka, logger: crashLogger)
        let transactional = try TransactionalProducer(config: broker.kafka, transactionalID: "compaction-tx", logger: crashLogger)
        try transactional.initTransactions()
        for round in 0..<20 {
            try transactional.beginTransaction()
            for key in 0..<5 {
                try plain.send(ProducerRecord(topic: "compact-plain", key: "k\(key)", value: [UInt8(round)]))
                try transactional.send(ProducerRecord(topic: "compact-transactional", key: "k\(key)", value: [UInt8(round)]))
            }
            try plain.flush().throwIfFailed()
            _ = try transactional.commitTransaction()
            Thread.sleep(forTimeInterval: 0.12)  // past segment.ms: the next round rolls a segment
        }
        let reader = TopicReader(config: broker.kafka, logger: crashLogger)
        var counts: (plain: Int, transactional: Int) = (0, 0)
        let deadline = ContinuousClock.now + .seconds(30)
        repeat {
            // An append to each rolls the active segment, which the cleaner never touches.
            try plain.send(ProducerRecord(topic: "compact-plain", key: "roll", value: [1]))
            try plain.flush().throwIfFailed()
            try transactional.beginTransaction()
            try transactional.send(ProducerRecord(topic: "compact-transactional", key: "roll", value: [1]))
            _ = try transactional.commitTransaction()
            Thread.sleep(forTimeInterval: 0.5)
            counts = (try reader.readAll("compact-plain").filter { $0.keyString != "roll" }.count,
                      try reader.readAll("compact-transactional").filter { $0.keyString != "roll" }.count)
        } while counts.plain > 5 && ContinuousClock.now < deadline
        print("RealBrokerTests: of 100 records over 5 keys, compaction left \(counts.plain) plain, \(counts.transactional) transactional")
        #expect(counts.plain == 5, "the plain topic was not compacted within 30 s")
        #expect(counts.transactional == 100, "noida-db compacted transactional batches: update docs/KAFKA.md and the compaction test")
    }

    @Test func aZombieProducerIsFencedByItsSuccessor() throws {
        let broker = try NoidaBroker()
        let topic = "fencing"
        _ = try KafkaAdmin(config: broker.kafka, logger: crashLogger).createTopics([TopicSpec(name: topic, partitions: 1)])
        let zombie = try TransactionalProducer(config: broker.kafka, transactionalID: "instance-a", logger: crashLogger)
        try zombie.initTransactions()
        try zombie.beginTransaction()
        try zombie.send(ProducerRecord(topic: topic, key: "k", value: [1]))
        _ = try zombie.flush()
        // The restarted instance: same transactional id. Its init aborts the zombie's transaction.
        let successor = try TransactionalProducer(config: broker.kafka, transactionalID: "instance-a", logger: crashLogger)
        try successor.initTransactions()
        try successor.beginTransaction()
        try successor.send(ProducerRecord(topic: topic, key: "k", value: [2]))
        _ = try successor.commitTransaction()
        var zombieFailed = false
        do {
            try zombie.send(ProducerRecord(topic: topic, key: "k", value: [9]))
            _ = try zombie.commitTransaction()
        } catch {
            zombieFailed = true
        }
        #expect(zombieFailed, "the zombie committed after its successor initialised")
        let reader = try readCommitted(broker.kafka, topic: topic)
        #expect(try drain(reader, atLeast: 1).map(\.value) == [[2]])
        try reader.close()
    }

    /// The broker compacts `governor-changelog` (rolled every 100 ms, cleaned at any
    /// dirty ratio, tombstones dropped after 100 ms): the compacted log restores the
    /// state of the uncompacted one, and a processor that restores from it goes on
    /// to write exactly what `governor check` writes for the whole input.
    /// In `at_least_once` mode: noida-db 0.2.3's cleaner leaves transactional batches
    /// as they are (docs/KAFKA.md, "compaction of transactional batches"), so an
    /// exactly-once changelog is never compacted there; the changelog's records are
    /// the same in both modes.
    @Test(.timeLimit(.minutes(4)))
    func restoreAfterTheBrokersCompaction() throws {
        let broker = try NoidaBroker()
        try broker.createTopics(overrides: ["governor-changelog": [
            "segment.ms": "100", "segment.bytes": "16384", "min.cleanable.dirty.ratio": "0.01", "delete.retention.ms": "100",
        ]])
        let kafka = broker.kafka
        let group = "compaction"
        let lines = Array(DemoWorkload(events: 1_500, seed: 31))
        let configs = lines.filter { $0.topic == Topic.workspaceConfig }
        let events = lines.filter { $0.topic != Topic.workspaceConfig }
        var options = ProcessorOptions(kafka: kafka, group: group, instanceID: "compaction",
                                       engine: EngineSettings(wallClock: { 0 }))
        options.sessionTimeoutMs = 6_000
        options.heartbeatIntervalMs = 500
        options.commitInterval = .milliseconds(30)
        // Small: snapshots rewrite every key of a partition's state, so the cleaner
        // has superseded records to remove.
        options.snapshotEveryBytes = 4 << 10
        // noida-db 0.2.3 never compacts transactional batches (docs/KAFKA.md): without
        // transactions its cleaner runs, and the changelog must be compaction-safe in
        // at_least_once mode too.
        options.guarantee = .atLeastOnce
        let reader = TopicReader(config: kafka, logger: crashLogger)

        // The first half streamed in while the processor runs: many commits, which
        // rewrite the same keys (markers, contacts, counters), so the cleaner has
        // superseded records to remove.
        try produceAll(configs, kafka: kafka)
        let first = ProcessorRunner(processor: try Processor(options: options, logger: crashLogger))
        let firstHalf = Array(events.prefix(events.count / 2))
        for start in stride(from: 0, to: firstHalf.count, by: 25) {
            try produceAll(Array(firstHalf[start..<min(start + 25, firstHalf.count)]), kafka: kafka)
            Thread.sleep(forTimeInterval: 0.1)
        }
        try waitUntilProcessed(first, reader: reader)
        try first.stop()

        let changelog = { () throws -> [Int32: [LogRecord]] in
            var logs: [Int32: [LogRecord]] = [:]
            for message in try reader.readAll(options.changelogTopic) { logs[message.partition, default: []].append(LogRecord(message)) }
            return logs
        }
        let before = try changelog()
        let ours = { (logs: [Int32: [LogRecord]]) in
            logs.values.map { log in log.filter { (try? $0.decode(group: group)) != nil }.count }.reduce(0, +)
        }
        let beforeCount = ours(before)
        // Appends roll the segments the cleaner may then clean (it never touches the
        // active one): another namespace's records, as another deployment sharing the
        // topic would write, on every partition, once a second.
        let roller = try KafkaProducer(config: kafka, logger: crashLogger)
        var after = before
        var history: [Int] = []
        let deadline = ContinuousClock.now + .seconds(90)
        // The floor a cleaner can reach: one record per distinct key (per partition).
        let distinctKeys = before.values.map { log in Set(log.filter { (try? $0.decode(group: group)) != nil }.map(\.key)).count }
            .reduce(0, +)
        // Until the cleaner removed records of this group, at least half the superseded records of this group
        // (what is asserted below; it cleans partition by partition, with pauses) and
        // then two more rounds removed nothing more.
        while history.count < 3 || history[history.count - 1] >= beforeCount
                || beforeCount - history[history.count - 1] < (beforeCount - distinctKeys) / 2
                || history.suffix(3).contains(where: { $0 != history.last }) {
            for p in before.keys {
                let encoded = ChangelogCodec.encode(.entry(attempt: 1, key: Array("roll".utf8), value: [1]), namespace: "other")
                try roller.send(ProducerRecord(topic: options.changelogTopic, partition: p, key: encoded.key, value: encoded.value,
                                               headers: encoded.headers.map { KafkaHeader(name: $0.name, value: $0.value) }))
            }
            try roller.flush().throwIfFailed()
            guard ContinuousClock.now < deadline else {
                throw CrashTestError.failed("noida-db did not compact governor-changelog within 90 s: \(beforeCount) records, then \(history)")
            }
            Thread.sleep(forTimeInterval: 1)
            after = try changelog()
            history.append(ours(after))
        }
        print("RealBrokerTests: records of the group in governor-changelog, once a second: \(beforeCount) → \(history) "
            + "(distinct keys: \(distinctKeys))")
        let afterCount = ours(after)
        #expect(beforeCount > distinctKeys, "the run rewrote no key: nothing for the cleaner to remove")
        #expect(beforeCount - afterCount >= (beforeCount - distinctKeys) / 2,
                "the cleaner removed \(beforeCount - afterCount) of \(beforeCount - distinctKeys) superseded records")
        for (p, log) in before {
            let full = try replay(log, group: group), compacted = try replay(after[p] ?? [], group: group)
            #expect(try compacted.finish() == full.finish(), "partition \(p): state differs after the broker's compaction")
            #expect(compacted.offsets == full.offsets, "partition \(p): resume offsets differ after compaction")
        }

        try produceAll(Array(events.dropFirst(events.count / 2)), kafka: kafka)
        let second = ProcessorRunner(processor: try Processor(options: options, logger: crashLogger))
        try waitUntilProcessed(second, reader: reader)
        try second.stop()
        try expectOutputsEqualOffline(lines, reader: reader, label: "noida compaction")
        print("RealBrokerTests: governor-changelog compacted from \(beforeCount) to \(afterCount) records")
    }

    private func replay(_ log: [LogRecord], group: String) throws -> ChangelogReplay {
        var replay = ChangelogReplay(logStartOffset: 0)
        for record in log {
            if let decoded = try record.decode(group: group) { replay.apply(decoded, size: record.key.count + (record.value?.count ?? 0)) }
        }
        return replay
    }
}

/// Produces record-file lines (not transactional) and waits for delivery.
func produceAll(_ lines: [RecordLine], kafka: KafkaConfig) throws {
    let producer = try KafkaProducer(config: kafka, logger: crashLogger)
    for line in lines {
        try producer.send(ProducerRecord(topic: line.topic, key: line.key, value: line.value, timestampMs: line.timestampMs))
    }
    try producer.flush(timeout: .seconds(60)).throwIfFailed()
}

/// Waits until the processor committed every input record. On a real broker the end
/// offset of a transactionally written topic (notification-requests) is a commit
/// marker's, which no consumer position reaches through records: the target is the
/// offset after each partition's last record, read with read_committed.
func waitUntilProcessed(_ runner: ProcessorRunner, reader: TopicReader, timeout: Duration = .seconds(120)) throws {
    let deadline = ContinuousClock.now + timeout
    var previous: [String: [Int32: Int64]]?
    while true {
        var targets: [String: [Int32: Int64]] = [:]
        for topic in ProcessorOptions.inputTopics {
            for message in try reader.readAll(topic) {
                targets[topic, default: [:]][message.partition] = max(targets[topic]?[message.partition] ?? 0, message.offset + 1)
            }
        }
        let progress = runner.processor.progress
        let behind = targets.flatMap { topic, partitions in
            partitions.filter { progress[TopicPartition(topic, $0.key)] ?? 0 < $0.value }.map { "\(topic)[\($0.key)]" }
        }
        if behind.isEmpty {
            if targets == previous { return }
            previous = targets
        } else {
            previous = nil
        }
        guard ContinuousClock.now < deadline else { throw CrashTestError.failed("inputs not processed in time: \(behind.sorted())") }
        Thread.sleep(forTimeInterval: 0.5)
    }
}
