import ArgumentParser
import Foundation
import Kafka
import RecordFile

extension Governor {
    /// `governor produce`: push a JSON-lines record file to Kafka.
    struct Produce: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Produce the records of a JSON-lines record file (SPEC §12.1) to their topics.",
            discussion: """
                Each record keeps its key and gets CreateTime = timestamp_ms; partitions \
                follow murmur2 of the key, as Java clients do. Progress goes to stderr. \
                A bad line or a topic missing on the cluster stops the reading; the \
                summary says exactly what was delivered. Exits 1 when a line was bad \
                or any record failed to be delivered.
                """
        )

        @OptionGroup var kafka: KafkaOptions

        @Argument(help: "The record file, or - for standard input.")
        var file: String

        /// A missing file or a directory is named before anything connects to the cluster.
        func validate() throws {
            try validateRecordFile(file)
        }

        func run() throws {
            let reader: RecordFileReader
            do {
                reader = try RecordFileReader(path: file)
            } catch {
                throw ValidationError("\(error). Give a readable record file, or - for standard input.")
            }
            let producer = try KafkaProducer(config: try kafka.config, logger: commandLogger("produce"))
            var session = ProduceSession(producer: producer)
            var stopped: String?
            do {
                while let record = try reader.next() {
                    if let problem = try ClusterUnreachable.naming(kafka.brokers, { try session.send(record) }) {
                        stopped = "\(reader.source):\(record.line): \(problem)"
                        break
                    }
                }
            } catch let error as RecordFileError {
                stopped = error.description
            }
            if let stopped { printError("error: \(stopped); stopped reading") }
            let summary = try session.finish()
            for (topic, count) in summary.delivered.sorted(by: { $0.key < $1.key }) {
                printError("  \(topic): \(count) delivered")
            }
            for (topic, count) in summary.failed.sorted(by: { $0.key < $1.key }) {
                printError("  \(topic): \(count) FAILED")
            }
            for failure in summary.failures.prefix(10) { printError("  failure: \(failure)") }
            printError("delivered \(summary.deliveredCount) of \(session.sent) record(s) sent; read \(reader.lineNumber) line(s)"
                + (summary.failedCount > 0 ? "; \(summary.failedCount) failed" : ""))
            if stopped != nil || summary.failedCount > 0 { throw ExitCode.failure }
        }
    }
}

/// Sends records, checks their topics exist (a mock cluster would auto-create a
/// missing one with 4 partitions), and reports progress.
struct ProduceSession {
    let producer: KafkaProducer
    private(set) var sent = 0
    private var knownTopics: [String: Int] = [:]
    private var lastProgress = ContinuousClock.now
    private var lastProgressCount = 0
    /// Where progress goes; nil prints a plain line a second (`governor produce`).
    private let progress: ((_ sent: Int, _ delivered: Int) -> Void)?

    init(producer: KafkaProducer, progress: ((_ sent: Int, _ delivered: Int) -> Void)? = nil) {
        self.producer = producer
        self.progress = progress
    }

    /// Sends `record`; returns a problem that must stop the run, if any.
    mutating func send(_ record: RecordLine) throws -> String? {
        if knownTopics[record.topic] == nil {
            knownTopics = try producer.partitionCounts()
            guard knownTopics[record.topic] != nil else {
                return "topic \(record.topic) does not exist on the cluster (create it with governor topics apply)"
            }
        }
        try producer.send(ProducerRecord(
            topic: record.topic, key: record.key, value: record.value, timestampMs: record.timestampMs))
        sent += 1
        if sent % 1_000 == 0 { reportProgress() }
        return nil
    }

    private mutating func reportProgress() {
        let now = ContinuousClock.now
        guard now - lastProgress >= .seconds(1) || sent - lastProgressCount >= 100_000 else { return }
        lastProgress = now
        lastProgressCount = sent
        if let progress {
            progress(sent, producer.deliveriesSoFar.deliveredCount)
        } else {
            printError("  \(sent) records sent, \(producer.deliveriesSoFar.deliveredCount) delivered")
        }
    }

    /// Waits for every delivery report.
    func finish() throws -> DeliverySummary {
        try producer.flush(timeout: .seconds(300))
    }
}
