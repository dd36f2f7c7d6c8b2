import JSON

/// A record for `events-dlq` (SPEC §6.1, §12.2): its Kafka key, JSON value and
/// headers, ready for the producer.
public struct DLQRecord: Sendable, Hashable {
    /// The workspace: the raw record's key, or the value's `workspace_id` when the
    /// raw record had none (SPEC §6.3); nil when neither is known.
    public var key: String?
    public var value: JSONValue
    public var headers: [Header]

    public init(key: String?, value: JSONValue, headers: [Header]) {
        self.key = key
        self.value = value
        self.headers = headers
    }
}
