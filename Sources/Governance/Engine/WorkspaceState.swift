/// Everything the rules keep for one workspace. Maps that grow with contacts,
/// sources, message ids, names or connections are `TrackedMap`s inside the
/// components, so a checkpoint writes only what changed.
public struct WorkspaceState: Sendable, Equatable, Codable {
    public let workspaceID: String
    /// The config version applied last (nil until the workspace has a config).
    public var applied: ConfigVersion?
    public var rateLimiter: RateLimiter
    public var dedup: DedupWindow
    public var registry: NameRegistry
    /// Contacts deleted by a `delete` event, with the stream time of the deletion.
    public var deletedContacts: TrackedMap<String, StreamTime>
    public var consent: ConsentLedger<HeldRecord>
    public var meter: UsageMeter
    public var messaging: MessagingCaps

    public init(workspaceID: String, dedupMaxEntries: Int) {
        self.workspaceID = workspaceID
        applied = nil
        rateLimiter = RateLimiter()
        dedup = DedupWindow(maxEntries: dedupMaxEntries)
        registry = NameRegistry()
        deletedContacts = TrackedMap()
        consent = ConsentLedger()
        meter = UsageMeter(workspaceID: workspaceID)
        messaging = MessagingCaps()
    }

    public var config: WorkspaceConfig? { applied?.config }
}

extension WorkspaceConfig {
    /// The figures usage metering needs.
    var usagePlan: UsagePlan {
        UsagePlan(mode: mauMode, mauIncluded: limits.mauIncluded, eventsPerMonth: limits.eventsPerMonth,
                  peakConcurrentConnections: limits.peakConcurrentConnections)
    }

    /// The three rates of the hierarchical token buckets.
    var rateLimits: RateLimits {
        RateLimits(contactPerSecond: limits.contactEventsPerSecond, sourcePerSecond: limits.sourceEventsPerSecond,
                   workspacePerSecond: limits.workspaceEventsPerSecond)
    }
}
