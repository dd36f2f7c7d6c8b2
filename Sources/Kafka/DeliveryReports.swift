import CRdKafka
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
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
        /// Failures, and deliveries not yet moved out of `deliveredByTopic`.
        var summary = DeliverySummary()
        /// Deliveries per topic since the last `take()`, found by the topic's C name:
        /// a report of a delivered record then costs a `strcmp` over the few topics
        /// the producer writes, not a `String` and a dictionary lookup (which were
        /// ~40 % of the delivery-report thread's time under the pipeline's load).
        var deliveredByTopic: [(name: ContiguousArray<CChar>, count: Int)] = []
        /// Reports since the producer started.
        var reported = 0
        /// Flushes waiting for `reported` to reach their count.
        var waiters: [(count: Int, semaphore: DispatchSemaphore)] = []

        mutating func countDelivered(_ topic: UnsafePointer<CChar>) {
            for i in deliveredByTopic.indices {
                let same = deliveredByTopic[i].name.withUnsafeBufferPointer { strcmp($0.baseAddress!, topic) == 0 }
                if same {
                    deliveredByTopic[i].count += 1
                    return
                }
            }
            let length = strlen(topic)
            deliveredByTopic.append((ContiguousArray(UnsafeBufferPointer(start: topic, count: length + 1)), 1))
        }

        /// The summary with the counted deliveries in it.
        var merged: DeliverySummary {
            var merged = summary
            for (name, count) in deliveredByTopic {
                let topic = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                merged.delivered[topic, default: 0] += count
            }
            return merged
        }
    }

    private let state = Mutex(State())

    func take() -> DeliverySummary {
        state.withLock { current in
            defer {
                current.summary = DeliverySummary()
                current.deliveredByTopic.removeAll(keepingCapacity: true)
            }
            return current.merged
        }
    }

    func peek() -> DeliverySummary { state.withLock { $0.merged } }

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
        let cTopic = rd_kafka_topic_name(m.rkt)!
        // The name as a String only where it is kept: a failure, an awaited send.
        let topic = m.err != RD_KAFKA_RESP_ERR_NO_ERROR || m._private != nil ? String(cString: cTopic) : ""
        var failure: DeliveryFailure?
        if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
            failure = DeliveryFailure(
                topic: topic, partition: m.partition, key: key,
                error: KafkaError(m.err, "delivery to \(topic) failed"))
        }
        state.withLock { state in
            if let failure {
                state.summary.record(topic, failure: failure)
            } else {
                state.countDelivered(cTopic)
            }
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
    // The client holds its context for its whole life: borrowed, not retained per report.
    Unmanaged<ClientContext>.fromOpaque(opaque)._withUnsafeGuaranteedRef { $0.delivery?.report(message) }
}
