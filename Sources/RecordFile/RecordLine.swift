import JSON

/// One record of a JSON-lines record file (SPEC §12.1): where it goes, its key,
/// its timestamp and its exact value bytes.
///
/// No init in the type's body, so the reader has the memberwise one (its labels in the
/// order below, the timestamp before the key): it builds the line in place, where an
/// init assigning each property built it aside, copied it out and destroyed it.
public struct RecordLine: Sendable, Equatable {
    /// 1-based line number in the file (config lines counted).
    public var line: Int
    public var topic: String
    /// CreateTime in ms since the epoch.
    public var timestampMs: Int64
    /// The record key, or nil for a record without a key.
    public var key: String?
    /// The exact value bytes (nil for a tombstone).
    public var value: [UInt8]?
    /// The field scan of `value` made while the envelope was read, when the reader was
    /// asked for one (`RecordLineParser(now:valueFields:)`) and the value is an object
    /// of a compact envelope: validation takes it instead of scanning the value again.
    /// Derived from `value`; not compared by `==`.
    public var valueFields: JSONFieldScan?

    public static func == (a: RecordLine, b: RecordLine) -> Bool {
        a.line == b.line && a.topic == b.topic && a.key == b.key && a.timestampMs == b.timestampMs && a.value == b.value
    }
}

extension RecordLine {
    public init(line: Int, topic: String, key: String?, timestampMs: Int64, value: [UInt8]?,
                valueFields: JSONFieldScan? = nil) {
        self.init(line: line, topic: topic, timestampMs: timestampMs, key: key, value: value, valueFields: valueFields)
    }
}
