import Foundation
import Kafka
import Logging
import Synchronization

/// Runs a `Processor` in a task of its own and waits for it to catch up with its
/// inputs (`governor demo`, tests). The waits block the calling thread on the
/// processor's progress board: call them from a thread, not from async code.
public final class ProcessorRunner: Sendable {
    public let processor: Processor
    private let outcome = Locked<Result<Void, any Error>?>(nil)

    public init(processor: Processor) {
        self.processor = processor
        Task { [outcome, processor] in
            let result: Result<Void, any Error>
            do {
                try await processor.run()
                result = .success(())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            processor.board.poke()
        }
    }

    /// Waits until the processor is ready (restored its partitions); false on timeout.
    public func waitUntilReady(timeout: Duration) throws -> Bool {
        let ready = processor.board.wait(until: ContinuousClock.now + timeout) { [outcome] _, ready in
            ready || outcome.withLock { $0 } != nil
        }
        if case .failure(let error)? = outcome.withLock({ $0 }) { throw error }
        return ready
    }

    /// Waits until the committed progress changes or `timeout` passes (`governor demo`).
    public func waitForCommit(timeout: Duration) {
        let before = processor.progress
        _ = processor.board.wait(until: ContinuousClock.now + timeout) { [outcome] offsets, _ in
            offsets != before || outcome.withLock { $0 } != nil
        }
    }

    /// Waits until the processor committed every record below `ends` (topic →
    /// partition → end offset); throws if it failed or the time ran out.
    public func waitForProgress(to ends: [String: [Int32: Int64]], timeout: Duration) throws {
        let done = processor.board.wait(until: ContinuousClock.now + timeout) { [outcome] progress, _ in
            outcome.withLock { $0 } != nil || ends.allSatisfy { topic, partitions in
                partitions.allSatisfy { p, end in end == 0 || progress[TopicPartition(topic, p)] ?? 0 >= end }
            }
        }
        if case .failure(let error)? = outcome.withLock({ $0 }) { throw error }
        guard done else { throw KafkaError.timedOut("the processor reaching the end of its inputs") }
    }

    /// Waits until every record in `topics` at the time of asking has been committed,
    /// again and again until no more arrive (the processor feeds
    /// `notification-requests` itself): done when two readings of the end offsets,
    /// the second after a commit interval at least, agree.
    public func waitUntilDrained(_ topics: [String], reader: TopicReader, timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        var previous: [String: [Int32: Int64]] = [:]
        while true {
            let ends = try reader.endOffsets(topics)
            try waitForProgress(to: ends, timeout: max(.seconds(1), deadline - ContinuousClock.now))
            if ends == previous { return }
            previous = ends
            // Let the commit that wrote the last requests be followed by one more.
            waitForCommit(timeout: .milliseconds(300))
        }
    }

    /// Stops the processor and waits for it to commit and leave the group.
    public func stop(timeout: Duration = .seconds(60)) throws {
        processor.stop()
        _ = processor.board.wait(until: ContinuousClock.now + timeout) { [outcome] _, _ in outcome.withLock { $0 } != nil }
        guard let result = outcome.withLock({ $0 }) else { throw KafkaError.timedOut("the processor stopping") }
        try result.get()
    }
}
