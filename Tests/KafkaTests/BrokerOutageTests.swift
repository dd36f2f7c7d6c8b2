import Testing
@testable import Kafka

@Suite struct BrokerOutageTests {
    /// Records for a partition whose leader is down wait, and are delivered once it is back.
    @Test func producerDeliversAfterBrokerReturns() async throws {
        let cluster = try MockCluster(brokers: 3, logger: testLogger)
        let topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: 6)
        let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        let values = (0 ..< 2_000).map { Array("v\($0)".utf8) }
        for value in values[..<1_000] { try producer.send(ProducerRecord(topic: topic, key: value, value: value)) }
        #expect(try producer.flush().deliveredCount == 1_000)

        try cluster.setBrokerDown(1)
        for value in values[1_000...] { try producer.send(ProducerRecord(topic: topic, key: value, value: value)) }
        // The other brokers' partitions go through; broker 1's wait.
        let stalled = await eventually { producer.deliveriesSoFar.deliveredCount > 0 && producer.inFlight > 0 }
        #expect(stalled)
        try cluster.setBrokerUp(1)
        let summary = try producer.flush(timeout: .seconds(60))
        #expect(summary.deliveredCount == 1_000)
        #expect(summary.failures.isEmpty)

        let reader = try reader(cluster, topic: topic, partitions: 6)
        let messages = try consume(reader, count: 2_000, timeout: .seconds(30))
        try reader.close()
        #expect(messages.count == 2_000)
        #expect(Set(messages.compactMap(\.value)) == Set(values))
    }
}
