import CRdKafka
import Dispatch
import Synchronization

/// A record that could not be delivered.
public struct DeliveryFailure: Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public var key: [UInt8]?
    public var error: KafkaError

    public var description: String { "\(topic)[\(partition)]: \(error)" }
}

/// What the delivery reports said since the producer started (or since the last
/// `KafkaProducer.takeDeliverySummary()`).
public struct DeliverySummary: Sendable {
    /// Records acknowledged by the cluster, per topic.
    public var delivered: [String: Int] = [:]
    /// Records that failed, per topic.
    public var failed: [String: Int] = [:]
    /// The first failures, at most `DeliverySummary.keptFailures` of them.
    public var failures: [DeliveryFailure] = []

    /// How many failures are kept with their details.
    public static let keptFailures = 100

    public var deliveredCount: Int { delivered.values.reduce(0, +) }
    public var failedCount: Int { failed.values.reduce(0, +) }

    /// Throws the first failure, with the number of failures, when anything failed.
    public func throwIfFailed() throws(KafkaError) {
        guard let first = failures.first else { return }
        throw KafkaError(
            code: first.error.code,
            message: "\(failedCount) record(s) not delivered; first: \(first)",
            isRetriable: first.error.isRetriable, isFatal: first.error.isFatal,
            txnRequiresAbort: first.error.txnRequiresAbort)
    }

    mutating func record(_ topic: String, failure: DeliveryFailure?) {
        if let failure {
            failed[topic, default: 0] += 1
            if failures.count < Self.keptFailures { failures.append(failure) }
        } else {
            delivered[topic, default: 0] += 1
        }
    }
}

/// Collects delivery reports (run by librdkafka's dr_msg_cb on whichever thread
/// polls the producer) and completes the awaited sends.
///
/// It also counts the reports, so that a flush can wait for a count instead of
/// calling `rd_kafka_flush`, which serves the reports itself in `rd_kafka_poll(10)`
/// slices: with the producer's own poll thread taking the reports, every flush
/// slept out a 10 ms slice after the last report (measured: the commit's
/// `attempt_begin` flush of a dozen records took 10 ms on the local mock cluster).
final class DeliveryTracker: Sendable {
    private struct State {
        var summary = DeliverySummary()
        /// Reports since the producer started.
        var reported = 0
        /// Flushes waiting for `reported` to reach their count.
        var waiters: [(count: Int, semaphore: DispatchSemaphore)] = []
    }

    private let state = Mutex(State())

    func take() -> DeliverySummary {
        state.withLock { current in
            defer { current.summary = DeliverySummary() }
            return current.summary
        }
    }

    func peek() -> DeliverySummary { state.withLock { $0.summary } }

    /// Waits until `count` reports have arrived since the producer started; false
    /// when `timeout` passed first.
    func wait(untilReported count: Int, timeout: Duration) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        let reached = state.withLock { state in
            if state.reported >= count { return true }
            state.waiters.append((count, semaphore))
            return false
        }
        if reached { return true }
        if semaphore.wait(timeout: .now() + .milliseconds(Int(timeout.milliseconds))) == .success { return true }
        return state.withLock { state in
            state.waiters.removeAll { $0.semaphore === semaphore }
            return state.reported >= count
        }
    }

    fileprivate func report(_ message: UnsafePointer<rd_kafka_message_t>) {
        let m = message.pointee
        let topic = String(cString: rd_kafka_topic_name(m.rkt))
        var failure: DeliveryFailure?
        if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
            failure = DeliveryFailure(
                topic: topic, partition: m.partition, key: key,
                error: KafkaError(m.err, "delivery to \(topic) failed"))
        }
        state.withLock { state in
            state.summary.record(topic, failure: failure)
            state.reported += 1
            if !state.waiters.isEmpty {
                let reported = state.reported
                for waiter in state.waiters where waiter.count <= reported { waiter.semaphore.signal() }
                state.waiters.removeAll { $0.count <= reported }
            }
        }
        if let opaque = m._private {
            let promise = Unmanaged<DeliveryPromise>.fromOpaque(opaque).takeRetainedValue()
            if let failure {
                promise.continuation.resume(returning: .failure(failure.error))
            } else {
                promise.continuation.resume(returning: .success(TopicPartitionOffset(topic, m.partition, offset: m.offset)))
            }
        }
    }
}

/// An awaited send: librdkafka holds a +1 reference as the message opaque until
/// the delivery report takes it back.
final class DeliveryPromise: Sendable {
    let continuation: CheckedContinuation<Result<TopicPartitionOffset, KafkaError>, Never>

    init(_ continuation: CheckedContinuation<Result<TopicPartitionOffset, KafkaError>, Never>) {
        self.continuation = continuation
    }
}

/// The dr_msg_cb registered on every producer.
func deliveryReportCallback(
    _ rk: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let message, let opaque else { return }
    Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue().delivery?.report(message)
}
