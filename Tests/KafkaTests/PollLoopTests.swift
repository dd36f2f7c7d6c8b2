import Testing
@testable import Kafka

@Suite struct PollLoopTests {
    /// A slow reader makes the loop pause fetching instead of buffering without
    /// bound; once it reads, every record arrives, in order per partition.
    @Test func boundedBufferingLosesNothing() async throws {
        let cluster = try MockCluster(brokers: 1, logger: testLogger)
        let topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: 2)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let producer = try KafkaProducer(config: config, logger: testLogger)
        for i in 0 ..< 5_000 {
            try producer.send(ProducerRecord(topic: topic, partition: Int32(i % 2), key: "k", value: Array("\(i)".utf8)))
        }
        #expect(try producer.flush().deliveredCount == 5_000)

        let consumer = try reader(cluster, topic: topic, partitions: 2)
        let loop = consumer.startPollLoop(maxMessages: 100, timeout: .milliseconds(20), maxBufferedBatches: 3)
        #expect(await eventually { loop.bufferedBatchCount >= 3 })
        // While nobody reads, the buffer stays at its bound (one batch in flight at most).
        for _ in 0 ..< 10 {
            #expect(loop.bufferedBatchCount <= 4)
            try await Task.sleep(for: .milliseconds(30))
        }
        var received: [KafkaMessage] = []
        for await event in loop {
            if case .messages(let batch) = event { received += batch }
            if received.count >= 5_000 { break }
        }
        loop.stop()
        try consumer.close()
        #expect(received.count == 5_000)
        for partition in [Int32(0), 1] {
            let offsets = received.filter { $0.partition == partition }.map(\.offset)
            #expect(offsets == Array(0 ..< 2_500))
        }
    }
}
