import Foundation
import Governance
import Kafka
import Pipeline
import RecordFile
import Testing

/// Partitions that move between instances restore their state from the changelog and
/// continue with the same records as one uninterrupted run (issue 4, SPEC §11).
@Suite(.serialized) struct RebalanceTests {
    @Test func aSecondInstanceTakesOverPartitionsAndTheOutputsEqualOneOfflineRun() throws {
        let lines = Array(DemoWorkload(events: 3_000, seed: 5))
        let half = lines.count / 2
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let reader = TopicReader(config: kafka, logger: pipelineTestLogger)
        let inputs = [Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests]
        func makeRunner(_ instance: String) throws -> ProcessorRunner {
            var options = ProcessorOptions(kafka: kafka, group: "rebalance", instanceID: instance,
                                           engine: EngineSettings(wallClock: { 0 }))
            options.sessionTimeoutMs = 3_000
            options.heartbeatIntervalMs = 500
            return ProcessorRunner(processor: try Processor(options: options, logger: pipelineTestLogger))
        }
        try produce(Array(lines.prefix(half)), to: cluster)
        let first = try makeRunner("a")
        try first.waitUntilDrained(inputs, reader: reader, timeout: .seconds(120))

        // The second member joins first; the second half arrives once the group has
        // rebalanced, so both members have records to govern on restored state.
        let second = try makeRunner("b")
        let joined = ContinuousClock.now + .seconds(60)
        while !(second.processor.isReady && first.processor.isReady) && ContinuousClock.now < joined {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(second.processor.isReady, "the second instance never joined")
        try produce(Array(lines.dropFirst(half)), to: cluster)
        // Both members process until every input record is committed by one of them.
        let deadline = ContinuousClock.now + .seconds(180)
        var stableRounds = 0
        var previousEnds: [TopicPartition: Int64] = [:]
        while stableRounds < 2 {
            #expect(ContinuousClock.now < deadline, "the two instances did not finish")
            if ContinuousClock.now >= deadline { break }
            var ends: [TopicPartition: Int64] = [:]
            for (topic, partitions) in try reader.endOffsets(inputs) {
                for (p, end) in partitions { ends[TopicPartition(topic, p)] = end }
            }
            let a = first.processor.progress
            let b = second.processor.progress
            let done = ends.allSatisfy { tp, end in end == 0 || max(a[tp] ?? 0, b[tp] ?? 0) >= end }
            stableRounds = done && ends == previousEnds ? stableRounds + 1 : 0
            previousEnds = ends
            Thread.sleep(forTimeInterval: 0.3)
        }
        #expect(second.processor.progress.values.contains { $0 > 0 }, "the second instance got no partition")
        try second.stop()
        try first.stop()

        try expectOutputsEqualOffline(lines, reader: reader, label: "rebalance")
    }
}
