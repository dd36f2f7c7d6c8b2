/// Tunables of the governance engine that are not per-workspace config.
public struct EngineSettings: Sendable {
    public var ghosts: GhostDetector
    /// The most message ids a workspace's dedup window keeps (SPEC §11: bounded memory).
    public var dedupMaxEntries: Int
    /// The most deleted contacts a workspace remembers (SPEC §11: bounded memory);
    /// beyond it the oldest deletions are forgotten, a tenth at a time.
    public var deletedContactsMax: Int
    /// The most contacts' consent states a workspace remembers (SPEC §11); beyond it the
    /// states recorded longest ago are forgotten, a tenth at a time.
    public var consentStatesMax = 1_000_000
    /// The most open connections a workspace counts; beyond it the longest-idle are
    /// closed, a tenth at a time (idle ones also close after `ConnectionMeter.maxIdle`).
    public var openConnectionsMax = 1_000_000
    /// The most message ids all dedup windows of the engine (one partition) keep
    /// together; beyond it the oldest entries of any workspace go, a tenth at a time.
    public var partitionDedupMaxEntries = 4_000_000
    /// The wall clock for `dlq_at` (SPEC §12.2); injected so tests are deterministic.
    public var wallClock: @Sendable () -> Int64

    public init(ghosts: GhostDetector = GhostDetector(), dedupMaxEntries: Int = 1_000_000,
                deletedContactsMax: Int = 1_000_000, wallClock: @escaping @Sendable () -> Int64) {
        self.ghosts = ghosts
        self.dedupMaxEntries = dedupMaxEntries
        self.deletedContactsMax = max(1, deletedContactsMax)
        self.wallClock = wallClock
    }
}
