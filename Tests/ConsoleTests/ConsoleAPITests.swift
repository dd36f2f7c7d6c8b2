import Console
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Governance
import HTTPServing
import JSON
import Kafka
import Logging
import Review
import Synchronization
import Testing
import Topology

let consoleTestLogger: Logger = {
    var logger = Logger(label: "console-tests")
    logger.logLevel = .warning
    return logger
}()

/// The server logs a cancelled shutdown as errors; the tests end it by cancelling.
let quietServerLogger: Logger = {
    var logger = Logger(label: "console-tests-server")
    logger.logLevel = .critical
    return logger
}()

/// A console served on a free port over an index filled by hand, with a producer on
/// an in-process mock cluster; stopped when `body` returns.
func withConsole(token: String?, _ body: (URL, ReviewIndex, MockCluster) async throws -> Void) async throws {
    let cluster = try MockCluster(brokers: 1, logger: consoleTestLogger)
    defer { cluster.close() }
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    try cluster.createTopics(try TopicsFile.load(path: repo.appendingPathComponent("topics.yaml").path))
    let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
    let index = try ReviewIndex(path: nil)
    let original = #"{"message_id":"m1","workspace_id":"ws_a","source_id":"web","type":"track","event":"e","customer_id":"c"}"#
    var event = JSONObject()
    for (name, value) in [("scope", JSONValue.string("event")), ("reason", "unknown_workspace"), ("detail", "no config"),
                          ("workspace_id", "ws_a"), ("message_id", "m1"),
                          ("origin", ["topic": "raw-events", "partition": 3, "offset": 7]), ("stream_time_ms", 1_795_000_000_000),
                          ("dlq_at", 1_795_000_000_100), ("original_value_b64", .string(Base64.encode(Array(original.utf8)))),
                          ("original_key", "ws_a"), ("original_headers", [["name": "trace", "value_b64": .string(Base64.encode(Array("t".utf8)))]])] {
        event.appendUnchecked(name, value)
    }
    var trait = JSONObject()
    for (name, value) in [("scope", JSONValue.string("trait")), ("reason", "reserved_prefix"), ("detail", "reserved"),
                          ("workspace_id", "ws_a"), ("message_id", "m2"), ("origin", ["topic": "raw-events", "partition": 3, "offset": 8]),
                          ("stream_time_ms", 1_795_000_001_000), ("dlq_at", 1), ("trait_key", "$x"), ("normalized_key", "x"), ("action", "dropped")] {
        trait.appendUnchecked(name, value)
    }
    try index.ingest([
        KafkaMessage(topic: Topic.eventsDLQ, partition: 3, offset: 0, key: Array("ws_a".utf8), value: JSONValue.object(event).serializedBytes,
                     timestampMs: 1_795_000_000_000),
        KafkaMessage(topic: Topic.eventsDLQ, partition: 3, offset: 1, key: Array("ws_a".utf8), value: JSONValue.object(trait).serializedBytes,
                     timestampMs: 1_795_000_001_000),
    ])
    let server = ConsoleServer(
        index: index, replayer: Replayer(index: index, producer: try KafkaProducer(config: config, logger: consoleTestLogger)),
        outcomes: ReplayOutcomeFinder(config: config, logger: consoleTestLogger), replayToken: token,
        address: HTTPAddress.loopback(port: 0), status: FollowerStatus(), logger: quietServerLogger)
    let port = Mutex<Int?>(nil)
    let serving = Task { try await server.run { bound in port.withLock { $0 = bound } } }
    defer { serving.cancel() }
    let deadline = ContinuousClock.now + .seconds(30)
    while port.withLock({ $0 }) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    let bound = try #require(port.withLock { $0 }, "the console did not start")
    try await body(URL(string: "http://127.0.0.1:\(bound)")!, index, cluster)
}

func request(_ url: URL, method: String = "GET", body: String? = nil, token: String? = nil) async throws -> (Int, JSONValue?, String) {
    var request = URLRequest(url: url)
    request.httpMethod = method
    if let body {
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    let (data, response) = try await URLSession.shared.data(for: request)
    let text = String(decoding: data, as: UTF8.self)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONParser.parse(Array(data)).value, text)
}

/// The review API over HTTP: lists and filters, a record's detail, the replay
/// preview, and the token that guards replays.
@Suite(.serialized) struct ConsoleAPITests {
    @Test(.timeLimit(.minutes(2))) func recordsDetailPreviewAndTokens() async throws {
        try await withConsole(token: "secret-token-1") { base, index, cluster in
            let (status, _, html) = try await request(base.appending(path: "/"))
            #expect(status == 200)
            #expect(html.contains("id=\"records\""))
            let (_, list, _) = try await request(URL(string: "\(base)/api/records?reason=unknown_workspace")!)
            #expect(list?["total"]?.numberValue?.int64Value == 1)
            #expect(list?["records"]?.arrayValue?.first?["id"]?.stringValue == "3:0")
            let (_, traits, _) = try await request(URL(string: "\(base)/api/records?scope=trait")!)
            #expect(traits?["records"]?.arrayValue?.first?["replayable"]?.boolValue == false)
            let (badScope, _, _) = try await request(URL(string: "\(base)/api/records?scope=nope")!)
            #expect(badScope == 400)

            let (_, detail, _) = try await request(base.appending(path: "/api/records/3/0"))
            #expect(detail?["original_json"]?.stringValue?.contains("\"message_id\": \"m1\"") == true)
            #expect(detail?["original_headers"]?.arrayValue?.first?["value"]?.stringValue == "t")
            let (missing, _, _) = try await request(base.appending(path: "/api/records/9/9"))
            #expect(missing == 404)

            let (_, preview, _) = try await request(base.appending(path: "/api/replay/preview"), method: "POST", body: #"{"filter":{"workspace":"ws_a"}}"#)
            #expect(preview?["by_topic"]?["raw-events"]?.numberValue?.int64Value == 1)
            #expect(preview?["refused_trait"]?.numberValue?.int64Value == 1)

            let replay = #"{"records":["3:0"],"reviewer":"eve"}"#
            let (noToken, _, _) = try await request(base.appending(path: "/api/replay"), method: "POST", body: replay)
            #expect(noToken == 401)
            let (wrongToken, _, _) = try await request(base.appending(path: "/api/replay"), method: "POST", body: replay, token: "secret-token-2")
            #expect(wrongToken == 401)
            let (noReviewer, _, _) = try await request(base.appending(path: "/api/replay"), method: "POST", body: #"{"records":["3:0"]}"#, token: "secret-token-1")
            #expect(noReviewer == 400)
            let (everything, _, _) = try await request(base.appending(path: "/api/replay"), method: "POST", body: #"{"filter":{},"reviewer":"eve"}"#, token: "secret-token-1")
            #expect(everything == 400)
            let (ok, result, text) = try await request(base.appending(path: "/api/replay"), method: "POST", body: replay, token: "secret-token-1")
            #expect(ok == 200, "\(text)")
            #expect(result?["replayed"]?.numberValue?.int64Value == 1)

            // The audit reached dlq-replays, marked as a console replay by eve.
            let follower = IndexFollower(index: index, config: KafkaConfig(bootstrapServers: cluster.bootstrapServers),
                                         topics: [Topic.dlqReplays], logger: consoleTestLogger)
            try follower.catchUp(timeout: .seconds(30))
            let (_, audit, _) = try await request(base.appending(path: "/api/audit"))
            let entry = audit?["replays"]?.arrayValue?.first
            #expect(entry?["reviewer"]?.stringValue == "eve")
            #expect(entry?["via"]?.stringValue == "console")
            #expect(entry?["count"]?.numberValue?.int64Value == 1)
        }
    }

    /// Without a configured token, replays are refused outright.
    @Test(.timeLimit(.minutes(2))) func replaysDisabledWithoutAToken() async throws {
        try await withConsole(token: nil) { base, _, _ in
            let (status, _, text) = try await request(base.appending(path: "/api/replay"), method: "POST",
                                                      body: #"{"records":["3:0"],"reviewer":"eve"}"#, token: "anything")
            #expect(status == 403)
            #expect(text.contains("--replay-token"))
            let (usage, _, html) = try await request(base.appending(path: "/usage"))
            #expect(usage == 200)
            #expect(html.contains("No usage snapshots yet."))
        }
    }
}
