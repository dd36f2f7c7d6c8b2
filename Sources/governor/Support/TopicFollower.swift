import Dispatch
import Foundation
import Kafka
import Logging
import Synchronization

/// Reads every partition of a topic from the beginning and keeps following it on its
/// own thread, handing each batch to `apply`: the way a command keeps a topic as a
/// table (latest value per key). `caughtUp` turns true once everything that was in the
/// topic when the follower started has been applied.
final class TopicFollower: Sendable {
    private let consumer: KafkaConsumer
    private let topic: String
    private let endOffsets: [Int32: Int64]
    private let apply: @Sendable ([KafkaMessage]) -> Void
    private let logger: Logger
    private let state = Mutex(State())
    /// Signalled once by the follower thread when it ends.
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var caughtUp = false
        var stopping = false
        var started = false
    }

    init(config: KafkaConfig, topic: String, logger: Logger, apply: @escaping @Sendable ([KafkaMessage]) -> Void) throws(KafkaError) {
        consumer = try KafkaConsumer(
            config: config, settings: ConsumerSettings(groupID: nil, privateGroupPrefix: "governor-reader"), logger: logger)
        self.topic = topic
        self.apply = apply
        self.logger = logger
        var ends: [Int32: Int64] = [:]
        var assignment: [TopicPartitionOffset] = []
        for partition in 0..<Int32(try consumer.partitionCount(of: topic)) {
            let (low, high) = try consumer.queryWatermarkOffsets(topic: topic, partition: partition)
            if high > low { ends[partition] = high }
            assignment.append(TopicPartitionOffset(topic, partition, offset: KafkaOffset.beginning))
        }
        endOffsets = ends
        try consumer.assign(assignment)
        state.withLock { $0.caughtUp = ends.isEmpty }
    }

    var caughtUp: Bool { state.withLock { $0.caughtUp } }

    func start() {
        state.withLock { $0.started = true }
        NamedThread.start("follow-\(topic)") { [self] in
            follow()
            finished.signal()
        }
    }

    /// Stops following and closes the consumer.
    func stop() {
        let started = state.withLock { state in
            state.stopping = true
            return state.started
        }
        if started { finished.wait() }
        try? consumer.close()
    }

    private func follow() {
        var reached: [Int32: Int64] = [:]
        while !state.withLock({ $0.stopping }) {
            let batch: [KafkaMessage]
            do {
                batch = try consumer.poll(maxMessages: 1_000, timeout: .milliseconds(100))
            } catch {
                logger.warning("reading \(topic): \(error)")
                continue
            }
            if !batch.isEmpty { apply(batch) }
            for message in batch { reached[message.partition] = message.offset + 1 }
            // By position too: the processor writes its hints in transactions, and a
            // partition's last offset is then a commit marker no record reaches.
            if !caughtUp, (try? consumer.hasRead(topic, upTo: endOffsets, reached: reached)) == true {
                state.withLock { $0.caughtUp = true }
                logger.info("\(topic): caught up")
            }
        }
    }
}
