import Governance
import JSON

/// An audit record on `dlq-replays` (key: the reviewer): who replayed which DLQ
/// records, when, how many, to which topic. A replay of more than
/// `ReplayAudit.recordsPerPart` records writes several parts with the same
/// `replay_id`, so no audit record outgrows a Kafka message.
public struct ReplayAudit: Sendable, Hashable {
    public static let recordsPerPart = 1_000

    public struct Item: Sendable, Hashable {
        public var dlqPartition: Int32
        public var dlqOffset: Int64
        public var messageID: String?
        public var reason: String
        public var toTopic: String
        /// Where the replayed record was written (nil when the delivery report did not say).
        public var toPartition: Int32?
        public var toOffset: Int64?

        public init(dlqPartition: Int32, dlqOffset: Int64, messageID: String?, reason: String, toTopic: String,
                    toPartition: Int32?, toOffset: Int64?) {
            self.dlqPartition = dlqPartition
            self.dlqOffset = dlqOffset
            self.messageID = messageID
            self.reason = reason
            self.toTopic = toTopic
            self.toPartition = toPartition
            self.toOffset = toOffset
        }
    }

    public var replayID: String
    public var reviewer: String
    public var replayedAtMs: Int64
    /// `cli` or `console`.
    public var via: String
    /// The filter or the explicit records, as the reviewer gave them.
    public var selection: String
    /// Records replayed in the whole replay (all parts), by destination topic.
    public var destinations: [String: Int]
    /// Trait-scope records the selection held and the replay refused.
    public var skippedTrait: Int
    public var part: Int
    public var parts: Int
    public var items: [Item]

    public var count: Int { destinations.values.reduce(0, +) }

    public var jsonValue: JSONValue {
        var object = JSONObject()
        object.appendUnchecked("replay_id", .string(replayID))
        object.appendUnchecked("reviewer", .string(reviewer))
        object.appendUnchecked("replayed_at_ms", .int(replayedAtMs))
        object.appendUnchecked("via", .string(via))
        object.appendUnchecked("selection", .string(selection))
        object.appendUnchecked("count", .int(count))
        object.appendUnchecked("destinations", .object(JSONObject(destinations.sorted { $0.key < $1.key }
            .map { JSONMember(key: $0.key, value: .int($0.value)) })))
        object.appendUnchecked("skipped_trait", .int(skippedTrait))
        object.appendUnchecked("part", .int(part))
        object.appendUnchecked("parts", .int(parts))
        object.appendUnchecked("records", .array(items.map { item in
            var record = JSONObject()
            record.appendUnchecked("dlq_partition", .int(Int64(item.dlqPartition)))
            record.appendUnchecked("dlq_offset", .int(item.dlqOffset))
            record.appendUnchecked("message_id", .string(item.messageID))
            record.appendUnchecked("reason", .string(item.reason))
            record.appendUnchecked("to_topic", .string(item.toTopic))
            record.appendUnchecked("to_partition", item.toPartition.map { .int(Int64($0)) } ?? .null)
            record.appendUnchecked("to_offset", item.toOffset.map { .int($0) } ?? .null)
            return .object(record)
        }))
        return .object(object)
    }

    public init(replayID: String, reviewer: String, replayedAtMs: Int64, via: String, selection: String,
                destinations: [String: Int], skippedTrait: Int, part: Int, parts: Int, items: [Item]) {
        self.replayID = replayID
        self.reviewer = reviewer
        self.replayedAtMs = replayedAtMs
        self.via = via
        self.selection = selection
        self.destinations = destinations
        self.skippedTrait = skippedTrait
        self.part = part
        self.parts = parts
        self.items = items
    }

    /// Reads an audit record back; nil when the value is not one.
    public init?(json value: JSONValue) {
        guard let replayID = value["replay_id"]?.stringValue, let reviewer = value["reviewer"]?.stringValue,
            let at = value["replayed_at_ms"]?.numberValue?.int64Value
        else { return nil }
        self.replayID = replayID
        self.reviewer = reviewer
        replayedAtMs = at
        via = value["via"]?.stringValue ?? ""
        selection = value["selection"]?.stringValue ?? ""
        var destinations: [String: Int] = [:]
        for member in value["destinations"]?.objectValue ?? JSONObject() {
            destinations[member.key] = member.value.numberValue?.int64Value.map { Int($0) } ?? 0
        }
        self.destinations = destinations
        skippedTrait = value["skipped_trait"]?.numberValue?.int64Value.map { Int($0) } ?? 0
        part = value["part"]?.numberValue?.int64Value.map { Int($0) } ?? 1
        parts = value["parts"]?.numberValue?.int64Value.map { Int($0) } ?? 1
        items = (value["records"]?.arrayValue ?? []).compactMap { record in
            guard let partition = record["dlq_partition"]?.numberValue?.int64Value.flatMap({ Int32(exactly: $0) }),
                let offset = record["dlq_offset"]?.numberValue?.int64Value
            else { return nil }
            return Item(
                dlqPartition: partition, dlqOffset: offset, messageID: record["message_id"]?.stringValue,
                reason: record["reason"]?.stringValue ?? "", toTopic: record["to_topic"]?.stringValue ?? "",
                toPartition: record["to_partition"]?.numberValue?.int64Value.flatMap { Int32(exactly: $0) },
                toOffset: record["to_offset"]?.numberValue?.int64Value)
        }
    }
}
