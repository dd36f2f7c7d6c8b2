import Governance
import Kafka
import Testing
@testable import Pipeline

/// The committer on a mock cluster: a commit whose partitions were lost after its
/// cut (`stillOwned` says no) is aborted before any commit marker is written, so a
/// next owner that restores the partition never counts it; an owned one writes it.
@Suite(.serialized) struct CommitterTests {
    @Test(.timeLimit(.minutes(2))) func aCommitWhosePartitionsWereLostWritesNoMarker() async throws {
        let cluster = try clusterWithTopics()
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let options = ProcessorOptions(kafka: config, group: "committer-tests", instanceID: "a",
                                       engine: EngineSettings(wallClock: { 11 }))
        let committer = try Committer(options: options, logger: pipelineTestLogger)
        let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: options.group),
                                         logger: pipelineTestLogger)
        defer { try? consumer.close() }
        let changelog = ChangelogTarget(topic: options.changelogTopic, namespace: options.group, snapshotEveryBytes: 1 << 20)
        let (messages, configs) = PartitionActorTests.workload(events: 200)
        var task = PartitionActorTests.freshTask()
        let half = messages.count / 2
        for message in messages[..<half] { task.process(message, configs: configs) }
        let lost = try #require(try task.prepareCommit(checkpoint: StateCheckpoint(), changelog: changelog))
        for message in messages[half...] { task.process(message, configs: configs) }
        let owned = try #require(try task.prepareCommit(checkpoint: StateCheckpoint(), changelog: changelog))

        let asked = Locked(0)
        await #expect(throws: CommitFailure.self) {
            try await committer.commit([lost], consumer: consumer, stillOwned: {
                asked.withLock { $0 += 1 }
                return false
            })
        }
        #expect(asked.withLock { $0 } == 1, "asked once, before the markers")
        try await committer.commit([owned], consumer: consumer)
        await committer.shutdown()

        var markers: [UInt64] = []
        var begins: [UInt64] = []
        for message in try TopicReader(config: config, logger: pipelineTestLogger).readAll(options.changelogTopic) {
            let record = try ChangelogCodec.decode(key: message.key, value: message.value,
                                                   headers: MessageAdapter.changelogHeaders(message),
                                                   offset: message.offset, namespace: options.group)
            switch record {
            case .commit(let marker): markers.append(marker.attempt)
            case .attemptBegin(let clock, _): begins.append(clock.attempt)
            default: break
            }
        }
        // The mock has no transactional isolation: the aborted attempt's begin is in
        // the log as written, but no marker can make its entries count.
        #expect(begins == [lost.attempt, owned.attempt])
        #expect(markers == [owned.attempt])
    }
}
