import Synchronization

/// What the poll loop hands to async code, in the order it happened.
public enum ConsumerEvent: Sendable {
    case messages([KafkaMessage])
    case rebalance(RebalanceEvent)
    /// An error `poll` threw; a fatal one ends the loop.
    case error(KafkaError)
}

/// Polls a consumer on its own thread and hands batches to async code through
/// a bounded buffer: while `maxBufferedBatches` batches wait to be read, the
/// loop pauses the assigned partitions (those the application did not pause
/// itself) and keeps polling, so rebalances and heartbeats are still served;
/// it resumes them once the reader caught up. The cooperative pool never blocks.
///
/// - Important: iterate it once, from one task, and call `stop()` before closing
///   the consumer: the thread runs until then. The sequence ends after the
///   events buffered when it stopped.
public final class ConsumerPollLoop: AsyncSequence, Sendable {
    public typealias Element = ConsumerEvent

    private struct State {
        var buffer: [ConsumerEvent] = []
        var bufferedBatches = 0
        var waiter: CheckedContinuation<ConsumerEvent?, Never>?
        var finished = false
    }

    private let consumer: KafkaConsumer
    private let state = Mutex(State())
    private let maxBufferedBatches: Int
    private let flowPaused = Mutex<[TopicPartition]>([])
    private let thread = Mutex<PollThread?>(nil)

    init(consumer: KafkaConsumer, maxMessages: Int, timeout: Duration, maxBufferedBatches: Int) {
        self.consumer = consumer
        self.maxBufferedBatches = Swift.max(1, maxBufferedBatches)
        // The thread holds the loop until `stop()`.
        let pollThread = PollThread(name: "kafka-consumer-poll") { [self] in
            turn(maxMessages: maxMessages, timeout: timeout)
        }
        thread.withLock { $0 = pollThread }
    }

    /// Message batches waiting for the reader.
    var bufferedBatchCount: Int { state.withLock { $0.bufferedBatches } }

    /// Stops polling and waits for the thread; buffered events can still be read.
    public func stop() {
        thread.withLock { $0 }?.stop()
        finish()
    }

    /// One loop turn on the poll thread.
    private func turn(maxMessages: Int, timeout: Duration) {
        applyFlowControl()
        let batch: [KafkaMessage]
        var failure: KafkaError?
        do throws(KafkaError) {
            batch = try consumer.poll(maxMessages: maxMessages, timeout: timeout)
        } catch {
            batch = []
            failure = error
        }
        var events = consumer.takeRebalanceEvents().map(ConsumerEvent.rebalance)
        if !batch.isEmpty { events.append(.messages(batch)) }
        if let failure { events.append(.error(failure)) }
        deliver(events, batches: batch.isEmpty ? 0 : 1)
        if failure?.isFatal == true { finish() }
    }

    private func applyFlowControl() {
        let full = state.withLock { $0.bufferedBatches >= maxBufferedBatches }
        do throws(KafkaError) {
            if full {
                // Re-read the assignment each turn: a rebalance may have added partitions.
                let assigned = try consumer.assignment()
                try consumer.setFlowPaused(assigned, true)
                flowPaused.withLock { $0 = assigned }
            } else if case let paused = flowPaused.withLock({ $0 }), !paused.isEmpty {
                let assigned = Set(try consumer.assignment())
                try consumer.setFlowPaused(paused.filter(assigned.contains), false)
                flowPaused.withLock { $0 = [] }
            }
        } catch {
            deliver([.error(error)], batches: 0)
        }
    }

    private func deliver(_ events: [ConsumerEvent], batches: Int) {
        guard !events.isEmpty else { return }
        let waiter: CheckedContinuation<ConsumerEvent?, Never>? = state.withLock { state in
            state.buffer.append(contentsOf: events)
            state.bufferedBatches += batches
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        if let waiter { waiter.resume(returning: next()) }
    }

    private func finish() {
        let waiter: CheckedContinuation<ConsumerEvent?, Never>? = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.buffer.isEmpty ? state.waiter : nil
        }
        waiter?.resume(returning: nil)
    }

    /// Takes the oldest buffered event, if any.
    private func next() -> ConsumerEvent? {
        state.withLock { Self.pop(&$0) }
    }

    private static func pop(_ state: inout State) -> ConsumerEvent? {
        guard !state.buffer.isEmpty else { return nil }
        let event = state.buffer.removeFirst()
        if case .messages = event { state.bufferedBatches -= 1 }
        return event
    }

    fileprivate func nextOrWait() async -> ConsumerEvent? {
        await withCheckedContinuation { (continuation: CheckedContinuation<ConsumerEvent?, Never>) in
            let ready: ConsumerEvent?? = state.withLock { state in
                if let event = Self.pop(&state) { return .some(event) }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let loop: ConsumerPollLoop
        public mutating func next() async -> ConsumerEvent? { await loop.nextOrWait() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(loop: self) }
}

extension KafkaConsumer {
    /// Starts a thread that polls this consumer and hands the batches to async
    /// code (see `ConsumerPollLoop`). Do not call `poll` yourself meanwhile.
    public func startPollLoop(
        maxMessages: Int = 1_000, timeout: Duration = .milliseconds(100), maxBufferedBatches: Int = 4
    ) -> ConsumerPollLoop {
        ConsumerPollLoop(consumer: self, maxMessages: maxMessages, timeout: timeout, maxBufferedBatches: maxBufferedBatches)
    }
}
