import Testing
@testable import Kafka

@Suite struct Murmur2Tests {
    /// The vectors of Apache Kafka's UtilsTest.testMurmur2.
    @Test func matchesJavaVectors() {
        let vectors: [(String, Int32)] = [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ]
        for (key, expected) in vectors {
            #expect(Int32(bitPattern: Murmur2.hash(Array(key.utf8))) == expected, "\(key)")
        }
    }

    /// librdkafka's murmur2_random partitioner puts each keyed record where Murmur2 says.
    @Test func agreesWithLibrdkafka() throws {
        let fixture = try ProducerOnNewTopic(brokers: 3, partitions: 12)
        let (cluster, topic, producer) = (fixture.cluster, fixture.topic, fixture.producer)
        let keys = (0 ..< 300).map { "ws_\($0)" } + ["", "é", "a longer workspace identifier 0123456789"]
        for key in keys {
            try producer.send(ProducerRecord(topic: topic, key: key, value: Array(key.utf8)))
        }
        #expect(try producer.flush().deliveredCount == keys.count)
        let consumer = try reader(cluster, topic: topic, partitions: 12)
        let messages = try consume(consumer, count: keys.count)
        try consumer.close()
        #expect(messages.count == keys.count)
        for message in messages {
            #expect(message.partition == Murmur2.partition(for: message.key ?? [], partitionCount: 12), "\(message.keyString ?? "")")
        }
        #expect(Set(messages.map(\.partition)).count == 12)
    }
}
