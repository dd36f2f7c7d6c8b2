import ArgumentParser
import Foundation
import Governance
import JSON
import Kafka
import Topology
import Logging
import Pipeline
import RecordFile

extension Governor {
    /// `governor demo`: the whole system on an embedded mock cluster.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the whole system on an embedded broker and print a readable summary.",
            discussion: """
                Starts a librdkafka mock cluster, creates the topics of topics.yaml, produces a realistic \
                generated workload (or --input FILE), runs the processor until every input is committed, \
                and summarizes verdicts by reason, MAU and peaks per workspace, and notifications. \
                --outputs DIR dumps every output topic in the layout of `governor check --outputs`.
                """
        )

        @Option(help: "A JSON-lines record file to run instead of the generated workload.")
        var input: String?

        @Option(help: "Write every output topic to DIR/<topic>.jsonl after the run.")
        var outputs: String?

        @Option(help: "Records of the generated workload (outputs are read while they are written, so the embedded broker's 5 MiB per partition holds larger runs).")
        var events = 20_000

        @Option(help: "A topics file instead of the built-in topics (the repository's topics.yaml).")
        var topics: String?

        @Option(help: "Milliseconds between the processor's commits.")
        var commitIntervalMs = 100

        @Flag(help: "Keep the embedded broker and its topics up after the summary (until Ctrl-C), to open the console on the demo's data.")
        var keepRunning = false

        func validate() throws {
            guard events > 0 else { throw ValidationError("--events must be at least 1") }
            if let input { try validateRecordFile(input, option: "--input") }
            if let outputs { try prepareOutputsDirectory(outputs) }
        }

        func run() throws {
            let logger = commandLogger("demo")
            let topicsFile = try loadTopics(topics, option: "--topics")
            let cluster = try MockCluster(brokers: 1, logger: logger)
            defer { cluster.close() }
            try cluster.createTopics(topicsFile)
            let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers, clientID: "governor")
            printError("demo: embedded broker at \(cluster.bootstrapServers), \(topicsFile.topics.count) topics")

            // Configs go first and an --input file goes whole, before the processor
            // starts, so every config is in its table before the records that need it
            // (SPEC §5: a config applies from its stream time). The generated workload,
            // whose configs all come first, streams while the processor runs, so the
            // mock's 5 MiB retention never drops an input before it is governed.
            let producer = try KafkaProducer(config: kafka, logger: logger)
            let progressLine = ProgressLine()
            var governedSoFar: () -> Int = { 0 }
            var session = ProduceSession(producer: producer) { sent, delivered in
                progressLine.update("demo: \(sent) records sent, \(delivered) delivered, \(governedSoFar()) governed")
            }
            var lines: AnyIterator<RecordLine>
            if let input {
                let file = try RecordFileReader(path: input)
                while let record = try file.next() { try send(record, &session) }
                lines = AnyIterator { nil }
            } else {
                let workload = DemoWorkload(events: events).makeIterator()
                var iterator = workload
                var pending: RecordLine?
                while let record = iterator.next() {
                    if record.topic != Topic.workspaceConfig { pending = record; break }
                    try send(record, &session)
                }
                lines = AnyIterator { if let first = pending { pending = nil; return first }; return iterator.next() }
            }
            try producer.flush(timeout: .seconds(60)).throwIfFailed()

            var options = ProcessorOptions(kafka: kafka, group: "governor-demo", instanceID: "demo-1",
                                           engine: EngineSettings(wallClock: RecordFileReader.systemNow))
            options.sessionTimeoutMs = 6_000
            options.commitInterval = .milliseconds(max(1, commitIntervalMs))
            options.heartbeatIntervalMs = 500
            let collector = try OutputCollector(config: kafka, topics: Topic.outputs, logger: logger)
            let runner = ProcessorRunner(processor: try Processor(options: options, logger: logger))
            let reader = TopicReader(config: kafka, logger: logger)
            governedSoFar = { runner.processor.progress.reduce(0) { sum, entry in
                entry.key.topic == Topic.rawEvents || entry.key.topic == Topic.outboundMessages ? sum + Int(entry.value) : sum
            } }
            _ = try runner.waitUntilReady(timeout: .seconds(60))
            let started = ContinuousClock.now
            let produced: Int
            do {
                var governed = 0
                while let record = lines.next() {
                    governed += 1
                    if governed % 1_000 == 0 { try keepWithinReach(of: runner, governed: governed, producer: producer) }
                    try send(record, &session)
                }
                try session.finish().throwIfFailed()
                produced = session.sent
                progressLine.finish("demo: produced \(produced) records\(input.map { " from \($0)" } ?? " of the generated workload"); governing the rest")
                try runner.waitUntilDrained([Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests],
                                            reader: reader, timeout: .seconds(900))
            } catch {
                printError("error: the processor did not finish: \(error)")
                try? runner.stop()
                throw ExitCode.failure
            }
            let elapsed = ContinuousClock.now - started
            try runner.stop()

            let dump = try collector.finish(at: try reader.endOffsets(Topic.outputs), timeout: .seconds(120))
            if let outputs { try write(dump, to: outputs) }
            print(DemoSummary(dump: dump, inputRecords: produced, elapsed: elapsed).render())
            try warnAboutRetention(dump)
            if keepRunning {
                fflush(nil)  // the summary on stdout, before waiting
                printError("""
                    demo: the embedded broker stays up at \(cluster.bootstrapServers) with the demo's topics; stop with Ctrl-C.
                      console: governor console --brokers \(cluster.bootstrapServers) --http 127.0.0.1:9466, then open http://127.0.0.1:9466/
                    """)
                _ = waitForTermination()
            } else {
                printError("demo: to review this run's DLQ and usage in the console, run the demo with --keep-running "
                    + "and follow the command it prints (governor console --brokers ADDRESS --http 127.0.0.1:9466).")
            }
        }

        /// The embedded mock cluster keeps at most 5 MiB per partition and drops the
        /// oldest records beyond that (docs/KAFKA.md); the collector reads the outputs
        /// while they are written, but say so if it still missed some, instead of
        /// summarizing silently incomplete topics.
        private func warnAboutRetention(_ dump: [String: [KafkaMessage]]) throws {
            var lost: [String] = []
            for (topic, messages) in dump.sorted(by: { $0.key < $1.key }) {
                var first: [Int32: Int64] = [:]
                for message in messages where first[message.partition] == nil { first[message.partition] = message.offset }
                let missed = first.values.reduce(0, +)
                if missed > 0 { lost.append("\(topic) \(missed)") }
            }
            guard !lost.isEmpty else { return }
            printError("warning: the embedded mock cluster keeps at most 5 MiB per partition and dropped records before they were read: \(lost.joined(separator: ", ")); the counts above are incomplete. Use fewer --events, or run `governor run` against a real cluster.")
            throw ExitCode.failure
        }

        private func send(_ record: RecordLine, _ session: inout ProduceSession) throws {
            if let problem = try session.send(record) { printError("warning: line \(record.line): \(problem)") }
        }

        /// Waits while more than 10,000 sent records are not yet committed by the
        /// processor, so the producer stays within reach of it.
        private func keepWithinReach(of runner: ProcessorRunner, governed: Int, producer: KafkaProducer) throws {
            try producer.flush(timeout: .seconds(60)).throwIfFailed()
            let deadline = ContinuousClock.now + .seconds(300)
            while ContinuousClock.now < deadline {
                let committed = runner.processor.progress.reduce(0) { sum, entry in
                    entry.key.topic == Topic.rawEvents || entry.key.topic == Topic.outboundMessages ? sum + Int(entry.value) : sum
                }
                if committed >= governed - 10_000 { return }
                runner.waitForCommit(timeout: .milliseconds(20))
            }
        }

        private func write(_ dump: [String: [KafkaMessage]], to directory: String) throws {
            let writer = try OutputDirectoryWriter(directory: directory, topics: Topic.outputs)
            for topic in Topic.outputs {
                for message in dump[topic] ?? [] {
                    try writer.write(topic: topic, key: message.keyString, timestampMs: message.timestampMs, value: message.value)
                }
            }
            try writer.close()
            printError("demo: wrote every output topic to \(directory)/")
        }
    }
}
