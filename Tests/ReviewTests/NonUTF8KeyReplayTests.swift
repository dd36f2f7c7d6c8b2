import Foundation
import Governance
import JSON
import Kafka
import Logging
import Review
import Testing
import Topology

/// A raw record whose Kafka key is not UTF-8 (any producer can send one) is replayed
/// with its exact key bytes: the DLQ record carries them as `original_key_b64`, the
/// review index keeps them and the replayer sends them (docs/GOVERNANCE.md §5,
/// docs/RELIABILITY.md §11). Before, the key went through `String` and came back with
/// U+FFFD (EF BF BD) in place of each bad byte: another key, another partition.
@Suite struct NonUTF8KeyReplayTests {
    static let logger: Logger = {
        var logger = Logger(label: "review-tests")
        logger.logLevel = .warning
        return logger
    }()

    @Test func aKeyThatIsNotUTF8IsReplayedByteForByte() async throws {
        let keyBytes: [UInt8] = [0x77, 0x73, 0xFF, 0x5F, 0x68, 0xC3]
        let key = String(decoding: keyBytes, as: UTF8.self)
        let value = Array(#"{"message_id":"m1","workspace_id":"ws_h","source_id":"s","type":"track","event":"e","customer_id":"c"}"#.utf8)
        let headers = [Header(name: "trace", value: [0xFF, 0x00])]
        let t: Int64 = 1_795_000_000_000
        guard case .failure(let failure) = EventValidator.validate(value: value, key: key) else {
            Issue.record("the key differs from workspace_id: the event must fail validation")
            return
        }
        let dlq = DLQRecordBuilder.eventRecord(
            failure: failure, origin: Origin(topic: Topic.rawEvents, partition: 2, offset: 7), originalKey: key,
            originalKeyBytes: keyBytes, originalValue: value, originalHeaders: headers, streamTime: t, dlqAt: t)
        let message = KafkaMessage(
            topic: Topic.eventsDLQ, partition: 0, offset: 0, key: dlq.key.map { Array($0.utf8) },
            value: dlq.value.serializedBytes, headers: dlq.headers.map { KafkaHeader(name: $0.name, value: $0.value) },
            timestampMs: t)

        let index = try ReviewIndex(path: nil)
        try index.ingest([message])
        let entry = try #require(try index.entry(partition: 0, offset: 0))
        #expect(entry.originalKey == key)
        #expect(entry.originalKeyBytes == keyBytes)

        let cluster = try MockCluster(brokers: 1, logger: Self.logger)
        defer { cluster.close() }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try cluster.createTopics(try TopicsFile.load(path: repo.appendingPathComponent("topics.yaml").path))
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let replayer = Replayer(index: index, producer: try KafkaProducer(config: config, logger: Self.logger))
        let result = try await replayer.replay(.records([entry]), options: ReplayOptions(reviewer: "test", via: "test"))
        #expect(result.replayed == [Topic.rawEvents: 1])

        let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: Self.logger)
        defer { try? consumer.close() }
        let partitions = Int32(try consumer.partitionCount(of: Topic.rawEvents))
        try consumer.assign((0..<partitions).map { TopicPartitionOffset(Topic.rawEvents, $0, offset: KafkaOffset.beginning) })
        var replayed: [KafkaMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while replayed.isEmpty, ContinuousClock.now < deadline {
            replayed += try consumer.poll(maxMessages: 10, timeout: .milliseconds(200))
        }
        let record = try #require(replayed.first)
        #expect(record.key == keyBytes)
        #expect(record.value == value)
        #expect(Array(record.headers.prefix(1)) == [KafkaHeader(name: "trace", value: [0xFF, 0x00])])
        // Partitioned by the exact bytes, as the original was.
        #expect(record.partition == Murmur2.partition(for: keyBytes, partitionCount: Int(partitions)))
    }
}
