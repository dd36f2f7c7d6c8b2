import CRdKafka
import Logging
import Synchronization

/// The consumer's side of librdkafka's rebalance callback: performs the
/// (incremental) assign or unassign, as librdkafka requires from the callback,
/// around a call to the application's handler, and records the events for the
/// poll loop.
///
/// Runs on the thread that polls the consumer (or closes it).
final class RebalanceContext: Sendable {
    private let handler: RebalanceHandler?
    private let pending = Mutex<[RebalanceEvent]>([])

    init(handler: RebalanceHandler?) {
        self.handler = handler
    }

    /// The events since the last call, oldest first.
    func takeEvents() -> [RebalanceEvent] {
        pending.withLock { events in
            defer { events = [] }
            return events
        }
    }

    fileprivate func rebalance(
        _ rk: OpaquePointer, _ err: rd_kafka_resp_err_t,
        _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, logger: Logger
    ) {
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        let partitions = TopicPartitionList.offsets(of: list).map(\.topicPartition)
        var failure: KafkaError?
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            let event = RebalanceEvent(kind: .assigned, partitions: partitions)
            let starts = handler?(event) ?? []
            for start in starts {
                rd_kafka_topic_partition_list_find(list, start.topic, start.partition)?.pointee.offset = start.offset
            }
            failure = cooperative
                ? Self.check(rd_kafka_incremental_assign(rk, list), "incremental assign")
                : Self.check(rd_kafka_assign(rk, list), "assign")
            record(event)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(rk) != 0
            let event = RebalanceEvent(kind: lost ? .lost : .revoked, partitions: partitions)
            _ = handler?(event)
            failure = cooperative
                ? Self.check(rd_kafka_incremental_unassign(rk, list), "incremental unassign")
                : Self.check(rd_kafka_assign(rk, nil), "unassign")
            record(event)
        default:
            logger.error("rebalance failed: \(String(cString: rd_kafka_err2str(err))); dropping the assignment")
            let event = RebalanceEvent(kind: .lost, partitions: partitions)
            _ = handler?(event)
            failure = cooperative
                ? Self.check(rd_kafka_incremental_unassign(rk, list), "incremental unassign")
                : Self.check(rd_kafka_assign(rk, nil), "unassign")
            record(event)
        }
        if let failure { logger.error("rebalance: \(failure)") }
    }

    private func record(_ event: RebalanceEvent) {
        pending.withLock { $0.append(event) }
    }

    private static func check(_ error: OpaquePointer?, _ context: String) -> KafkaError? {
        error.map { KafkaError(consuming: $0, context) }
    }

    private static func check(_ err: rd_kafka_resp_err_t, _ context: String) -> KafkaError? {
        err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(err, context)
    }
}

/// The rebalance_cb registered on every consumer.
func rebalanceCallback(
    _ rk: OpaquePointer?, _ err: rd_kafka_resp_err_t,
    _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let rk, let list, let opaque else { return }
    let context = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
    context.rebalance?.rebalance(rk, err, list, logger: context.logger)
}
