import Foundation
import Governance
import Kafka
import Logging
import Metrics
import Synchronization

/// One member of the processor group (`governor run`): consumes the co-partitioned
/// inputs, runs a `PartitionTask` per assigned partition, and every commit interval
/// writes outputs, changelog entries and commit markers (in one transaction when
/// exactly-once) — see docs/ARCHITECTURE.md.
///
/// Threading: `run()` blocks its thread; the rebalance callback runs on that same
/// thread inside `poll`, so tasks are restored before their partition's first record
/// and committed before they are taken away. Other threads only call `stop()`,
/// `progress` and `isReady`.
public final class Processor: @unchecked Sendable {
    // @unchecked: `tasks`, `consumer` and `checkpoint` are touched only on the thread
    // that runs `run()` (the rebalance handler runs there too, inside `poll`); the
    // state other threads read is behind the Mutexes below.
    private var tasks: [Int32: PartitionTask] = [:]
    private var consumer: KafkaConsumer?
    private let checkpoint = StateCheckpoint()
    private let options: ProcessorOptions
    private let logger: Logger
    private let producer: OutputProducer
    private let configs: ConfigTableReader
    private let restorer: ChangelogRestorer
    private let stopping = Mutex(false)
    private let committed = Mutex<[TopicPartition: Int64]>([:])
    private let ready = Mutex(false)
    private let failure = Mutex<String?>(nil)
    private let recordsCounter = Counter(label: "governor_records_total")
    private let commitTimer = Timer(label: "governor_commit_seconds")
    private let restoreTimer = Timer(label: "governor_restore_seconds")
    private let commitFailures = Counter(label: "governor_commit_failures_total")
    private let assignedPartitions = Gauge(label: "governor_assigned_partitions")
    private let rebalances = Counter(label: "governor_rebalances_total")

    public init(options: ProcessorOptions, logger: Logger) throws {
        self.options = options
        self.logger = logger
        producer = try OutputProducer.make(options, logger: logger)
        configs = try ConfigTableReader(config: options.kafka, logger: logger)
        restorer = ChangelogRestorer(config: options.kafka, changelogTopic: options.changelogTopic, namespace: options.group,
                                     inputTopics: ProcessorOptions.inputTopics, settings: options.engine, logger: logger)
    }

    /// The next offset committed per input partition (for progress and tests).
    public var progress: [TopicPartition: Int64] { committed.withLock { $0 } }
    /// True once the config table is loaded, the group assigned this member its
    /// partitions and every one of them is restored; false again during a rebalance.
    public var isReady: Bool { ready.withLock { $0 } }

    /// Asks `run()` to commit, leave the group and return.
    public func stop() { stopping.withLock { $0 = true } }

    /// Processes until `stop()`; throws when the processor cannot go on (a restore
    /// that finds the changelog incomplete, a fatal Kafka error).
    public func run() throws {
        configs.start()
        defer { configs.stop() }
        guard configs.waitUntilCaughtUp(timeout: .seconds(120)) else {
            throw CheckpointError("workspace-config was not read to its end within 120 s")
        }
        logger.info("workspace-config loaded: \(configs.current.workspaceCount) workspaces")
        var settings = ConsumerSettings(groupID: options.group)
        settings.sessionTimeoutMs = options.sessionTimeoutMs
        settings.heartbeatIntervalMs = options.heartbeatIntervalMs
        let consumer = try KafkaConsumer(config: options.kafka, settings: settings, logger: logger) { [unowned self] event in
            self.rebalanced(event)
        }
        self.consumer = consumer
        try consumer.subscribe(ProcessorOptions.inputTopics)
        var lastCommit = ContinuousClock.now
        var report = ProgressReport()
        while !stopping.withLock({ $0 }) {
            if let message = failure.withLock({ $0 }) { throw CheckpointError(message) }
            let messages = try consumer.poll(maxMessages: options.maxPollMessages, timeout: .milliseconds(50))
            if !messages.isEmpty {
                let table = configs.current
                for message in messages { tasks[message.partition]?.process(message, configs: table) }
                recordsCounter.increment(by: messages.count)
                report.records += messages.count
            }
            if let line = report.lineIfDue(partitions: tasks.count) { logger.info("\(line)") }
            if ContinuousClock.now - lastCommit >= options.commitInterval {
                commitOrRecover()
                lastCommit = ContinuousClock.now
            }
        }
        commitOrRecover()
        try consumer.close()
        self.consumer = nil
        logger.info("processor stopped")
    }

    // MARK: Rebalances

    private func rebalanced(_ event: RebalanceEvent) -> [TopicPartitionOffset] {
        let numbers = Set(event.partitions.map(\.partition)).sorted()
        rebalances.increment()
        defer { assignedPartitions.record(tasks.count) }
        switch event.kind {
        case .assigned:
            ready.withLock { $0 = false }
            for p in numbers where tasks[p] == nil {
                do {
                    let restored = try restorer.restore(partition: p)
                    guard configs.waitUntilRead(restored.task.requiredConfigs, timeout: .seconds(120)) else {
                        throw CheckpointError("workspace-config not read up to \(restored.task.requiredConfigs), the position partition \(p)'s unfinished attempts saw, within 120 s")
                    }
                    tasks[p] = restored.task
                    restoreTimer.recordSeconds(restored.seconds)
                    logger.info("restored partition \(p) from \(restored.records) changelog records in \(Int(restored.seconds * 1000)) ms; resuming at \(restored.task.nextOffsets)")
                } catch {
                    logger.critical("cannot restore partition \(p): \(error)")
                    failure.withLock { $0 = "cannot restore partition \(p): \(error)" }
                }
            }
            ready.withLock { $0 = failure.withLock { $0 } == nil }
            return event.partitions.compactMap { tp in
                tasks[tp.partition].map { TopicPartitionOffset(tp, offset: $0.nextOffsets[tp.topic] ?? KafkaOffset.beginning) }
            }
        case .revoked:
            ready.withLock { $0 = false }
            commitOrRecover()
            for p in numbers { tasks[p] = nil }
            logger.info("revoked partitions \(numbers)")
            return []
        case .lost:
            for p in numbers { tasks[p] = nil }
            logger.warning("lost partitions \(numbers) without a commit")
            return []
        }
    }

    // MARK: Commits

    /// Commits; on failure aborts and rebuilds every task from its changelog, so the
    /// state never runs ahead of what was committed.
    private func commitOrRecover() {
        let started = ContinuousClock.now
        do {
            if try commit() { commitTimer.recordSeconds((ContinuousClock.now - started).seconds) }
        } catch {
            commitFailures.increment()
            logger.error("commit failed, rebuilding tasks from the changelog: \(error)")
            producer.abort()
            rebuildTasks()
        }
    }

    /// Returns false when there was nothing to commit.
    private func commit() throws -> Bool {
        let active = tasks.keys.filter { tasks[$0]!.dirty }.sorted()
        guard !active.isEmpty, let consumer else { return false }
        try producer.begin()
        // Each attempt first records the dlq_at its records got, acknowledged before any
        // of its outputs can exist, so a crash leaves it for the next instance to reuse.
        for p in active {
            let task = tasks[p]!
            try sendChangelog(task.attemptBegin(defaultClock: options.engine.wallClock()), partition: p)
        }
        try producer.flush()
        var markers: [(Int32, ChangelogRecord)] = []
        var offsets: [TopicPartitionOffset] = []
        var requests: [OutputRecord] = []
        for p in active {
            var task = tasks[p]!
            for record in task.outputs {
                if record.topic == Topic.notificationRequests {
                    requests.append(record)
                } else {
                    try send(record)
                }
            }
            let attempt = task.nextAttempt
            let snapshot = task.bytesSinceSnapshot >= options.snapshotEveryBytes
            let entries = task.takeRewrites() + (snapshot
                ? try checkpoint.snapshot(engine: &task.engine, org: &task.org)
                : try checkpoint.drainChanges(engine: &task.engine, org: &task.org))
            var bytes = 0
            if snapshot { try sendChangelog(.snapshotBegin(attempt: attempt), partition: p) }
            for entry in entries {
                bytes += try sendChangelog(.entry(attempt: attempt, key: entry.key, value: entry.value), partition: p)
            }
            markers.append((p, .commit(CommitMarker(attempt: attempt, snapshot: snapshot, offsets: task.nextOffsets,
                                                    discarded: task.discarded, entries: entries.count))))
            for topic in ProcessorOptions.inputTopics {
                offsets.append(TopicPartitionOffset(topic, p, offset: task.nextOffsets[topic] ?? 0))
            }
            task.outputs.removeAll(keepingCapacity: true)
            reportVerdicts(&task.verdicts)
            task.nextAttempt += 1
            task.discarded = []
            task.bytesSinceSnapshot = snapshot ? 0 : task.bytesSinceSnapshot + bytes
            task.dirty = false
            task.committed()
            tasks[p] = task
        }
        // Requests of all partitions in stream-time order, so the org stage sees the
        // requests of one interval in the order they happened.
        for record in requests.enumerated().sorted(by: { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }) {
            try send(record.element)
        }
        // Every output and entry is acknowledged before a marker can make them count.
        try producer.flush()
        for (p, marker) in markers { try sendChangelog(marker, partition: p) }
        try producer.commit(offsets: offsets, consumer: consumer)
        committed.withLock { table in
            for offset in offsets { table[offset.topicPartition] = offset.offset }
        }
        return true
    }

    /// Verdicts by verdict and reason as `governor_verdicts_total`.
    private func reportVerdicts(_ verdicts: inout [String: Int]) {
        for (key, count) in verdicts {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            Counter(label: "governor_verdicts_total",
                    dimensions: [("verdict", parts[0]), ("reason", parts.count > 1 ? parts[1] : "none")])
                .increment(by: count)
        }
        verdicts.removeAll(keepingCapacity: true)
    }

    private func send(_ record: OutputRecord) throws(KafkaError) {
        try producer.send(ProducerRecord(
            topic: record.topic, key: record.key, value: record.value,
            headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) }, timestampMs: record.timestamp))
    }

    @discardableResult
    private func sendChangelog(_ record: ChangelogRecord, partition: Int32) throws(KafkaError) -> Int {
        let encoded = ChangelogCodec.encode(record, namespace: options.group)
        try producer.send(ProducerRecord(
            topic: options.changelogTopic, partition: partition, key: encoded.key, value: encoded.value,
            headers: encoded.headers.map { KafkaHeader(name: $0.name, value: $0.value) }))
        return encoded.key.count + (encoded.value?.count ?? 0)
    }

    /// Restores every task from its changelog and seeks its inputs back to the
    /// checkpointed offsets: the uncommitted work is done again, identically.
    private func rebuildTasks() {
        guard let consumer else { return }
        for p in tasks.keys.sorted() {
            do {
                let restored = try restorer.restore(partition: p)
                tasks[p] = restored.task
                try consumer.seek(ProcessorOptions.inputTopics.map {
                    TopicPartitionOffset($0, p, offset: restored.task.nextOffsets[$0] ?? KafkaOffset.beginning)
                })
            } catch {
                failure.withLock { $0 = "cannot rebuild partition \(p) after a failed commit: \(error)" }
            }
        }
    }
}
