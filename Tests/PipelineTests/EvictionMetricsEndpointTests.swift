import Foundation
import Glibc
import Kafka
import RecordFile
import Testing
import TestSupport

/// `governor_evictions_total{structure}` on `/metrics` of a running `governor run --http`
/// (issue 14 item 5): a flood of 1,000 connections that never disconnect, then a record
/// of the same workspace 32 days later; every connection has been idle for more than
/// `ConnectionMeter.maxIdle` (31 days) and is closed, and the counter says so.
@Suite(.serialized) struct EvictionMetricsEndpointTests {
    static let t0: Int64 = 1_795_000_000_000
    static let flood = 1_000

    static func lines() -> [RecordLine] {
        let config = #"{"workspace_id":"ws_flood","org_id":"org_1","plan":"enterprise","mau_mode":"connections","#
            + #""limits":{"contact_events_per_second":-1,"source_events_per_second":-1,"workspace_events_per_second":-1}}"#
        var lines = [RecordLine(line: 1, topic: "workspace-config", key: "ws_flood", timestampMs: t0, value: Array(config.utf8))]
        for index in 0..<flood {
            let value = #"{"message_id":"m\#(index)","workspace_id":"ws_flood","source_id":"app","type":"connection","#
                + #""event":"connect","customer_id":"c\#(index)","context":{"connection_id":"conn\#(index)"}}"#
            lines.append(RecordLine(line: index + 2, topic: "raw-events", key: "ws_flood", timestampMs: t0 + Int64(index) * 10,
                                    value: Array(value.utf8)))
        }
        let later = #"{"message_id":"later","workspace_id":"ws_flood","source_id":"app","type":"track","#
            + #""event":"page_view","customer_id":"c0"}"#
        lines.append(RecordLine(line: flood + 2, topic: "raw-events", key: "ws_flood",
                                timestampMs: t0 + 32 * 86_400_000, value: Array(later.utf8)))
        return lines
    }

    @Test(.timeLimit(.minutes(3))) func idleConnectionsClosedAreCountedOnMetrics() async throws {
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        try produce(Self.lines(), to: cluster)
        let (instance, port) = try await GovernorInstance.startServingHTTP(name: "evict", brokers: cluster.bootstrapServers)
        defer { instance.killNow() }
        let closed = #"governor_evictions_total{structure="open_connections"} \#(Self.flood)"#
        #expect(await pollUntil(timeout: .seconds(90)) { httpGet(port: port, path: "/metrics")?.body.contains(closed) == true },
                "\(httpGet(port: port, path: "/metrics")?.body ?? "no /metrics")\n\(instance.currentLog)")
        let accepted = #"governor_verdicts_total{verdict="accepted",reason="none"} \#(Self.flood + 1)"#
        #expect(await pollUntil(timeout: .seconds(30)) { httpGet(port: port, path: "/metrics")?.body.contains(accepted) == true },
                "\(httpGet(port: port, path: "/metrics")?.body ?? "no /metrics")")
        let ended = await instance.signal(SIGTERM, timeout: .seconds(30))
        #expect(ended?.status == 0, "\(instance.currentLog)")
    }
}
