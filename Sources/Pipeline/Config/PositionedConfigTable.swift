import Governance

/// How far the `workspace-config` topic was read: the next offset per partition
/// (a partition missing means nothing of it was read).
public typealias ConfigPosition = [Int32: Int64]

/// The `workspace-config` table with where each version was read, so that a view of
/// it can be limited to an earlier position: an attempt records the position its
/// records were governed with, and the same records processed again after a crash
/// see exactly the versions the first attempt saw, however far the reader is now.
///
/// Bounded two ways (docs/GOVERNANCE.md §5 "Bounded memory"): `prune(_:)` drops the
/// versions no engine of this instance can ask for again, and at most
/// `maxVersionsPerWorkspace` versions of one workspace stay (oldest dropped first,
/// counted in `evicted`).
public struct PositionedConfigTable: ConfigSource, Sendable {
    typealias Entry = (partition: Int32, version: ConfigVersion)

    /// A workspace's versions in read order; `entries[head...]` are held (dropping
    /// from the front moves `head`, and the array is compacted now and then).
    struct Versions: Sendable {
        var entries: [Entry] = []
        var head = 0
        var count: Int { entries.count - head }
        var first: Entry? { head < entries.count ? entries[head] : nil }
        var last: Entry? { entries.last }
        var held: ArraySlice<Entry> { entries[head...] }

        mutating func dropFirst(_ n: Int) {
            head += n
            if head == entries.count {
                entries.removeAll()
                head = 0
            } else if head >= 32, head * 2 >= entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }
    }

    private var byWorkspace: [String: Versions] = [:]
    /// The next offset to read per config partition.
    public private(set) var position: ConfigPosition = [:]
    /// The most versions of one workspace held; beyond it the oldest go.
    public let maxVersionsPerWorkspace: Int
    /// Versions dropped by `maxVersionsPerWorkspace` (not by `prune`), ever.
    public private(set) var evicted = 0
    /// Versions dropped by `prune`, ever.
    public private(set) var pruned = 0
    /// Versions held now.
    public private(set) var versionCount = 0
    /// Per workspace that lost versions (pruned or evicted): the sequence of the
    /// oldest version it still holds. An engine that applied less than it may need
    /// versions this table no longer has (see `needsReread`).
    public private(set) var heldFrom: [String: Int64] = [:]

    public init(maxVersionsPerWorkspace: Int = 1_000) {
        precondition(maxVersionsPerWorkspace >= 1, "a workspace keeps at least its newest config version")
        self.maxVersionsPerWorkspace = maxVersionsPerWorkspace
    }

    public var workspaceCount: Int { byWorkspace.count }

    /// The sequences of the versions of `workspaceID` held, oldest first.
    public func heldSequences(of workspaceID: String) -> [Int64] {
        byWorkspace[workspaceID]?.held.map(\.version.sequence) ?? []
    }

    /// Adds a version read at `partition`@`version.sequence` (the sequence is the offset).
    public mutating func add(_ version: ConfigVersion, partition: Int32) {
        let id = version.config.workspaceID
        byWorkspace[id, default: Versions()].entries.append((partition, version))
        versionCount += 1
        let excess = byWorkspace[id]!.count - maxVersionsPerWorkspace
        if excess > 0 { drop(excess, of: id, evicting: true) }
    }

    /// Records that `partition` was read up to (excluding) `next`, config or not.
    public mutating func advance(partition: Int32, to next: Int64) {
        position[partition] = max(position[partition] ?? 0, next)
    }

    /// Whether this table holds everything read up to `other`.
    public func covers(_ other: ConfigPosition) -> Bool {
        other.allSatisfy { (position[$0.key] ?? 0) >= $0.value }
    }

    /// The versions of a table read up to `limit`: what a reader that had reached
    /// `limit` would have.
    public func limited(to limit: ConfigPosition) -> ConfigView { ConfigView(table: self, limit: limit) }

    public func versions(of workspaceID: String, after sequence: Int64, at t: StreamTime) -> [ConfigVersion] {
        versions(of: workspaceID, after: sequence, at: t, limit: nil)
    }

    /// SPEC §5: a version applies to records at or after its timestamp.
    fileprivate func versions(of workspaceID: String, after sequence: Int64, at t: StreamTime,
                              limit: ConfigPosition?) -> [ConfigVersion] {
        guard let all = byWorkspace[workspaceID], let last = all.last, last.version.sequence > sequence else { return [] }
        return all.held.compactMap { entry in
            guard entry.version.sequence > sequence, entry.version.timestamp <= t else { return nil }
            if let limit, entry.version.sequence >= limit[entry.partition] ?? 0 { return nil }
            return entry.version
        }
    }

    // MARK: Bounds

    /// Drops the versions of the workspaces `use` covers that no engine of this
    /// instance can ask for again: every version older than the newest version V of
    /// the workspace that (1) was read before `use.floor` (so every view an attempt of
    /// this instance governs with holds V) and (2) every engine holding the workspace
    /// has applied (its engine asks only for versions after the one it applied, so it
    /// neither needs the older ones nor skips their transitions; and having applied V
    /// means its records reached V's timestamp: a version scheduled ahead is never
    /// what lets an older one go). Workspaces no engine of this instance holds keep
    /// their versions (up to `maxVersionsPerWorkspace`). Returns how many went.
    @discardableResult
    public mutating func prune(_ use: ConfigUse) -> Int {
        let floor = use.floor(position)
        var dropped = 0
        for (id, applied) in use.applied {
            guard let versions = byWorkspace[id], versions.count > 1 else { continue }
            // The newest held version that is read before the floor and applied.
            var keepFrom: Int?
            for (index, entry) in versions.held.enumerated().reversed()
            where entry.version.sequence <= applied && entry.version.sequence < floor[entry.partition] ?? 0 {
                keepFrom = index
                break
            }
            // Sequences are offsets of one config partition: compare only within it.
            guard let keepFrom, keepFrom > 0,
                  versions.held.allSatisfy({ $0.partition == versions.first!.partition }) else { continue }
            drop(keepFrom, of: id, evicting: false)
            dropped += keepFrom
        }
        return dropped
    }

    /// Whether an engine restored with these applied versions (workspace → sequence),
    /// or the replay of attempts pinned to these positions, may need versions this
    /// table dropped: then `workspace-config` is read again (`merge(_:)`).
    public func needsReread(applied: [String: Int64], replaying pins: [ConfigPosition]) -> Bool {
        guard !heldFrom.isEmpty else { return false }
        // A cut-off attempt may have applied versions of any workspace.
        if !pins.isEmpty { return true }
        return applied.contains { id, sequence in heldFrom[id].map { sequence < $0 } ?? false }
    }

    /// Adds back the versions a fresh read of the topic (`full`, read up to at most
    /// this table's position) has and this table dropped, in offset order. What is
    /// dropped again is up to the next `prune`.
    public mutating func merge(_ full: PositionedConfigTable) {
        // Versions the cap drops again were counted when it first dropped them.
        let evictedBefore = evicted
        defer { evicted = evictedBefore }
        for (id, theirs) in full.byWorkspace {
            let ours = byWorkspace[id]?.held ?? []
            var seen = Set(ours.map { Key(partition: $0.partition, sequence: $0.version.sequence) })
            var merged = Array(ours)
            for entry in theirs.held where seen.insert(Key(partition: entry.partition, sequence: entry.version.sequence)).inserted {
                merged.append(entry)
            }
            guard merged.count > ours.count else { continue }
            merged.sort { ($0.partition, $0.version.sequence) < ($1.partition, $1.version.sequence) }
            versionCount += merged.count - ours.count
            byWorkspace[id] = Versions(entries: merged)
            heldFrom[id] = nil
            let excess = merged.count - maxVersionsPerWorkspace
            if excess > 0 { drop(excess, of: id, evicting: true) }
        }
    }

    private struct Key: Hashable {
        var partition: Int32
        var sequence: Int64
    }

    private mutating func drop(_ n: Int, of id: String, evicting: Bool) {
        byWorkspace[id]!.dropFirst(n)
        versionCount -= n
        if evicting { evicted += n } else { pruned += n }
        heldFrom[id] = byWorkspace[id]!.first!.version.sequence
    }
}

/// A `PositionedConfigTable` seen as of an earlier position.
public struct ConfigView: ConfigSource, Sendable {
    let table: PositionedConfigTable
    public let limit: ConfigPosition

    public func versions(of workspaceID: String, after sequence: Int64, at t: StreamTime) -> [ConfigVersion] {
        table.versions(of: workspaceID, after: sequence, at: t, limit: limit)
    }
}
