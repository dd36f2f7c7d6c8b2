import JSON

/// Writes records as record-file lines (SPEC §12.1), the inverse of `RecordFileReader`.
public enum RecordLineWriter {
    /// An envelope line: `value` when the bytes are JSON whose compact serialization
    /// is exactly those bytes, `value_b64` otherwise, so reading it back gives the
    /// same bytes.
    public static func envelope(_ record: RecordLine) -> [UInt8] {
        var object = JSONObject()
        object.appendUnchecked("topic", .string(record.topic))
        object.appendUnchecked("key", .string(record.key))
        object.appendUnchecked("timestamp_ms", .int(record.timestampMs))
        if let value = record.value {
            if let parsed = try? JSONParser.parse(value).value, parsed.serializedBytes == value {
                object.appendUnchecked("value", parsed)
            } else {
                object.appendUnchecked("value_b64", .string(Base64.encode(value)))
            }
        } else {
            object.appendUnchecked("value", .null)
        }
        return JSONValue.object(object).serializedBytes
    }
}
