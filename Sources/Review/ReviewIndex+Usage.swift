import Foundation
import GRDB
import JSON

/// A workspace's usage in a month against its plan (the usage page's row).
public struct WorkspaceUsage: Sendable, Hashable {
    public var workspaceID: String
    public var month: String
    public var orgID: String?
    public var plan: String?
    public var mauMode: String
    public var mau: Int64
    public var connectionsCurrent: Int64
    public var connectionsPeak: Int64
    public var acceptedEventsMonth: Int64
    public var overagePacks: Int64
    /// Plan figures (−1 unlimited; nil when the workspace's config is unknown).
    public var mauIncluded: Int64?
    public var eventsPerMonth: Int64?
    public var peakConcurrentConnections: Int64?
    /// Verdicts of the month by reason (filtered vs counted).
    public var breakdown: [(reason: String, count: Int64)]
    public var streamTimeMs: Int64

    public static func == (a: Self, b: Self) -> Bool { a.workspaceID == b.workspaceID && a.month == b.month && a.streamTimeMs == b.streamTimeMs }
    public func hash(into hasher: inout Hasher) { hasher.combine(workspaceID); hasher.combine(month) }
}

/// An org's summed monthly peak of concurrent connections.
public struct OrgPeak: Sendable, Hashable {
    public var orgID: String
    public var month: String
    public var peakSum: Int64
    public var peaks: [String: Int64]
    /// The sum of its workspaces' plan peaks (known configs only).
    public var planSum: Int64?
}

/// A notification request as sent, with the surfaces it went to.
public struct SentNotification: Sendable, Hashable {
    public var orgID: String
    public var workspaceID: String?
    public var capType: String
    public var level: Int64?
    public var month: String?
    public var surfaces: [String]
    public var streamTimeMs: Int64
}

extension ReviewIndex {
    /// Every workspace's latest snapshot per month, newest month first.
    public func workspaceUsage() throws -> [WorkspaceUsage] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.*, c.org_id, c.plan, c.mau_included, c.events_per_month, c.peak_concurrent_connections
                FROM usage_snapshots u LEFT JOIN workspace_configs c ON c.workspace_id = u.workspace_id
                ORDER BY u.month DESC, u.workspace_id
                """).map { row in
                let breakdown = (try? JSONParser.parse(row["breakdown"] as String))?.value.objectValue ?? JSONObject()
                return WorkspaceUsage(
                    workspaceID: row["workspace_id"], month: row["month"], orgID: row["org_id"], plan: row["plan"],
                    mauMode: row["mau_mode"], mau: row["mau"], connectionsCurrent: row["connections_current"],
                    connectionsPeak: row["connections_peak"], acceptedEventsMonth: row["accepted_events_month"],
                    overagePacks: row["overage_packs"], mauIncluded: row["mau_included"],
                    eventsPerMonth: row["events_per_month"], peakConcurrentConnections: row["peak_concurrent_connections"],
                    breakdown: breakdown.map { ($0.key, $0.value.numberValue?.int64Value ?? 0) },
                    streamTimeMs: row["stream_time_ms"])
            }
        }
    }

    /// Org peaks per month, newest first, with the plan sum of their workspaces.
    public func orgPeaks() throws -> [OrgPeak] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.*, (SELECT sum(peak_concurrent_connections) FROM workspace_configs c
                             WHERE c.org_id = o.org_id AND c.peak_concurrent_connections >= 0) AS plan_sum
                FROM org_peaks o ORDER BY o.month DESC, o.org_id
                """).map { row in
                let peaks = (try? JSONParser.parse(row["peaks"] as String))?.value.objectValue ?? JSONObject()
                var byWorkspace: [String: Int64] = [:]
                for member in peaks { byWorkspace[member.key] = member.value.numberValue?.int64Value ?? 0 }
                return OrgPeak(orgID: row["org_id"], month: row["month"], peakSum: row["peak_sum"], peaks: byWorkspace,
                               planSum: row["plan_sum"])
            }
        }
    }

    /// The latest notifications, one per request (its surfaces gathered), newest first.
    public func sentNotifications(limit: Int = 200) throws -> [SentNotification] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT org_id, workspace_id, cap_type, level, month, stream_time_ms, group_concat(surface, ', ') AS surfaces
                FROM notifications GROUP BY org_id, workspace_id, cap_type, level, month, stream_time_ms
                ORDER BY stream_time_ms DESC LIMIT ?
                """, arguments: [limit]).map { row in
                SentNotification(
                    orgID: row["org_id"] ?? "", workspaceID: row["workspace_id"], capType: row["cap_type"] ?? "",
                    level: row["level"], month: row["month"],
                    surfaces: ((row["surfaces"] as String?) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                    streamTimeMs: row["stream_time_ms"])
            }
        }
    }

    /// Records indexed so far per followed topic (the console's status line).
    public func indexedCounts() throws -> (dlq: Int, replays: Int, snapshots: Int, notifications: Int) {
        try writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM dlq") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT replay_id) FROM replays") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM usage_snapshots") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM notifications") ?? 0)
        }
    }
}
