/// A workspace's usage (SPEC §8, §6.3 Metering): MAU in its `mau_mode`, connections,
/// accepted events of the calendar month, the month's verdict breakdown, threshold
/// and quota notifications, and when a usage snapshot is due.
///
/// Time (SPEC §6.3: "months … of the record's timestamp"): a record counts toward its
/// own UTC month. Everything per month is a `UsageMonth`, kept in two slots
/// (`SlotPair`): a record's month picks its slot; a month without one takes the slot of
/// the older month (a new month in the usual case; that month's figures are dropped).
/// So a late record of the previous month counts there, and a record from years ahead
/// takes the other slot while the real month's figures stay and keep counting.
/// What stays on the meter's clock (the highest stream time seen, never back): the
/// rolling 30-day window's expiry, idle connections' expiry, and the open connections
/// (live: a connect or disconnect changes them whatever its month).
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
    /// The two month slots. Public for checkpointing.
    public var months: SlotPair<UsageMonth>
    /// `identified_rolling_30d` mode. Public for checkpointing.
    public var rolling: RollingIdentifiedMAU
    /// `connections` mode: the open connections. Public for checkpointing.
    public var connections: ConnectionMeter
    public private(set) var capHits: HourlyCounts
    public private(set) var changedSinceSnapshotCheck: Bool

    public init(workspaceID: String) {
        self.workspaceID = workspaceID
        clock = nil
        months = SlotPair(UsageMonth(), UsageMonth())
        rolling = RollingIdentifiedMAU()
        connections = ConnectionMeter()
        capHits = HourlyCounts()
        changedSinceSnapshotCheck = false
    }

    /// `UTCCalendar.monthIndex` of the clock.
    public var month: Int64? { clock.map(UTCCalendar.monthIndex) }

    /// The clock's month as `YYYY-MM` (nil before the first record).
    public var monthKey: String? { clock.map(UTCCalendar.monthKey) }

    /// The figures of month `monthIndex`, when a slot holds it.
    public func usage(ofMonth monthIndex: Int64) -> UsageMonth? { months.index(of: monthIndex).map { months[$0] } }

    /// The figures of the clock's month (empty before the first record).
    public var currentMonth: UsageMonth { month.flatMap(usage(ofMonth:)) ?? UsageMonth() }

    /// Accepted events of the clock's month.
    public var acceptedEventsMonth: Int64 { currentMonth.acceptedEvents }
    /// The breakdown of the clock's month.
    public var breakdown: UsageBreakdown { currentMonth.breakdown }
    /// `active_events` contacts of the clock's month.
    public var activeContacts: TrackedMap<String, StreamTime> { currentMonth.activeContacts }

    /// MAU in `mode` of the clock's month (the rolling window as of the clock).
    public func mau(_ mode: MAUMode) -> Int64 { mau(mode, of: currentMonth) }

    private func mau(_ mode: MAUMode, of figures: UsageMonth) -> Int64 {
        switch mode {
        case .activeEvents: Int64(figures.activeContacts.count)
        case .identifiedRolling30d: rolling.count
        case .connections: figures.connectedMAU
        }
    }

    /// Meters an accepted event in `t`'s month: the accepted count and `accepted` in the
    /// breakdown, then by `plan.mode`: an active event's contact counts for the month
    /// (first time → `firstActive`); an identify counts its contact for 30 days; a
    /// connect / disconnect opens / closes a connection (a raised peak of `t`'s month,
    /// with the open count now → `peakRaise`).
    /// - Parameter settlement: true when the event is released from deferral.
    public mutating func recordAccepted(_ event: MeteredEvent, at t: StreamTime, plan: UsagePlan,
                                        settlement: Bool = false) -> UsageEffects
    {
        var effects = UsageEffects()
        recordAccepted(event, at: t, plan: plan, settlement: settlement, into: &effects)
        return effects
    }

    /// `recordAccepted` filling the caller's `effects` (empty): the engine's form, where
    /// the returned value was copied and destroyed once more (~360 instructions).
    mutating func recordAccepted(_ event: MeteredEvent, at t: StreamTime, plan: UsagePlan, settlement: Bool,
                                 into effects: inout UsageEffects) {
        let openBefore = connections.current
        let slot = advance(to: t, &effects)
        let now = clock ?? t
        let firstActive = months.withSlot(slot) { month -> Bool in
            month.acceptedEvents += 1
            month.breakdown.addAccepted(settlement: settlement)
            guard plan.mode == .activeEvents, case .active = event.role else { return false }
            // One lookup: counted unless already counted this month.
            return month.activeContacts.update(event.contactKey) { time in
                guard time == nil else { return false }
                time = t
                return true
            }
        }
        switch (plan.mode, event.role) {
        case (.activeEvents, .active) where firstActive:
            effects.firstActive = MAUFirstActive(workspaceID: workspaceID, month: UTCCalendar.monthKey(t),
                                                 contactKey: event.contactKey, event: event.event,
                                                 messageID: event.messageID)
        case (.identifiedRolling30d, .identify):
            rolling.identify(event.contactKey, at: t, now: now)
        case (.connections, .connect(let connectionID)):
            if connections.open[connectionID] == nil {
                // Room first, so a connection closed by the bound never counts in the peak.
                effects.closedConnections += connections.enforceBound(plan.openConnectionsMax - 1)
            }
            if months[slot].connectedContacts[event.contactKey] == nil { months[slot].connectedContacts[event.contactKey] = t }
            if connections.connect(connectionID, contact: event.contactKey, at: now),
                connections.current > months[slot].peak
            {
                months[slot].peak = connections.current
                effects.peakRaise = .init(month: UTCCalendar.monthKey(t), peak: connections.current)
            }
        case (.connections, .disconnect(let connectionID)):
            connections.disconnect(connectionID)
        default:
            break
        }
        if effects.peakRaise != nil || connections.current != openBefore {
            effects.connectionsReport = .init(month: UTCCalendar.monthKey(t), peak: months[slot].peak,
                                              open: connections.current)
        }
        settle(plan, slot: slot, at: t, &effects)
    }

    /// Counts a verdict other than `accepted` in the breakdown of `t`'s month.
    /// - Parameters:
    ///   - reason: the verdict's reason (`duplicate`, `consent_denied`, `mau_limit`, a DLQ reason, …).
    ///   - settlement: true for a held event settled as `consent_expired`.
    public mutating func recordVerdict(reason: String, at t: StreamTime, plan: UsagePlan,
                                       settlement: Bool = false) -> UsageEffects
    {
        let openBefore = connections.current
        var effects = UsageEffects()
        let slot = advance(to: t, &effects)
        months[slot].breakdown.add(reason, settlement: settlement)
        if effects.connectionsReport == nil, connections.current != openBefore {
            effects.connectionsReport = .init(month: UTCCalendar.monthKey(t), peak: months[slot].peak,
                                              open: connections.current)
        }
        settle(plan, slot: slot, at: t, &effects)
        return effects
    }

    /// Counts a name-cap hit (a `cap_hit` audit record) for the quality signals.
    public mutating func recordCapHit(at t: StreamTime) {
        capHits.add(at: t)
        changedSinceSnapshotCheck = true
    }

    /// Whether a connect from `contact` at `t` is `over_cap` (`mau_limit`) in
    /// `connections` mode: from the first stream time `T` of `t`'s month at which MAU ≥
    /// `included`, a connect at `t > T + 3 d` (`t` no earlier than the latest time seen
    /// of its month) from a contact not counted that month. Never in a month the meter
    /// holds no figures of (its `T` is unset), never when `included` is −1.
    public func wouldExceedMAU(_ contact: String, at t: StreamTime, included: Int64) -> Bool {
        guard let figures = usage(ofMonth: UTCCalendar.monthIndex(t)) else { return false }
        return figures.wouldExceedMAU(contact, at: max(figures.clock ?? t, t), included: included)
    }

    /// The usage snapshot of `t`'s month due after a record, if any: when the record
    /// changed usage (any `record…` call since the last `snapshotIfDue`) and that month
    /// has no snapshot yet or its last one is at least 60 s of stream time before `t`.
    /// Call once at the end of each record; it forgets the change either way.
    /// - Parameters:
    ///   - uniqueNamesUsed: custom names in the name registry.
    ///   - uniqueNamesCap: the name cap, −1 when unlimited.
    public mutating func snapshotIfDue(at t: StreamTime, plan: UsagePlan, uniqueNamesUsed: Int64,
                                       uniqueNamesCap: Int64) -> UsageSnapshot?
    {
        defer { changedSinceSnapshotCheck = false }
        guard changedSinceSnapshotCheck, let slot = months.index(of: UTCCalendar.monthIndex(t)) else { return nil }
        let due = months.withSlot(slot) { month -> Bool in
            if let last = month.lastSnapshotAt, t.saturatingSubtracting(last) < Millis.minute { return false }
            month.lastSnapshotAt = max(month.lastSnapshotAt ?? t, t)
            return true
        }
        guard due else { return nil }
        let figures = months[slot]
        let mau = mau(plan.mode, of: figures)
        let connected = plan.mode == .connections
        return UsageSnapshot(
            workspaceID: workspaceID, month: UTCCalendar.monthKey(t), mauMode: plan.mode, mau: mau,
            connectionsCurrent: connected ? connections.current : 0,
            connectionsPeak: connected ? figures.peak : 0,
            acceptedEventsMonth: figures.acceptedEvents, overagePacks: plan.overagePacks(mau: mau),
            breakdown: figures.breakdown.counts,
            quality: UsageSnapshot.Quality(
                breakdown: figures.breakdown, uniqueNamesUsed: uniqueNamesUsed, uniqueNamesCap: uniqueNamesCap,
                capHits24h: capHits.total(lastHours: 24, at: t), capHits7d: capHits.total(lastHours: 168, at: t)))
    }

    /// Moves the clock to `t` (never back), closes connections idle for
    /// `ConnectionMeter.maxIdle`, expires rolling identifies, and returns the slot of
    /// `t`'s month, starting it when no slot holds the month. A month whose peak is
    /// below the open count (a started month with connections open) is raised to it:
    /// a peak raise.
    private mutating func advance(to t: StreamTime, _ effects: inout UsageEffects) -> Int {
        let now = max(clock ?? t, t)
        clock = now
        changedSinceSnapshotCheck = true
        effects.closedConnections = connections.expireIdle(at: now)
        let slot = months.slot(for: UTCCalendar.monthIndex(t))
        // A month's peak is at least what is open at its records: a new month starts at
        // the number open (carry-over), and a month whose connections were opened by
        // records of the other month (late or from the future) catches up here.
        let open = connections.current
        let raised = months.withSlot(slot) { month -> Bool in
            month.clock = max(month.clock ?? t, t)
            guard open > month.peak else { return false }
            month.peak = open
            return true
        }
        if raised {
            let key = UTCCalendar.monthKey(t)
            effects.peakRaise = .init(month: key, peak: open)
            effects.connectionsReport = .init(month: key, peak: open, open: open)
        }
        rolling.expire(at: now)
        return slot
    }

    /// After a change of `slot`'s month: tracks `T` for the over-MAU rule and asks for
    /// the threshold and quota notifications the month's figures now call for (plan
    /// figures as of this record).
    private mutating func settle(_ plan: UsagePlan, slot: Int, at t: StreamTime, _ effects: inout UsageEffects) {
        let rollingMAU = rolling.count
        months.withSlot(slot) { month in
            Self.settle(&month, plan, rollingMAU: rollingMAU, at: t, &effects)
        }
    }

    /// `settle` on the slot's month, in place; `rollingMAU` is `rolling.count`.
    private static func settle(_ month: inout UsageMonth, _ plan: UsagePlan, rollingMAU: Int64, at t: StreamTime,
                               _ effects: inout UsageEffects) {
        // Formatted only when an alert needs it: most records raise none.
        var monthKey: String { UTCCalendar.monthKey(t) }
        if plan.mode == .connections {
            month.trackMAULimit(included: plan.mauIncluded, at: month.clock ?? t)
        }
        let mau = switch plan.mode {
        case .activeEvents: Int64(month.activeContacts.count)
        case .identifiedRolling30d: rollingMAU
        case .connections: month.connectedMAU
        }
        for level in month.mauLevels.reach(figure: mau, limit: plan.mauIncluded) {
            effects.alerts.append(UsageAlert(capType: .mauThreshold, level: level, figure: mau,
                                             limit: plan.mauIncluded, month: monthKey))
        }
        if plan.mode == .connections {
            let peak = month.peak
            for level in month.pccLevels.reach(figure: peak, limit: plan.peakConcurrentConnections) {
                effects.alerts.append(UsageAlert(capType: .pccThreshold, level: level, figure: peak,
                                                 limit: plan.peakConcurrentConnections, month: monthKey))
            }
        }
        let accepted = month.acceptedEvents
        if !month.quotaExceededRequested, plan.eventsPerMonth >= 0, accepted > plan.eventsPerMonth {
            month.quotaExceededRequested = true
            effects.alerts.append(UsageAlert(capType: .eventsQuotaExceeded, level: nil, figure: accepted,
                                             limit: plan.eventsPerMonth, month: monthKey))
        }
    }
}

extension UsageMeter {
    private enum CodingKeys: String, CodingKey {
        case workspaceID, clock, months, rolling, connections, capHits, changedSinceSnapshotCheck
        /// State written before the month slots (one month, the clock's): read into slot 0,
        /// whose maps keep their changelog paths (`active`, `connected`).
        case month, acceptedEventsMonth, breakdown, mauLevels, pccLevels, quotaExceededRequested, lastSnapshotAt,
             lastSnapshotMonth
    }

    /// The month figures that `ConnectionMeter` held before the month slots.
    private enum LegacyConnectionKeys: String, CodingKey { case peak, mauReachedAt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(workspaceID: try container.decode(String.self, forKey: .workspaceID))
        clock = try container.decodeIfPresent(StreamTime.self, forKey: .clock)
        rolling = try container.decode(RollingIdentifiedMAU.self, forKey: .rolling)
        connections = try container.decode(ConnectionMeter.self, forKey: .connections)
        capHits = try container.decode(HourlyCounts.self, forKey: .capHits)
        changedSinceSnapshotCheck = try container.decode(Bool.self, forKey: .changedSinceSnapshotCheck)
        if let months = try container.decodeIfPresent(SlotPair<UsageMonth>.self, forKey: .months) {
            self.months = months
            return
        }
        guard let month = try container.decodeIfPresent(Int64.self, forKey: .month) else { return }
        var figures = UsageMonth()
        figures.month = month
        figures.clock = clock
        figures.acceptedEvents = try container.decode(Int64.self, forKey: .acceptedEventsMonth)
        figures.breakdown = try container.decode(UsageBreakdown.self, forKey: .breakdown)
        figures.mauLevels = try container.decode(ThresholdLevels.self, forKey: .mauLevels)
        figures.pccLevels = try container.decode(ThresholdLevels.self, forKey: .pccLevels)
        figures.quotaExceededRequested = try container.decode(Bool.self, forKey: .quotaExceededRequested)
        if try container.decodeIfPresent(Int64.self, forKey: .lastSnapshotMonth) == month {
            figures.lastSnapshotAt = try container.decodeIfPresent(StreamTime.self, forKey: .lastSnapshotAt)
        }
        let legacy = try container.nestedContainer(keyedBy: LegacyConnectionKeys.self, forKey: .connections)
        figures.peak = try legacy.decodeIfPresent(Int64.self, forKey: .peak) ?? 0
        figures.mauReachedAt = try legacy.decodeIfPresent(StreamTime.self, forKey: .mauReachedAt)
        months.first = figures
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(workspaceID, forKey: .workspaceID)
        try container.encodeIfPresent(clock, forKey: .clock)
        try container.encode(months, forKey: .months)
        try container.encode(rolling, forKey: .rolling)
        try container.encode(connections, forKey: .connections)
        try container.encode(capHits, forKey: .capHits)
        try container.encode(changedSinceSnapshotCheck, forKey: .changedSinceSnapshotCheck)
    }
}
