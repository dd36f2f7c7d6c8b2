import Foundation
import Logging
import Synchronization
@testable import Kafka

/// Loggers for tests: warnings and worse only.
let testLogger: Logger = {
    var logger = Logger(label: "kafka-tests")
    logger.logLevel = .warning
    return logger
}()

/// A topic name no other test uses.
func uniqueTopic(_ prefix: String = "t") -> String {
    "\(prefix)-\(UInt32.random(in: 0 ... .max))"
}

/// A mock cluster with a new topic and a producer for it; keep the whole value while
/// the producer is used (it owns the cluster).
struct ProducerOnNewTopic {
    let cluster: MockCluster
    let topic: String
    let producer: KafkaProducer

    init(brokers: Int = 1, partitions: Int, properties: [String: String] = [:]) throws {
        cluster = try MockCluster(brokers: brokers, logger: testLogger)
        topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: partitions)
        producer = try KafkaProducer(
            config: KafkaConfig(bootstrapServers: cluster.bootstrapServers, properties: properties), logger: testLogger)
    }
}

/// Group settings that make rebalances take seconds, not minutes.
func fastGroupSettings(_ group: String) -> ConsumerSettings {
    var settings = ConsumerSettings(groupID: group)
    settings.sessionTimeoutMs = 3_000
    settings.heartbeatIntervalMs = 500
    return settings
}

/// Checks `condition` every 20 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(20), _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}

/// Polls `consumer` on this thread until `count` messages arrived or `timeout` passed.
func consume(_ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(20)) throws -> [KafkaMessage] {
    let deadline = ContinuousClock.now + timeout
    var messages: [KafkaMessage] = []
    while messages.count < count, ContinuousClock.now < deadline {
        messages += try consumer.poll(maxMessages: 1_000, timeout: .milliseconds(100))
    }
    return messages
}

/// A consumer that reads whole topics from the beginning through a manual assignment.
func reader(_ cluster: MockCluster, topic: String, partitions: Int, readCommitted: Bool = false) throws -> KafkaConsumer {
    var settings = ConsumerSettings(groupID: nil)
    settings.readCommitted = readCommitted
    let consumer = try KafkaConsumer(
        config: KafkaConfig(bootstrapServers: cluster.bootstrapServers), settings: settings, logger: testLogger)
    try consumer.assign((0 ..< partitions).map { TopicPartitionOffset(topic, Int32($0), offset: KafkaOffset.beginning) })
    return consumer
}

/// A set shared between a rebalance handler and the test.
final class Assignment: Sendable {
    private let partitions = Mutex<Set<TopicPartition>>([])
    private let log = Mutex<[RebalanceEvent]>([])

    var current: Set<TopicPartition> { partitions.withLock { $0 } }
    var events: [RebalanceEvent] { log.withLock { $0 } }

    func handle(_ event: RebalanceEvent) -> [TopicPartitionOffset] {
        log.withLock { $0.append(event) }
        partitions.withLock { set in
            switch event.kind {
            case .assigned: set.formUnion(event.partitions)
            case .revoked, .lost: set.subtract(event.partitions)
            }
        }
        return []
    }
}
