import JSON

/// The Kafka headers that repeat a record's origin on every output record
/// (SPEC §12.2), so tools can trace a record without parsing its value. Values
/// are UTF-8 text: the topic name and the decimal partition and offset.
public enum OriginHeaders {
    public static let topic = "governor.origin.topic"
    public static let partition = "governor.origin.partition"
    public static let offset = "governor.origin.offset"

    /// The three origin headers, in the order topic, partition, offset. Every output
    /// record carries them, so the usual values are shared arrays: the input topics'
    /// names and small decimals; an offset is one allocation.
    public static func headers(for origin: Origin) -> [Header] {
        [
            Header(name: topic, value: topicBytes(origin.topic)),
            Header(name: partition, value: decimal(Int64(origin.partition))),
            Header(name: offset, value: decimal(origin.offset)),
        ]
    }

    private static let rawEventsBytes = Array(Topic.rawEvents.utf8)
    private static let outboundMessagesBytes = Array(Topic.outboundMessages.utf8)
    /// The decimal text of 0 ..< 1024.
    private static let smallDecimals: [[UInt8]] = (0..<1024).map { Array(String($0).utf8) }

    private static func topicBytes(_ name: String) -> [UInt8] {
        if name == Topic.rawEvents { return rawEventsBytes }
        if name == Topic.outboundMessages { return outboundMessagesBytes }
        return Array(name.utf8)
    }

    /// The decimal text of `value` as bytes (as `String(value)`), without the string.
    static func decimal(_ value: Int64) -> [UInt8] {
        if value >= 0, value < smallDecimals.count { return smallDecimals[Int(value)] }
        // 19 digits and a sign at most (Int64.min).
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var rest = value.magnitude
            var start = 20
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return Array(UnsafeBufferPointer(rebasing: buffer[start..<20]))
        }
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
