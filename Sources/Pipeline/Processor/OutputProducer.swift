import Governance
import Kafka
import Logging

/// Where a commit's records go: one transaction per commit (exactly-once), or a
/// plain idempotent producer (at-least-once).
enum OutputProducer: Sendable {
    case transactional(TransactionalProducer)
    case plain(KafkaProducer)

    static func make(_ options: ProcessorOptions, logger: Logger) throws(KafkaError) -> OutputProducer {
        var settings = ProducerSettings()
        settings.lingerMs = 5
        // A transaction's records are enqueued before its flush: a queue smaller than a
        // transaction would make the committer wait for deliveries mid-transaction.
        settings.maxQueuedMessages = max(settings.maxQueuedMessages, options.commitCaps.maxRecords * 2)
        switch options.guarantee {
        case .exactlyOnce:
            let id = "governor-\(options.group)-\(options.instanceID)"
            let producer = try TransactionalProducer(config: options.kafka, transactionalID: id, settings: settings, logger: logger)
            try producer.initTransactions()
            // Only an optimisation (the first commit would wait for librdkafka's topic
            // scan): brokers not reachable yet are left to the first commit to report.
            _ = try? producer.loadTopicMetadata(timeout: .seconds(5))
            return .transactional(producer)
        case .atLeastOnce:
            let producer = try KafkaProducer(config: options.kafka, settings: settings, logger: logger)
            _ = try? producer.loadTopicMetadata(timeout: .seconds(5))
            return .plain(producer)
        }
    }

    func begin() throws(KafkaError) {
        if case .transactional(let producer) = self { try producer.beginTransaction() }
    }

    func send(_ record: ProducerRecord) throws(KafkaError) {
        switch self {
        case .transactional(let producer): try producer.send(record)
        case .plain(let producer): try producer.send(record)
        }
    }

    /// Enqueues `records` in order, read in place (`KafkaProducer.send(contentsOf:)`).
    func send(contentsOf records: [ProducerRecord]) throws(KafkaError) {
        switch self {
        case .transactional(let producer): try producer.send(contentsOf: records)
        case .plain(let producer): try producer.send(contentsOf: records)
        }
    }

    /// Waits for every record sent so far; throws when any failed.
    func flush() throws(KafkaError) {
        let summary: DeliverySummary
        switch self {
        case .transactional(let producer): summary = try producer.flush()
        case .plain(let producer): summary = try producer.flush()
        }
        try summary.throwIfFailed()
    }

    /// Commits the consumed offsets with the records (exactly-once), or commits
    /// them to the group after the records are delivered (at-least-once).
    func commit(offsets: [TopicPartitionOffset], consumer: KafkaConsumer) throws(KafkaError) {
        switch self {
        case .transactional(let producer):
            let group = try consumer.groupMetadata()
            try Self.retrying { () throws(KafkaError) in try producer.sendOffsetsToTransaction(offsets, group: group) }
            try Self.retrying { () throws(KafkaError) in try producer.commitTransaction() }.throwIfFailed()
        case .plain(let producer):
            try producer.flush().throwIfFailed()
            try consumer.commit(offsets)
        }
    }

    /// Aborts the open transaction (retrying what librdkafka calls retriable).
    /// Throws when it cannot: then the producer must be replaced.
    func abort() throws(KafkaError) {
        if case .transactional(let producer) = self {
            try Self.retrying { () throws(KafkaError) in try producer.abortTransaction() }
        }
    }

    /// The fatal error the producer raised, if any (it must then be replaced).
    var raisedFatalError: KafkaError? {
        if case .transactional(let producer) = self { return producer.currentFatalError }
        return nil
    }

    /// Calls `body` again while it fails with an error librdkafka marks retriable
    /// (each call already waited up to its timeout), at most `attempts` times.
    static func retrying<R>(attempts: Int = 3, _ body: () throws(KafkaError) -> R) throws(KafkaError) -> R {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch where error.isRetriable && !error.isFatal && !error.txnRequiresAbort && attempt < attempts {
                attempt += 1
            }
        }
    }
}
