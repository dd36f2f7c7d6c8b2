import Foundation
import Governance
import Kafka
import Logging
import Metrics
import Synchronization

/// Reads `workspace-config` in full, every partition from the beginning, into a
/// `PositionedConfigTable` shared with the processing thread (SPEC §3: "read in
/// full by every instance"). Runs on its own thread until `stop()`. Prunes the
/// table in batches by what this instance's tasks report to `use`
/// (docs/GOVERNANCE.md §5 "Bounded memory").
public final class ConfigTableReader: Sendable {
    private let consumer: KafkaConsumer
    private let table: Mutex<PositionedConfigTable>
    /// What the partition tasks of this instance applied and are pinned to.
    public let use = ConfigUseRegistry()
    private let config: KafkaConfig
    private let topic: String
    /// Signalled after every batch read, for `waitUntilRead(_:timeout:)`.
    private let progress = NSCondition()
    private let caughtUp = Mutex(false)
    private let stopping = Mutex(false)
    private let logger: Logger
    private let started = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled once caught up (and passed on by every waiter).
    private let caughtUpSignal = DispatchSemaphore(value: 0)
    private let endOffsets: [Int32: Int64]
    private let partitions: [TopicPartition]
    private let emptyAtStart: [Int32: Int64]
    private let probeInterval: Duration
    private let rejected = Mutex(0)
    private let pausedCount = Mutex(0)

    /// Assigns every partition of the topic from the beginning; the reader is caught
    /// up once it has read up to the end offsets seen now. A partition read to its
    /// end stops fetching until an end-offset probe, every `probeInterval` of quiet,
    /// finds it grew (`ConfigFetchPacing`).
    public init(config: KafkaConfig, topic: String = Topic.workspaceConfig,
                maxVersionsPerWorkspace: Int = 1_000, probeInterval: Duration = .milliseconds(100),
                logger: Logger) throws(KafkaError) {
        table = Mutex(PositionedConfigTable(maxVersionsPerWorkspace: maxVersionsPerWorkspace))
        self.config = config
        self.topic = topic
        var settings = ConsumerSettings(groupID: nil)
        settings.readCommitted = true
        consumer = try KafkaConsumer(config: config, settings: settings, logger: logger)
        self.logger = logger
        let partitions = try consumer.partitionCount(of: topic)
        var ends: [Int32: Int64] = [:]
        var empty: [Int32: Int64] = [:]
        var assignment: [TopicPartitionOffset] = []
        for p in 0..<Int32(partitions) {
            let (low, high) = try consumer.queryWatermarkOffsets(topic: topic, partition: p)
            if high > low { ends[p] = high } else { empty[p] = high }
            assignment.append(TopicPartitionOffset(topic, p, offset: KafkaOffset.beginning))
        }
        endOffsets = ends
        emptyAtStart = empty
        self.partitions = assignment.map(\.topicPartition)
        self.probeInterval = probeInterval
        try consumer.assign(assignment)
        if ends.isEmpty {
            caughtUp.withLock { $0 = true }
            caughtUpSignal.signal()
        }
    }

    /// The table as of now (a value: later reads do not change it).
    public var current: PositionedConfigTable { table.withLock { $0 } }
    /// Configs read and ignored because they were invalid.
    public var rejectedCount: Int { rejected.withLock { $0 } }
    /// Partitions read to their end and not fetched until a probe finds them grown
    /// (`governor_config_partitions_paused`).
    public var pausedPartitionCount: Int { pausedCount.withLock { $0 } }

    public func start() {
        started.withLock { $0 = true }
        NamedThread.start("config-reader") { [self] in
            run()
            finished.signal()
        }
    }

    /// Waits until everything that was in the topic at start has been read.
    public func waitUntilCaughtUp(timeout: Duration) -> Bool {
        guard caughtUpSignal.wait(timeout: .now() + .milliseconds(Int(timeout.seconds * 1000))) == .success else {
            return caughtUp.withLock { $0 }
        }
        caughtUpSignal.signal()
        return true
    }

    /// Waits until the table holds everything up to `position` (a position an
    /// earlier attempt, maybe of another instance, governed with). False on timeout.
    public func waitUntilRead(_ position: ConfigPosition, timeout: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Double(timeout.components.seconds))
        progress.lock()
        defer { progress.unlock() }
        while !current.covers(position) {
            guard progress.wait(until: deadline) else { return current.covers(position) }
        }
        return true
    }

    public func stop() {
        stopping.withLock { $0 = true }
        if started.withLock({ $0 }) {
            finished.wait()
        }
        try? consumer.close()
    }

    /// Reads the topic again from the start up to the table's position and adds
    /// back the versions the table dropped that a restored task may need
    /// (`PositionedConfigTable.needsReread`); the next prune drops them again once
    /// the task reported what it applied.
    public func reread(timeout: Duration) throws {
        let target = current.position
        let full = try Self.read(topic: topic, config: config, upTo: target, timeout: timeout, logger: logger)
        table.withLock { $0.merge(full) }
        logger.info("workspace-config read again up to \(target): \(full.versionCount) versions")
    }

    /// The versions of `topic` up to `position` (or the partition's end, if
    /// compaction left less), unbounded.
    static func read(topic: String, config: KafkaConfig, upTo position: ConfigPosition, timeout: Duration,
                     logger: Logger) throws -> PositionedConfigTable {
        var settings = ConsumerSettings(groupID: nil)
        settings.readCommitted = true
        let consumer = try KafkaConsumer(config: config, settings: settings, logger: logger)
        defer { try? consumer.close() }
        var target: [Int32: Int64] = [:]
        for (partition, next) in position where next > 0 {
            let (_, high) = try consumer.queryWatermarkOffsets(topic: topic, partition: partition)
            if min(next, high) > 0 { target[partition] = min(next, high) }
        }
        var full = PositionedConfigTable(maxVersionsPerWorkspace: .max)
        guard !target.isEmpty else { return full }
        try consumer.assign(target.keys.map { TopicPartitionOffset(topic, $0, offset: KafkaOffset.beginning) })
        let deadline = ContinuousClock.now + timeout
        var reached: [Int32: Int64] = [:]
        while !target.allSatisfy({ reached[$0.key, default: 0] >= $0.value }) {
            guard ContinuousClock.now < deadline else {
                throw CheckpointError("workspace-config not read again up to \(target) within \(timeout)")
            }
            for message in try consumer.poll(maxMessages: 1_000, timeout: .milliseconds(100)) {
                reached[message.partition] = max(reached[message.partition] ?? 0, message.offset + 1)
                guard message.offset < target[message.partition] ?? 0, let value = message.value,
                      case .success(let parsed) = WorkspaceConfig.parse(value, key: message.keyString) else { continue }
                full.add(ConfigVersion(sequence: message.offset, timestamp: message.timestampMs, config: parsed),
                         partition: message.partition)
            }
        }
        for (partition, next) in target { full.advance(partition: partition, to: next) }
        return full
    }

    private func run() {
        var reached: [Int32: Int64] = [:]
        var pruning = PruneSchedule()
        var metrics = ConfigTableMetrics()
        var pacing = ConfigFetchPacing(probeInterval: probeInterval, emptyAtStart: emptyAtStart)
        while !stopping.withLock({ $0 }) {
            let batch: [KafkaMessage]
            do {
                batch = try consumer.poll(maxMessages: 1_000, timeout: .milliseconds(100))
            } catch {
                logger.warning("workspace-config reader: \(error)")
                continue
            }
            var versions: [(Int32, ConfigVersion)] = []
            for message in batch {
                reached[message.partition] = message.offset + 1
                guard let value = message.value else {
                    logger.warning("workspace-config: tombstone for \(message.keyString ?? "?") ignored; the previous config stays")
                    continue
                }
                switch WorkspaceConfig.parse(value, key: message.keyString) {
                case .success(let config):
                    versions.append((message.partition,
                                     ConfigVersion(sequence: message.offset, timestamp: message.timestampMs, config: config)))
                case .failure(let error):
                    rejected.withLock { $0 += 1 }
                    logger.warning("workspace-config: config at \(message.partition)@\(message.offset) ignored: \(error)")
                }
            }
            if !batch.isEmpty {
                // Versions and position move together: a view limited to a position
                // holds exactly the versions read before it.
                table.withLock { table in
                    for (partition, version) in versions { table.add(version, partition: partition) }
                    for (partition, next) in reached { table.advance(partition: partition, to: next) }
                }
                progress.lock()
                progress.broadcast()
                progress.unlock()
            }
            if pruning.due(versions: table.withLock { $0.versionCount }, useChanged: use.generation) {
                let combined = use.combined
                let (dropped, held) = table.withLock { table in (table.prune(combined), table.versionCount) }
                pruning.pruned(leaving: held)
                if dropped > 0 { logger.debug("workspace-config: pruned \(dropped) versions, \(held) held") }
            }
            if pacing.probeDue(afterEmptyPoll: batch.isEmpty, now: .now) {
                pace(&pacing, reached: reached)
                pausedCount.withLock { $0 = pacing.paused.count }
            }
            metrics.report(current, pausedPartitions: pacing.paused.count)
            if !caughtUp.withLock({ $0 }), (try? consumer.hasRead(topic, upTo: endOffsets, reached: reached)) == true {
                caughtUp.withLock { $0 = true }
                caughtUpSignal.signal()
            }
        }
    }
}

extension ConfigTableReader {
    /// Pauses the partitions read to their end and resumes those that grew. A failed
    /// probe resumes everything: fetching is always correct, pausing only cheaper.
    private func pace(_ pacing: inout ConfigFetchPacing, reached: [Int32: Int64]) {
        do {
            let positions = try consumer.position(partitions)
            let ends = try consumer.offsets(forTimestampMs: KafkaOffset.end, partitions: partitions,
                                            timeout: .seconds(5))
            let change = pacing.decide(positions: Self.byPartition(positions), reached: reached,
                                       ends: Self.byPartition(ends))
            if !change.pause.isEmpty { try consumer.pause(change.pause.map { TopicPartition(topic, $0) }) }
            if !change.resume.isEmpty { try consumer.resume(change.resume.map { TopicPartition(topic, $0) }) }
        } catch {
            logger.debug("workspace-config: end-offset probe failed, fetching every partition: \(error)")
            let paused = pacing.resumeAll()
            if !paused.isEmpty { try? consumer.resume(paused.map { TopicPartition(topic, $0) }) }
        }
    }

    private static func byPartition(_ offsets: [TopicPartitionOffset]) -> [Int32: Int64] {
        Dictionary(offsets.map { ($0.partition, $0.offset) }, uniquingKeysWith: max)
    }
}

/// When the reader prunes: once the table doubled (at least 4,096 versions more)
/// since the last prune, so pruning costs amortised O(1) per version read, or every
/// 50 polls (about 5 s) when tasks reported new use and the table did not grow.
struct PruneSchedule {
    private var nextAt = 4_096
    private var polls = 0
    private var seenGeneration = 0

    mutating func due(versions: Int, useChanged generation: Int) -> Bool {
        polls += 1
        if versions >= nextAt { return record(generation) }
        if polls >= 50, generation != seenGeneration { return record(generation) }
        return false
    }

    private mutating func record(_ generation: Int) -> Bool {
        seenGeneration = generation
        polls = 0
        return true
    }

    mutating func pruned(leaving held: Int) {
        nextAt = held + max(held, 4_096)
    }
}
