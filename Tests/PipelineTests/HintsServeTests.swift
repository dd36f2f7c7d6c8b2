import Foundation
import Glibc
import Governance
import JSON
import Kafka
import RecordFile
import Testing
import TestSupport

/// `governor hints serve` beside `governor run`: the SPEC §7 hint of a workspace is
/// served with Cache-Control and ETag, 304 on a matching If-None-Match, 404 for an
/// unknown workspace, and a new hint is served once the processor publishes it.
@Suite(.serialized) struct HintsServeTests {
    @Test(.timeLimit(.minutes(4))) func servesAndUpdatesTheHint() async throws {
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        let config = #"{"workspace_id":"ws_h","org_id":"org_h","plan":"trial","limits":{"unique_event_names":5}}"#
        try produce([record("workspace-config", config, at: 1_795_000_000_000),
                     track("custom_a", at: 1_795_000_001_000), track("custom_b", at: 1_795_000_002_000)], to: cluster)

        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("hints-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let binary = try locateGovernorBinary()
        let processor = GovernorInstance(
            instanceID: "hints-run", binary: binary,
            arguments: ["run", "--brokers", cluster.bootstrapServers, "--group", "hints", "--session-timeout-ms", "3000"],
            logDirectory: logs)
        try processor.start()
        defer { processor.killNow() }
        let (server, log, port) = try await startServer(binary: binary, brokers: cluster.bootstrapServers, logs: logs)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() } }

        let path = "/v1/sdk/bootstrap/ws_h"
        let first = expectedHint(["custom_a", "custom_b"], remaining: 3)
        #expect(await pollUntil(timeout: .seconds(90)) { hintValue(httpRequest(port: port, path: path)) == first },
                "never served \(first):\n\(log())\n\(processor.currentLog)")
        let served = try #require(httpRequest(port: port, path: path))
        #expect(served.headers["cache-control"] == "max-age=300")
        #expect(served.headers["content-type"] == "application/json")
        let etag = try #require(served.headers["etag"])
        #expect(httpRequest(port: port, path: path, headers: ["If-None-Match": etag])?.status == 304)
        #expect(httpRequest(port: port, path: path, headers: ["If-None-Match": "\"other\""])?.status == 200)
        #expect(httpRequest(port: port, path: "/v1/sdk/bootstrap/ws_unknown")?.status == 404)
        #expect(httpRequest(port: port, path: "/readyz")?.status == 200)
        // The gauge is set after the batch that stored the hint.
        #expect(await pollUntil(timeout: .seconds(10)) {
            httpRequest(port: port, path: "/metrics")?.body.contains("governor_hints_workspaces 1") == true
        })

        try produce([track("custom_c", at: 1_795_000_003_000)], to: cluster)
        let second = expectedHint(["custom_a", "custom_b", "custom_c"], remaining: 2)
        #expect(await pollUntil(timeout: .seconds(60)) { hintValue(httpRequest(port: port, path: path)) == second },
                "the new hint was not served:\n\(log())")
        let updated = httpRequest(port: port, path: path, headers: ["If-None-Match": etag])
        #expect(updated?.status == 200, "the old ETag must not match the new hint")
        #expect(updated?.headers["etag"] != etag)

        kill(server.processIdentifier, SIGTERM)
        #expect(await pollUntil(timeout: .seconds(30)) { !server.isRunning })
        #expect(server.terminationStatus == 0, "\(log())")
    }

    /// On the real-broker tier, hints written in a transaction (as the processor writes
    /// them under exactly-once): the partition's last offset is the commit marker,
    /// which no record reaches, and the server is still ready and serves the hint.
    @Test(.timeLimit(.minutes(2)), .enabled(if: NoidaBroker.binary != nil, Comment(rawValue: NoidaBroker.unavailable)))
    func hintsWrittenInATransactionAreReadToTheirEnd() async throws {
        let broker = try NoidaBroker()
        _ = try KafkaAdmin(config: broker.kafka, logger: crashLogger)
            .createTopics([TopicSpec(name: Topic.governanceHints, partitions: 2)])
        let hint = expectedHint(["custom_a"], remaining: 4)
        let producer = try TransactionalProducer(config: broker.kafka, transactionalID: "hints-tx", logger: crashLogger)
        try producer.initTransactions()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: Topic.governanceHints, key: "ws_h", value: hint.serializedBytes))
        _ = try producer.commitTransaction()

        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("hints-tx-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let (server, log, port) = try await startServer(binary: try locateGovernorBinary(), brokers: broker.bootstrapServers,
                                                        logs: logs)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() } }
        #expect(await pollUntil(timeout: .seconds(30)) { httpRequest(port: port, path: "/readyz")?.status == 200 },
                "never ready:\n\(log())")
        #expect(hintValue(httpRequest(port: port, path: "/v1/sdk/bootstrap/ws_h")) == hint)
    }

    /// Starts `governor hints serve` on a port the system picks (it logs which); the
    /// caller kills it. Returns the process, its log and the port.
    private func startServer(binary: URL, brokers: String, logs: URL) async throws
        -> (server: Process, log: @Sendable () -> String, port: Int) {
        let server = Process()
        server.executableURL = binary
        server.arguments = ["hints", "serve", "--brokers", brokers, "--http", "127.0.0.1:0"]
        let serverLog = logs.appendingPathComponent("hints-serve.log")
        _ = FileManager.default.createFile(atPath: serverLog.path, contents: nil)
        server.standardError = try FileHandle(forWritingTo: serverLog)
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        let log: @Sendable () -> String = {
            String(decoding: FileManager.default.contents(atPath: serverLog.path) ?? Data(), as: UTF8.self)
        }
        do {
            #expect(await pollUntil(timeout: .seconds(30)) { log().contains("serving GET") }, "\(log())")
            let port = try #require(log().firstMatch(of: /on http:\/\/127\.0\.0\.1:(\d+)\//).flatMap { Int($0.1) }, "\(log())")
            return (server, log, port)
        } catch {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            throw error
        }
    }

    private func expectedHint(_ names: [String], remaining: Int) -> JSONValue {
        SDKHint(workspaceID: "ws_h", organizationID: "org_h", filter: BloomFilter(members: names),
                remainingNewNames: remaining, graceActive: false).json
    }

    private func hintValue(_ response: HTTPTestResponse?) -> JSONValue? {
        guard let response, response.status == 200 else { return nil }
        return try? JSONParser.parse(response.body).value
    }

    private func track(_ name: String, at timestampMs: Int64) -> RecordLine {
        record("raw-events", #"{"message_id":"h_\#(name)","workspace_id":"ws_h","source_id":"web","type":"track","event":"\#(name)","customer_id":"c1"}"#,
               at: timestampMs)
    }

    private func record(_ topic: String, _ value: String, at timestampMs: Int64) -> RecordLine {
        RecordLine(line: 0, topic: topic, key: "ws_h", timestampMs: timestampMs, value: Array(value.utf8))
    }
}
