/// How many entries the engine's memory bounds have dropped since it started (SPEC §11,
/// issue 14): what the pipeline reports as metrics. Not state: like any counter it
/// starts again at zero in a new process.
public struct EvictionCounts: Sendable, Equatable {
    /// Idle full token buckets swept (they carry no information).
    public var tokenBuckets = 0
    /// Message ids dropped by a workspace's dedup size bound (an older duplicate may pass).
    public var dedupIDs = 0
    /// Deleted contacts forgotten by the bound on deletions (a later event of such a
    /// contact is governed again).
    public var deletedContacts = 0
    /// Contacts' consent states forgotten by the bound on consent states (the contact
    /// falls back to the workspace's `consent_default`).
    public var consentStates = 0
    /// Open connections closed without a disconnect: idle past `ConnectionMeter.maxIdle`
    /// or over the bound on open connections (they stop counting as open).
    public var openConnections = 0
    /// Message ids dropped by the partition-wide bound on all dedup windows together.
    public var partitionDedupIDs = 0

    public init() {}
}
