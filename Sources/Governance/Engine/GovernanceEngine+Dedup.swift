import HeapModule

extension GovernanceEngine {
    /// Enters a message id into its workspace's dedup window (which enforces its own
    /// bound, `EngineSettings.dedupMaxEntries`), then enforces the partition-wide bound
    /// `EngineSettings.partitionDedupMaxEntries` over all windows of this engine, so
    /// that many workspaces together cannot exhaust memory (SPEC §11). Deterministic:
    /// the total is a function of the partition's state, so a replay evicts the same ids.
    mutating func recordDedup(_ messageID: String, workspace ws: String, at t: StreamTime) {
        let before = workspaces[existing: ws].dedup.count
        evictions.dedupIDs += workspaces[existing: ws].dedup.record(messageID, at: t)
        var total: Int
        if let known = dedupTotal {
            total = known + workspaces[existing: ws].dedup.count - before
        } else {
            total = 0
            for id in workspaces.ids { total += workspaces[existing: id].dedup.count }
        }
        let limit = max(1, settings.partitionDedupMaxEntries)
        if total > limit {
            total -= evictOldestDedupIDs(count: total - (limit - limit / 10))
        }
        dedupTotal = total
    }

    /// Evicts the `count` oldest ids over all dedup windows (by entry time, then id,
    /// then workspace). Returns how many it evicted.
    private mutating func evictOldestDedupIDs(count: Int) -> Int {
        var heads = Heap<DedupHead>()
        for id in workspaces.ids {
            if let oldest = workspaces[existing: id].dedup.oldest() { heads.insert(DedupHead(entry: oldest, workspaceID: id)) }
        }
        var evicted = 0
        while evicted < count, let head = heads.popMin() {
            workspaces[existing: head.workspaceID].dedup.evict(head.entry)
            evicted += 1
            if let next = workspaces[existing: head.workspaceID].dedup.oldest() {
                heads.insert(DedupHead(entry: next, workspaceID: head.workspaceID))
            }
        }
        evictions.partitionDedupIDs += evicted
        return evicted
    }
}

/// The oldest entry of one workspace's dedup window, ordered for the partition-wide bound.
private struct DedupHead: Comparable {
    var entry: TimedId
    var workspaceID: String

    static func < (lhs: DedupHead, rhs: DedupHead) -> Bool {
        (lhs.entry.t0, lhs.entry.id, lhs.workspaceID) < (rhs.entry.t0, rhs.entry.id, rhs.workspaceID)
    }
}
