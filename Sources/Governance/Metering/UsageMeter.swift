/// A workspace's usage (SPEC §8, §6.3 Metering): MAU in its `mau_mode`, connections,
/// accepted events of the calendar month, the month's verdict breakdown, threshold
/// and quota notifications, and when a usage snapshot is due.
///
/// Time: the meter keeps a clock, the highest stream time it has seen, so that no
/// counter runs backwards. The month is the clock's UTC month: a late record from an
/// earlier month counts toward the current one (a month never reopens), and the
/// rolling window expires at the clock.
///
/// The engine, per record of the workspace that gets a verdict:
/// - `accepted` (after stages 15–17, including events released from deferral, with
///   `settlement: true`): `recordAccepted`;
/// - any other verdict (including `consent_expired` settlements, `settlement: true`):
///   `recordVerdict(reason:)`;
/// - each `cap_hit` audit record: `recordCapHit`;
/// - before accepting a connect in `connections` mode: `wouldExceedMAU` (true → `over_cap`
///   / `mau_limit`, then `recordVerdict(reason: "mau_limit")`; an over-cap connect
///   changes no MAU, connection or peak state);
/// - last: `snapshotIfDue`.
/// Each record call returns `UsageEffects`: the `mau_first_active` record, a peak raise
/// for `OrgConnectionPeaks`, and the notifications to request.
public struct UsageMeter: Sendable, Equatable, Codable {
    public let workspaceID: String
    /// The highest stream time seen.
    public private(set) var clock: StreamTime?
    /// `UTCCalendar.monthIndex` of the clock.
    public private(set) var month: Int64?
    public private(set) var acceptedEventsMonth: Int64
    public private(set) var breakdown: UsageBreakdown
    /// `active_events` mode: contact → time it first counted this month. Public for checkpointing.
    public var activeContacts: TrackedMap<String, StreamTime>
    /// `identified_rolling_30d` mode. Public for checkpointing.
    public var rolling: RollingIdentifiedMAU
    /// `connections` mode. Public for checkpointing.
    public var connections: ConnectionMeter
    private var mauLevels: ThresholdLevels
    private var pccLevels: ThresholdLevels
    private var quotaExceededRequested: Bool
    private var capHits: HourlyCounts
    private var lastSnapshotAt: StreamTime?
    private var lastSnapshotMonth: Int64?
    private var changedSinceSnapshotCheck: Bool

    public init(workspaceID: String) {
        self.workspaceID = workspaceID
        clock = nil
        month = nil
        acceptedEventsMonth = 0
        breakdown = UsageBreakdown()
        activeContacts = TrackedMap()
        rolling = RollingIdentifiedMAU()
        connections = ConnectionMeter()
        mauLevels = ThresholdLevels()
        pccLevels = ThresholdLevels()
        quotaExceededRequested = false
        capHits = HourlyCounts()
        lastSnapshotAt = nil
        lastSnapshotMonth = nil
        changedSinceSnapshotCheck = false
    }

    /// The current month as `YYYY-MM` (nil before the first record).
    public var monthKey: String? { clock.map(UTCCalendar.monthKey) }

    /// MAU in `mode` as of the clock.
    public func mau(_ mode: MAUMode) -> Int64 {
        switch mode {
        case .activeEvents: Int64(activeContacts.count)
        case .identifiedRolling30d: rolling.count
        case .connections: connections.mau
        }
    }

    /// Meters an accepted event: the month's accepted count and `accepted` in the
    /// breakdown, then by `plan.mode`: an active event's contact counts for the month
    /// (first time → `firstActive`); an identify counts its contact for 30 days; a
    /// connect / disconnect opens / closes a connection (a raised peak → `peakRaise`).
    /// - Parameter settlement: true when the event is released from deferral.
    public mutating func recordAccepted(_ event: MeteredEvent, at t: StreamTime, plan: UsagePlan,
                                        settlement: Bool = false) -> UsageEffects
    {
        let openBefore = connections.current
        var effects = advance(to: t)
        let now = clock ?? t
        acceptedEventsMonth += 1
        breakdown.add("accepted", settlement: settlement)
        switch (plan.mode, event.role) {
        case (.activeEvents, .active) where activeContacts[event.contactKey] == nil:
            activeContacts[event.contactKey] = t
            effects.firstActive = MAUFirstActive(workspaceID: workspaceID, month: UTCCalendar.monthKey(now),
                                                 contactKey: event.contactKey, event: event.event,
                                                 messageID: event.messageID)
        case (.identifiedRolling30d, .identify):
            rolling.identify(event.contactKey, at: t, now: now)
        case (.connections, .connect(let connectionID)):
            if connections.open[connectionID] == nil {
                // Room first, so a connection closed by the bound never counts in the peak.
                effects.closedConnections += connections.enforceBound(plan.openConnectionsMax - 1)
            }
            if connections.connect(connectionID, contact: event.contactKey, at: now) {
                effects.peakRaise = .init(month: UTCCalendar.monthKey(now), peak: connections.peak)
            }
        case (.connections, .disconnect(let connectionID)):
            connections.disconnect(connectionID)
        default:
            break
        }
        if effects.peakRaise != nil || connections.current != openBefore {
            effects.connectionsReport = .init(month: UTCCalendar.monthKey(now), peak: connections.peak,
                                              open: connections.current)
        }
        settle(plan, &effects)
        return effects
    }

    /// Counts a verdict other than `accepted` in the month's breakdown.
    /// - Parameters:
    ///   - reason: the verdict's reason (`duplicate`, `consent_denied`, `mau_limit`, a DLQ reason, …).
    ///   - settlement: true for a held event settled as `consent_expired`.
    public mutating func recordVerdict(reason: String, at t: StreamTime, plan: UsagePlan,
                                       settlement: Bool = false) -> UsageEffects
    {
        let openBefore = connections.current
        var effects = advance(to: t)
        breakdown.add(reason, settlement: settlement)
        if effects.connectionsReport == nil, connections.current != openBefore, let clock {
            effects.connectionsReport = .init(month: UTCCalendar.monthKey(clock), peak: connections.peak,
                                              open: connections.current)
        }
        settle(plan, &effects)
        return effects
    }

    /// Counts a name-cap hit (a `cap_hit` audit record) for the quality signals.
    public mutating func recordCapHit(at t: StreamTime) {
        capHits.add(at: t)
        changedSinceSnapshotCheck = true
    }

    /// Whether a connect from `contact` at `t` is `over_cap` (`mau_limit`) in
    /// `connections` mode: from the first stream time `T` this month at which MAU ≥
    /// `included`, a connect at `t > T + 3 d` from a contact not counted this month.
    /// Never in a month the meter has not started yet (its `T` is unset), never when
    /// `included` is −1.
    public func wouldExceedMAU(_ contact: String, at t: StreamTime, included: Int64) -> Bool {
        let now = max(clock ?? t, t)
        guard let month, UTCCalendar.monthIndex(now) == month else { return false }
        return connections.wouldExceedMAU(contact, at: now, included: included)
    }

    /// The usage snapshot due after a record, if any: when the record changed usage
    /// (any `record…` call since the last `snapshotIfDue`) and the workspace has no
    /// snapshot this month or its last one is at least 60 s of stream time before `t`.
    /// Call once at the end of each record; it forgets the change either way.
    /// - Parameters:
    ///   - uniqueNamesUsed: custom names in the name registry.
    ///   - uniqueNamesCap: the name cap, −1 when unlimited.
    public mutating func snapshotIfDue(at t: StreamTime, plan: UsagePlan, uniqueNamesUsed: Int64,
                                       uniqueNamesCap: Int64) -> UsageSnapshot?
    {
        defer { changedSinceSnapshotCheck = false }
        guard changedSinceSnapshotCheck, let month, let clock else { return nil }
        if let lastSnapshotMonth, let lastSnapshotAt, lastSnapshotMonth == month,
            t.saturatingSubtracting(lastSnapshotAt) < Millis.minute
        {
            return nil
        }
        lastSnapshotAt = lastSnapshotMonth == month ? max(lastSnapshotAt ?? t, t) : t
        lastSnapshotMonth = month
        let mau = mau(plan.mode)
        let connected = plan.mode == .connections
        return UsageSnapshot(
            workspaceID: workspaceID, month: UTCCalendar.monthKey(clock), mauMode: plan.mode, mau: mau,
            connectionsCurrent: connected ? connections.current : 0,
            connectionsPeak: connected ? connections.peak : 0,
            acceptedEventsMonth: acceptedEventsMonth, overagePacks: plan.overagePacks(mau: mau),
            breakdown: breakdown.counts,
            quality: UsageSnapshot.Quality(
                breakdown: breakdown, uniqueNamesUsed: uniqueNamesUsed, uniqueNamesCap: uniqueNamesCap,
                capHits24h: capHits.total(lastHours: 24, at: t), capHits7d: capHits.total(lastHours: 168, at: t)))
    }

    /// Moves the clock to `t` (never back), closes connections idle for
    /// `ConnectionMeter.maxIdle`, starts a new month when the clock enters one, and
    /// expires rolling identifies. A new month whose connection peak starts above zero
    /// (connections left open) is a peak raise.
    private mutating func advance(to t: StreamTime) -> UsageEffects {
        let now = max(clock ?? t, t)
        clock = now
        changedSinceSnapshotCheck = true
        var effects = UsageEffects()
        effects.closedConnections = connections.expireIdle(at: now)
        let current = UTCCalendar.monthIndex(now)
        if month != current {
            month = current
            startMonth()
            if connections.peak > 0 {
                effects.peakRaise = .init(month: UTCCalendar.monthKey(now), peak: connections.peak)
                effects.connectionsReport = .init(month: UTCCalendar.monthKey(now), peak: connections.peak,
                                                  open: connections.current)
            }
        }
        rolling.expire(at: now)
        return effects
    }

    private mutating func startMonth() {
        acceptedEventsMonth = 0
        breakdown = UsageBreakdown()
        for contact in Array(activeContacts.keys) { activeContacts.removeValue(forKey: contact) }
        connections.startMonth()
        mauLevels = ThresholdLevels()
        pccLevels = ThresholdLevels()
        quotaExceededRequested = false
    }

    /// After a change: tracks `T` for the over-MAU rule and asks for the threshold and
    /// quota notifications the figures now call for (plan figures as of this record).
    private mutating func settle(_ plan: UsagePlan, _ effects: inout UsageEffects) {
        guard let clock else { return }
        // Formatted only when an alert needs it: most records raise none.
        var monthKey: String { UTCCalendar.monthKey(clock) }
        if plan.mode == .connections {
            connections.trackMAULimit(included: plan.mauIncluded, at: clock)
        }
        let mau = mau(plan.mode)
        for level in mauLevels.reach(figure: mau, limit: plan.mauIncluded) {
            effects.alerts.append(UsageAlert(capType: .mauThreshold, level: level, figure: mau,
                                             limit: plan.mauIncluded, month: monthKey))
        }
        if plan.mode == .connections {
            for level in pccLevels.reach(figure: connections.peak, limit: plan.peakConcurrentConnections) {
                effects.alerts.append(UsageAlert(capType: .pccThreshold, level: level, figure: connections.peak,
                                                 limit: plan.peakConcurrentConnections, month: monthKey))
            }
        }
        if !quotaExceededRequested, plan.eventsPerMonth >= 0, acceptedEventsMonth > plan.eventsPerMonth {
            quotaExceededRequested = true
            effects.alerts.append(UsageAlert(capType: .eventsQuotaExceeded, level: nil, figure: acceptedEventsMonth,
                                             limit: plan.eventsPerMonth, month: monthKey))
        }
    }
}
