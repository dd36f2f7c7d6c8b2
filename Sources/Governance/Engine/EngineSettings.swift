/// Tunables of the governance engine that are not per-workspace config.
public struct EngineSettings: Sendable {
    public var ghosts: GhostDetector
    /// The most message ids a workspace's dedup window keeps (SPEC §11: bounded memory).
    public var dedupMaxEntries: Int
    /// The most deleted contacts a workspace remembers (SPEC §11: bounded memory);
    /// beyond it the oldest deletions are forgotten, a tenth at a time.
    public var deletedContactsMax: Int
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
