import JSON

/// A record the engine processes: one line of a record file or one Kafka message.
///
/// No init in the type's body, so the memberwise one is made (its labels in the order
/// below, the timestamp second): it builds the value in place, where an init assigning
/// each property built it aside, copied it out and destroyed it (~550 instructions a line).
public struct InputRecord: Sendable {
    public var origin: Origin
    /// The record's timestamp: its stream time.
    public var timestamp: StreamTime
    /// The record key as UTF-8 text, nil when the record has none.
    public var key: String?
    /// The exact key bytes when they are not valid UTF-8 (`key` then has U+FFFD in
    /// place of the bad bytes); nil otherwise. Echoed so a DLQ replay is byte-identical.
    public var keyBytes: [UInt8]?
    public var value: [UInt8]?
    public var headers: [Header]
    /// A field scan of `value` for `EventValidator.fieldNames` made by whoever read the
    /// record (a record file's envelope reader), so validation does not scan the value
    /// again; ignored unless it is a scan for those names of exactly `value.count` bytes.
    public var valueFields: JSONFieldScan?
}

extension InputRecord {
    public init(origin: Origin, key: String?, keyBytes: [UInt8]? = nil, value: [UInt8]?, headers: [Header] = [],
                timestamp: StreamTime, valueFields: JSONFieldScan? = nil) {
        self.init(origin: origin, timestamp: timestamp, key: key, keyBytes: keyBytes, value: value, headers: headers,
                  valueFields: valueFields)
    }
}
