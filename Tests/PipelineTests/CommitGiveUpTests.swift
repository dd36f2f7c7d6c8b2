import Foundation
import Governance
import Kafka
import Pipeline
import RecordFile
import Testing

/// A commit that keeps failing with a fatal error (every EndTxn answered
/// PRODUCER_FENCED) must not loop silently: the processor replaces its producer and
/// rebuilds, backing off, and after `maxConsecutiveFailures` in a row it ends with a
/// message that says so (`governor run` then exits 1).
@Suite(.serialized) struct CommitGiveUpTests {
    @Test(.timeLimit(.minutes(2))) func aCommitThatKeepsFailingEndsTheProcessorWithAMessage() throws {
        let lines = try readRecordFile(repositoryRoot.appendingPathComponent("Tests/Fixtures/dedup.jsonl").path)
            .filter { $0.key != nil }
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        cluster.pushRequestErrors(.endTxn, Array(repeating: .producerFenced, count: 50))
        let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        var options = ProcessorOptions(kafka: kafka, group: "give-up", instanceID: "give-up",
                                       engine: EngineSettings(wallClock: { 0 }))
        options.sessionTimeoutMs = 3_000
        options.heartbeatIntervalMs = 500
        options.commitFailurePolicy.maxConsecutiveFailures = 3
        options.commitFailurePolicy.initialBackoff = .milliseconds(100)
        options.commitFailurePolicy.maxBackoff = .milliseconds(200)
        let runner = ProcessorRunner(processor: try Processor(options: options, logger: pipelineTestLogger))
        // New records keep arriving, so there is always an interval to commit (the mock
        // cluster shows a failed transaction's changelog records: a restore may find the
        // old ones governed).
        let deadline = ContinuousClock.now + .seconds(90)
        var failure: (any Error)?
        while failure == nil, ContinuousClock.now < deadline {
            try produce(lines, to: cluster)
            do {
                _ = try runner.waitUntilReady(timeout: .milliseconds(500))
                runner.waitForCommit(timeout: .milliseconds(500))
            } catch {
                failure = error
            }
        }
        let message = failure.map { String(describing: $0) } ?? "the processor did not end within 90 s"
        #expect(message.contains("3 commits failed in a row"), "\(message)")
        #expect(message.contains("fenced"), "\(message)")
        #expect(runner.processor.progress.isEmpty, "no commit may count as successful: \(runner.processor.progress)")
    }
}
