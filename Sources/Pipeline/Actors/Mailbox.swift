import Kafka
import Synchronization

/// The queue of record batches from the poll thread to one `PartitionActor`, in
/// offset order. Bounded by flow control rather than by dropping: when `isFull`,
/// the poll thread pauses the partition (librdkafka stops fetching it and keeps
/// its position) and resumes it once the actor has drained it to `canResume`.
final class Mailbox: Sendable {
    let batches: AsyncStream<[KafkaMessage]>
    private let continuation: AsyncStream<[KafkaMessage]>.Continuation
    private let depth = Atomic(0)
    private let discarding = Atomic(false)
    /// Batches that may wait before the partition is paused.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        (batches, continuation) = AsyncStream.makeStream(of: [KafkaMessage].self, bufferingPolicy: .unbounded)
    }

    /// Batches waiting for the actor.
    var count: Int { depth.load(ordering: .relaxed) }
    var isFull: Bool { count >= capacity }
    /// Drained far enough to fetch again (hysteresis, so a partition does not flap).
    var canResume: Bool { count <= capacity / 2 }
    /// True once `discard()` was called: the actor stops without governing what is left.
    var isDiscarded: Bool { discarding.load(ordering: .acquiring) }

    /// Called by the poll thread.
    func post(_ batch: [KafkaMessage]) {
        depth.add(1, ordering: .relaxed)
        continuation.yield(batch)
    }

    /// Called by the actor for every batch it takes.
    func took() { depth.subtract(1, ordering: .relaxed) }

    /// No more batches: the actor governs what is queued, then its loop ends.
    func close() { continuation.finish() }

    /// No more batches, and those queued are dropped (their work is redone elsewhere).
    func discard() {
        discarding.store(true, ordering: .releasing)
        continuation.finish()
    }
}
