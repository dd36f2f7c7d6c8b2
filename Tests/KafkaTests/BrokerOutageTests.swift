import Testing
@testable import Kafka

@Suite struct BrokerOutageTests {
    /// Records for a partition whose leader is down wait, and are delivered once it is back.
    @Test func producerDeliversAfterBrokerReturns() async throws {
        let cluster = try MockCluster(brokers: 3, logger: testLogger)
        let topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: 6)
        // The mock picks each partition's leader at random: broker 1 led none of the six
        // in about one run of six, and then nothing stalled. Two partitions per broker.
        for partition in Int32(0) ..< 6 { try cluster.setPartitionLeader(topic: topic, partition: partition, broker: partition / 2 + 1) }
        let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        let values = (0 ..< 2_000).map { Array("v\($0)".utf8) }
        for value in values[..<1_000] { try producer.send(ProducerRecord(topic: topic, key: value, value: value)) }
        #expect(try producer.flush().deliveredCount == 1_000)

        try cluster.setBrokerDown(1)
        for value in values[1_000...] { try producer.send(ProducerRecord(topic: topic, key: value, value: value)) }
        // The other brokers' partitions go through; broker 1's wait.
        let stalled = await eventually { producer.deliveriesSoFar.deliveredCount > 0 && producer.inFlight > 0 }
        #expect(stalled, "delivered \(producer.deliveriesSoFar.deliveredCount), in flight \(producer.inFlight)")
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

    /// Retriable errors pushed into the mock's Produce responses are retried by
    /// librdkafka; every record is delivered once, in order.
    @Test func producerRetriesPushedErrors() throws {
        let cluster = try MockCluster(brokers: 1, logger: testLogger)
        let topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: 1)
        cluster.pushRequestErrors(.produce, [
            KafkaError.Code(rawValue: 6), KafkaError.Code(rawValue: 7),  // NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT
        ])
        try cluster.pushRequestErrors(broker: 1, .produce, [(KafkaError.Code(rawValue: 6), 50)])
        let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        for i in 0 ..< 100 { try producer.send(ProducerRecord(topic: topic, key: "k", value: [UInt8(i)])) }
        let summary = try producer.flush()
        #expect(summary.deliveredCount == 100)
        #expect(summary.failures.isEmpty)
        let reader = try reader(cluster, topic: topic, partitions: 1)
        #expect(try consume(reader, count: 100).map(\.value) == (0 ..< 100).map { [UInt8($0)] })
        try reader.close()
    }
}
