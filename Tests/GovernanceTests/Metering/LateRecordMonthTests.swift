import Testing
@testable import Governance

/// SPEC §6.3: a record counts toward the UTC month of its own timestamp, in one of the
/// meter's two month slots (docs/GOVERNANCE.md §4.15).
@Suite struct LateRecordMonthTests {
    typealias F = MeteringFixtures
    static let november = UTCCalendar.monthIndex(F.t0)
    static let december = UTCCalendar.monthIndex(F.december)

    func snapshot(_ meter: inout UsageMeter, at t: StreamTime, _ plan: UsagePlan) -> UsageSnapshot? {
        meter.snapshotIfDue(at: t, plan: plan, uniqueNamesUsed: 0, uniqueNamesCap: -1)
    }

    /// The late event raises November's MAU (and its threshold, and a snapshot of
    /// November), not December's.
    @Test func aLateActiveEventRaisesItsOwnMonthsMAUAndSnapshot() {
        let plan = F.plan(.activeEvents, mau: 2)
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.event("c1"), at: F.t0, plan: plan)
        _ = snapshot(&meter, at: F.t0, plan)
        _ = meter.recordAccepted(F.event("c9"), at: F.december, plan: plan)
        #expect(snapshot(&meter, at: F.december, plan)?.mau == 1)
        let late = meter.recordAccepted(F.event("c2"), at: F.december - 1, plan: plan)
        #expect(late.firstActive?.month == "2026-11")
        #expect(late.alerts == [UsageAlert(capType: .mauThreshold, level: 80, figure: 2, limit: 2, month: "2026-11"),
                                UsageAlert(capType: .mauThreshold, level: 100, figure: 2, limit: 2, month: "2026-11")])
        let november = snapshot(&meter, at: F.december - 1, plan)
        #expect(november?.month == "2026-11" && november?.mau == 2 && november?.acceptedEventsMonth == 2)
        #expect(meter.mau(.activeEvents) == 1 && meter.acceptedEventsMonth == 1)
        _ = meter.recordAccepted(F.event("c3"), at: F.december + 1, plan: plan)
        #expect(snapshot(&meter, at: F.december + 1, plan) == nil)  // December's last one is 1 ms old
        _ = meter.recordAccepted(F.event("c3"), at: F.december + Millis.minute, plan: plan)
        let later = snapshot(&meter, at: F.december + Millis.minute, plan)
        #expect(later?.month == "2026-12" && later?.mau == 2 && later?.acceptedEventsMonth == 3)
    }

    /// A record from 50 years ahead takes the other slot: the real month's MAU,
    /// accepted count and breakdown stay, and later records keep counting there.
    @Test func aRecordFromYearsAheadLeavesTheCurrentMonthIntact() {
        let plan = F.plan(.activeEvents, mau: 100, events: 2)
        let future = F.t0 + 50 * 365 * Millis.day
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.event("c1"), at: F.t0, plan: plan)
        _ = meter.recordVerdict(reason: "duplicate", at: F.t0 + 1, plan: plan)
        _ = meter.recordAccepted(F.event("c2"), at: F.t0 + 2, plan: plan)
        let ahead = meter.recordAccepted(F.event("c1"), at: future, plan: plan)
        #expect(ahead.firstActive?.month == UTCCalendar.monthKey(future))
        let back = meter.recordAccepted(F.event("c3"), at: F.t0 + 3, plan: plan)
        #expect(back.firstActive?.month == "2026-11")
        #expect(back.alerts == [UsageAlert(capType: .eventsQuotaExceeded, level: nil, figure: 3, limit: 2,
                                           month: "2026-11")])
        let november = meter.usage(ofMonth: Self.november)
        #expect(november?.activeContacts.count == 3 && november?.acceptedEvents == 3)
        #expect(november?.breakdown.counts == ["accepted": 3, "duplicate": 1])
        let figures = snapshot(&meter, at: F.t0 + 3, plan)
        #expect(figures?.month == "2026-11" && figures?.mau == 3 && figures?.acceptedEventsMonth == 3)
        #expect(meter.usage(ofMonth: UTCCalendar.monthIndex(future))?.acceptedEvents == 1)
    }

    /// A late connect opens a connection (live state) and raises its own month's peak
    /// with the open count now; the later month's peak is left alone.
    @Test func aLateConnectRaisesItsOwnMonthsPeak() {
        let plan = F.plan(.connections, mau: 100, pcc: 100)
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.connect("k1", "conn1"), at: F.t0, plan: plan)
        _ = meter.recordAccepted(F.connect("k2", "conn2"), at: F.december, plan: plan)
        _ = meter.recordAccepted(F.connect("k3", "conn3"), at: F.december + 1, plan: plan)
        _ = meter.recordAccepted(F.disconnect("k3", "conn3"), at: F.december + 2, plan: plan)
        #expect(meter.currentMonth.peak == 3 && meter.connections.current == 2)
        let late = meter.recordAccepted(F.connect("k4", "conn4"), at: F.december - 1, plan: plan)
        #expect(late.peakRaise == .init(month: "2026-11", peak: 3))
        #expect(late.connectionsReport == .init(month: "2026-11", peak: 3, open: 3))
        #expect(meter.usage(ofMonth: Self.november)?.peak == 3)
        #expect(meter.usage(ofMonth: Self.november)?.connectedContacts.keys.sorted() == ["k1", "k4"])
        #expect(meter.currentMonth.peak == 3 && meter.mau(.connections) == 2)
        // December catches up with the open count at its next record.
        _ = meter.recordAccepted(F.connect("k5", "conn5"), at: F.december - 2, plan: plan)
        #expect(meter.usage(ofMonth: Self.november)?.peak == 4 && meter.currentMonth.peak == 3)
        let next = meter.recordVerdict(reason: "bot", at: F.december + 3, plan: plan)
        #expect(next.peakRaise == .init(month: "2026-12", peak: 4) && meter.currentMonth.peak == 4)
    }

    /// Two month slots: a month without one takes the older month's slot.
    @Test func aMonthWithoutASlotTakesTheOlderMonthsSlot() {
        let plan = F.plan(.activeEvents, mau: 100)
        let january = F.december + 31 * Millis.day
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.event("c1"), at: F.t0, plan: plan)
        _ = meter.recordAccepted(F.event("c1"), at: F.december, plan: plan)
        _ = meter.recordAccepted(F.event("c2"), at: F.december + 1, plan: plan)
        _ = meter.recordAccepted(F.event("c1"), at: january, plan: plan)  // takes November's slot
        #expect(meter.usage(ofMonth: Self.november) == nil)
        #expect(meter.usage(ofMonth: Self.december)?.acceptedEvents == 2)
        // November again: December's slot is the older one now; November starts afresh.
        let november = meter.recordAccepted(F.event("c1"), at: F.t0, plan: plan)
        #expect(november.firstActive?.month == "2026-11")
        #expect(meter.usage(ofMonth: Self.december) == nil)
        #expect(meter.usage(ofMonth: Self.november)?.acceptedEvents == 1)
        #expect(meter.monthKey == "2027-01" && meter.acceptedEventsMonth == 1 && meter.mau(.activeEvents) == 1)
    }

    /// The over-MAU rule reads `T` and the contacts of the connect's own month.
    @Test func theOverMAURuleUsesTheConnectsOwnMonth() {
        let plan = F.plan(.connections, mau: 1, pcc: 100)
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.connect("k1", "conn1"), at: F.t0, plan: plan)
        _ = meter.recordVerdict(reason: "bot", at: F.t0 + 4 * Millis.day, plan: plan)
        _ = meter.recordAccepted(F.connect("k1", "conn2"), at: F.december, plan: plan)
        #expect(meter.wouldExceedMAU("k2", at: F.t0 + 4 * Millis.day, included: 1))
        #expect(!meter.wouldExceedMAU("k2", at: F.december + 1, included: 1))
    }
}
