import Governance
import JSON
import Review

/// DLQ records and audit records as the page's JavaScript reads them.
enum ConsoleJSON {
    static func summary(_ entry: DLQEntry, replayed: Bool) -> JSONValue {
        [
            "id": .string(entry.locator), "partition": .int(Int64(entry.partition)), "offset": .int(entry.offset),
            "stream_time_ms": .int(entry.streamTimeMs), "scope": .string(scope(entry)), "reason": .string(entry.reason),
            "field": .string(entry.field), "detail": .string(entry.detail), "workspace_id": .string(entry.workspaceID),
            "message_id": .string(entry.messageID), "origin": .string(origin(entry)), "replayable": .bool(entry.isReplayable),
            "replayed": .bool(replayed),
        ]
    }

    static func detail(
        _ entry: DLQEntry,
        replays: [(replayID: String, atMs: Int64, toTopic: String, toPartition: Int32?, toOffset: Int64?)]
    ) -> JSONValue {
        var object = summary(entry, replayed: !replays.isEmpty).objectValue ?? JSONObject()
        object.appendUnchecked("dlq_at", entry.dlqAt.map { .int($0) } ?? .null)
        object.appendUnchecked("original_key", .string(entry.originalKey))
        object.appendUnchecked("original_headers", headers(entry.originalHeaders))
        object.appendUnchecked("headers", headers(entry.headers))
        if let value = entry.originalValue {
            let pretty = RecordText.prettyJSON(value)
            object.appendUnchecked("original_json", .string(pretty))
            object.appendUnchecked("original_hex", pretty == nil ? .string(RecordText.hexDump(value)) : .null)
            object.appendUnchecked("original_size", .int(value.count))
        }
        if entry.scope == "trait" {
            object.appendUnchecked("trait_key", .string(entry.traitKey))
            object.appendUnchecked("normalized_key", .string(entry.normalizedKey))
            object.appendUnchecked("action", .string(entry.action))
        }
        object.appendUnchecked("replays", .array(replays.map { replay in
            [
                "replay_id": .string(replay.replayID), "at_ms": .int(replay.atMs), "to_topic": .string(replay.toTopic),
                "to_partition": replay.toPartition.map { .int(Int64($0)) } ?? .null,
                "to_offset": replay.toOffset.map { .int($0) } ?? .null,
            ]
        }))
        return .object(object)
    }

    static func audit(_ audit: ReplayAudit) -> JSONValue {
        [
            "replay_id": .string(audit.replayID), "reviewer": .string(audit.reviewer), "at_ms": .int(audit.replayedAtMs),
            "via": .string(audit.via), "selection": .string(audit.selection), "count": .int(audit.count),
            "destinations": .string(audit.destinations.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")),
            "skipped_trait": .int(audit.skippedTrait), "part": .int(audit.part), "parts": .int(audit.parts),
            "records": .string(audit.items.prefix(10).map { "\($0.dlqPartition):\($0.dlqOffset)" }.joined(separator: " ")
                + (audit.items.count > 10 ? " …" : "")),
        ]
    }

    static func scope(_ entry: DLQEntry) -> String {
        entry.scope == "event" && entry.origin?.topic == Topic.outboundMessages ? "outbound" : entry.scope
    }

    static func origin(_ entry: DLQEntry) -> String {
        entry.origin.map { "\($0.topic)[\($0.partition)]@\($0.offset)" } ?? "-"
    }

    private static func headers(_ headers: [Header]) -> JSONValue {
        .array(headers.map { ["name": .string($0.name), "value": .string(RecordText.headerValue($0.value))] })
    }
}
