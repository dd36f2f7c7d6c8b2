import Foundation
import Governance
import Kafka
import Testing
@testable import Pipeline

/// The `workspace-config` reader stops fetching partitions read to their end and
/// starts again when an end-offset probe finds them grown (`ConfigFetchPacing`).
@Suite(.serialized) struct ConfigReaderPacingTests {
    @Test func partitionsReadToTheirEndPauseAndResumeWhenTheyGrow() {
        var pacing = ConfigFetchPacing(probeInterval: .milliseconds(100), emptyAtStart: [2: 0])
        // 0 read to its end, 1 behind, 2 empty since the start (no position yet).
        var change = pacing.decide(positions: [0: 5, 1: 3, 2: KafkaOffset.invalid], reached: [0: 5, 1: 3],
                                   ends: [0: 5, 1: 7, 2: 0])
        #expect(change.pause == [0, 2] && change.resume.isEmpty)
        // 1 catches up; nothing to resume.
        change = pacing.decide(positions: [0: 5, 1: 7], reached: [0: 5, 1: 7], ends: [0: 5, 1: 7, 2: 0])
        #expect(change.pause == [1] && change.resume.isEmpty && pacing.paused == [0, 1, 2])
        // A config arrives on 2.
        change = pacing.decide(positions: [0: 5, 1: 7], reached: [0: 5, 1: 7], ends: [0: 5, 1: 7, 2: 1])
        #expect(change.resume == [2] && change.pause.isEmpty && pacing.paused == [0, 1])
        // An unknown end keeps a partition fetching.
        change = pacing.decide(positions: [0: 5, 1: 7], reached: [0: 5, 1: 7], ends: [0: KafkaOffset.invalid, 1: 7])
        #expect(change.resume == [0])
        let resumed = pacing.resumeAll()
        #expect(resumed == [1] && pacing.paused.isEmpty)
    }

    /// A committed transaction's marker takes the offset after its last record and is
    /// never delivered: the position (past the marker) decides, not the last record.
    @Test func thePositionPastATransactionMarkerCountsAsReadToTheEnd() {
        var pacing = ConfigFetchPacing(probeInterval: .milliseconds(100), emptyAtStart: [:])
        let pastMarker = pacing.decide(positions: [0: 4], reached: [0: 3], ends: [0: 4])
        #expect(pastMarker.pause == [0])
        var behind = ConfigFetchPacing(probeInterval: .milliseconds(100), emptyAtStart: [:])
        let beforeMarker = behind.decide(positions: [0: 3], reached: [0: 3], ends: [0: 4])
        #expect(beforeMarker.pause.isEmpty)
    }

    @Test func probesFollowOnlyEmptyPollsAtMostOncePerInterval() {
        var pacing = ConfigFetchPacing(probeInterval: .milliseconds(100), emptyAtStart: [:])
        let t0 = ContinuousClock.now
        let due = [pacing.probeDue(afterEmptyPoll: false, now: t0),
                   pacing.probeDue(afterEmptyPoll: true, now: t0),
                   pacing.probeDue(afterEmptyPoll: true, now: t0 + .milliseconds(99)),
                   pacing.probeDue(afterEmptyPoll: true, now: t0 + .milliseconds(100))]
        #expect(due == [false, true, false, true])
    }

    /// On the mock cluster: caught up, the reader pauses every partition; a config
    /// produced later is read within seconds, and the partition pauses again.
    @Test(.timeLimit(.minutes(2))) func aPausedReaderReadsANewConfig() async throws {
        let cluster = try MockCluster(brokers: 1, logger: pipelineTestLogger)
        defer { cluster.close() }
        try cluster.createTopic(Topic.workspaceConfig, partitions: 3)
        let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let producer = try KafkaProducer(config: kafka, logger: pipelineTestLogger)
        try producer.send(Self.config("ws_a", limit: 1, partition: 0))
        try producer.flush(timeout: .seconds(60)).throwIfFailed()
        try await Self.expectPacedReader(kafka: kafka, partitions: 3) {
            try producer.send(Self.config("ws_b", limit: 2, partition: 2))
            try producer.flush(timeout: .seconds(60)).throwIfFailed()
        }
    }

    /// On the real-broker tier, configs written in transactions: the markers do not
    /// keep a partition fetching, and a config committed later is read.
    @Test(.timeLimit(.minutes(2)), .enabled(if: NoidaBroker.binary != nil, Comment(rawValue: NoidaBroker.unavailable)))
    func transactionalConfigsOnARealBroker() async throws {
        let broker = try NoidaBroker()
        _ = try KafkaAdmin(config: broker.kafka, logger: crashLogger)
            .createTopics([TopicSpec(name: Topic.workspaceConfig, partitions: 2)])
        let producer = try TransactionalProducer(config: broker.kafka, transactionalID: "config-tx", logger: crashLogger)
        try producer.initTransactions()
        try producer.beginTransaction()
        try producer.send(Self.config("ws_a", limit: 1, partition: 0))
        _ = try producer.commitTransaction()
        try await Self.expectPacedReader(kafka: broker.kafka, partitions: 2) {
            try producer.beginTransaction()
            try producer.send(Self.config("ws_b", limit: 2, partition: 1))
            _ = try producer.commitTransaction()
        }
    }

    /// Starts a reader, expects every partition paused, runs `produce` (one config of
    /// `ws_b`), and expects it read and every partition paused again.
    private static func expectPacedReader(kafka: KafkaConfig, partitions: Int,
                                          produce: () throws -> Void) async throws {
        let reader = try ConfigTableReader(config: kafka, logger: pipelineTestLogger)
        reader.start()
        defer { reader.stop() }
        #expect(reader.waitUntilCaughtUp(timeout: .seconds(60)))
        #expect(reader.current.heldSequences(of: "ws_a") == [0])
        #expect(await pollUntil(timeout: .seconds(20)) { reader.pausedPartitionCount == partitions },
                "paused \(reader.pausedPartitionCount) of \(partitions)")

        try produce()
        #expect(await pollUntil(timeout: .seconds(20)) { !reader.current.heldSequences(of: "ws_b").isEmpty },
                "the new config was never read; paused \(reader.pausedPartitionCount)")
        #expect(await pollUntil(timeout: .seconds(20)) { reader.pausedPartitionCount == partitions },
                "paused \(reader.pausedPartitionCount) of \(partitions) after the new config")
    }

    private static func config(_ workspaceID: String, limit: Int, partition: Int32) -> ProducerRecord {
        let json = #"{"workspace_id":"\#(workspaceID)","org_id":"org_p","plan":"trial","limits":{"messages_per_contact_per_day":\#(limit)}}"#
        return ProducerRecord(topic: Topic.workspaceConfig, partition: partition, key: Array(workspaceID.utf8),
                              value: Array(json.utf8))
    }
}
