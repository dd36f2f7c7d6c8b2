import ArgumentParser
import Dispatch
import Foundation
import Governance
import HTTPServing
import Hummingbird
import Kafka
import Logging
import Metrics
import Pipeline
import Prometheus
import RecordFile
import ServiceLifecycle
import UnixSignals

extension Governor {
    /// `governor run`: one member of the processor consumer group.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the stream processor: a consumer-group member governing raw-events and outbound-messages.",
            discussion: """
                Reads workspace-config in full, restores each assigned partition from governor-changelog, \
                and commits outputs, changelog and offsets every commit interval (one transaction per \
                interval with --processing-guarantee exactly_once, the default). Stops cleanly on SIGINT \
                or SIGTERM: commits, then leaves the group. --instance-id is this instance's stable identity: \
                its transactional.id (a restarted instance fences its predecessor) and its group.instance.id \
                (static membership: a restart within the session timeout keeps the partitions).
                """
        )

        @OptionGroup var kafka: KafkaOptions

        @Option(help: "The consumer group; every instance of one deployment uses the same.")
        var group = "event-governor"

        @Option(help: "This instance's id: unique in the group, the same across its restarts (a StatefulSet pod name). Sets its transactional.id and group.instance.id. Default: the host name.")
        var instanceId: String?

        @Flag(help: "Join the group as a dynamic member instead of a static one (no group.instance.id).")
        var noStaticMembership = false

        @Option(help: "exactly_once or at_least_once.")
        var processingGuarantee = "exactly_once"

        @Option(help: "Milliseconds between commits.")
        var commitIntervalMs = 100

        @Option(help: "Write a full snapshot of a partition's state to the changelog once this many changelog bytes, and at least as many as the last snapshot wrote, followed the last one.")
        var snapshotEveryBytes = 1 << 20

        @Option(help: "Write a snapshot of more live state entries than this over several commits, a slice of workspaces each, so that no commit carries a whole partition's state.")
        var snapshotSliceEntries = ChangelogTarget.defaultSnapshotSliceEntries

        @Option(help: "session.timeout.ms of the group membership.")
        var sessionTimeoutMs = 10_000

        @Option(help: "Failed commits in a row (each backed off, 1 s doubling to 30 s; a fatal producer error replaces the producer) after which the process exits non-zero, to be restarted.")
        var maxConsecutiveCommitFailures = 10

        @Option(
            help: ArgumentHelp(
                "Serve /metrics (Prometheus), /healthz and /readyz on host:port, e.g. 127.0.0.1:9464 (0.0.0.0:9464 for every interface).",
                valueName: "host:port"),
            transform: parseHTTPAddress)
        var http: HTTPAddress?

        @Option(help: .hidden)
        var metricsPort: Int?

        @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
        var logLevel = "info"

        func validate() throws {
            guard ProcessorOptions.Guarantee(rawValue: processingGuarantee) != nil else {
                throw ValidationError("--processing-guarantee must be exactly_once or at_least_once")
            }
            if let metricsPort, !(1...65_535).contains(metricsPort) {
                throw ValidationError("--metrics-port must be between 1 and 65535 (it is deprecated: use --http 127.0.0.1:PORT)")
            }
            if http != nil && metricsPort != nil {
                throw ValidationError("give --http only (--metrics-port is its deprecated alias)")
            }
            guard !group.isEmpty else { throw ValidationError("--group is empty: give the consumer group's name, e.g. --group event-governor") }
            if instanceId?.isEmpty == true {
                throw ValidationError("--instance-id is empty: give this instance's stable id (e.g. the pod name), or leave it out for the host name")
            }
            guard sessionTimeoutMs >= 1 else { throw ValidationError("--session-timeout-ms must be at least 1 (librdkafka's range is 1–3600000)") }
            guard commitIntervalMs >= 1 else { throw ValidationError("--commit-interval-ms must be at least 1") }
            guard maxConsecutiveCommitFailures >= 1 else { throw ValidationError("--max-consecutive-commit-failures must be at least 1") }
            guard snapshotEveryBytes >= 1 else { throw ValidationError("--snapshot-every-bytes must be at least 1") }
            guard snapshotSliceEntries >= 1 else { throw ValidationError("--snapshot-slice-entries must be at least 1") }
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
        }

        /// `--http`, or its deprecated alias `--metrics-port N` (the loopback address).
        private var httpAddress: HTTPAddress? {
            http ?? metricsPort.map { HTTPAddress.loopback(port: $0) }
        }

        func run() async throws {
            var logger = Logger(label: "governor.run") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            if let metricsPort { logger.warning("--metrics-port is deprecated: use --http 127.0.0.1:\(metricsPort)") }
            var options = ProcessorOptions(
                kafka: try kafka.config, group: group,
                instanceID: instanceId ?? ProcessInfo.processInfo.hostName,
                engine: EngineSettings(wallClock: RecordFileReader.systemNow))
            options.guarantee = ProcessorOptions.Guarantee(rawValue: processingGuarantee)!
            options.commitInterval = .milliseconds(commitIntervalMs)
            options.snapshotEveryBytes = snapshotEveryBytes
            options.snapshotSliceEntries = snapshotSliceEntries
            options.staticMembership = !noStaticMembership
            options.sessionTimeoutMs = sessionTimeoutMs
            options.heartbeatIntervalMs = max(100, sessionTimeoutMs / 6)
            options.commitFailurePolicy.maxConsecutiveFailures = maxConsecutiveCommitFailures
            let registry = PrometheusCollectorRegistry()
            if httpAddress != nil { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
            let processor: Processor
            do {
                processor = try Processor(options: options, logger: logger)
            } catch {
                printError("error: cannot start the processor: \(error). Check --brokers, the -X settings, and that the topics exist (governor topics apply).")
                throw ExitCode.failure
            }
            logger.info("processor starting: group \(group), instance \(options.instanceID), \(processingGuarantee), \(Allocator.description)")
            // SIGTERM and SIGINT shut the group down gracefully: the processor commits, then
            // leaves. When the processor ends, the HTTP server goes with it; when the server
            // fails (its address taken), the processor is stopped and the error reported.
            var services = [ServiceGroupConfiguration.ServiceConfiguration(
                service: processor, successTerminationBehavior: .gracefullyShutdownGroup)]
            if let httpAddress {
                let router = Router()
                router.addOperationalRoutes(registry: registry, ready: { processor.isReady })
                let app = HTTPServer.application(
                    router: router, settings: HTTPServerSettings(address: httpAddress), logger: logger,
                    onRunning: { [logger] port in
                        logger.info("serving /metrics, /healthz and /readyz on \(HTTPAddress(host: httpAddress.host, port: port))")
                    })
                services.append(.init(service: app))
            }
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch {
                let problem = httpAddress.flatMap { httpListenProblem(error, address: $0.description) }
                printError("error: \(problem ?? "\(error)")")
                throw ExitCode.failure
            }
        }
    }
}
