import Foundation
import Kafka
import Logging
import Synchronization

/// Reads topics from their beginning while they are being written, on a thread of
/// its own, so a broker with little retention (the mock keeps 5 MiB per partition)
/// does not drop records before they are read (`governor demo`).
public final class OutputCollector: Sendable {
    private let consumer: KafkaConsumer
    private let records = Mutex<[String: [Int32: [KafkaMessage]]]>([:])
    private let stopping = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled after every batch read, so `finish` waits instead of polling.
    private let arrived = DispatchSemaphore(value: 0)
    private let logger: Logger

    public init(config: KafkaConfig, topics: [String], logger: Logger) throws(KafkaError) {
        var settings = ConsumerSettings(groupID: nil)
        settings.readCommitted = true
        consumer = try KafkaConsumer(config: config, settings: settings, logger: logger)
        self.logger = logger
        var assignment: [TopicPartitionOffset] = []
        for topic in topics {
            for p in 0..<Int32(try consumer.partitionCount(of: topic)) {
                assignment.append(TopicPartitionOffset(topic, p, offset: KafkaOffset.beginning))
            }
        }
        try consumer.assign(assignment)
        NamedThread.start("output-collector") { [self] in
            run()
            finished.signal()
        }
    }

    /// Waits until every partition of `ends` (topic → partition → end offset) has
    /// been read up to its end, then stops; returns the records per topic in
    /// partition, then offset order.
    public func finish(at ends: [String: [Int32: Int64]], timeout: Duration) throws -> [String: [KafkaMessage]] {
        let deadline = ContinuousClock.now + timeout
        while !reached(ends) {
            guard ContinuousClock.now < deadline else { throw KafkaError.timedOut("reading the output topics to their end") }
            _ = arrived.wait(timeout: .now() + .milliseconds(100))
        }
        stopping.withLock { $0 = true }
        finished.wait()
        try? consumer.close()
        return records.withLock { all in
            all.mapValues { partitions in partitions.keys.sorted().flatMap { partitions[$0]! } }
        }
    }

    private func reached(_ ends: [String: [Int32: Int64]]) -> Bool {
        records.withLock { all in
            ends.allSatisfy { topic, partitions in
                partitions.allSatisfy { p, end in end == 0 || (all[topic]?[p]?.last?.offset ?? -1) >= end - 1 }
            }
        }
    }

    private func run() {
        while !stopping.withLock({ $0 }) {
            do {
                let batch = try consumer.poll(maxMessages: 5_000, timeout: .milliseconds(50))
                guard !batch.isEmpty else { continue }
                records.withLock { all in
                    for message in batch { all[message.topic, default: [:]][message.partition, default: []].append(message) }
                }
                arrived.signal()
            } catch {
                logger.warning("output collector: \(error)")
            }
        }
    }
}
