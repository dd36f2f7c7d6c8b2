import CRdKafka
import Logging

/// A transactional producer: records sent between `beginTransaction` and
/// `commitTransaction`, together with consumer offsets sent with
/// `sendOffsetsToTransaction`, become visible to `read_committed` readers all
/// at once or not at all (on a real cluster; see docs/KAFKA.md for what
/// librdkafka 2.0.2's mock cluster does not implement).
///
/// Errors carry librdkafka's classes: `isRetriable` (call again),
/// `txnRequiresAbort` (abort, then continue with a new transaction) and
/// `isFatal` (fenced or broken: destroy and recreate the producer).
/// The calls block up to their timeout: call them off the cooperative pool.
public final class TransactionalProducer: Sendable {
    private let producer: KafkaProducer
    public let transactionalID: String

    public init(
        config: KafkaConfig, transactionalID: String,
        settings: ProducerSettings = ProducerSettings(), logger: Logger
    ) throws(KafkaError) {
        var properties = settings.properties
        properties["transactional.id"] = transactionalID
        properties["enable.idempotence"] = "true"
        properties["transaction.timeout.ms"] = String(settings.transactionTimeoutMs)
        properties["message.timeout.ms"] = String(min(settings.messageTimeoutMs, settings.transactionTimeoutMs))
        producer = try KafkaProducer(config: config, properties: properties, logger: logger)
        self.transactionalID = transactionalID
    }

    /// Registers the transactional id with the coordinator, fencing older
    /// producers with the same id and finishing their open transaction.
    public func initTransactions(timeout: Duration = .seconds(30)) throws(KafkaError) {
        try producer.handle.call("initializing transactions") { rd_kafka_init_transactions($0, timeout.milliseconds) }
    }

    public func beginTransaction() throws(KafkaError) {
        try producer.handle.call("beginning a transaction") { rd_kafka_begin_transaction($0) }
    }

    /// Waits for the delivery reports of everything sent so far (see `KafkaProducer.flush`).
    public func flush(timeout: Duration = .seconds(30)) throws(KafkaError) -> DeliverySummary {
        try producer.flush(timeout: timeout)
    }

    /// Enqueues a record in the current transaction (see `KafkaProducer.send`).
    public func send(_ record: ProducerRecord) throws(KafkaError) {
        try producer.send(record)
    }

    /// Enqueues `records` in order in the open transaction (`KafkaProducer.send(contentsOf:)`).
    public func send(contentsOf records: [ProducerRecord]) throws(KafkaError) {
        try producer.send(contentsOf: records)
    }

    /// Adds consumed offsets (each the offset of the next record to read) to the
    /// current transaction, committed for `group` when the transaction commits.
    public func sendOffsetsToTransaction(
        _ offsets: [TopicPartitionOffset], group: ConsumerGroupMetadata, timeout: Duration = .seconds(30)
    ) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList(offsets)
        try producer.handle.call("sending offsets to the transaction") {
            rd_kafka_send_offsets_to_transaction($0, list.pointer, group.pointer, timeout.milliseconds)
        }
    }

    /// Flushes the transaction's records and commits it.
    /// - Returns: the delivery reports since the previous commit or abort.
    @discardableResult
    public func commitTransaction(timeout: Duration = .seconds(30)) throws(KafkaError) -> DeliverySummary {
        try producer.handle.call("committing the transaction") { rd_kafka_commit_transaction($0, timeout.milliseconds) }
        return producer.takeDeliverySummary()
    }

    /// Aborts the current transaction; its records are purged or marked aborted.
    public func abortTransaction(timeout: Duration = .seconds(30)) throws(KafkaError) {
        try producer.handle.call("aborting the transaction") { rd_kafka_abort_transaction($0, timeout.milliseconds) }
        _ = producer.takeDeliverySummary()
    }

    /// The producer's fatal error (`rd_kafka_fatal_error`), if it has raised one:
    /// then every further call fails and the producer must be replaced.
    public var currentFatalError: KafkaError? {
        var reason = [CChar](repeating: 0, count: 512)
        let code = producer.handle.useIfOpen { rd_kafka_fatal_error($0, &reason, reason.count) } ?? RD_KAFKA_RESP_ERR__DESTROY
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return KafkaError(code: .init(rawValue: code.rawValue), message: "fatal producer error: \(text)", isFatal: true)
    }

    /// Reads every topic's metadata now (see `KafkaProducer.loadTopicMetadata`).
    public func loadTopicMetadata(timeout: Duration = .seconds(10)) throws(KafkaError) {
        try producer.loadTopicMetadata(timeout: timeout)
    }

    /// How many partitions `topic` has (from cluster metadata).
    public func partitionCount(of topic: String, timeout: Duration = .seconds(10)) throws(KafkaError) -> Int {
        try producer.partitionCount(of: topic, timeout: timeout)
    }
}
