import CRdKafka
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
final class DeliveryTracker: Sendable {
    private let summary = Mutex(DeliverySummary())

    func take() -> DeliverySummary {
        summary.withLock { current in
            defer { current = DeliverySummary() }
            return current
        }
    }

    func peek() -> DeliverySummary { summary.withLock { $0 } }

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
        summary.withLock { $0.record(topic, failure: failure) }
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
