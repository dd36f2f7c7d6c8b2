import Governance
import Kafka

/// The one place where Kafka's records and the engine's records meet: headers,
/// keys and timestamps change shape here and nowhere else.
enum MessageAdapter {
    /// A consumed raw-event or outbound message as the engine's input.
    /// A key that is not valid UTF-8 also keeps its exact bytes (`keyBytes`).
    static func inputRecord(_ message: KafkaMessage) -> InputRecord {
        let key = message.keyString
        return InputRecord(
            origin: Origin(topic: message.topic, partition: message.partition, offset: message.offset),
            key: key, keyBytes: message.key.flatMap { bytes in key!.utf8.elementsEqual(bytes) ? nil : bytes },
            value: message.value,
            headers: message.headers.map { Header(name: $0.name, value: $0.value) },
            timestamp: message.timestampMs)
    }

    /// An engine output as a record to produce (partitioned by its key).
    static func producerRecord(_ record: OutputRecord) -> ProducerRecord {
        ProducerRecord(
            topic: record.topic, key: record.key, value: record.value,
            headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) }, timestampMs: record.timestamp)
    }

    /// An encoded changelog record for partition `partition` of `topic`.
    static func producerRecord(_ encoded: ChangelogCodec.Encoded, topic: String, partition: Int32) -> ProducerRecord {
        ProducerRecord(
            topic: topic, partition: partition, key: encoded.key, value: encoded.value,
            headers: encoded.headers.map { KafkaHeader(name: $0.name, value: $0.value) })
    }

    /// A consumed changelog record's headers as the codec reads them.
    static func changelogHeaders(_ message: KafkaMessage) -> [(name: String, value: [UInt8]?)] {
        message.headers.map { ($0.name, $0.value) }
    }

    /// The bytes a record adds to a commit (for the commit size cap).
    static func size(_ record: ProducerRecord) -> Int {
        (record.key?.count ?? 0) + (record.value?.count ?? 0)
            + record.headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) }
    }
}
