import CoreMetrics
import Hummingbird
import HummingbirdTesting
import HTTPServing
import Logging
import Prometheus
import Synchronization
import Testing

@Suite struct OperationalRoutesTests {
    /// /metrics carries the registry, /healthz always answers, /readyz follows readiness.
    @Test func metricsHealthAndReadiness() async throws {
        let registry = PrometheusCollectorRegistry()
        // As the processor does: swift-metrics counters through the registry's factory.
        PrometheusMetricsFactory(registry: registry)
            .makeCounter(label: "governor_verdicts_total", dimensions: [("verdict", "filtered"), ("reason", "bot")]).increment(by: 4)
        let ready = Atomic<Bool>(false)
        let router = Router()
        router.addOperationalRoutes(registry: registry, ready: { ready.load(ordering: .relaxed) })
        let app = HTTPServer.application(
            router: router, settings: HTTPServerSettings(address: .loopback(port: 0)), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(String(buffer: response.body).contains(#"governor_verdicts_total{verdict="filtered",reason="bot"} 4"#))
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == "not ready\n")
            }
            ready.store(true, ordering: .relaxed)
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/nowhere", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/healthz", method: .post) { #expect($0.status != .ok) }
        }
    }

    /// Over a real socket: the application binds the loopback address and serves.
    @Test func servesOnALiveSocket() async throws {
        let router = Router()
        router.addOperationalRoutes(registry: PrometheusCollectorRegistry(), ready: { true })
        let app = HTTPServer.application(
            router: router, settings: HTTPServerSettings(address: .loopback(port: 0)), logger: Logger(label: "test"))
        try await app.test(.live) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.init("Server")!] == "event-governor")
            }
        }
    }
}
