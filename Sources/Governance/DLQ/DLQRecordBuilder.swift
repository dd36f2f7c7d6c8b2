import JSON

/// Builds `events-dlq` records (SPEC §6.1, §12.2). Pure: the wall-clock `dlq_at`
/// is passed in.
///
/// Event scope (a record that failed stages 1–10, raw event or outbound message):
/// `scope`, `reason`, `field` (only for `missing_field` / `invalid_field`),
/// `detail`, `workspace_id`, `message_id`, `origin`, `stream_time_ms`, `dlq_at`,
/// `original_value_b64` (standard padded base64 of the exact value bytes; `null`
/// for a record without a value), `original_key` (string or `null`),
/// `original_key_b64` (only for a key that is not valid UTF-8: its exact bytes, as
/// `original_key` has U+FFFD in place of the bad ones),
/// `original_headers` (`[{name, value_b64}]`, `value_b64` `null` for a null
/// header value), in that member order. `workspace_id` and `message_id` are
/// always written, `null` when unknown, so every record has the same shape.
///
/// Trait scope (a trait the governor dropped or truncated, the event itself
/// accepted): `scope`, `reason`, `detail`, `workspace_id`, `message_id`,
/// `origin`, `stream_time_ms`, `dlq_at`, `trait_key`, `normalized_key`, `action`.
public enum DLQRecordBuilder {
    /// The event-scope record for a record that failed validation.
    public static func eventRecord(
        failure: ValidationFailure,
        origin: Origin,
        originalKey: String?,
        originalKeyBytes: [UInt8]? = nil,
        originalValue: [UInt8]?,
        originalHeaders: [Header],
        streamTime: StreamTime,
        dlqAt: Int64
    ) -> DLQRecord {
        let workspaceID = (originalKey ?? failure.workspaceID).map {
            DLQEchoBounds.prefix($0, maxBytes: DLQEchoBounds.maxRecordKeyBytes)
        }
        var omitted: [JSONMember] = []
        if let size = originalValue?.count, size > DLQEchoBounds.maxValueBytes {
            omitted.append(JSONMember(key: "value", value: .int(size)))
        }
        // The size of the key as sent (a key that is not UTF-8 grows as text: U+FFFD is 3 bytes).
        if let size = originalKeyBytes?.count ?? originalKey?.utf8.count, size > DLQEchoBounds.maxKeyBytes {
            omitted.append(JSONMember(key: "key", value: .int(size)))
        }
        let headerBytes = DLQEchoBounds.size(of: originalHeaders)
        if headerBytes > DLQEchoBounds.maxHeaderBytes {
            omitted.append(JSONMember(key: "headers", value: .int(headerBytes)))
        }
        let omits = Set(omitted.map(\.key))
        let detail = DLQEchoBounds.detail(failure.detail)
        var value = JSONObject()
        value.appendUnchecked("scope", "event")
        value.appendUnchecked("reason", .string(failure.reason.rawValue))
        let field = failure.reason.hasField ? failure.field : nil
        if let field { value.appendUnchecked("field", .string(field)) }
        value.appendUnchecked("detail", .string(detail))
        value.appendUnchecked("workspace_id", .string(workspaceID))
        value.appendUnchecked("message_id", .string(failure.messageID))
        appendWhereAndWhen(&value, origin: origin, streamTime: streamTime, dlqAt: dlqAt)
        value.appendUnchecked("original_value_b64",
                              omits.contains("value") ? .null : .string(originalValue.map { Base64.encode($0) }))
        value.appendUnchecked("original_key", omits.contains("key") ? .null : .string(originalKey))
        if let originalKeyBytes, !omits.contains("key") {
            value.appendUnchecked("original_key_b64", .string(Base64.encode(originalKeyBytes)))
        }
        value.appendUnchecked("original_headers", omits.contains("headers") ? .null : .array(originalHeaders.map { header in
            ["name": .string(header.name), "value_b64": .string(header.value.map { Base64.encode($0) })]
        }))
        if !omitted.isEmpty { value.appendUnchecked("echo_omitted", .object(JSONObject(omitted))) }
        var headers = [
            Header(name: DLQHeaders.scope, text: "event"),
            Header(name: DLQHeaders.reason, text: failure.reason.rawValue),
        ]
        if let field { headers.append(Header(name: DLQHeaders.field, text: field)) }
        headers.append(Header(name: DLQHeaders.detail, text: detail))
        if !omitted.isEmpty {
            headers.append(Header(name: DLQHeaders.echoOmitted, text: omitted.map(\.key).joined(separator: ",")))
        }
        headers += OriginHeaders.headers(for: origin)
        return DLQRecord(key: workspaceID, value: .object(value), headers: headers)
    }

    /// The trait-scope record for one finding of the trait governor on an accepted event.
    public static func traitRecord(
        finding: TraitFinding,
        event: RawEvent,
        origin: Origin,
        streamTime: StreamTime,
        dlqAt: Int64
    ) -> DLQRecord {
        var value = JSONObject()
        value.appendUnchecked("scope", "trait")
        value.appendUnchecked("reason", .string(finding.reason.rawValue))
        value.appendUnchecked("detail", .string(finding.detail))
        value.appendUnchecked("workspace_id", .string(event.workspaceID))
        value.appendUnchecked("message_id", .string(event.messageID))
        appendWhereAndWhen(&value, origin: origin, streamTime: streamTime, dlqAt: dlqAt)
        value.appendUnchecked("trait_key", .string(finding.rawKey))
        value.appendUnchecked("normalized_key", .string(finding.normalizedKey))
        value.appendUnchecked("action", .string(finding.action.rawValue))
        return DLQRecord(key: event.workspaceID, value: .object(value), headers: traitHeaders(finding, origin: origin))
    }

    /// `traitRecord`'s value written straight to a `JSONWriter` (the same bytes as its
    /// object serialized; building and serializing it cost ~8,500 instructions a finding),
    /// with its key and headers.
    static func traitRecordBytes(
        finding: TraitFinding,
        event: RawEvent,
        origin: Origin,
        streamTime: StreamTime,
        dlqAt: Int64
    ) -> (key: String, value: [UInt8], headers: [Header]) {
        var writer = JSONWriter(capacity: 256 + finding.detail.utf8.count + finding.rawKey.utf8.count)
        writer.writeRaw(#"{"scope":"trait","reason":"#)
        writer.writeString(finding.reason.rawValue)
        writer.writeRaw(#","detail":"#)
        writer.writeString(finding.detail)
        writer.writeRaw(#","workspace_id":"#)
        writer.writeString(event.workspaceID)
        writer.writeRaw(#","message_id":"#)
        writer.writeString(event.messageID)
        writer.writeRaw(#","origin":"#)
        VerdictRecords.writeOrigin(origin, into: &writer)
        writer.writeRaw(#","stream_time_ms":"#)
        writer.writeInt(streamTime)
        writer.writeRaw(#","dlq_at":"#)
        writer.writeInt(dlqAt)
        writer.writeRaw(#","trait_key":"#)
        writer.writeString(finding.rawKey)
        writer.writeRaw(#","normalized_key":"#)
        writer.writeString(finding.normalizedKey)
        writer.writeRaw(#","action":"#)
        writer.writeString(finding.action.rawValue)
        writer.writeRaw("}")
        return (event.workspaceID, writer.bytes, traitHeaders(finding, origin: origin))
    }

    /// The headers of a trait-scope record (both forms above).
    private static func traitHeaders(_ finding: TraitFinding, origin: Origin) -> [Header] {
        [
            Header(name: DLQHeaders.scope, text: "trait"),
            Header(name: DLQHeaders.reason, text: finding.reason.rawValue),
            Header(name: DLQHeaders.detail, text: finding.detail),
        ] + OriginHeaders.headers(for: origin)
    }

    private static func appendWhereAndWhen(_ value: inout JSONObject, origin: Origin, streamTime: StreamTime, dlqAt: Int64) {
        value.appendUnchecked("origin", origin.jsonValue)
        value.appendUnchecked("stream_time_ms", .int(streamTime))
        value.appendUnchecked("dlq_at", .int(dlqAt))
    }
}
