import Governance
import JSON
import Kafka

/// One record of `events-dlq` as a reviewer sees it (SPEC §6.1, §12.2): where it
/// sits in the DLQ, why it is there, and for event scope the original bytes, key and
/// headers a replay re-produces.
public struct DLQEntry: Sendable, Hashable {
    /// The DLQ record's own place: `events-dlq` partition and offset.
    public var partition: Int32
    public var offset: Int64
    /// `event`, `trait`, or `unreadable` for a DLQ record whose value is not a DLQ record.
    public var scope: String
    public var reason: String
    public var field: String?
    public var detail: String
    public var workspaceID: String?
    public var messageID: String?
    /// The input record that was dead-lettered (raw-events or outbound-messages).
    public var origin: Origin?
    /// Stream time of the input record (the DLQ record's timestamp), ms.
    public var streamTimeMs: Int64
    /// Wall clock when the processor dead-lettered it, ms.
    public var dlqAt: Int64?
    /// Event scope: the original value bytes (nil for a record without a value).
    public var originalValue: [UInt8]?
    public var originalKey: String?
    /// The exact key bytes when the key was not valid UTF-8 (`original_key_b64`): what a replay sends.
    public var originalKeyBytes: [UInt8]? = nil
    public var originalHeaders: [Header]
    /// Trait scope: the trait's raw key, normalized key and action.
    public var traitKey: String?
    public var normalizedKey: String?
    public var action: String?
    /// The DLQ record's own Kafka headers.
    public var headers: [Header]

    /// The scope a replay accepts: trait findings belong to accepted events.
    public var isReplayable: Bool { scope == "event" && origin != nil }

    /// `partition:offset`, the reviewer's handle on a record.
    public var locator: String { "\(partition):\(offset)" }
}

extension DLQEntry {
    /// Reads a message of `events-dlq`. Never fails: a value that is not a DLQ record
    /// becomes an `unreadable` entry, so one bad record cannot stop the index.
    public init(message: KafkaMessage) {
        let headers = message.headers.map { Header(name: $0.name, value: $0.value) }
        let object = message.value.flatMap { try? JSONParser.parse($0) }?.value.objectValue
        partition = message.partition
        offset = message.offset
        self.headers = headers
        streamTimeMs = object?["stream_time_ms"]?.numberValue?.int64Value ?? message.timestampMs
        guard let object, let scope = object["scope"]?.stringValue, let reason = object["reason"]?.stringValue else {
            scope = "unreadable"
            reason = message.header(DLQHeaders.reason).map { String(decoding: $0, as: UTF8.self) } ?? "unreadable_dlq_record"
            field = nil
            detail = "the value of this events-dlq record is not a DLQ record"
            workspaceID = message.keyString
            messageID = nil
            origin = OriginHeaders.origin(from: headers)
            dlqAt = nil
            originalValue = nil
            originalKey = nil
            originalHeaders = []
            return
        }
        self.scope = scope
        self.reason = reason
        field = object["field"]?.stringValue
        detail = object["detail"]?.stringValue ?? ""
        workspaceID = object["workspace_id"]?.stringValue ?? message.keyString
        messageID = object["message_id"]?.stringValue
        origin = Self.origin(object["origin"]) ?? OriginHeaders.origin(from: headers)
        dlqAt = object["dlq_at"]?.numberValue?.int64Value
        originalValue = object["original_value_b64"]?.stringValue.flatMap(Base64.decode)
        originalKey = object["original_key"]?.stringValue
        originalKeyBytes = object["original_key_b64"]?.stringValue.flatMap(Base64.decode)
        originalHeaders = (object["original_headers"]?.arrayValue ?? []).compactMap { item in
            guard let name = item["name"]?.stringValue else { return nil }
            return Header(name: name, value: item["value_b64"]?.stringValue.flatMap(Base64.decode))
        }
        traitKey = object["trait_key"]?.stringValue
        normalizedKey = object["normalized_key"]?.stringValue
        action = object["action"]?.stringValue
    }

    private static func origin(_ value: JSONValue?) -> Origin? {
        guard let topic = value?["topic"]?.stringValue,
            let partition = value?["partition"]?.numberValue?.int64Value.flatMap({ Int32(exactly: $0) }),
            let offset = value?["offset"]?.numberValue?.int64Value
        else { return nil }
        return Origin(topic: topic, partition: partition, offset: offset)
    }
}

extension DLQEntry {
    /// The keyset position of this record in the index's time order.
    public var cursor: DLQCursor { DLQCursor(streamTimeMs: streamTimeMs, partition: partition, offset: offset) }
}
