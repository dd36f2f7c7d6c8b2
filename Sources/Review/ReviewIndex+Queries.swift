import Foundation
import GRDB
import Governance
import JSON

/// Where a page of records ends: the next page starts after this record, in the
/// newest-first order (stream time, partition, offset).
public struct DLQCursor: Sendable, Hashable {
    public var streamTimeMs: Int64
    public var partition: Int32
    public var offset: Int64

    public init(streamTimeMs: Int64, partition: Int32, offset: Int64) {
        self.streamTimeMs = streamTimeMs
        self.partition = partition
        self.offset = offset
    }

    /// `stream_time_ms:partition:offset`, as the console passes it.
    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let time = Int64(parts[0]), let partition = Int32(parts[1]), let offset = Int64(parts[2])
        else { return nil }
        self.init(streamTimeMs: time, partition: partition, offset: offset)
    }

    public var text: String { "\(streamTimeMs):\(partition):\(offset)" }
}

/// The reasons, workspaces and counts an index holds (for filter menus and summaries).
public struct DLQFacets: Sendable {
    public var reasons: [(name: String, count: Int)]
    public var workspaces: [(name: String, count: Int)]
    public var total: Int
}

/// Counts of records by reason per time bucket, for the chart.
public struct DLQHistogram: Sendable {
    public var bucketMs: Int64
    public var buckets: [Int64]
    /// reason → count per bucket (same order as `buckets`).
    public var series: [(reason: String, counts: [Int])]
}

extension ReviewIndex {
    /// One page of matching records, newest first, after `cursor`.
    public func list(_ filter: DLQFilter, after cursor: DLQCursor? = nil, limit: Int = 100) throws -> [DLQEntry] {
        var clause = WhereClause(filter)
        if let cursor {
            clause.add("(stream_time_ms, partition, offset) < (?, ?, ?)", [cursor.streamTimeMs, cursor.partition, cursor.offset])
        }
        return try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM dlq \(clause.sql)
                ORDER BY stream_time_ms DESC, partition DESC, offset DESC LIMIT ?
                """, arguments: clause.arguments + [max(1, min(limit, 10_000))])
                .map(Self.entry)
        }
    }

    /// A page of matching records, oldest first, after `cursor` (replays walk the
    /// selection this way and never hold millions of records at once).
    public func pageAscending(_ filter: DLQFilter, after cursor: DLQCursor?, limit: Int = 1_000) throws -> [DLQEntry] {
        var clause = WhereClause(filter)
        if let cursor {
            clause.add("(stream_time_ms, partition, offset) > (?, ?, ?)", [cursor.streamTimeMs, cursor.partition, cursor.offset])
        }
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM dlq \(clause.sql) ORDER BY stream_time_ms, partition, offset LIMIT ?",
                             arguments: clause.arguments + [limit]).map(Self.entry)
        }
    }

    /// How many records match.
    public func count(_ filter: DLQFilter) throws -> Int {
        let clause = WhereClause(filter)
        return try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM dlq \(clause.sql)", arguments: clause.arguments) ?? 0
        }
    }

    /// Where a replay of `filter` would send records: replayable records by origin
    /// topic, and how many trait-scope (or unreadable) records it would refuse.
    public func destinations(_ filter: DLQFilter) throws -> (byTopic: [String: Int], refused: Int) {
        let clause = WhereClause(filter)
        return try writer.read { db in
            var byTopic: [String: Int] = [:]
            var refused = 0
            for row in try Row.fetchAll(db, sql: """
                SELECT scope, origin_topic, count(*) AS n FROM dlq \(clause.sql) GROUP BY scope, origin_topic
                """, arguments: clause.arguments) {
                let n: Int = row["n"]
                if row["scope"] == "event", let topic: String = row["origin_topic"] {
                    byTopic[topic, default: 0] += n
                } else {
                    refused += n
                }
            }
            return (byTopic, refused)
        }
    }

    /// The record at `partition:offset` of events-dlq.
    public func entry(partition: Int32, offset: Int64) throws -> DLQEntry? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM dlq WHERE partition = ? AND offset = ?", arguments: [partition, offset])
                .map(Self.entry)
        }
    }

    /// The records whose `message_id` is `messageID` (or whose offset in any partition is it).
    public func entries(matching reference: String) throws -> [DLQEntry] {
        try writer.read { db in
            var rows = try Row.fetchAll(db, sql: "SELECT * FROM dlq WHERE message_id = ? ORDER BY partition, offset LIMIT 100",
                                        arguments: [reference])
            if rows.isEmpty, let offset = Int64(reference) {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM dlq WHERE offset = ? ORDER BY partition LIMIT 100", arguments: [offset])
            }
            return rows.map(Self.entry)
        }
    }

    /// Reasons and workspaces with their counts.
    public func facets() throws -> DLQFacets {
        try writer.read { db in
            let reasons = try Row.fetchAll(db, sql: "SELECT reason, sum(n) AS n FROM dlq_counts GROUP BY reason ORDER BY n DESC")
                .map { (name: $0["reason"] as String, count: $0["n"] as Int) }
            let workspaces = try Row.fetchAll(db, sql: """
                SELECT workspace_id, sum(n) AS n FROM dlq_counts GROUP BY workspace_id ORDER BY n DESC LIMIT 500
                """).map { (name: $0["workspace_id"] as String, count: $0["n"] as Int) }
            return DLQFacets(reasons: reasons, workspaces: workspaces, total: reasons.reduce(0) { $0 + $1.count })
        }
    }

    /// Counts by reason over time from the hourly counts (all filters but free text
    /// apply), in at most `maxBuckets` buckets of whole hours or days.
    public func histogram(_ filter: DLQFilter, maxBuckets: Int = 48) throws -> DLQHistogram {
        let clause = WhereClause(filter, countsTable: true)
        return try writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT hour, reason, sum(n) AS n FROM dlq_counts \(clause.sql) GROUP BY hour, reason",
                                        arguments: clause.arguments)
            guard let first = rows.map({ $0["hour"] as Int64 }).min(), let last = rows.map({ $0["hour"] as Int64 }).max() else {
                return DLQHistogram(bucketMs: 3_600_000, buckets: [], series: [])
            }
            let hours = (last - first) / 3_600_000 + 1
            let bucketMs: Int64 = hours <= Int64(maxBuckets) ? 3_600_000
                : 86_400_000 * ((hours / 24) / Int64(maxBuckets) + 1)
            let start = first - ((first % bucketMs) + bucketMs) % bucketMs
            let count = Int((last - start) / bucketMs) + 1
            var series: [String: [Int]] = [:]
            for row in rows {
                let index = Int(((row["hour"] as Int64) - start) / bucketMs)
                series[row["reason"], default: Array(repeating: 0, count: count)][index] += row["n"] as Int
            }
            return DLQHistogram(
                bucketMs: bucketMs, buckets: (0..<count).map { start + Int64($0) * bucketMs },
                series: series.sorted { $0.value.reduce(0, +) > $1.value.reduce(0, +) }.map { ($0.key, $0.value) })
        }
    }

    /// The DLQ records (as `partition:offset`) already replayed, among `entries`.
    public func replayedLocators(_ entries: [DLQEntry]) throws -> Set<String> {
        guard !entries.isEmpty else { return [] }
        return try writer.read { db in
            var found: Set<String> = []
            for entry in entries where try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM replayed WHERE dlq_partition = ? AND dlq_offset = ?)
                """, arguments: [entry.partition, entry.offset]) == true {
                found.insert(entry.locator)
            }
            return found
        }
    }

    /// The replays of one DLQ record (from the audit), oldest first.
    public func replays(of entry: DLQEntry) throws -> [(replayID: String, atMs: Int64, toTopic: String, toPartition: Int32?, toOffset: Int64?)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT replay_id, replayed_at_ms, to_topic, to_partition, to_offset FROM replayed
                WHERE dlq_partition = ? AND dlq_offset = ? ORDER BY replayed_at_ms
                """, arguments: [entry.partition, entry.offset]).map {
                ($0["replay_id"], $0["replayed_at_ms"], $0["to_topic"],
                 ($0["to_partition"] as Int64?).map { Int32($0) }, $0["to_offset"])
            }
        }
    }

    /// The audit log, newest first.
    public func auditLog(limit: Int = 200) throws -> [ReplayAudit] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT value FROM replays ORDER BY replayed_at_ms DESC, partition, offset DESC LIMIT ?",
                                arguments: [limit])
                .compactMap { text in (try? JSONParser.parse(text)).flatMap { ReplayAudit(json: $0.value) } }
        }
    }

    static func entry(_ row: Row) -> DLQEntry {
        var entry = DLQEntry(
            partition: Int32(row["partition"] as Int64), offset: row["offset"], scope: row["scope"], reason: row["reason"],
            field: row["field"], detail: row["detail"], workspaceID: row["workspace_id"], messageID: row["message_id"],
            origin: nil, streamTimeMs: row["stream_time_ms"], dlqAt: row["dlq_at"],
            originalValue: (row["original_value"] as Data?).map { [UInt8]($0) }, originalKey: row["original_key"],
            originalHeaders: HeaderCoding.decode(row["original_headers"]), traitKey: row["trait_key"],
            normalizedKey: row["normalized_key"], action: row["action"], headers: HeaderCoding.decode(row["headers"]))
        entry.originalKeyBytes = (row["original_key_bytes"] as Data?).map { [UInt8]($0) }
        if let topic: String = row["origin_topic"], let partition: Int64 = row["origin_partition"],
            let offset: Int64 = row["origin_offset"] {
            entry.origin = Origin(topic: topic, partition: Int32(partition), offset: offset)
        }
        return entry
    }
}

/// A SQL `WHERE` clause and its arguments for a filter.
struct WhereClause {
    private var conditions: [String] = []
    private(set) var arguments: StatementArguments = []

    init(_ filter: DLQFilter, countsTable: Bool = false) {
        if let reason = filter.reason { add("reason = ?", [reason]) }
        if let workspace = filter.workspaceID { add("workspace_id = ?", [workspace]) }
        switch filter.scope {
        case .event?: add("scope = 'event' AND outbound = 0", [])
        case .outbound?: add("scope = 'event' AND outbound = 1", [])
        case .trait?: add("scope = 'trait'", [])
        case nil: break
        }
        let time = countsTable ? "hour" : "stream_time_ms"
        if let since = filter.since { add("\(time) >= ?", [countsTable ? ReviewIndex.hour(since) : since]) }
        if let until = filter.until { add("\(time) < ?", [until]) }
        if !countsTable, let text = filter.text { add("instr(search, ?) > 0", [text.lowercased()]) }
    }

    mutating func add(_ condition: String, _ values: [(any DatabaseValueConvertible)?]) {
        conditions.append(condition)
        arguments += StatementArguments(values)
    }

    var sql: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }
}
