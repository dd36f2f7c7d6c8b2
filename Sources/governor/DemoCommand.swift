import ArgumentParser
import Foundation
import Governance
import JSON
import Kafka
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

        @Option(help: "Records of the generated workload (the embedded broker keeps 5 MiB per partition: stay under about 25,000; a larger run is reported as incomplete).")
        var events = 20_000

        @Option(help: "The topics file.")
        var topics = "topics.yaml"

        @Option(help: "Milliseconds between the processor's commits.")
        var commitIntervalMs = 100

        func validate() throws {
            guard events > 0 else { throw ValidationError("--events must be at least 1") }
        }

        func run() throws {
            let logger = commandLogger("demo")
            let topicsFile: TopicsFile
            do {
                topicsFile = try TopicsFile.load(path: topics)
            } catch {
                printError("error: \(error). Run the demo from the repository root, or give --topics PATH.")
                throw ExitCode(2)
            }
            let cluster = try MockCluster(brokers: 1, logger: logger)
            defer { cluster.close() }
            try cluster.createTopics(topicsFile)
            let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
            printError("demo: embedded broker at \(cluster.bootstrapServers), \(topicsFile.topics.count) topics")

            let produced = try produceInput(kafka: kafka, logger: logger)
            printError("demo: produced \(produced) records\(input.map { " from \($0)" } ?? " of the generated workload")")

            var options = ProcessorOptions(kafka: kafka, group: "governor-demo", instanceID: "demo-1",
                                           engine: EngineSettings(wallClock: RecordFileClock.now))
            options.sessionTimeoutMs = 6_000
            options.commitInterval = .milliseconds(max(1, commitIntervalMs))
            options.heartbeatIntervalMs = 500
            let runner = ProcessorRunner(processor: try Processor(options: options, logger: logger))
            let reader = TopicReader(config: kafka, logger: logger)
            let joinDeadline = ContinuousClock.now + .seconds(60)
            while !runner.processor.isReady && ContinuousClock.now < joinDeadline { Thread.sleep(forTimeInterval: 0.01) }
            let started = ContinuousClock.now
            do {
                try runner.waitUntilDrained([Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests],
                                            reader: reader, timeout: .seconds(900))
            } catch {
                printError("error: the processor did not finish: \(error)")
                try? runner.stop()
                throw ExitCode.failure
            }
            let elapsed = ContinuousClock.now - started
            try runner.stop()

            var dump: [String: [KafkaMessage]] = [:]
            for topic in Topic.outputs { dump[topic] = try reader.readAll(topic) }
            if let outputs { try write(dump, to: outputs) }
            print(DemoSummary(dump: dump, inputRecords: produced, elapsed: elapsed).render())
            try warnAboutRetention(reader)
        }

        /// The embedded mock cluster keeps at most 5 MiB per partition and drops the
        /// oldest records beyond that (docs/KAFKA.md): say so instead of summarizing
        /// silently incomplete topics.
        private func warnAboutRetention(_ reader: TopicReader) throws {
            var lost: [String] = []
            for topic in [Topic.rawEvents, Topic.outboundMessages] + Topic.outputs {
                let dropped = try reader.droppedRecords(topic)
                if dropped > 0 { lost.append("\(topic) \(dropped)") }
            }
            guard !lost.isEmpty else { return }
            printError("warning: the embedded mock cluster keeps at most 5 MiB per partition and dropped the oldest records of: \(lost.joined(separator: ", ")); the counts above are incomplete. Use fewer --events, or run `governor run` against a real cluster.")
            throw ExitCode.failure
        }

        private func produceInput(kafka: KafkaConfig, logger: Logger) throws -> Int {
            let producer = try KafkaProducer(config: kafka, logger: logger)
            var session = ProduceSession(producer: producer)
            if let input {
                let reader = try RecordFileReader(path: input)
                while let record = try reader.next() {
                    if let problem = try session.send(record) { printError("warning: line \(record.line): \(problem)") }
                }
            } else {
                for record in DemoWorkload(events: events) {
                    if let problem = try session.send(record) { printError("warning: \(problem)") }
                }
            }
            let summary = try session.finish()
            try summary.throwIfFailed()
            return summary.deliveredCount
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
