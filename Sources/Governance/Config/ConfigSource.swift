/// One accepted version of a workspace's config, in the order configs were read.
public struct ConfigVersion: Sendable, Equatable, Codable {
    /// Increases with every version read (a line number, or the config topic's offset).
    public var sequence: Int64
    /// The stream time of the config record.
    public var timestamp: StreamTime
    public var config: WorkspaceConfig

    public init(sequence: Int64, timestamp: StreamTime, config: WorkspaceConfig) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.config = config
    }
}

/// Where the engine finds workspace configs. The engine applies the versions it has
/// not applied yet, in order, before it processes a record of the workspace, so the
/// same state transitions (grace cleared, hint republished) happen whether configs
/// arrive interleaved in one file or on a separate topic.
public protocol ConfigSource {
    /// The versions of `workspaceID` with a sequence above `sequence` that apply to a
    /// record at stream time `t`, oldest first.
    func versions(of workspaceID: String, after sequence: Int64, at t: StreamTime) -> [ConfigVersion]
    /// A number that changes whenever `versions(of:after:at:)` could answer differently
    /// for the same arguments; nil when its answers also depend on `t` (or it cannot
    /// tell). The engine asks a workspace's versions again only when it changed.
    var versionsGeneration: Int? { get }
}

extension ConfigSource {
    public var versionsGeneration: Int? { nil }
}

/// Configs in the order they were read, each effective at once: `governor check`,
/// where config lines take effect in file order (SPEC §12.1).
public struct InOrderConfigTable: ConfigSource, Sendable {
    private var byWorkspace: [String: [ConfigVersion]] = [:]
    /// The highest sequence added: no workspace has a version after it.
    private var latestSequence = Int64.min
    /// Versions added so far: the answers depend on nothing else.
    public private(set) var versionsGeneration: Int? = 0

    public init() {}

    public mutating func add(_ version: ConfigVersion) {
        byWorkspace[version.config.workspaceID, default: []].append(version)
        latestSequence = max(latestSequence, version.sequence)
        versionsGeneration = versionsGeneration.map { $0 &+ 1 }
    }

    public func versions(of workspaceID: String, after sequence: Int64, at t: StreamTime) -> [ConfigVersion] {
        // Most records follow no new config at all: answered without hashing the id.
        guard latestSequence > sequence else { return [] }
        guard let all = byWorkspace[workspaceID], let last = all.last, last.sequence > sequence else { return [] }
        return all.filter { $0.sequence > sequence }
    }
}

/// Configs read from the `workspace-config` topic as a global table: a version applies
/// to records whose stream time is at or after the config record's timestamp (SPEC §5:
/// "from the stream time it is read"), so replaying the same topics gives the same
/// verdicts however the reader and the processor interleave.
public struct TimestampedConfigTable: ConfigSource, Sendable {
    private var byWorkspace: [String: [ConfigVersion]] = [:]

    public init() {}

    public var workspaceCount: Int { byWorkspace.count }

    public mutating func add(_ version: ConfigVersion) {
        byWorkspace[version.config.workspaceID, default: []].append(version)
    }

    public func versions(of workspaceID: String, after sequence: Int64, at t: StreamTime) -> [ConfigVersion] {
        guard let all = byWorkspace[workspaceID], let last = all.last, last.sequence > sequence else { return [] }
        return all.filter { $0.sequence > sequence && $0.timestamp <= t }
    }
}
