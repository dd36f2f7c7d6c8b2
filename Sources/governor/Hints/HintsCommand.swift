import ArgumentParser
import Governance
import HTTPServing
import Hummingbird
import Kafka
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

extension Governor {
    /// `governor hints`: the SDK bootstrap hints of SPEC §7.
    struct Hints: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the SDK bootstrap hints of governance-hints over HTTP.",
            subcommands: [Serve.self]
        )
    }
}

extension Governor.Hints {
    /// `governor hints serve`: governance-hints as a table, served to SDKs.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve GET /v1/sdk/bootstrap/{workspace_id} from governance-hints.",
            discussion: """
                Reads governance-hints from the beginning (the latest hint per workspace) and follows it, \
                so a new hint is served as soon as the processor publishes it. Answers with the hint \
                record's value, Cache-Control: max-age=<ttl_seconds> and an ETag (304 on a matching \
                If-None-Match), 404 for an unknown workspace. Also serves /metrics, /healthz and /readyz \
                (ready once the topic has been read up to where it ended at start). Stops on SIGINT or SIGTERM.
                """
        )

        @OptionGroup var kafka: KafkaOptions

        @Option(
            help: ArgumentHelp("Serve HTTP on host:port (0.0.0.0:9465 for every interface).", valueName: "host:port"),
            transform: parseHTTPAddress)
        var http = HTTPAddress.loopback(port: 9465)

        @Option(help: "The topic of the hints.")
        var topic = Topic.governanceHints

        func run() async throws {
            let logger = commandLogger("hints")
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            let table = HintTable(logger: logger)
            let follower: TopicFollower
            do {
                follower = try TopicFollower(config: try kafka.config, topic: topic, logger: logger) { table.apply($0) }
            } catch {
                printError("error: cannot read \(topic): \(error). Check --brokers, the -X settings, and that the topics exist (governor topics apply).")
                throw ExitCode.failure
            }
            let router = Router()
            router.addOperationalRoutes(registry: registry, ready: { follower.caughtUp })
            router.addHintRoutes(table: table, caughtUp: { follower.caughtUp })
            let address = http
            let application = HTTPServer.application(router: router, settings: HTTPServerSettings(address: http), logger: logger) { port in
                printError("hints: serving GET /v1/sdk/bootstrap/{workspace_id} on http://\(HTTPAddress(host: address.host, port: port))/")
            }
            follower.start()
            defer { follower.stop() }
            let group = ServiceGroup(configuration: .init(
                services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch {
                printError("error: cannot serve HTTP on \(http): \(error); choose another --http address (host:port)")
                throw ExitCode.failure
            }
        }
    }
}
