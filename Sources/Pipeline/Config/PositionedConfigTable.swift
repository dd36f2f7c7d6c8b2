import Governance

/// How far the `workspace-config` topic was read: the next offset per partition
/// (a partition missing means nothing of it was read).
public typealias ConfigPosition = [Int32: Int64]

/// The `workspace-config` table with where each version was read, so that a view of
/// it can be limited to an earlier position: an attempt records the position its
/// records were governed with, and the same records processed again after a crash
/// see exactly the versions the first attempt saw, however far the reader is now.
public struct PositionedConfigTable: ConfigSource, Sendable {
    private var byWorkspace: [String: [(partition: Int32, version: ConfigVersion)]] = [:]
    /// The next offset to read per config partition.
    public private(set) var position: ConfigPosition = [:]

    public init() {}

    public var workspaceCount: Int { byWorkspace.count }

    /// Adds a version read at `partition`@`version.sequence` (the sequence is the offset).
    public mutating func add(_ version: ConfigVersion, partition: Int32) {
        byWorkspace[version.config.workspaceID, default: []].append((partition, version))
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
        return all.compactMap { entry in
            guard entry.version.sequence > sequence, entry.version.timestamp <= t else { return nil }
            if let limit, entry.version.sequence >= limit[entry.partition] ?? 0 { return nil }
            return entry.version
        }
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
