import Testing
@testable import Kafka

@Suite struct ProducerConsumerTests {
    /// Keys, values (null and empty included), headers and timestamps survive a round trip.
    @Test func roundTrip() throws {
        let fixture = try ProducerOnNewTopic(partitions: 1)
        let (cluster, topic, producer) = (fixture.cluster, fixture.topic, fixture.producer)
        let sent = [
            ProducerRecord(
                topic: topic, key: "ws_1", value: Array("{\"a\":1}".utf8),
                headers: [KafkaHeader(name: "h1", value: [0, 1, 2]), KafkaHeader(name: "h2", value: nil)],
                timestampMs: 1_795_000_000_000),
            ProducerRecord(topic: topic, key: nil as [UInt8]?, value: nil, timestampMs: 1_795_000_000_100),
            ProducerRecord(
                topic: topic, key: [0xff, 0x00], value: [],
                headers: [KafkaHeader(name: "empty", value: [])], timestampMs: 5),
        ]
        for record in sent { try producer.send(record) }
        let summary = try producer.flush()
        #expect(summary.delivered[topic] == 3)
        #expect(summary.failures.isEmpty)

        let consumer = try reader(cluster, topic: topic, partitions: 1)
        let received = try consume(consumer, count: 3)
        try consumer.close()
        #expect(received.count == 3)
        for (record, message) in zip(sent, received) {
            #expect(message.key == record.key)
            #expect(message.value == record.value)
            #expect(message.headers == record.headers)
            #expect(message.timestampMs == record.timestampMs)
        }
        #expect(received.map(\.offset) == [0, 1, 2])
    }

    /// The borrowed poll hands out the same messages in place: partition, offset, the
    /// last header of a name (a repeated name, a null value, an empty one, a missing one).
    @Test func borrowedPollReadsHeadersInPlace() throws {
        let fixture = try ProducerOnNewTopic(partitions: 1)
        let (cluster, topic, producer) = (fixture.cluster, fixture.topic, fixture.producer)
        try producer.send(ProducerRecord(topic: topic, key: "a", value: [1], headers: [
            KafkaHeader(name: "h", value: [1]), KafkaHeader(name: "h", value: [2, 3]), KafkaHeader(name: "n", value: nil),
            KafkaHeader(name: "e", value: []),
        ]))
        try producer.send(ProducerRecord(topic: topic, key: "b", value: [2]))
        _ = try producer.flush()
        let consumer = try reader(cluster, topic: topic, partitions: 1)
        defer { try? consumer.close() }
        var seen: [(offset: Int64, h: [UInt8]?, n: [UInt8]?, e: [UInt8]?, missing: [UInt8]?, copy: KafkaMessage)] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while seen.count < 2 && ContinuousClock.now < deadline {
            let count = try consumer.poll(maxMessages: 10, timeout: .milliseconds(100)) { message in
                #expect(message.partition == 0)
                #expect(message.timestampMs > 0 && message.timestampMs == message.copied.timestampMs)
                seen.append((message.offset, message.withHeader("h") { $0.map(Array.init) },
                             message.withHeader("n") { $0.map(Array.init) }, message.withHeader("e") { $0.map(Array.init) },
                             message.withHeader("x") { $0.map(Array.init) }, message.copied))
            }
            #expect(count <= 10)
        }
        try #require(seen.count == 2)
        #expect(seen.map(\.offset) == [0, 1])
        #expect(seen[0].h == [2, 3] && seen[0].n == nil && seen[0].e == [] && seen[0].missing == nil)
        #expect(seen[1].h == nil && seen[1].e == nil)
        #expect(seen[0].copy.value == [1] && seen[0].copy.headers.count == 4 && seen[1].copy.keyString == "b")
    }

    /// A batch send over topics that alternate (runs of one topic, then back) lands
    /// every record on its own topic, in order, each counted as delivered there.
    @Test func batchSendKeepsTopicsAndOrder() throws {
        let fixture = try ProducerOnNewTopic(partitions: 1)
        let (cluster, first, producer) = (fixture.cluster, fixture.topic, fixture.producer)
        let second = uniqueTopic()
        try cluster.createTopic(second, partitions: 1)
        let topics = [first, first, second, first, second, second, first]
        let records = topics.enumerated().map { ProducerRecord(topic: $1, key: "k", value: [UInt8($0)]) }
        try producer.send(contentsOf: records)
        try producer.send(contentsOf: [])
        let summary = try producer.flush()
        #expect(summary.delivered == [first: 4, second: 3])
        for topic in [first, second] {
            let expected = records.filter { $0.topic == topic }.compactMap(\.value)
            let consumer = try reader(cluster, topic: topic, partitions: 1)
            let values = try consume(consumer, count: expected.count).compactMap(\.value)
            try consumer.close()
            #expect(values == expected, "\(topic)")
        }
    }

    /// An awaited send reports where the record went.
    @Test func sendAndWaitReportsOffset() async throws {
        let fixture = try ProducerOnNewTopic(partitions: 3)
        let (topic, producer) = (fixture.topic, fixture.producer)
        let first = try await producer.sendAndWait(ProducerRecord(topic: topic, partition: 2, key: "k", value: [1]))
        let second = try await producer.sendAndWait(ProducerRecord(topic: topic, partition: 2, key: "k", value: [2]))
        #expect(first == TopicPartitionOffset(topic, 2, offset: 0))
        #expect(second == TopicPartitionOffset(topic, 2, offset: 1))
    }

    /// A record for a partition that does not exist fails in the delivery report, not silently.
    @Test func failedDeliveryIsReported() async throws {
        let fixture = try ProducerOnNewTopic(partitions: 2)
        let (topic, producer) = (fixture.topic, fixture.producer)
        try producer.send(ProducerRecord(topic: topic, partition: 0, key: "ok", value: [1]))
        try producer.send(ProducerRecord(topic: topic, partition: 7, key: "bad", value: [1]))
        let summary = try producer.flush()
        #expect(summary.delivered[topic] == 1)
        #expect(summary.failed[topic] == 1)
        #expect(summary.failures.first?.key == Array("bad".utf8))
        #expect(summary.failures.first?.error.name == "_UNKNOWN_PARTITION")
        #expect(throws: KafkaError.self) { try summary.throwIfFailed() }
    }

    /// A flush waits for the report of every record enqueued before it (counted, not
    /// polled: `DeliveryTracker`), and only those: a second flush has nothing to wait for.
    @Test func flushWaitsForEveryRecordsReport() throws {
        let fixture = try ProducerOnNewTopic(partitions: 3)
        let (topic, producer) = (fixture.topic, fixture.producer)
        for round in 1...3 {
            for i in 0..<(2_000 * round) {
                try producer.send(ProducerRecord(topic: topic, partition: Int32(i % 3), key: "k\(i)", value: [UInt8(i & 0xff)]))
            }
            let summary = try producer.flush(timeout: .seconds(20))
            #expect(summary.delivered[topic] == 2_000 * round, "round \(round)")
            #expect(try producer.flush(timeout: .seconds(1)).deliveredCount == 0, "nothing left to wait for")
        }
    }

    /// With `delivery.report.only.error` (settable with -X) a delivered record gets no
    /// report: a flush then waits as librdkafka's does, instead of for reports that
    /// never come.
    @Test func flushWithReportsOnlyForErrorsDoesNotWaitForTheOthers() throws {
        let fixture = try ProducerOnNewTopic(partitions: 1, properties: ["delivery.report.only.error": "true"])
        let (topic, producer) = (fixture.topic, fixture.producer)
        for i in 0..<10 { try producer.send(ProducerRecord(topic: topic, key: "k\(i)", value: [1])) }
        let summary = try producer.flush(timeout: .seconds(5))
        #expect(summary.deliveredCount == 0 && summary.failedCount == 0)
        #expect(producer.inFlight == 0)
    }
}
