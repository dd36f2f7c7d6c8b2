extension WorkspaceState {
    /// Every map of the workspace's state, each under a path that never changes
    /// (changelog keys are built from it).
    public mutating func visitMaps(_ visitor: inout some TrackedMapVisitor) {
        visitor.visit("rate", &rateLimiter.buckets)
        visitor.visit("dedupSegments", &dedup.segments)
        visitor.visit("dedup", &dedup.legacyEntries)
        visitor.visit("names", &registry.names)
        visitor.visit("deleted", &deletedContacts)
        visitor.visit("consent", &consent.consents)
        visitor.visit("holds", &consent.holds)
        visitor.visit("holdExpiry", &consent.expiryIndex.buckets)
        visitor.visit("active", &meter.months.first.activeContacts)
        visitor.visit("active.1", &meter.months.second.activeContacts)
        visitor.visit("identified", &meter.rolling.lastIdentified)
        visitor.visit("identifiedExpiry", &meter.rolling.legacyExpiry)
        visitor.visit("open", &meter.connections.open)
        visitor.visit("openedAt", &meter.connections.openedAt)
        visitor.visit("connected", &meter.months.first.connectedContacts)
        visitor.visit("connected.1", &meter.months.second.connectedContacts)
        visitor.visit("messages", &messaging.days.first.counts)
        visitor.visit("messages.1", &messaging.days.second.counts)
    }

    /// Rebuilds indexes derived from the maps, after a restore wrote them directly.
    public mutating func rebuildIndexes() {
        dedup.rebuildIndex()
        meter.connections.rebuildIndex()
        meter.rolling.rebuildIndexes()
    }
}

extension OrgStage {
    /// Every map of the org stage's state (see `WorkspaceState.visitMaps`).
    public mutating func visitMaps(_ visitor: inout some TrackedMapVisitor) {
        visitor.visit("debounce", &debouncer.lastPassed)
        visitor.visit("peaks", &peaks.orgs)
    }
}
