import GRDB

/// The tables of the review index. The DLQ table is indexed for the console's
/// queries (by reason, workspace, scope and time, newest first, keyset paging),
/// and `dlq_counts` keeps hourly counts so the chart never scans records.
enum ReviewSchema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE dlq (
                    partition INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    scope TEXT NOT NULL,
                    outbound INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    field TEXT,
                    detail TEXT NOT NULL,
                    workspace_id TEXT,
                    message_id TEXT,
                    origin_topic TEXT,
                    origin_partition INTEGER,
                    origin_offset INTEGER,
                    stream_time_ms INTEGER NOT NULL,
                    dlq_at INTEGER,
                    original_value BLOB,
                    original_key TEXT,
                    original_headers TEXT NOT NULL,
                    trait_key TEXT,
                    normalized_key TEXT,
                    action TEXT,
                    headers TEXT NOT NULL,
                    search TEXT NOT NULL,
                    PRIMARY KEY (partition, offset)
                );
                CREATE INDEX dlq_by_time ON dlq (stream_time_ms, partition, offset);
                CREATE INDEX dlq_by_reason ON dlq (reason, stream_time_ms);
                CREATE INDEX dlq_by_workspace ON dlq (workspace_id, stream_time_ms);
                CREATE INDEX dlq_by_scope ON dlq (scope, outbound, stream_time_ms);
                CREATE INDEX dlq_by_message ON dlq (message_id);
                CREATE TABLE dlq_counts (
                    hour INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    workspace_id TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    outbound INTEGER NOT NULL,
                    n INTEGER NOT NULL,
                    PRIMARY KEY (hour, reason, workspace_id, scope, outbound)
                );
                CREATE TABLE offsets (
                    topic TEXT NOT NULL,
                    partition INTEGER NOT NULL,
                    next_offset INTEGER NOT NULL,
                    PRIMARY KEY (topic, partition)
                );
                CREATE TABLE replays (
                    partition INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    replay_id TEXT NOT NULL,
                    reviewer TEXT NOT NULL,
                    replayed_at_ms INTEGER NOT NULL,
                    to_topic TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    skipped_trait INTEGER NOT NULL,
                    filter TEXT NOT NULL,
                    via TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (partition, offset)
                );
                CREATE INDEX replays_by_time ON replays (replayed_at_ms);
                CREATE TABLE replayed (
                    dlq_partition INTEGER NOT NULL,
                    dlq_offset INTEGER NOT NULL,
                    replay_id TEXT NOT NULL,
                    replayed_at_ms INTEGER NOT NULL,
                    to_topic TEXT NOT NULL,
                    to_partition INTEGER,
                    to_offset INTEGER,
                    PRIMARY KEY (dlq_partition, dlq_offset, replay_id)
                );
                CREATE TABLE usage_snapshots (
                    workspace_id TEXT NOT NULL,
                    month TEXT NOT NULL,
                    mau_mode TEXT NOT NULL,
                    mau INTEGER NOT NULL,
                    connections_current INTEGER NOT NULL,
                    connections_peak INTEGER NOT NULL,
                    accepted_events_month INTEGER NOT NULL,
                    overage_packs INTEGER NOT NULL,
                    breakdown TEXT NOT NULL,
                    stream_time_ms INTEGER NOT NULL,
                    PRIMARY KEY (workspace_id, month)
                );
                CREATE TABLE org_peaks (
                    org_id TEXT NOT NULL,
                    month TEXT NOT NULL,
                    peak_sum INTEGER NOT NULL,
                    peaks TEXT NOT NULL,
                    stream_time_ms INTEGER NOT NULL,
                    PRIMARY KEY (org_id, month)
                );
                CREATE TABLE notifications (
                    partition INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    org_id TEXT,
                    workspace_id TEXT,
                    cap_type TEXT,
                    level INTEGER,
                    surface TEXT,
                    month TEXT,
                    stream_time_ms INTEGER NOT NULL,
                    PRIMARY KEY (partition, offset)
                );
                CREATE INDEX notifications_by_workspace ON notifications (workspace_id, stream_time_ms);
                CREATE TABLE workspace_configs (
                    workspace_id TEXT PRIMARY KEY,
                    org_id TEXT NOT NULL,
                    plan TEXT NOT NULL,
                    mau_mode TEXT NOT NULL,
                    mau_included INTEGER NOT NULL,
                    events_per_month INTEGER NOT NULL,
                    peak_concurrent_connections INTEGER NOT NULL
                );
                """)
        }
        // The exact bytes of a record key that is not UTF-8 (`original_key_b64`), for a
        // byte-identical replay; null for every other record.
        migrator.registerMigration("v2 original_key_bytes") { db in
            try db.execute(sql: "ALTER TABLE dlq ADD COLUMN original_key_bytes BLOB")
        }
        return migrator
    }
}
