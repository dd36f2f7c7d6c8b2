import Foundation
import Kafka
import Logging
import Synchronization

/// Runs a `Processor` on a thread of its own and waits for it to catch up with
/// its inputs (`governor demo`, tests).
public final class ProcessorRunner: Sendable {
    public let processor: Processor
    private let outcome = Outcome()

    /// How `run()` ended, once it has.
    private final class Outcome: Sendable {
        private let result = Mutex<Result<Void, any Error>?>(nil)
        func withLock<R>(_ body: (inout Result<Void, any Error>?) -> R) -> R { result.withLock { body(&$0) } }
    }

    public init(processor: Processor) {
        self.processor = processor
        let thread = Thread { [outcome, processor] in
            do {
                try processor.run()
                outcome.withLock { $0 = .success(()) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
        }
        thread.name = "governor-processor"
        thread.start()
    }

    /// Waits until the processor committed every record below `ends` (topic →
    /// partition → end offset); throws if it failed or the time ran out.
    public func waitForProgress(to ends: [String: [Int32: Int64]], timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            if case .failure(let error)? = outcome.withLock({ $0 }) { throw error }
            let progress = processor.progress
            let done = ends.allSatisfy { topic, partitions in
                partitions.allSatisfy { p, end in end == 0 || progress[TopicPartition(topic, p)] ?? 0 >= end }
            }
            if done { return }
            guard ContinuousClock.now < deadline else {
                throw KafkaError.timedOut("the processor reaching the end of its inputs")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Waits until every record in `topics` at the time of asking has been committed,
    /// again and again until no more arrive (the processor feeds
    /// `notification-requests` itself).
    public func waitUntilDrained(_ topics: [String], reader: TopicReader, timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        var previous: [String: [Int32: Int64]] = [:]
        while true {
            let ends = try reader.endOffsets(topics)
            try waitForProgress(to: ends, timeout: max(.seconds(1), deadline - ContinuousClock.now))
            if ends == previous { return }
            previous = ends
            Thread.sleep(forTimeInterval: 0.3)
        }
    }

    /// Stops the processor and waits for it to commit and leave the group.
    public func stop(timeout: Duration = .seconds(60)) throws {
        processor.stop()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let result = outcome.withLock({ $0 }) { return try result.get() }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw KafkaError.timedOut("the processor stopping")
    }
}
