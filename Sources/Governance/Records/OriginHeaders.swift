import JSON

/// The Kafka headers that repeat a record's origin on every output record
/// (SPEC §12.2), so tools can trace a record without parsing its value. Values
/// are UTF-8 text: the topic name and the decimal partition and offset.
public enum OriginHeaders {
    public static let topic = "governor.origin.topic"
    public static let partition = "governor.origin.partition"
    public static let offset = "governor.origin.offset"

    /// The three origin headers, in the order topic, partition, offset.
    public static func headers(for origin: Origin) -> [Header] {
        [
            Header(name: topic, text: origin.topic),
            Header(name: partition, value: decimal(Int64(origin.partition))),
            Header(name: offset, value: decimal(origin.offset)),
        ]
    }

    /// The decimal text of `value` as bytes (as `String(value)`), without the string.
    private static func decimal(_ value: Int64) -> [UInt8] {
        var writer = JSONWriter(capacity: 20)
        writer.writeInt(value)
        return writer.bytes
    }

    /// The origin read back from headers (the last header of each name wins);
    /// nil when one of the three is missing or unreadable.
    public static func origin(from headers: [Header]) -> Origin? {
        var topicValue: String?
        var partitionValue: Int32?
        var offsetValue: Int64?
        for header in headers {
            guard let bytes = header.value else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            switch header.name {
            case topic: topicValue = text
            case partition: partitionValue = Int32(text)
            case offset: offsetValue = Int64(text)
            default: continue
            }
        }
        guard let topicValue, let partitionValue, let offsetValue else { return nil }
        return Origin(topic: topicValue, partition: partitionValue, offset: offsetValue)
    }
}
