import Foundation
import Testing
import Governance
import JSON
import Kafka
import Topology
import Logging
import Pipeline
import RecordFile

/// Loggers for pipeline tests: warnings and worse only.
let pipelineTestLogger: Logger = {
    var logger = Logger(label: "pipeline-tests")
    logger.logLevel = .warning
    return logger
}()

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A mock cluster with the topics of the repository's topics.yaml.
func clusterWithTopics(brokers: Int = 1) throws -> MockCluster {
    let cluster = try MockCluster(brokers: brokers, logger: pipelineTestLogger)
    try cluster.createTopics(try TopicsFile.load(path: repositoryRoot.appendingPathComponent("topics.yaml").path))
    return cluster
}

/// Produces record-file lines, keyed and timestamped as given; waits for delivery.
func produce(_ lines: [RecordLine], to cluster: MockCluster) throws {
    let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: cluster.bootstrapServers), logger: pipelineTestLogger)
    for line in lines {
        try producer.send(ProducerRecord(topic: line.topic, key: line.key, value: line.value, timestampMs: line.timestampMs))
    }
    try producer.flush(timeout: .seconds(60)).throwIfFailed()
}

/// Reads a record file whole.
func readRecordFile(_ path: String) throws -> [RecordLine] {
    let reader = try RecordFileReader(path: path, now: { 1_795_000_000_000 })
    var lines: [RecordLine] = []
    while let line = try reader.next() { lines.append(line) }
    return lines
}

/// The output records `governor check` would write for `lines`.
func offlineOutputs(_ lines: [RecordLine]) -> [OutputRecord] {
    var run = OfflineRun(settings: EngineSettings(wallClock: { 0 }))
    var out: [OutputRecord] = []
    for line in lines {
        _ = run.feed(line: line.line, topic: line.topic, key: line.key, value: line.value, timestamp: line.timestampMs, into: &out)
    }
    return out
}

/// A record without what legitimately differs between two runs of the same input
/// on different partitionings: its `origin` (partition and offset) and `dlq_at`.
func normalized(key: String?, value: [UInt8]?) -> String {
    guard let value, var object = (try? JSONParser.parse(value))?.value.objectValue else {
        return "\(key ?? "∅") " + String(decoding: value ?? [], as: UTF8.self)
    }
    object["origin"] = nil
    object["dlq_at"] = nil
    if var governance = object["governance"]?.objectValue {
        governance["origin"] = nil
        object["governance"] = .object(governance)
    }
    return "\(key ?? "∅") " + JSONValue.object(object).serialized
}

/// Expects every output topic on the cluster to hold, as a multiset, exactly the
/// records the offline run writes for `lines` (normalized as above) — except the org
/// stage's own outputs. Requests of one org's workspaces on different partitions reach
/// `notification-requests` in commit order, which need not be the file's order
/// (docs/ARCHITECTURE.md), so the debouncer may let through another workspace's request
/// than `governor check` does. Those two topics are compared instead with the org stage
/// run over the requests in the order the pipeline actually wrote them: exact, and not
/// dependent on timing. The requests themselves are still compared with the offline run.
func expectOutputsEqualOffline(_ lines: [RecordLine], reader: TopicReader, label: String) throws {
    let offline = expectedOutputs(offline: offlineOutputs(lines), requests: try reader.readAll(Topic.notificationRequests))
    for topic in Topic.outputs {
        let pipeline = try reader.readAll(topic).map { normalized(key: $0.keyString, value: $0.value) }.sorted()
        let expected = (offline[topic] ?? []).sorted()
        #expect(pipeline == expected, """
            \(label): \(topic) has \(pipeline.count) records, expected \(expected.count); \
            only in the pipeline: \(Set(pipeline).subtracting(expected).prefix(2)); \
            only expected: \(Set(expected).subtracting(pipeline).prefix(2))
            """)
    }
}

/// The normalized records each output topic should hold: the offline run's, except the
/// org stage's topics, which come from the org stage over `requests` as the pipeline
/// wrote them (see `expectOutputsEqualOffline`).
func expectedOutputs(offline: [OutputRecord], requests: [KafkaMessage]) -> [String: [String]] {
    var expected: [String: [String]] = [:]
    for record in offline where !orgStageTopics.contains(record.topic) {
        expected[record.topic, default: []].append(normalized(key: record.key, value: record.value))
    }
    for record in orgStageOutputs(requests) {
        expected[record.topic, default: []].append(normalized(key: record.key, value: record.value))
    }
    return expected
}

/// The org stage's outputs (`governance-notifications`, `org-usage`) for the requests
/// as they lie on `notification-requests`: each partition in offset order, as the
/// pipeline's org task reads them (an org's requests share one partition).
func orgStageOutputs(_ requests: [KafkaMessage]) -> [OutputRecord] {
    var org = OrgStage()
    var out: [OutputRecord] = []
    for message in requests.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
        guard let value = message.value else { continue }
        try? org.process(value: value, timestamp: message.timestampMs, into: &out)
    }
    return out.filter { orgStageTopics.contains($0.topic) }
}

/// The topics only the org stage writes.
let orgStageTopics: Set<String> = [Topic.governanceNotifications, Topic.orgUsage]
