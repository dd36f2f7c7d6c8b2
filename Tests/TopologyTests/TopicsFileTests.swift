import Foundation
import Kafka
import Testing
@testable import Topology

/// The repository's topics.yaml.
let repositoryTopicsFile = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("topics.yaml").path

@Suite struct TopicsFileTests {
    /// The topics built into the binary are the repository's file, byte for byte.
    @Test func builtInTopicsAreTheRepositoryFile() throws {
        let file = try String(contentsOfFile: repositoryTopicsFile, encoding: .utf8)
        #expect(TopicsFile.defaultText + "\n" == file, "topics.yaml changed: run scripts/embed-topics")
        #expect(try TopicsFile.builtIn() == TopicsFile.load(path: repositoryTopicsFile))
    }

    /// The repository's file has every topic of SPEC §3, co-partitioned.
    @Test func repositoryFileIsValid() throws {
        let file = try TopicsFile.load(path: repositoryTopicsFile)
        let spec = [
            "raw-events", "outbound-messages", "workspace-config", "events-accepted", "events-over-cap",
            "events-rate-limited", "events-filtered", "events-deferred", "events-dlq", "outbound-verdicts",
            "governance-audit", "usage", "governance-hints", "notification-requests", "governance-notifications",
            "org-usage", "dlq-replays", "governor-changelog",
        ]
        #expect(file.topics.map(\.name) == spec)
        let compacted = Set(file.topics.filter { $0.cleanupPolicy == "compact" }.map(\.name))
        #expect(compacted == ["workspace-config", "governance-hints", "governor-changelog"])
        let workspaceKeyed = file.topics.filter { $0.key == "workspace_id" }
        #expect(Set(workspaceKeyed.map(\.partitions)) == [12])
        #expect(file["governor-changelog"]?.partitions == file["raw-events"]?.partitions)
        #expect(file["events-dlq"]?.spec.configs["retention.ms"] == "2592000000")
        #expect(file["dlq-replays"]?.spec.configs == ["cleanup.policy": "delete", "retention.ms": "31536000000"])
        #expect(file["raw-events"]?.spec.configs == ["cleanup.policy": "delete", "retention.ms": "604800000"])
    }

    @Test func errorsNameLineAndField() {
        let cases: [(String, Int, String)] = [
            ("topics:\n  - name: a\n    key: k\n    cleanup_policy: sometimes\n", 4, "cleanup_policy"),
            ("topics:\n  - name: a\n    key: k\n    cleanup_policy: delete\n    partitons: 3\n", 5, "unknown field \"partitons\""),
            ("defaults:\n  partitions: 2\ntopics:\n  - name: a\n    cleanup_policy: delete\n", 4, "missing `key`"),
            ("topics:\n  - name: a\n    key: k\n    cleanup_policy: delete\n    partitions: zero\n", 5, "a.partitions must be an integer"),
            ("topics:\n  - name: bad name\n    key: k\n    cleanup_policy: delete\n", 2, "not a valid Kafka topic name"),
            ("defaults:\n  partitions: 2\ntopics:\n  - {name: a, key: k, cleanup_policy: delete}\n  - {name: a, key: k, cleanup_policy: delete}\n", 5, "appears twice"),
            ("defaults:\n  partitions: 2\ntopics:\n  - {name: a, key: workspace_id, cleanup_policy: delete}\n  - {name: b, key: workspace_id, cleanup_policy: delete, partitions: 3}\n", 5, "co-partitioned"),
            ("topics:\n  - {name: a, key: k, cleanup_policy: delete}\n", 2, "no `partitions`"),
        ]
        for (yaml, line, fragment) in cases {
            let error = #expect(throws: TopicsFileError.self) { try TopicsFile.parse(yaml, source: "t.yaml") }
            #expect(error?.line == line, "\(yaml)")
            #expect(error?.message.contains(fragment) == true, "\(error?.description ?? "")")
        }
    }
}

@Suite struct TopicsApplyTests {
    /// On a cluster that has the topics, apply finds them all, twice; a topic
    /// with another partition count is a mismatch.
    @Test func applyIsIdempotentAndReportsMismatches() throws {
        let cluster = try MockCluster(brokers: 3, logger: testLogger)
        let file = try TopicsFile.load(path: repositoryTopicsFile)
        try cluster.createTopics(file)
        let admin = try KafkaAdmin(config: KafkaConfig(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        for _ in 0 ..< 2 {
            let report = try TopicsApply.run(file, admin: admin, timeout: .seconds(2))
            #expect(report.succeeded)
            #expect(report.present.count == file.topics.count)
            #expect(report.created.isEmpty)
            #expect(!report.configsCompared, "the mock does not answer DescribeConfigs")
        }

        var changed = file
        changed.topics[0].partitions = 6
        let report = try TopicsApply.run(changed, admin: admin, timeout: .seconds(2))
        #expect(report.mismatches == [TopicMismatch(topic: "raw-events", field: "partitions", expected: "6", actual: "12")])
        #expect(!report.succeeded)
    }

    /// Mock: CreateTopics gets no answer; the topic is reported as failed, with the reason.
    @Test func mockCannotCreateTopics() throws {
        let cluster = try MockCluster(brokers: 1, logger: testLogger)
        let admin = try KafkaAdmin(config: KafkaConfig(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        let file = TopicsFile(topics: [TopicsFile.Topic(
            name: uniqueTopic(), key: "workspace_id", partitions: 3, replicationFactor: 1,
            cleanupPolicy: "compact", retentionMs: nil, configs: [:], line: 1)])
        let report = try TopicsApply.run(file, admin: admin, timeout: .seconds(2))
        #expect(report.created.isEmpty)
        #expect(report.failed.count == 1)
        #expect(report.failed.first?.error.code == .timedOut)
        #expect(report.failed.first?.error.message.contains("mock cluster") == true)
        #expect(try admin.partitionCounts()[file.topics[0].name] == nil, "not created, not auto-created")
    }

    /// Cleanup policies are compared where the cluster describes configs.
    @Test func compareCleanupPolicy() {
        let topic = TopicsFile.Topic(
            name: "t", key: "k", partitions: 3, replicationFactor: 1, cleanupPolicy: "compact,delete",
            retentionMs: nil, configs: [:], line: 1)
        #expect(TopicsApply.compare([topic], with: ["t": TopicDescription(name: "t", partitions: 3, configs: ["cleanup.policy": "delete, compact"])]).isEmpty)
        #expect(TopicsApply.compare([topic], with: ["t": TopicDescription(name: "t", partitions: 3, configs: ["cleanup.policy": "delete"])])
            == [TopicMismatch(topic: "t", field: "cleanup.policy", expected: "compact,delete", actual: "delete")])
    }
}
