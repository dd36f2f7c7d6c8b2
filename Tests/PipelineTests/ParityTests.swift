import Foundation
import Governance
import Kafka
import Pipeline
import RecordFile
import Testing

/// `governor check` and the Kafka pipeline give the same records for the same input
/// (SPEC §12.1): each fixture story is produced to a mock cluster, governed by a
/// processor, read back, and compared topic by topic with the offline run, ignoring
/// only origins (partition and offset differ by construction) and `dlq_at`.
@Suite(.serialized) struct ParityTests {
    static let stories = ["dedup", "ghosts", "consent", "rate_limits", "name_cap", "traits", "mau_active", "mau_rolling",
                          "connections", "messaging", "notifications", "validation"]

    @Test(arguments: stories)
    func pipelineOutputsEqualCheckOutputs(_ story: String) throws {
        let path = repositoryRoot.appendingPathComponent("Tests/Fixtures/\(story).jsonl").path
        // A record without a key lands on a random partition, away from its workspace's
        // state: producers must key by workspace_id (SPEC §3), so the stories compare keyed records.
        let lines = try readRecordFile(path).filter { $0.key != nil }
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        try produce(lines, to: cluster)
        let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        var options = ProcessorOptions(kafka: kafka, group: "parity-\(story)", instanceID: "parity",
                                       engine: EngineSettings(wallClock: { 0 }))
        options.sessionTimeoutMs = 3_000
        options.heartbeatIntervalMs = 500
        let runner = ProcessorRunner(processor: try Processor(options: options, logger: pipelineTestLogger))
        let reader = TopicReader(config: kafka, logger: pipelineTestLogger)
        try runner.waitUntilDrained([Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests],
                                    reader: reader, timeout: .seconds(120))
        try runner.stop()

        try expectOutputsEqualOffline(lines, reader: reader, label: story)
    }
}
