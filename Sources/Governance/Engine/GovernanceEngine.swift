import JSON

/// The governance stages of SPEC §6–§9 for the workspaces of one partition: takes
/// one input record and the partition's state, returns its verdict and appends the
/// output records. Deterministic: the same records in the same order give the same
/// verdicts, records and state, which is what makes the pipeline's replay after a
/// crash exactly-once (docs/ARCHITECTURE.md).
public struct GovernanceEngine: Sendable {
    public internal(set) var workspaces = WorkspaceTable()
    /// Workspaces changed since the last `drainTouchedWorkspaces()`.
    public var touched: Set<String> { workspaces.touched }
    public let settings: EngineSettings
    var recordsSinceEviction = 0
    /// What the memory bounds dropped so far, for the pipeline's metrics.
    public internal(set) var evictions = EvictionCounts()
    /// The highest stream time seen (not state: it only times the bucket sweep).
    var highWatermark: StreamTime = .min
    /// When set, the `dlq_at` of the records processed now, instead of the wall clock:
    /// the pipeline pins it per commit interval, so records processed again after a
    /// crash get the very `dlq_at` they had (byte-identical re-deliveries).
    public var pinnedDLQTime: Int64?
    /// Ids in all dedup windows together (derived, not state: nil after a restore or
    /// outside access, then summed again), for the partition-wide dedup bound.
    var dedupTotal: Int?
    /// When set (offline runs), every workspace peak report written to
    /// `notification-requests` is also kept here, with its index in `out`, so the org
    /// stage takes it as it is instead of parsing its bytes (~9,000 instructions a
    /// report). Not state; the pipeline leaves it nil.
    var peakReportsWritten: [(index: Int, report: WorkspacePeakReport)]?

    public init(settings: EngineSettings) {
        self.settings = settings
    }

    /// Processes one `raw-events` or `outbound-messages` record.
    public mutating func process(_ record: InputRecord, configs: some ConfigSource, into out: inout [OutputRecord]) -> Verdict {
        guard StreamTimeRange.contains(record.timestamp) else { return deadLetterInvalidTimestamp(record, into: &out) }
        recordsSinceEviction += 1
        highWatermark = max(highWatermark, record.timestamp)
        if recordsSinceEviction >= Self.evictionInterval { evictIdleBuckets(at: highWatermark - Self.evictionLateness) }
        if Topic.isTopic(record.origin.topic, Topic.outboundMessages) {
            return processOutbound(record, configs: configs, into: &out)
        }
        return processEvent(record, configs: configs, into: &out)
    }

    /// The workspaces changed since the last call, for the changelog; forgets them.
    public mutating func drainTouchedWorkspaces() -> Set<String> {
        workspaces.drainTouched()
    }

    /// Replaces a workspace's state while restoring a checkpoint.
    public mutating func restore(_ state: WorkspaceState) {
        workspaces.set(state)
        dedupTotal = nil
    }

    /// Gives mutable access to a workspace's state for the changelog writer.
    public mutating func withWorkspace<R>(_ id: String, _ body: (inout WorkspaceState) throws -> R) rethrows -> R? {
        guard workspaces.contains(id) else { return nil }
        dedupTotal = nil
        workspaces[derived: id] = WorkspaceDerived()  // the body may change what it derives from
        return try body(&workspaces[existing: id])
    }

    /// Idle full token buckets carry no information (a new bucket starts full), so
    /// dropping them changes no verdict of a record at or after the sweep time; this
    /// bounds memory (SPEC §11). The sweep runs every `evictionInterval` records at the
    /// highest stream time seen minus `evictionLateness`, so records up to a minute
    /// out of order still find their buckets.
    static let evictionInterval = 50_000
    static let evictionLateness = Millis.minute

    mutating func evictIdleBuckets(at t: StreamTime) {
        recordsSinceEviction = 0
        for id in Array(workspaces.ids) {
            guard let limits = workspaces[existing: id].config?.rateLimits else { continue }
            let evicted = workspaces[existing: id].rateLimiter.evictFullBuckets(at: t, limits: limits)
            evictions.tokenBuckets += evicted
            if evicted > 0 { workspaces.markTouched(id) }
        }
    }

    /// Prepares the workspace a record names: a valid value's `workspace_id`; for a
    /// record that failed validation its key, else the value's `workspace_id`.
    /// - Parameter settles: whether the record settles expired holds and requests a
    ///   due reminder. Raw events do; outbound messages only apply configs, because
    ///   their interleaving with raw events (another topic) is not fixed, and a
    ///   settlement must not depend on fetch order.
    mutating func prepareWorkspace<Value>(of record: InputRecord, _ validated: Result<Value, ValidationFailure>,
                                          _ workspaceID: KeyPath<Value, String>, settles: Bool = true,
                                          configs: some ConfigSource, into out: inout [OutputRecord]) -> WorkspaceConfig? {
        let named: String? = switch validated {
        case .success(let value): value[keyPath: workspaceID]
        case .failure(let failure): record.key ?? failure.workspaceID
        }
        guard let id = named else { return nil }
        guard settles else {
            workspaces.focus(on: id)
            applyConfigs(of: id, at: record.timestamp, configs: configs, into: &out)
            guard workspaces.contains(id) else { return nil }
            // `applied?.config` read in place: `.config` copied the whole state here.
            return workspaces[existing: id].applied?.config
        }
        return prepareWorkspace(id, at: record.timestamp, configs: configs, into: &out)
    }

    /// Applies config versions not applied yet, then settles the workspace's expired
    /// consent holds and requests a due grace reminder (SPEC §6.3): what "processing
    /// any record of a workspace" does first. Returns the workspace's config, if any.
    mutating func prepareWorkspace(_ id: String, at t: StreamTime, configs: some ConfigSource,
                                   into out: inout [OutputRecord]) -> WorkspaceConfig? {
        workspaces.focus(on: id)
        applyConfigs(of: id, at: t, configs: configs, into: &out)
        // `applied?.config` read in place: `.config` copied the whole version here.
        guard workspaces.contains(id), let config = workspaces[existing: id].applied?.config else { return nil }
        workspaces.markTouched(id)
        // Holds expire whatever the current consent_mode: switching it off does not
        // accept events that were held without consent; they expire after 30 days.
        let expired = workspaces[existing: id].consent.settleExpired(at: t)
        for hold in expired { settleExpired(hold, workspace: id, config: config, at: t, into: &out) }
        if workspaces[existing: id].registry.reminderDue(at: t) {
            requestNotification(NotificationRequest(orgID: config.orgID, workspaceID: id, capType: .graceReminder,
                                                    streamTimeMs: t), into: &out)
        }
        return config
    }

    /// Applies every config version of `id` the source has that this engine has not
    /// applied, in order. `governor check` calls it at each config line, so the
    /// transitions appear at the line; the pipeline reaches it before the next record
    /// of the workspace. Either way the records carry the config's own timestamp.
    /// A workspace asked with the source's current `versionsGeneration` has no newer
    /// version: answered from its slot, without the source's lookup by id.
    public mutating func applyConfigs(of id: String, at t: StreamTime, configs: some ConfigSource,
                                      into out: inout [OutputRecord]) {
        let known = workspaces.contains(id)
        let generation = configs.versionsGeneration
        if known, let generation, workspaces[derived: id].configsCheckedAt == generation { return }
        let after = known ? workspaces[existing: id].applied?.sequence ?? -1 : -1
        for version in configs.versions(of: id, after: after, at: t) {
            apply(version, into: &out)
        }
        if let generation, workspaces.contains(id) { workspaces[derived: id].configsCheckedAt = generation }
    }

    mutating func apply(_ version: ConfigVersion, into out: inout [OutputRecord]) {
        let id = version.config.workspaceID
        if !workspaces.contains(id) {
            workspaces.set(WorkspaceState(workspaceID: id, dedupMaxEntries: settings.dedupMaxEntries))
        }
        workspaces.focus(on: id)
        workspaces.markTouched(id)
        let old = workspaces[existing: id].config
        workspaces[existing: id].applied = version
        let t = StreamTimeRange.clamp(version.timestamp)
        var hintChanged = old == nil || old!.plan != version.config.plan || old!.limits != version.config.limits
            || old!.orgID != version.config.orgID
        if let old, workspaces[existing: id].registry.capChanged(from: old.limits.nameCap, to: version.config.limits.nameCap, at: t) {
            out.append(OutputRecord(topic: Topic.governanceAudit, key: id,
                                    value: VerdictRecords.audit("grace_cleared", workspaceID: id, streamTime: t), timestamp: t))
            hintChanged = true
        }
        if hintChanged { publishHint(id, at: t, into: &out) }
    }

    /// The parsed schemas of a workspace's config (validated when the config was read).
    /// Kept in the workspace's slot (`WorkspaceDerived`) per config sequence.
    mutating func schemas(of id: String, sequence: Int64, config: WorkspaceConfig) -> EventSchemas {
        if let cached = workspaces[derived: id].schemas, cached.sequence == sequence { return cached.schemas }
        let parsed = (try? EventSchemas(parsing: config.schemas.map(JSONValue.object))) ?? EventSchemas()
        workspaces[derived: id].schemas = (sequence, parsed)
        return parsed
    }

    /// Writes the workspace's SDK bootstrap hint (SPEC §7) to `governance-hints`.
    mutating func publishHint(_ id: String, at t: StreamTime, into out: inout [OutputRecord]) {
        guard workspaces.contains(id), let config = workspaces[existing: id].config else { return }
        let hint = SDKHint(workspaceID: id, organizationID: config.orgID, registry: workspaces[existing: id].registry,
                           cap: config.limits.nameCap, at: t)
        out.append(OutputRecord(topic: Topic.governanceHints, key: id, value: hint.json, timestamp: t))
    }

    /// The peak reports kept since the last call (`peakReportsWritten`), in output order.
    mutating func takePeakReportsWritten() -> [(index: Int, report: WorkspacePeakReport)] {
        guard let written = peakReportsWritten, !written.isEmpty else { return [] }
        peakReportsWritten = []
        return written
    }

    /// The `dlq_at` of a DLQ record written now.
    var dlqTime: Int64 { pinnedDLQTime ?? settings.wallClock() }

    /// Writes a notification request to the org-keyed repartition topic.
    func requestNotification(_ request: NotificationRequest, into out: inout [OutputRecord]) {
        out.append(OutputRecord(topic: Topic.notificationRequests, key: request.orgID, value: request.json,
                                timestamp: request.streamTimeMs))
    }

    /// Writes what a usage change calls for: the MAU trail, the org peak report, and
    /// threshold notifications.
    mutating func emitUsageEffects(_ effects: UsageEffects, workspace id: String, config: WorkspaceConfig,
                                   at t: StreamTime, into out: inout [OutputRecord]) {
        evictions.openConnections += effects.closedConnections
        if let first = effects.firstActive {
            out.append(OutputRecord(topic: Topic.usage, key: id, valueBytes: first.jsonBytes, timestamp: t))
        }
        if let change = effects.connectionsReport {
            let report = WorkspacePeakReport(orgID: config.orgID, workspaceID: id, month: change.month, peak: change.peak,
                                             open: change.open, streamTimeMs: t)
            if peakReportsWritten != nil { peakReportsWritten!.append((out.count, report)) }
            out.append(OutputRecord(topic: Topic.notificationRequests, key: config.orgID, valueBytes: report.jsonBytes,
                                    timestamp: t))
        }
        for alert in effects.alerts {
            requestNotification(NotificationRequest(alert, orgID: config.orgID, workspaceID: id, at: t), into: &out)
        }
    }

    /// Writes the usage snapshot when one is due after a record of the workspace.
    mutating func snapshotUsage(_ id: String, config: WorkspaceConfig, at t: StreamTime, into out: inout [OutputRecord]) {
        let used = Int64(workspaces[existing: id].registry.size)
        let cap = config.limits.nameCap.map(Int64.init) ?? -1
        if let snapshot = workspaces[existing: id].meter.snapshotIfDue(at: t, plan: config.usagePlan, uniqueNamesUsed: used,
                                                              uniqueNamesCap: cap) {
            out.append(OutputRecord(topic: Topic.usage, key: id, value: snapshot.json, timestamp: t))
        }
    }

    /// Counts a non-accepted verdict in the workspace's usage breakdown.
    mutating func meterVerdict(_ reason: String, workspace id: String, config: WorkspaceConfig, at t: StreamTime,
                               settlement: Bool = false, into out: inout [OutputRecord]) {
        let effects = workspaces[existing: id].meter.recordVerdict(reason: reason, at: t, plan: config.usagePlan, settlement: settlement)
        emitUsageEffects(effects, workspace: id, config: config, at: t, into: &out)
    }
}
