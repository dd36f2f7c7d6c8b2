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

    /// Keeps at most `limit` deleted contacts: when over it, forgets the oldest deletions
    /// (by deletion time, then key) down to 90 % of `limit`, so the sort runs once per
    /// tenth of the bound. Returns how many it forgot.
    mutating func forgetOldestDeletions(keeping limit: Int) -> Int {
        guard deletedContacts.count > limit else { return 0 }
        let target = max(0, limit - limit / 10)
        let oldest = deletedContacts.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(deletedContacts.count - target)
        for (contact, _) in oldest { deletedContacts.removeValue(forKey: contact) }
        return oldest.count
    }
}

extension WorkspaceConfig {
    /// The figures usage metering needs.
    var usagePlan: UsagePlan {
        UsagePlan(mode: mauMode, mauIncluded: limits.mauIncluded, eventsPerMonth: limits.eventsPerMonth,
                  peakConcurrentConnections: limits.peakConcurrentConnections)
    }

    /// The figures usage metering needs, with the engine's bound on open connections.
    func usagePlan(openConnectionsMax: Int) -> UsagePlan {
        var plan = usagePlan
        plan.openConnectionsMax = openConnectionsMax
        return plan
    }

    /// The three rates of the hierarchical token buckets.
    var rateLimits: RateLimits {
        RateLimits(contactPerSecond: limits.contactEventsPerSecond, sourcePerSecond: limits.sourceEventsPerSecond,
                   workspacePerSecond: limits.workspaceEventsPerSecond)
    }
}
