import Foundation
import Governance
import JSON
import Kafka
import Pipeline
import Testing

/// Hostile Kafka records through the real pipeline (docs/RELIABILITY.md §11): a record
/// can be hostile in ways a record file cannot (null value, null or non-UTF-8 key,
/// header names and values, CreateTime -1 / 0 / year 9999+, a 900 KB value). Each
/// hostile record on `raw-events` / `outbound-messages` is followed by a good one on the
/// same partition; every input gets exactly one verdict, the partition keeps being
/// governed and committed, and the outputs are what `governor check` gives for the
/// records as consumed (key, value, headers, timestamp).
@Suite(.serialized) struct HostilePipelineInputTests {
    static let workspace = "ws_h"
    static let org = "org_h"
    static let base: Int64 = 1_795_000_000_000
    static let partitions = 12

    /// One record to produce, exactly as given.
    struct Input {
        var topic: String
        var key: [UInt8]?
        var value: [UInt8]?
        var headers: [KafkaHeader] = []
        var timestampMs: Int64
        var label: String
        /// The verdict expected, as "verdict/reason" ("accepted/"), where the test pins it.
        var expected: String? = nil
    }

    /// The hostile workload: hostile records on all four input topics, each followed by
    /// good ones of the same workspace on the same partition.
    /// - Parameter keylessConfig: a compacted topic on a real broker refuses a record
    ///   without a key (INVALID_RECORD), so that one is for the mock cluster only.
    static func workload(keylessConfig: Bool = true) -> [Input] {
        var inputs: [Input] = []
        var clock = base
        var goods = 0
        func tick() -> Int64 { clock += 1_000; return clock }
        func raw(_ label: String, key: [UInt8]? = Array(workspace.utf8), _ value: [UInt8]?, headers: [KafkaHeader] = [],
                 timestamp: Int64? = nil, _ expected: String = "dlq/malformed_json") {
            inputs.append(Input(topic: Topic.rawEvents, key: key, value: value, headers: headers,
                                timestampMs: timestamp ?? tick(), label: label, expected: expected))
        }
        func outbound(_ label: String, key: [UInt8]? = Array(workspace.utf8), _ value: [UInt8]?,
                      headers: [KafkaHeader] = [], timestamp: Int64? = nil, _ expected: String = "dlq/malformed_json") {
            inputs.append(Input(topic: Topic.outboundMessages, key: key, value: value, headers: headers,
                                timestampMs: timestamp ?? tick(), label: label, expected: expected))
        }
        func config(_ label: String, key: [UInt8]? = Array(workspace.utf8), _ value: [UInt8]?) {
            inputs.append(Input(topic: Topic.workspaceConfig, key: key, value: value, timestampMs: tick(), label: label))
        }
        func request(_ label: String, _ value: [UInt8]?, timestamp: Int64? = nil) {
            inputs.append(Input(topic: Topic.notificationRequests, key: Array(org.utf8), value: value,
                                timestampMs: timestamp ?? tick(), label: label))
        }
        /// A good event and a good send: the partition must keep governing after each hostile record.
        func good() {
            goods += 1
            raw("good event \(goods)", bytes(#"{"message_id":"g\#(goods)","workspace_id":"ws_h","source_id":"web","type":"track","event":"order_placed","customer_id":"c\#(goods % 7)"}"#), "accepted/")
            var send = Input(topic: Topic.outboundMessages, key: Array(workspace.utf8),
                             value: bytes(#"{"message_id":"s\#(goods)","workspace_id":"ws_h","contact_key":"c\#(goods % 5)","channel":"email"}"#),
                             timestampMs: tick(), label: "good send \(goods)")
            send.expected = nil  // allowed or capped (two a contact a day on trial): as governor check says
            inputs.append(send)
        }
        let template = #"{"message_id":"MID","workspace_id":"ws_h","source_id":"web","type":"track","event":"order_placed","customer_id":"c1"}"#
        func event(_ id: String) -> [UInt8] { bytes(template.replacing("MID", with: id)) }
        let hostileHeaders = [
            KafkaHeader(name: "h\u{0}nul", value: [0x00, 0xFF, 0xFE, 0x00]),
            KafkaHeader(name: "repeated", value: nil),
            KafkaHeader(name: "repeated", value: Array("second".utf8)),
            KafkaHeader(name: "repeated", value: []),
            KafkaHeader(name: "", value: [0xC3, 0x28]),
            KafkaHeader(name: "ünï\u{FFFF}", value: nil),
        ]

        config("good config", bytes(#"{"workspace_id":"ws_h","org_id":"org_h","plan":"trial"}"#))
        good()
        // Values.
        raw("null value", nil); good()
        raw("empty value", []); good()
        raw("invalid UTF-8", [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]); good()
        raw("NUL inside a string", bytes(template.replacing("MID", with: "n\u{0}ul"))); good()
        raw("NUL after the object", event("nul2") + [0x00]); good()
        raw("lone surrogate escape", event(#"\ud800"#)); good()
        raw("900 KB value", bytes(#"{"message_id":"big","workspace_id":"ws_h","pad":""# + String(repeating: "x", count: 900_000) + #""}"#)); good()
        raw("10,000 levels of arrays", bytes(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))); good()
        raw("10,000 levels of arrays in an object", bytes(#"{"a":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}")); good()
        raw("6,000 levels of objects", bytes(String(repeating: #"{"a":"#, count: 6_000) + "1" + String(repeating: "}", count: 6_000))); good()
        raw("top-level array", bytes("[" + template + "]")); good()
        raw("top-level number", bytes("42")); good()
        raw("top-level string", bytes(#""ws_h""#)); good()
        raw("top-level null", bytes("null")); good()
        raw("duplicate keys", bytes(#"{"message_id":"d1","message_id":"d2","workspace_id":"ws_h","workspace_id":"ws_h","source_id":"web","type":"track","event":"x","event":"order_placed","customer_id":"c1"}"#)); good()
        raw("numbers out of range", bytes(#"{"message_id":"num","workspace_id":"ws_h","source_id":"web","type":"track","event":"order_placed","customer_id":"c2","timestamp":1e400,"properties":{"count":9223372036854775808,"neg":-0,"tiny":-1e400,"small":1e-400}}"#)); good()
        raw("numeric ids", bytes(#"{"message_id":1e400,"workspace_id":"ws_h","source_id":"web","type":"track","event":"order_placed","customer_id":-0}"#)); good()
        // Keys.
        raw("null key", key: nil, event("nokey")); good()
        raw("key of another workspace", key: Array("ws_other".utf8), event("otherkey")); good()
        raw("key with invalid UTF-8", key: [0x77, 0x73, 0xFF, 0x5F, 0x68], event("badkey")); good()
        raw("key with a NUL", key: Array("ws_h\u{0}".utf8), event("nulkey")); good()
        raw("empty key", key: [], event("emptykey")); good()
        raw("100 KB key, not UTF-8", key: Array(String(repeating: "k", count: 100_000).utf8) + [0xFF], event("longkey"),
            "dlq/workspace_mismatch"); good()
        raw("200 KB of headers", [0x00], headers: [KafkaHeader(name: "big", value: Array(repeating: 0xAB, count: 200_000)),
                                                   KafkaHeader(name: "small", value: [1])]); good()
        // Headers (on a good record and on a malformed one, whose DLQ record echoes them).
        raw("hostile headers, good value", event("hdr1"), headers: hostileHeaders); good()
        raw("hostile headers, bad value", [0xFF, 0x00], headers: hostileHeaders); good()
        // CreateTime.
        raw("CreateTime -1", event("t-1"), timestamp: -1); good()
        raw("CreateTime 0", event("t0"), timestamp: 0); good()
        raw("CreateTime 1 ms", event("t1"), timestamp: 1); good()
        raw("CreateTime end of 9999", event("t9999"), timestamp: 253_402_300_799_999); good()
        raw("CreateTime year 10000", event("t10000"), timestamp: 253_402_300_800_000); good()
        raw("CreateTime Int64.max", event("tmax"), timestamp: .max); good()
        raw("CreateTime Int64.min", event("tmin"), timestamp: .min); good()
        // Outbound messages.
        outbound("outbound null value", nil); good()
        outbound("outbound wrong shape", bytes("[1,2]")); good()
        outbound("outbound invalid UTF-8", [0x7B, 0xFF, 0x7D], headers: hostileHeaders); good()
        outbound("outbound null key", key: nil, bytes(#"{"message_id":"onk","workspace_id":"ws_h","contact_key":"c_nokey","channel":"email"}"#)); good()
        outbound("outbound NUL key", key: Array("ws_h\u{0}".utf8), bytes(#"{"message_id":"onul","workspace_id":"ws_h","contact_key":"c1","channel":"email"}"#)); good()
        outbound("outbound far future", bytes(#"{"message_id":"ofut","workspace_id":"ws_h","contact_key":"c1","channel":"sms"}"#), timestamp: 253_402_300_799_999); good()
        outbound("outbound Int64.max", bytes(#"{"message_id":"omax","workspace_id":"ws_h","contact_key":"c1","channel":"sms"}"#), timestamp: .max); good()
        outbound("outbound huge numbers", bytes(#"{"message_id":"onum","workspace_id":"ws_h","contact_key":"c1","channel":"email","campaign_id":1e400}"#)); good()
        // Workspace configs: garbage and a tombstone leave the good config in force.
        config("config with garbage fields", bytes(#"{"workspace_id":"ws_h","org_id":"org_h","plan":"platinum","limits":{"unique_event_names":1e400}}"#)); good()
        config("config with a huge limit", bytes(#"{"workspace_id":"ws_h","org_id":"org_h","plan":"trial","limits":{"mau_included":9223372036854775808}}"#)); good()
        config("config tombstone", nil); good()
        config("config invalid UTF-8", [0x7B, 0xFF, 0x7D]); good()
        config("config NUL key", key: Array("ws_h\u{0}".utf8), bytes(#"{"workspace_id":"ws_h\u0000","org_id":"org_h","plan":"enterprise"}"#))
        raw("event of the NUL-keyed workspace", key: Array("ws_h\u{0}".utf8), bytes(#"{"message_id":"nulws","workspace_id":"ws_h\u0000","source_id":"web","type":"track","event":"order_placed","customer_id":"c1"}"#)); good()
        if keylessConfig { config("config null key", key: nil, bytes(#"{"workspace_id":"ws_h","org_id":"org_h","plan":"trial","consent_mode":"yes"}"#)) }; good()
        // A workspace whose only configs are garbage: its events stay unknown_workspace.
        config("garbage-only workspace", key: Array("ws_h2".utf8), bytes(#"{"workspace_id":"ws_h2","org_id":"","plan":"trial"}"#))
        config("tombstone-only workspace", key: Array("ws_h2".utf8), nil)
        raw("event of a workspace with garbage config only", key: Array("ws_h2".utf8), bytes(#"{"message_id":"u1","workspace_id":"ws_h2","source_id":"web","type":"track","event":"order_placed","customer_id":"c1"}"#)); good()
        // notification-requests: the org stage reads what anyone writes there.
        let requestBase = #"{"org_id":"org_h","workspace_id":"ws_h","cap_type":"event_name_cap","stream_time_ms":STM,"event":"e"}"#
        request("request null value", nil)
        request("request not JSON", [0xFF, 0x00, 0x7B])
        request("request wrong shape", bytes("[]"))
        request("request stream time -1", bytes(requestBase.replacing("STM", with: "-1")))
        request("request stream time Int64.max", bytes(requestBase.replacing("STM", with: "9223372036854775807")))
        request("request stream time 1e400", bytes(requestBase.replacing("STM", with: "1e400")))
        request("peak report at CreateTime -1", bytes(#"{"kind":"workspace_connections_peak","org_id":"org_h","workspace_id":"ws_h","month":"2026-11","peak":3,"open":1,"stream_time_ms":1795000000000}"#), timestamp: -1)
        request("peak report with a huge peak", bytes(#"{"kind":"workspace_connections_peak","org_id":"org_h","workspace_id":"ws_h","month":"2026-11","peak":1e400,"open":1,"stream_time_ms":1795000000000}"#))
        request("good request", bytes(requestBase.replacing("STM", with: String(clock))))
        good()
        // The verdicts pinned beyond the default (`dlq/malformed_json`): docs/RELIABILITY.md §11's table.
        let pinned: [String: String] = [
            "900 KB value": "dlq/payload_too_large", "10,000 levels of arrays in an object": "dlq/too_deeply_nested",
            "6,000 levels of objects": "dlq/payload_too_large", "duplicate keys": "accepted/",
            "numbers out of range": "accepted/", "numeric ids": "dlq/invalid_field", "null key": "accepted/",
            "key of another workspace": "dlq/workspace_mismatch", "key with invalid UTF-8": "dlq/workspace_mismatch",
            "key with a NUL": "dlq/workspace_mismatch", "empty key": "dlq/workspace_mismatch",
            "hostile headers, good value": "accepted/", "CreateTime -1": "dlq/invalid_timestamp",
            "CreateTime 0": "accepted/", "CreateTime 1 ms": "accepted/", "CreateTime end of 9999": "accepted/",
            "CreateTime year 10000": "dlq/invalid_timestamp", "CreateTime Int64.max": "dlq/invalid_timestamp",
            "CreateTime Int64.min": "dlq/invalid_timestamp", "outbound null key": "allowed/",
            "outbound NUL key": "dlq/workspace_mismatch", "outbound far future": "allowed/",
            "outbound Int64.max": "dlq/invalid_timestamp", "outbound huge numbers": "dlq/invalid_field",
            "event of the NUL-keyed workspace": "accepted/",
            "event of a workspace with garbage config only": "dlq/unknown_workspace",
        ]
        for index in inputs.indices { if let verdict = pinned[inputs[index].label] { inputs[index].expected = verdict } }
        return inputs
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The partition of `raw-events` / `outbound-messages` every hostile record is put on:
    /// the good workspace's, so a stall would show on the good records after it.
    static let partition = Murmur2.partition(for: workspace, partitionCount: partitions)

    static func produce(_ inputs: [Input], to bootstrapServers: String) throws {
        let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: bootstrapServers), logger: pipelineTestLogger)
        for input in inputs {
            let explicit: Int32? = switch input.topic {
            case Topic.rawEvents, Topic.outboundMessages: partition
            case Topic.notificationRequests: Murmur2.partition(for: org, partitionCount: partitions)
            default: input.key == nil ? 0 : nil
            }
            try producer.send(ProducerRecord(topic: input.topic, partition: explicit, key: input.key, value: input.value,
                                             headers: input.headers, timestampMs: input.timestampMs))
        }
        try producer.flush(timeout: .seconds(60)).throwIfFailed()
    }

    /// The inputs as the pipeline consumed them, in workload order (each topic's records
    /// lie on one partition in production order; configs on theirs).
    static func consumed(_ inputs: [Input], reader: TopicReader) throws -> [(input: Input, message: KafkaMessage)] {
        var byTopic: [String: [KafkaMessage]] = [:]
        for topic in [Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests, Topic.workspaceConfig] {
            // The others lie on one partition each, in offset order; configs on several:
            // their timestamps (all ordinary) give the workload's order.
            let messages = try reader.readAll(topic)
            byTopic[topic] = topic != Topic.workspaceConfig ? messages
                : messages.sorted { ($0.timestampMs, $0.offset) < ($1.timestampMs, $1.offset) }
        }
        var next: [String: Int] = [:]
        var result: [(Input, KafkaMessage)] = []
        for input in inputs {
            let index = next[input.topic, default: 0]
            next[input.topic] = index + 1
            guard let messages = byTopic[input.topic], index < messages.count else {
                Issue.record("\(input.label): not found on \(input.topic)")
                continue
            }
            result.append((input, messages[index]))
        }
        for (topic, messages) in byTopic {
            #expect(messages.count == next[topic, default: 0], "\(topic) holds \(messages.count) records")
        }
        return result
    }

    /// What `governor check` writes for the records as consumed, fed in workload order.
    static func offline(_ consumed: [(input: Input, message: KafkaMessage)]) -> [OutputRecord] {
        var run = OfflineRun(settings: EngineSettings(wallClock: { 0 }))
        var out: [OutputRecord] = []
        for (line, pair) in consumed.enumerated() where pair.message.topic != Topic.notificationRequests {
            let message = pair.message
            // As the pipeline's MessageAdapter: the exact bytes of a key that is not UTF-8.
            let key = message.keyString
            _ = run.feed(line: line + 1, topic: message.topic, key: key,
                         keyBytes: message.key.flatMap { bytes in key!.utf8.elementsEqual(bytes) ? nil : bytes }, value: message.value,
                         timestamp: message.timestampMs,
                         headers: message.headers.map { Header(name: $0.name, value: $0.value) }, into: &out)
        }
        return out
    }

    /// Checks the outputs on the cluster against the offline run and the laws of
    /// docs/RELIABILITY.md §11; returns nothing, records issues.
    static func expectGoverned(_ inputs: [Input], reader: TopicReader, label: String) throws {
        let pairs = try consumed(inputs, reader: reader)
        // What the broker handed over is what was produced (except CreateTime 0, which
        // librdkafka's producer replaces with the time of sending).
        for (input, message) in pairs {
            #expect(message.key == input.key && message.value == input.value, "\(label): \(input.label) changed on the way")
        }
        // A DLQ record echoes its input byte for byte (SPEC §6.1): value, key (the exact
        // bytes in `original_key_b64` when they are not UTF-8) and headers.
        let dlq = try reader.readAll(Topic.eventsDLQ)
        for (input, message) in pairs where input.topic == Topic.rawEvents || input.topic == Topic.outboundMessages {
            for record in dlq {
                guard let json = record.value.flatMap({ try? JSONParser.parse($0).value }), json["scope"] == "event",
                    OutputShape.origin(headers: record.governanceHeaders, value: json)
                        == Origin(topic: message.topic, partition: message.partition, offset: message.offset)
                else { continue }
                // A part over its DLQEchoBounds is left out (null) and its size said; the
                // record then stays far below the producer's message.max.bytes.
                let omitted = json["echo_omitted"]?.objectValue ?? JSONObject()
                let sizes = ["value": message.value?.count ?? 0, "key": message.key?.count ?? 0,
                             "headers": message.headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) }]
                for member in omitted.members {
                    #expect(member.value.numberValue?.int64Value == sizes[member.key].map(Int64.init),
                            "\(label): \(input.label): echo_omitted \(omitted)")
                }
                #expect((record.value?.count ?? 0) < 1_000_000 && (record.key?.count ?? 0) <= DLQEchoBounds.maxRecordKeyBytes)
                if omitted["value"] == nil {
                    #expect(json["original_value_b64"]?.stringValue.flatMap(Base64.decode) == message.value,
                            "\(label): the DLQ record of \(input.label) does not echo its value byte for byte")
                }
                if omitted["key"] == nil {
                    let key = json["original_key_b64"]?.stringValue.flatMap(Base64.decode)
                        ?? json["original_key"]?.stringValue.map { Array($0.utf8) }
                    #expect(key == message.key, "\(label): the DLQ record of \(input.label) does not echo its key byte for byte")
                }
                if omitted["headers"] == nil {
                    let headers = json["original_headers"]?.arrayValue?.map { item in
                        KafkaHeader(name: item["name"]?.stringValue ?? "?", value: item["value_b64"]?.stringValue.flatMap(Base64.decode))
                    }
                    #expect(headers == message.headers, "\(label): the DLQ record of \(input.label) does not echo its headers")
                }
            }
        }
        var expected = expectedOutputs(offline: offline(pairs), requests: try reader.readAll(Topic.notificationRequests))
        // The hand-written requests are inputs, not outputs of the engine.
        let written = pairs.filter { $0.input.topic == Topic.notificationRequests }
            .map { normalized(key: $0.message.keyString, value: $0.message.value) }
        expected[Topic.notificationRequests, default: []].append(contentsOf: written)

        var answers: [InputAddress: Int] = [:]
        var verdicts: [InputAddress: String] = [:]
        for topic in Topic.outputs {
            let records = try reader.readAll(topic)
            for record in records {
                #expect(StreamTimeRange.contains(record.timestampMs) || topic == Topic.notificationRequests,
                        "\(label): \(topic) record stamped \(record.timestampMs): \(String(decoding: record.value ?? [], as: UTF8.self).prefix(300))")
                if topic != Topic.notificationRequests {
                    #expect(record.value.flatMap { try? JSONParser.parse($0) } != nil,
                            "\(label): \(topic) record is not JSON: \(String(decoding: record.value ?? [], as: UTF8.self).prefix(300))")
                }
                let json = record.value.flatMap { try? JSONParser.parse($0).value }
                guard verdictTopics.contains(topic), !OutputShape.isSettlement(json), !OutputShape.isTraitScopeDLQ(json),
                    let origin = OutputShape.origin(headers: record.governanceHeaders, value: json)
                else { continue }
                answers[InputAddress(origin), default: 0] += 1
                let verdict = topic == Topic.eventsDLQ ? "dlq" : topic == Topic.eventsAccepted ? "accepted"
                    : json?["verdict"]?.stringValue ?? "?"
                verdicts[InputAddress(origin)] = verdict + "/" + (json?["reason"]?.stringValue ?? "")
            }
            let pipeline = records.map { normalized(key: $0.keyString, value: $0.value) }.sorted()
            let wanted = (expected[topic] ?? []).sorted()
            #expect(pipeline == wanted, """
                \(label): \(topic) has \(pipeline.count) records, expected \(wanted.count); \
                only in the pipeline: \(Set(pipeline).subtracting(wanted).prefix(2).map { $0.prefix(400) }); \
                only expected: \(Set(wanted).subtracting(pipeline).prefix(2).map { $0.prefix(400) })
                """)
        }
        // The hostile requests before it did not swallow the org's key: the good one
        // (the last request) is fanned out to its four surfaces.
        if let good = pairs.last(where: { $0.input.topic == Topic.notificationRequests })?.message,
            let time = good.value.flatMap({ try? JSONParser.parse($0).value })?["stream_time_ms"]?.numberValue?.int64Value
        {
            let notifications = try reader.readAll(Topic.governanceNotifications)
            #expect(notifications.filter { $0.timestampMs == time }.count == 4,
                    "\(label): the good request was not let through: \(notifications.map(\.timestampMs))")
        }
        // Exactly one verdict per raw event and outbound message.
        for (input, message) in pairs where input.topic == Topic.rawEvents || input.topic == Topic.outboundMessages {
            let address = InputAddress(message.topic, message.partition, message.offset)
            #expect(answers[address] == 1, "\(label): \(input.label) (\(address)) got \(answers[address] ?? 0) verdicts")
            if let expected = input.expected {
                #expect(verdicts[address] == expected, "\(label): \(input.label) got \(verdicts[address] ?? "nothing")")
            }
        }
    }

    static let verdictTopics: Set<String> = [Topic.eventsAccepted, Topic.eventsOverCap, Topic.eventsRateLimited,
                                             Topic.eventsFiltered, Topic.eventsDeferred, Topic.eventsDLQ, Topic.outboundVerdicts]

    /// Runs blocking `body` on a thread of its own: the in-process processor runs on
    /// Swift's cooperative pool (one thread per core), and a test blocking a pool thread
    /// while another (ParityTests) blocks the other starves both processors.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    @Test func everyHostileRecordGetsOneVerdictAndThePartitionKeepsGoing() async throws {
        let inputs = Self.workload()
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        try Self.produce(inputs, to: cluster.bootstrapServers)
        let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        var options = ProcessorOptions(kafka: kafka, group: "hostile", instanceID: "hostile",
                                       engine: EngineSettings(wallClock: { 0 }))
        options.sessionTimeoutMs = 3_000
        options.heartbeatIntervalMs = 500
        let runner = ProcessorRunner(processor: try Processor(options: options, logger: pipelineTestLogger))
        let reader = TopicReader(config: kafka, logger: pipelineTestLogger)
        try await Self.offThePool {
            try runner.waitUntilDrained([Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests],
                                        reader: TopicReader(config: kafka, logger: pipelineTestLogger), timeout: .seconds(60))
            try runner.stop()
        }
        try Self.expectGoverned(inputs, reader: reader, label: "in-process")
    }

    /// The same records through a `governor run` child with freed memory poisoned
    /// (docs/RELIABILITY.md §10), SIGKILLed at its first commit and restarted: it never
    /// crashes on its own, and the committed outputs are exactly those of one clean run.
    @Test func aGovernorRunChildWithFreedMemoryPoisonedSurvivesThemAndASigkill() async throws {
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        try await Self.throughAChild(bootstrapServers: cluster.bootstrapServers, label: "governor run, poisoned, SIGKILL")
    }

    /// The workload's first part produced, a `governor run` child (freed memory poisoned)
    /// SIGKILLed at its first commit and restarted, the rest produced, SIGTERM, outputs checked.
    static func throughAChild(bootstrapServers: String, label: String, realBroker: Bool = false) async throws {
        let inputs = Self.workload(keylessConfig: !realBroker)
        // The records after the SIGKILL are produced to the restarted instance, so its
        // state restored from the changelog governs them. They hold no config that
        // could apply (a config read after its events would be a race, not the test).
        let split = try #require(inputs.firstIndex { $0.label == "garbage-only workspace" })
        try Self.produce(Array(inputs[..<split]), to: bootstrapServers)
        let kafka = KafkaConfig(bootstrapServers: bootstrapServers)
        let reader = TopicReader(config: kafka, logger: pipelineTestLogger)
        let group = "hostile-run"
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-run-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let instance = GovernorInstance(
            instanceID: group, binary: try locateGovernorBinary(),
            arguments: ["run", "--brokers", bootstrapServers, "--group", group, "--session-timeout-ms", "6000"],
            logDirectory: logs)
        instance.environment = FreedMemoryTests.poisoned
        defer { instance.killNow() }
        let progress = try ChangelogProgress(config: kafka, namespace: group)
        let inputTopics = [Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests]
        /// Whether every input record (the engine's own requests included) is committed.
        func drained() throws -> Bool {
            try progress.catchUp(to: try reader.endOffsets([progress.topic])[progress.topic] ?? [:])
            let ends = try reader.endOffsets(inputTopics)
            return inputTopics.allSatisfy { topic in
                (ends[topic] ?? [:]).allSatisfy { progress.committed(topic, $0.key) >= $0.value }
            }
        }

        try instance.start()
        let committedOnce = try await pollUntil(timeout: .seconds(60)) {
            try instance.superviseExternalStops()
            try progress.catchUp(to: try reader.endOffsets([progress.topic])[progress.topic] ?? [:])
            return progress.markerCount > 0
        }
        #expect(committedOnce, "no commit within 60 s:\n\(instance.allLogs.suffix(3000))")
        let killed = await instance.signal(SIGKILL, timeout: .seconds(10))
        #expect(killed?.reason == .uncaughtSignal)
        try instance.start()
        let restored = try await pollUntil(timeout: .seconds(60)) {
            try instance.superviseExternalStops()
            return instance.currentLog.contains("restored partition \(Self.partition) ")
        }
        #expect(restored, "partition \(Self.partition) not restored within 60 s:\n\(instance.allLogs.suffix(3000))")
        try Self.produce(Array(inputs[split...]), to: bootstrapServers)
        let done = try await pollUntil(timeout: .seconds(90)) {
            try instance.superviseExternalStops()
            return try drained()
        }
        let crashed = instance.allLogs.contains("Program crashed") || instance.allLogs.contains("Fatal error")
        #expect(done && !crashed, "not drained or crashed:\n\(instance.allLogs.suffix(4000))")
        let stopped = await instance.signal(SIGTERM, timeout: .seconds(30))
        #expect(stopped?.reason == .exit && stopped?.status == 0, "governor run did not stop cleanly (\(String(describing: stopped)), \(instance.incarnation) incarnations, \(instance.externalStops) external stops, \(progress.markerCount) markers):\n\(instance.allLogs.suffix(3000))")
        try Self.expectGoverned(inputs, reader: reader, label: label)
    }
}

/// The same through a real Kafka-protocol broker (noida-db, docs/KAFKA.md): its log
/// validation, transactions and fetches instead of librdkafka's mock.
@Suite(.serialized, .enabled(if: NoidaBroker.binary != nil, Comment(rawValue: NoidaBroker.unavailable)))
struct HostilePipelineInputRealBrokerTests {
    @Test(.timeLimit(.minutes(3))) func aGovernorRunChildOnARealBrokerSurvivesThemAndASigkill() async throws {
        let broker = try NoidaBroker()
        defer { broker.stop() }
        try broker.createTopics()
        try await HostilePipelineInputTests.throughAChild(bootstrapServers: broker.bootstrapServers,
                                                          label: "governor run on noida-db, poisoned, SIGKILL", realBroker: true)
    }
}
