import ArgumentParser
import Foundation
import Governance
import JSON
import Kafka
import Logging
import RecordFile
import Topology

extension Governor {
    /// `governor bench`: one honest benchmark over the same generated records:
    /// consume-only, passthrough, the full exactly-once pipeline, the offline engine,
    /// and a kcat consume→produce pipe, the reference the pipeline is held to.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure consume-only, passthrough, the full pipeline, the offline engine and a kcat pipe over the same generated records.",
            discussion: """
                Without --brokers the run uses an embedded mock cluster with the topics of topics.yaml; \
                with --brokers the topics must exist (governor topics apply) and should be empty. \
                The pipeline is `governor run` (exactly-once) as a child of this binary, timed from its \
                start until every input record's verdict can be read. The kcat pipe (kcat -C | kcat -P over \
                the same raw events) runs when kcat is found (--kcat, or on the PATH). Progress goes to stderr; \
                figures to stdout (--json for machines). See docs/BENCHMARKS.md.
                """,
            subcommands: [Memory.self]
        )

        @Option(help: "Number of generated raw-event and outbound-message records.")
        var events = 20_000

        @Option(help: "Seed of the generator (the same seed gives the same records).")
        var seed: UInt64 = 42

        @Option(help: "Workspaces carrying the load (default: the demo workload's 6). Records are keyed by workspace, so more workspaces spread them over more partitions and actors.")
        var workspaces: Int?

        @Option(help: "The largest contact pool of a workspace (default 5000; the other pools keep their proportion).")
        var contacts: Int?

        @Option(help: "Bootstrap servers of a cluster to use instead of the embedded mock cluster.")
        var brokers: String?

        @Option(help: "The topics file for the embedded mock cluster (default: the topics built into the binary).")
        var topicsFile: String?

        @Option(help: "Records of the verdict-latency phase (produced with CreateTime = now; default 2,000, or one second's worth with --latency-rate half).")
        var latencyRecords: Int?

        @Option(help: "Records per second of the verdict-latency phase, or `half`: half the warm rate this run measured (issue 11's target is p99 at half the maximum).")
        var latencyRate = LatencyRate.perSecond(1_000)

        @Option(help: "Seconds of records sent at --latency-rate before the measured ones (the restarted instance's first transactions).")
        var latencyWarmupSeconds = 3.0

        @Option(help: "Stream time of the first record, ms since the epoch (default: the generated stream, cold and warm records, ends now, so the latency phase's records, stamped now, continue it and a real cluster's time retention keeps it).")
        var startMs: Int64?

        @Option(help: "Log level of the `governor run` children (debug: every transaction's phases; their logs are removed at the end).")
        var childLogLevel = "info"

        @Option(help: "The kcat binary of stage (e), a kcat consume→produce pipe over the same raw events (default: kcat on the PATH; the stage is left out when there is none).")
        var kcat: String?

        @Flag(help: "Print the figures as one JSON object.")
        var json = false

        func validate() throws {
            guard events >= 1 else { throw ValidationError("--events must be at least 1") }
            guard Logger.Level(rawValue: childLogLevel) != nil else {
                throw ValidationError("--child-log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            // The generator adds to it record by record: a start outside the stream times
            // the engine governs would trap there (or only feed `invalid_timestamp`).
            if let startMs, !StreamTimeRange.contains(startMs) {
                throw ValidationError("--start-ms must be between \(StreamTimeRange.lowest) and \(StreamTimeRange.highest) (1970-01-01 through 9999-12-31, ms since the epoch)")
            }
            if let workspaces, workspaces < DemoWorkload.configs.count {
                throw ValidationError("--workspaces must be at least \(DemoWorkload.configs.count) (one of each kind of workspace in the demo workload)")
            }
            if let contacts, contacts < 1 { throw ValidationError("--contacts must be at least 1") }
            guard latencyWarmupSeconds >= 0, latencyWarmupSeconds <= 600 else {
                throw ValidationError("--latency-warmup-seconds must be between 0 and 600")
            }
            if let kcat, !FileManager.default.isExecutableFile(atPath: kcat) {
                throw ValidationError("--kcat \(kcat) is not an executable file: give the path of kcat (apt-get install kcat), or leave the option out to use the one on the PATH")
            }
            guard latencyRecords ?? 1 >= 1, latencyRate.fixed ?? 1 >= 1 else {
                throw ValidationError("--latency-records and --latency-rate must be at least 1")
            }
        }

        func run() throws {
            let logger = commandLogger("bench")
            let progress: (String) -> Void = { printError($0) }
            let start = startMs ?? startEndingNow()
            let workload = DemoWorkload(events: events, startMs: start, seed: seed, workspaces: workspaces, contacts: contacts)
            progress("bench: generating \(events) records (seed \(seed), \(workload.workspaceConfigs.count) workspaces)")
            let records = Array(workload)

            progress("bench: (d) offline engine")
            let offline = BenchStages.offline(records)

            var cluster: MockCluster?
            defer { cluster?.close() }
            let bootstrap: String
            let passthroughTopic = "governor-bench-passthrough"
            let kcatTopic = "governor-bench-kcat"
            if let brokers {
                bootstrap = brokers
                let admin = try KafkaAdmin(config: KafkaConfig(bootstrapServers: brokers), logger: logger)
                let errors = try admin.createTopics([TopicSpec(name: passthroughTopic, partitions: 6),
                                                     TopicSpec(name: kcatTopic, partitions: 6)])
                for topic in [passthroughTopic, kcatTopic] {
                    if let error = errors[topic], error.code != .topicAlreadyExists { throw error }
                }
            } else {
                let topics = try loadTopics(topicsFile, option: "--topics-file")
                let mock = try MockCluster(brokers: 1, logger: logger)
                try mock.createTopics(topics)
                for topic in [passthroughTopic, kcatTopic] {
                    try mock.createTopic(topic, partitions: topics["raw-events"]?.partitions ?? 6)
                }
                cluster = mock
                bootstrap = mock.bootstrapServers
            }
            var stages = BenchStages(config: KafkaConfig(bootstrapServers: bootstrap), logger: logger, records: records,
                                     progress: progress)
            // The warm phase: as many records again, the stream continued a second later.
            stages.warmRecords = Array(DemoWorkload(events: events, startMs: (records.last?.timestampMs ?? 0) + 1_000,
                                                    seed: seed &+ 1, workspaces: workspaces, contacts: contacts))
                .filter { $0.topic != "workspace-config" }
            stages.latencyWorkspaces = workload.workspaceConfigs.compactMap { $0["workspace_id"]?.stringValue }
            stages.latencyWarmupSeconds = latencyWarmupSeconds
            stages.childLogLevel = childLogLevel
            if cluster != nil { stages.mockFetchWaitMs = 10 }
            progress("bench: producing the records to \(bootstrap)")
            try stages.produceAll()
            progress("bench: (a) consume-only")
            let consumeOnly = try stages.consumeOnly()
            progress("bench: (b) consume→produce passthrough")
            let passthrough = try stages.passthrough(to: passthroughTopic)
            var kcatPipe: StageFigure?
            if let kcatBinary = kcat.map({ URL(fileURLWithPath: $0) }) ?? BenchStages.kcatOnPath() {
                progress("bench: (e) kcat consume→produce pipe (\(kcatBinary.path))")
                kcatPipe = try stages.kcatPipe(kcat: kcatBinary, to: kcatTopic)
            } else {
                progress("bench: (e) kcat pipe left out: no kcat on the PATH (apt-get install kcat, or --kcat PATH)")
            }
            progress("bench: (c) governor run, exactly-once")
            let pipeline = try stages.pipeline(group: "governor-bench-\(getpid())", latencyCount: latencyRecords,
                                               latencyRate: latencyRate)

            let figures = BenchFigures(events: events, seed: seed, startMs: start, workspaces: workload.workspaceConfigs.count,
                                       contacts: contacts ?? DemoWorkload.defaultLargestContactPool,
                                       brokers: brokers ?? "embedded mock cluster",
                                       consumeOnly: consumeOnly, passthrough: passthrough, pipeline: pipeline,
                                       offline: offline, kcatPipe: kcatPipe)
            print(json ? figures.json : figures.report)
        }

        /// The start at which the cold and the warm records (`run()`) end a second
        /// before now. A stream that ended weeks before the latency phase's records
        /// made their first round expire every deduplication id at once (one tombstone
        /// each: ~100,000 changelog records), and a real cluster's 7-day retention
        /// deletes records stamped earlier as soon as they are written.
        private func startEndingNow() -> Int64 {
            func last(of workload: DemoWorkload) -> Int64 {
                var last = workload.startMs
                for record in workload { last = record.timestampMs }
                return last
            }
            let cold = DemoWorkload(events: events, seed: seed, workspaces: workspaces, contacts: contacts)
            let coldEnd = last(of: cold)
            let warmEnd = last(of: DemoWorkload(events: events, startMs: coldEnd + 1_000, seed: seed &+ 1,
                                                workspaces: workspaces, contacts: contacts))
            let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
            return nowMs - 1_000 - (warmEnd - cold.startMs)
        }
    }
}
