import Foundation
import Glibc
import Kafka
import Testing
import TestSupport

/// `governor run --http 127.0.0.1:PORT`: `/healthz` answers while the process lives,
/// `/readyz` once its partitions are restored, `/metrics` carries verdict counters
/// by reason, and SIGTERM ends it cleanly (exit 0).
@Suite(.serialized) struct OperationalEndpointsTests {
    @Test(.timeLimit(.minutes(3))) func healthReadinessAndVerdictMetrics() async throws {
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        try produce(try readRecordFile(repositoryRoot.appendingPathComponent("Tests/Fixtures/ghosts.jsonl").path), to: cluster)
        let (instance, port) = try await GovernorInstance.startServingHTTP(name: "ops", brokers: cluster.bootstrapServers)
        defer { instance.killNow() }

        #expect(await pollUntil(timeout: .seconds(30)) { httpGet(port: port, path: "/healthz")?.status == 200 })
        #expect(await pollUntil(timeout: .seconds(60)) { httpGet(port: port, path: "/readyz")?.status == 200 },
                "never ready:\n\(instance.currentLog)")
        // Counters move when a cut commits, and a cut covers what each partition's actor has
        // governed by then: ws_g's bots and ws_g2's accepted event can land in different cuts.
        let expected = [#"governor_verdicts_total{verdict="filtered",reason="bot"} 4"#,
                        #"governor_verdicts_total{verdict="accepted",reason="none"} 3"#]
        #expect(await pollUntil(timeout: .seconds(60)) {
            guard let body = httpGet(port: port, path: "/metrics")?.body else { return false }
            let lines = Set(body.split(separator: "\n").map(String.init))
            return expected.allSatisfy(lines.contains)
        }, "\(httpGet(port: port, path: "/metrics")?.body ?? "no /metrics")")
        #expect(httpGet(port: port, path: "/nowhere")?.status == 404)
        let ended = await instance.signal(SIGTERM, timeout: .seconds(30))
        #expect(ended?.status == 0, "\(instance.currentLog)")
    }
}
