import JSON

/// Where an input record came from. Every output record that answers a raw or
/// outbound record carries it (SPEC §12.2), so any verdict can be traced back to
/// the exact Kafka record, and a DLQ entry can be found and replayed.
public struct Origin: Sendable, Hashable, Codable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// `{"topic":…,"partition":…,"offset":…}`, the `origin` member of output records.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object.appendUnchecked("topic", .string(topic))
        object.appendUnchecked("partition", .int(Int64(partition)))
        object.appendUnchecked("offset", .int(offset))
        return .object(object)
    }
}
