import Governance
import Metrics

/// Reports what a partition's engine dropped by its memory bounds
/// (`GovernanceEngine.evictions`) as `governor_evictions_total{structure}`: the
/// increase since the last report, so one actor's counts are added once. Records
/// governed again after a failed commit are counted again (a counter, not state).
struct EvictionMetrics {
    private var reported = EvictionCounts()
    private let tokenBuckets = Counter(label: "governor_evictions_total", dimensions: [("structure", "token_buckets")])
    private let dedupIDs = Counter(label: "governor_evictions_total", dimensions: [("structure", "dedup_ids")])
    private let deletedContacts = Counter(label: "governor_evictions_total", dimensions: [("structure", "deleted_contacts")])
    private let consentStates = Counter(label: "governor_evictions_total", dimensions: [("structure", "consent_states")])
    private let openConnections = Counter(label: "governor_evictions_total", dimensions: [("structure", "open_connections")])
    private let partitionDedupIDs = Counter(label: "governor_evictions_total", dimensions: [("structure", "partition_dedup_ids")])

    mutating func report(_ counts: EvictionCounts) {
        guard counts != reported else { return }
        Self.add(counts.tokenBuckets - reported.tokenBuckets, to: tokenBuckets)
        Self.add(counts.dedupIDs - reported.dedupIDs, to: dedupIDs)
        Self.add(counts.deletedContacts - reported.deletedContacts, to: deletedContacts)
        Self.add(counts.consentStates - reported.consentStates, to: consentStates)
        Self.add(counts.openConnections - reported.openConnections, to: openConnections)
        Self.add(counts.partitionDedupIDs - reported.partitionDedupIDs, to: partitionDedupIDs)
        reported = counts
    }

    private static func add(_ delta: Int, to counter: Counter) {
        if delta > 0 { counter.increment(by: delta) }
    }
}

/// Reports the config-version table's bounds (`PositionedConfigTable`): versions
/// dropped by its per-workspace cap as `governor_evictions_total{structure="config_versions"}`
/// the versions held as `governor_config_versions`, and the partitions the reader
/// stopped fetching, read to their end, as `governor_config_partitions_paused`.
struct ConfigTableMetrics {
    private var reported = 0
    private let evictions = Counter(label: "governor_evictions_total", dimensions: [("structure", "config_versions")])
    private let held = Gauge(label: "governor_config_versions")
    private let paused = Gauge(label: "governor_config_partitions_paused")

    mutating func report(_ table: PositionedConfigTable, pausedPartitions: Int) {
        if table.evicted > reported { evictions.increment(by: table.evicted - reported) }
        reported = table.evicted
        held.record(table.versionCount)
        paused.record(pausedPartitions)
    }
}
