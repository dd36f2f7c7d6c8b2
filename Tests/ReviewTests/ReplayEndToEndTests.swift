import Foundation
import Governance
import JSON
import Kafka
import Logging
import Review
import Testing
import Topology

let reviewTestLogger: Logger = {
    var logger = Logger(label: "review-tests")
    logger.logLevel = .warning
    return logger
}()

/// Every record of `topic` now on the cluster (all partitions, to the end offsets seen at the start).
func readTopic(_ topic: String, _ config: KafkaConfig) throws -> [KafkaMessage] {
    let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: reviewTestLogger)
    defer { try? consumer.close() }
    var ends: [TopicPartition: Int64] = [:]
    for p in 0..<Int32(try consumer.partitionCount(of: topic)) {
        let (low, high) = try consumer.queryWatermarkOffsets(topic: topic, partition: p)
        if high > low { ends[TopicPartition(topic, p)] = high }
    }
    guard !ends.isEmpty else { return [] }
    try consumer.assign(ends.keys.map { TopicPartitionOffset($0, offset: KafkaOffset.beginning) })
    var messages: [KafkaMessage] = []
    let deadline = ContinuousClock.now + .seconds(30)
    var pending = Set(ends.keys)
    while !pending.isEmpty, ContinuousClock.now < deadline {
        messages += try consumer.poll(maxMessages: 5_000, timeout: .milliseconds(200)).filter { $0.offset < ends[$0.topicPartition]! }
        for position in try consumer.position(Array(pending)) where position.offset >= ends[position.topicPartition]! {
            pending.remove(position.topicPartition)
        }
    }
    return messages
}

/// The JSON values of `topic` whose `message_id` is one of `ids`.
func values(_ topic: String, _ config: KafkaConfig, ids: Set<String>) throws -> [JSONValue] {
    try readTopic(topic, config).compactMap { $0.value.flatMap { try? JSONParser.parse($0) }?.value }
        .filter { ($0["message_id"]?.stringValue).map(ids.contains) ?? false }
}

/// issue 13's acceptance path against a mock cluster with `governor run` up:
/// events of a workspace without config are dead-lettered as `unknown_workspace`
/// and listed by `dlq list`; once the config exists, `dlq replay` makes them
/// accepted and writes the audit; a second replay gives `duplicate`; trait-scope
/// records are never replayed.
@Suite(.serialized) struct ReplayEndToEndTests {
    @Test(.timeLimit(.minutes(5))) func replayAfterTheConfigIsFixed() async throws {
        let cluster = try MockCluster(brokers: 1, logger: reviewTestLogger)
        defer { cluster.close() }
        try cluster.createTopics(try TopicsFile.load(path: reviewRepoRoot.appendingPathComponent("topics.yaml").path))
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let brokers = ["--brokers", cluster.bootstrapServers]
        let producer = try KafkaProducer(config: config, logger: reviewTestLogger)
        func send(_ topic: String, _ key: String, _ value: String) throws {
            try producer.send(ProducerRecord(topic: topic, key: key, value: Array(value.utf8),
                                             headers: [KafkaHeader(name: "trace", value: Array("t-1".utf8))]))
        }
        try send(Topic.workspaceConfig, "ws_known", #"{"workspace_id":"ws_known","org_id":"org_1","plan":"trial"}"#)
        let lost = ["lost-1", "lost-2", "lost-3"]
        for id in lost {
            try send(Topic.rawEvents, "ws_new",
                     #"{"message_id":"\#(id)","workspace_id":"ws_new","source_id":"web","type":"track","event":"order_placed","customer_id":"c1"}"#)
        }
        try send(Topic.rawEvents, "ws_known",
                 #"{"message_id":"traits-1","workspace_id":"ws_known","source_id":"web","type":"identify","customer_id":"c2","traits":{"$plan":"gold","name":"Ann"}}"#)
        try producer.flush(timeout: .seconds(30)).throwIfFailed()

        let run = try BackgroundGovernor(["run"] + brokers + ["--group", "review-e2e", "--session-timeout-ms", "3000",
                                                              "--instance-id", "review-e2e", "--log-level", "warning"])
        defer { run.stop() }

        // dlq list shows the dead-lettered events (the processor needs a moment to start).
        var listed: [JSONValue] = []
        let sawThem = try await eventually(timeout: .seconds(90)) {
            let result = try await runGovernor(["dlq", "list"] + brokers + ["--reason", "unknown_workspace", "--format", "json"])
            listed = result.out.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)).value }
            return listed.count == 3
        }
        #expect(sawThem, "dlq list never showed 3 unknown_workspace records; governor run says:\n\(run.output)")
        #expect(Set(listed.compactMap { $0["message_id"]?.stringValue }) == Set(lost))
        #expect(listed.allSatisfy { $0["workspace_id"]?.stringValue == "ws_new" && $0["scope"]?.stringValue == "event" })

        // The trait finding is listed but never replayed. It is on ws_known's partition,
        // which may commit in a later cut than ws_new's: wait for it too.
        var traits = (status: Int32(0), out: "", err: "")
        let refused = try await eventually(timeout: .seconds(60)) {
            traits = try await runGovernor(["dlq", "replay"] + brokers + ["--scope", "trait", "--reviewer", "ann"])
            return traits.err.contains("not replaying 1 trait-scope record(s)")
        }
        #expect(traits.status == 0, "\(traits.err)")
        #expect(refused, "\(traits.err)")
        #expect(try readTopic(Topic.dlqReplays, config).isEmpty)

        // Fix the cause. The processor applies a config once its reader has it, so
        // probe events (new ids) go in until one is accepted.
        let fixedAt = Int64(Date().timeIntervalSince1970 * 1000)
        try send(Topic.workspaceConfig, "ws_new", #"{"workspace_id":"ws_new","org_id":"org_1","plan":"trial"}"#)
        var probeAccepted = false
        for attempt in 1...20 where !probeAccepted {
            let probe = "probe-\(attempt)"
            try send(Topic.rawEvents, "ws_new",
                     #"{"message_id":"\#(probe)","workspace_id":"ws_new","source_id":"web","type":"track","event":"order_placed","customer_id":"c9"}"#)
            try producer.flush(timeout: .seconds(30)).throwIfFailed()
            _ = try await eventually(timeout: .seconds(30)) {
                probeAccepted = try !values(Topic.eventsAccepted, config, ids: [probe]).isEmpty
                return try probeAccepted || !values(Topic.eventsDLQ, config, ids: [probe]).isEmpty
            }
        }
        #expect(probeAccepted, "no probe event was accepted after the config:\n\(run.output)")
        // The records dead-lettered before the fix (probes that came too early stay out).
        let before = ["--reason", "unknown_workspace", "--until", String(fixedAt)]

        // Dry run: nothing produced.
        let dry = try await runGovernor(["dlq", "replay"] + brokers + before + ["--dry-run"])
        #expect(dry.err.contains("would replay 3 record(s) to raw-events"), "\(dry.err)")

        let first = try await runGovernor(["dlq", "replay"] + brokers + before + ["--reviewer", "ann", "--rate", "50"])
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("replayed 3 record(s) to raw-events"), "\(first.out)")
        #expect(first.out.contains("duplicate"), "the output must say a second replay is a duplicate: \(first.out)")
        let accepted = try await eventually(timeout: .seconds(60)) {
            try values(Topic.eventsAccepted, config, ids: Set(lost)).count == 3
        }
        #expect(accepted, "the replayed events were not accepted:\n\(run.output)")
        // Byte-identical replay: the accepted records carry the original headers' origin and the replay headers.
        let replayedRaw = try readTopic(Topic.rawEvents, config).filter { $0.header(ReplayHeaders.reviewer) == Array("ann".utf8) }
        #expect(replayedRaw.count == 3)
        #expect(replayedRaw.allSatisfy { $0.header("trace") == Array("t-1".utf8) && $0.keyString == "ws_new" })
        #expect(Set(replayedRaw.compactMap { $0.value.flatMap { try? JSONParser.parse($0).value["message_id"]?.stringValue } }) == Set(lost))

        // The audit record: who, when, which records, how many, where.
        let audits = try readTopic(Topic.dlqReplays, config)
        #expect(audits.count == 1)
        let audit = try #require(audits.first.flatMap { $0.value }.flatMap { try? JSONParser.parse($0).value }.flatMap(ReplayAudit.init(json:)))
        #expect(audits.first?.keyString == "ann")
        #expect(audit.reviewer == "ann")
        #expect(audit.count == 3)
        #expect(audit.destinations == [Topic.rawEvents: 3])
        #expect(Set(audit.items.compactMap(\.messageID)) == Set(lost))
        #expect(audit.items.allSatisfy { $0.toOffset != nil })

        // The console's outcome look-up finds the verdict of a replayed record.
        let finder = ReplayOutcomeFinder(config: config, logger: reviewTestLogger)
        let item = try #require(audit.items.first)
        let written = Origin(topic: item.toTopic, partition: try #require(item.toPartition), offset: try #require(item.toOffset))
        let outcome = try finder.outcome(of: written, replayedAtMs: audit.replayedAtMs)
        #expect(outcome?.verdict == "accepted")
        #expect(outcome?.topic == Topic.eventsAccepted)

        // A second replay of the same records: duplicates, by design.
        let second = try await runGovernor(["dlq", "replay"] + brokers + before + ["--reviewer", "bob"])
        #expect(second.status == 0, "\(second.err)")
        #expect(second.err.contains("3 of these record(s) were replayed before"), "\(second.err)")
        let duplicates = try await eventually(timeout: .seconds(60)) {
            try values(Topic.eventsFiltered, config, ids: Set(lost)).filter { $0["reason"]?.stringValue == "duplicate" }.count == 3
        }
        #expect(duplicates, "the second replay did not give duplicates:\n\(run.output)")
        #expect(try values(Topic.eventsAccepted, config, ids: Set(lost)).count == 3)

        // --skip-replayed leaves them out; show names the replays.
        let skipped = try await runGovernor(["dlq", "replay"] + brokers + before + ["--skip-replayed", "--dry-run"])
        #expect(skipped.err.contains("leaving out 3 record(s) replayed before"), "\(skipped.err)")
        let show = try await runGovernor(["dlq", "show"] + brokers + ["lost-2"])
        #expect(show.status == 0, "\(show.err)")
        #expect(show.out.contains("reason:       unknown_workspace"), "\(show.out)")
        #expect(show.out.contains("\"message_id\": \"lost-2\""), "\(show.out)")
        #expect(show.out.components(separatedBy: "replayed:").count == 3, "two replays expected: \(show.out)")
    }
}
