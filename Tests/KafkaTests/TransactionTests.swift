import Testing
@testable import Kafka

/// What librdkafka 2.0.2's mock cluster does with transactions. These tests pin
/// the measured behaviour (docs/KAFKA.md): if a newer librdkafka implements
/// more, they fail and the docs must be updated.
@Suite struct TransactionTests {
    let cluster: MockCluster
    let config: KafkaConfig
    let topic = uniqueTopic("txn")

    init() throws {
        cluster = try MockCluster(brokers: 3, logger: testLogger)
        config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        try cluster.createTopic(topic, partitions: 1)
    }

    func producer(_ id: String = "tx-1") throws -> TransactionalProducer {
        let producer = try TransactionalProducer(config: config, transactionalID: id, logger: testLogger)
        try producer.initTransactions()
        return producer
    }

    /// Committed records are readable; the commit returns their delivery reports.
    @Test func commit() throws {
        let producer = try producer()
        try producer.beginTransaction()
        for i in 0 ..< 3 { try producer.send(ProducerRecord(topic: topic, key: "k", value: [UInt8(i)])) }
        let summary = try producer.commitTransaction()
        #expect(summary.delivered[topic] == 3)
        let reader = try reader(cluster, topic: topic, partitions: 1, readCommitted: true)
        #expect(try consume(reader, count: 3).map(\.value) == [[0], [1], [2]])
        try reader.close()
    }

    /// Mock: read_committed sees the records of aborted and of open transactions,
    /// and no control records (transaction markers) are written.
    @Test func mockHasNoIsolation() throws {
        let producer = try producer()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [1]))
        _ = try producer.flush()
        try producer.abortTransaction()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [2]))
        try producer.commitTransaction()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [3]))
        _ = try producer.flush()

        let reader = try reader(cluster, topic: topic, partitions: 1, readCommitted: true)
        let seen = try consume(reader, count: 3)
        #expect(seen.map(\.value) == [[1], [2], [3]], "aborted [1] and open [3] are visible")
        #expect(seen.map(\.offset) == [0, 1, 2], "no offsets taken by markers")
        #expect(try reader.queryWatermarkOffsets(topic: topic, partition: 0).high == 3)
        try reader.close()
        try producer.abortTransaction()
    }

    /// An abort before delivery purges the queued records: nothing is written.
    @Test func abortBeforeDeliveryWritesNothing() throws {
        try cluster.setBrokerRTT(1, milliseconds: 300)
        try cluster.setBrokerRTT(2, milliseconds: 300)
        try cluster.setBrokerRTT(3, milliseconds: 300)
        let producer = try producer()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [1]))
        try producer.abortTransaction()
        let reader = try reader(cluster, topic: topic, partitions: 1)
        #expect(try reader.queryWatermarkOffsets(topic: topic, partition: 0).high == 0)
        try reader.close()
    }

    /// Mock: offsets sent with the transaction are not stored; OffsetFetch
    /// returns nothing after the commit (a plain commit is stored).
    @Test func mockDropsTransactionOffsets() throws {
        let group = uniqueTopic("group")
        let producer = try producer()
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [1]))
        try producer.commitTransaction()
        // A member of the group that has its assignment (it read the record).
        let consumer = try KafkaConsumer(config: config, settings: fastGroupSettings(group), logger: testLogger)
        try consumer.subscribe([topic])
        #expect(try consume(consumer, count: 1).count == 1)
        try producer.beginTransaction()
        try producer.send(ProducerRecord(topic: topic, key: "k", value: [2]))
        try producer.sendOffsetsToTransaction([TopicPartitionOffset(topic, 0, offset: 1)], group: try consumer.groupMetadata())
        try producer.commitTransaction()
        let partition = TopicPartition(topic, 0)
        #expect(try consumer.committed([partition]) == [TopicPartitionOffset(partition, offset: KafkaOffset.invalid)])
        try consumer.commit([TopicPartitionOffset(partition, offset: 1)])
        #expect(try consumer.committed([partition]) == [TopicPartitionOffset(partition, offset: 1)])
        try consumer.close()
    }

    /// Mock: a second producer with the same transactional.id does not fence the first.
    @Test func mockDoesNotFence() throws {
        let old = try producer("tx-shared")
        _ = try producer("tx-shared")
        try old.beginTransaction()
        try old.send(ProducerRecord(topic: topic, key: "k", value: [9]))
        #expect(try old.commitTransaction().delivered[topic] == 1)
    }

    /// Transactional calls out of order fail with a classified error.
    @Test func misuseIsAnError() throws {
        let producer = try producer()
        let error = #expect(throws: KafkaError.self) { try producer.commitTransaction() }
        #expect(error?.code == .state)
        #expect(error?.isFatal == false)
    }
}
