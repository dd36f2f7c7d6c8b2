import Foundation
import GRDB
import Governance
import JSON
import Kafka

// Indexing the non-DLQ topics: the replay audit and the usage tables.
extension ReviewIndex {
    static func insertReplay(_ message: KafkaMessage, _ db: Database) throws {
        guard let value = message.value.flatMap({ try? JSONParser.parse($0) })?.value,
            let audit = ReplayAudit(json: value)
        else { return }
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO replays (partition, offset, replay_id, reviewer, replayed_at_ms, to_topic, count,
                skipped_trait, filter, via, value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                message.partition, message.offset, audit.replayID, audit.reviewer, audit.replayedAtMs,
                audit.destinations.keys.sorted().joined(separator: ", "), audit.count, audit.skippedTrait,
                audit.selection, audit.via, value.serialized,
            ])
        for item in audit.items {
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO replayed (dlq_partition, dlq_offset, replay_id, replayed_at_ms, to_topic,
                    to_partition, to_offset) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [item.dlqPartition, item.dlqOffset, audit.replayID, audit.replayedAtMs, item.toTopic,
                                 item.toPartition, item.toOffset])
        }
    }

    static func upsertSnapshot(_ message: KafkaMessage, _ db: Database) throws {
        guard let value = json(message), value["kind"]?.stringValue == "usage_snapshot",
            let workspaceID = value["workspace_id"]?.stringValue, let month = value["month"]?.stringValue
        else { return }
        func int(_ name: String) -> Int64 { value[name]?.numberValue?.int64Value ?? 0 }
        try db.cachedStatement(sql: """
            INSERT INTO usage_snapshots (workspace_id, month, mau_mode, mau, connections_current, connections_peak,
                accepted_events_month, overage_packs, breakdown, stream_time_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (workspace_id, month) DO UPDATE SET
                mau_mode = excluded.mau_mode, mau = excluded.mau, connections_current = excluded.connections_current,
                connections_peak = excluded.connections_peak, accepted_events_month = excluded.accepted_events_month,
                overage_packs = excluded.overage_packs, breakdown = excluded.breakdown,
                stream_time_ms = excluded.stream_time_ms
            WHERE excluded.stream_time_ms >= usage_snapshots.stream_time_ms
            """).execute(arguments: [
                workspaceID, month, value["mau_mode"]?.stringValue ?? "active_events", int("mau"),
                int("connections_current"), int("connections_peak"), int("accepted_events_month"),
                int("overage_packs"), (value["breakdown"] ?? .object(JSONObject())).serialized, message.timestampMs,
            ])
    }

    static func upsertOrgPeak(_ message: KafkaMessage, _ db: Database) throws {
        guard let value = json(message), value["kind"]?.stringValue == "org_connections_peak",
            let orgID = value["org_id"]?.stringValue, let month = value["month"]?.stringValue
        else { return }
        try db.cachedStatement(sql: """
            INSERT INTO org_peaks (org_id, month, peak_sum, peaks, stream_time_ms) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (org_id, month) DO UPDATE SET
                peak_sum = excluded.peak_sum, peaks = excluded.peaks, stream_time_ms = excluded.stream_time_ms
            WHERE excluded.stream_time_ms >= org_peaks.stream_time_ms
            """).execute(arguments: [orgID, month, value["peak_sum"]?.numberValue?.int64Value ?? 0,
                             (value["peaks"] ?? .object(JSONObject())).serialized, message.timestampMs])
    }

    static func insertNotification(_ message: KafkaMessage, _ db: Database) throws {
        guard let value = json(message) else { return }
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO notifications (partition, offset, org_id, workspace_id, cap_type, level, surface,
                month, stream_time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                message.partition, message.offset, value["org_id"]?.stringValue, value["workspace_id"]?.stringValue,
                value["cap_type"]?.stringValue, value["level"]?.numberValue?.int64Value, value["surface"]?.stringValue,
                value["month"]?.stringValue,
                value["stream_time_ms"]?.numberValue?.int64Value ?? message.timestampMs,
            ])
    }

    /// The latest valid config per workspace (an invalid one is ignored, as the
    /// processor ignores it; a tombstone removes the workspace).
    static func upsertConfig(_ message: KafkaMessage, _ db: Database) throws {
        guard let bytes = message.value else {
            if let key = message.keyString {
                try db.execute(sql: "DELETE FROM workspace_configs WHERE workspace_id = ?", arguments: [key])
            }
            return
        }
        guard case .success(let config) = WorkspaceConfig.parse(bytes, key: message.keyString) else { return }
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO workspace_configs (workspace_id, org_id, plan, mau_mode, mau_included,
                events_per_month, peak_concurrent_connections) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [config.workspaceID, config.orgID, config.plan.rawValue, config.mauMode.rawValue,
                             config.limits.mauIncluded, config.limits.eventsPerMonth,
                             config.limits.peakConcurrentConnections])
    }

    private static func json(_ message: KafkaMessage) -> JSONValue? {
        message.value.flatMap { try? JSONParser.parse($0) }?.value
    }
}
