import Foundation
import Governance
import Kafka
import Logging
import Synchronization

/// Reads `workspace-config` in full, every partition from the beginning, into a
/// `PositionedConfigTable` shared with the processing thread (SPEC §3: "read in
/// full by every instance"). Runs on its own thread until `stop()`.
public final class ConfigTableReader: Sendable {
    private let consumer: KafkaConsumer
    private let table = Mutex(PositionedConfigTable())
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
    private let rejected = Mutex(0)

    /// Assigns every partition of the topic from the beginning; the reader is caught
    /// up once it has read up to the end offsets seen now.
    public init(config: KafkaConfig, topic: String = Topic.workspaceConfig, logger: Logger) throws(KafkaError) {
        var settings = ConsumerSettings(groupID: nil)
        settings.readCommitted = true
        consumer = try KafkaConsumer(config: config, settings: settings, logger: logger)
        self.logger = logger
        let partitions = try consumer.partitionCount(of: topic)
        var ends: [Int32: Int64] = [:]
        var assignment: [TopicPartitionOffset] = []
        for p in 0..<Int32(partitions) {
            let (low, high) = try consumer.queryWatermarkOffsets(topic: topic, partition: p)
            if high > low { ends[p] = high }
            assignment.append(TopicPartitionOffset(topic, p, offset: KafkaOffset.beginning))
        }
        endOffsets = ends
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

    public func start() {
        started.withLock { $0 = true }
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "workspace-config-reader"
        thread.start()
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

    private func run() {
        var reached: [Int32: Int64] = [:]
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
            if !caughtUp.withLock({ $0 }), endOffsets.allSatisfy({ reached[$0.key, default: 0] >= $0.value }) {
                caughtUp.withLock { $0 = true }
                caughtUpSignal.signal()
            }
        }
    }
}
