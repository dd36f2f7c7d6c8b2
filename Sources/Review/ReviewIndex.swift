import Foundation
import GRDB
import Governance
import JSON
import Kafka

/// The SQLite index (through GRDB) of `events-dlq`, the replay audit and the usage
/// topics. A follower fills it and stores, in the same transaction, the next offset
/// of every partition it read, so it resumes where it stopped and never indexes a
/// record twice. The console and `governor dlq` query it; nothing scans the topic.
public final class ReviewIndex: Sendable {
    /// The topics the index follows.
    public static let topics = [
        Topic.eventsDLQ, Topic.dlqReplays, Topic.usage, Topic.orgUsage, Topic.governanceNotifications,
        Topic.workspaceConfig,
    ]

    let writer: any DatabaseWriter

    /// Opens (creating when needed) the index at `path`, or a private in-memory
    /// index when `path` is nil.
    public init(path: String?) throws {
        if let path {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            writer = try DatabasePool(path: path, configuration: configuration)
        } else {
            writer = try DatabaseQueue()
        }
        try ReviewSchema.migrator().migrate(writer)
    }

    /// The next offset to read of each partition of `topic` (absent: from the start).
    public func nextOffsets(_ topic: String) throws -> [Int32: Int64] {
        try writer.read { db in
            var offsets: [Int32: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT partition, next_offset FROM offsets WHERE topic = ?", arguments: [topic]) {
                offsets[Int32(row["partition"] as Int64)] = row["next_offset"]
            }
            return offsets
        }
    }

    /// Indexes `messages` (any of `topics`) and advances the stored offsets, in one transaction.
    public func ingest(_ messages: [KafkaMessage]) throws {
        guard !messages.isEmpty else { return }
        try writer.write { db in
            var next: [TopicPartition: Int64] = [:]
            for message in messages {
                try Self.apply(message, db)
                next[message.topicPartition] = max(next[message.topicPartition] ?? 0, message.offset + 1)
            }
            for (tp, offset) in next {
                try db.cachedStatement(sql: """
                    INSERT INTO offsets (topic, partition, next_offset) VALUES (?, ?, ?)
                    ON CONFLICT (topic, partition) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset)
                    """).execute(arguments: [tp.topic, tp.partition, offset])
            }
        }
    }

    private static func apply(_ message: KafkaMessage, _ db: Database) throws {
        switch message.topic {
        case Topic.eventsDLQ: try insert(DLQEntry(message: message), db)
        case Topic.dlqReplays: try insertReplay(message, db)
        case Topic.usage: try upsertSnapshot(message, db)
        case Topic.orgUsage: try upsertOrgPeak(message, db)
        case Topic.governanceNotifications: try insertNotification(message, db)
        case Topic.workspaceConfig: try upsertConfig(message, db)
        default: break
        }
    }

    static func insert(_ entry: DLQEntry, _ db: Database) throws {
        let outbound = entry.origin?.topic == Topic.outboundMessages
        let search = [
            entry.reason, entry.field, entry.detail, entry.workspaceID, entry.messageID, entry.traitKey,
            entry.originalKey, entry.originalValue.map { String(decoding: $0.prefix(65_536), as: UTF8.self) },
        ].compactMap { $0 }.joined(separator: "\n").lowercased()
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO dlq (partition, offset, scope, outbound, reason, field, detail, workspace_id,
                message_id, origin_topic, origin_partition, origin_offset, stream_time_ms, dlq_at, original_value,
                original_key, original_headers, trait_key, normalized_key, action, headers, search, original_key_bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                entry.partition, entry.offset, entry.scope, outbound, entry.reason, entry.field, entry.detail,
                entry.workspaceID, entry.messageID, entry.origin?.topic, entry.origin?.partition, entry.origin?.offset,
                entry.streamTimeMs, entry.dlqAt, entry.originalValue.map { Data($0) }, entry.originalKey,
                HeaderCoding.encode(entry.originalHeaders), entry.traitKey, entry.normalizedKey, entry.action,
                HeaderCoding.encode(entry.headers), search, entry.originalKeyBytes.map { Data($0) },
            ])
        guard db.changesCount > 0 else { return }
        try db.cachedStatement(sql: """
            INSERT INTO dlq_counts (hour, reason, workspace_id, scope, outbound, n) VALUES (?, ?, ?, ?, ?, 1)
            ON CONFLICT (hour, reason, workspace_id, scope, outbound) DO UPDATE SET n = n + 1
            """).execute(arguments: [ReviewIndex.hour(entry.streamTimeMs), entry.reason, entry.workspaceID ?? "", entry.scope, outbound])
    }

    /// The start of the UTC hour of `ms` (floor, no overflow).
    static func hour(_ ms: Int64) -> Int64 {
        let (quotient, remainder) = ms.quotientAndRemainder(dividingBy: 3_600_000)
        return (remainder < 0 ? quotient - 1 : quotient) &* 3_600_000
    }
}

/// Headers as JSON text in the index: `[{"name":…,"value_b64":…}]`, as in DLQ records.
enum HeaderCoding {
    static func encode(_ headers: [Header]) -> String {
        JSONValue.array(headers.map { ["name": .string($0.name), "value_b64": .string($0.value.map { Base64.encode($0) })] })
            .serialized
    }

    static func decode(_ text: String?) -> [Header] {
        guard let text, let items = (try? JSONParser.parse(text))?.value.arrayValue else { return [] }
        return items.compactMap { item in
            guard let name = item["name"]?.stringValue else { return nil }
            return Header(name: name, value: item["value_b64"]?.stringValue.flatMap(Base64.decode))
        }
    }
}
