import Testing
@testable import Governance

@Suite struct ConnectionsMeterTests {
    typealias F = MeteringFixtures
    let t: StreamTime = 1_795_000_001_000
    let plan = F.plan(.connections, mau: 2, pcc: 4)

    /// The scenario of Tests/Fixtures/connections.jsonl, step by step.
    @Test func connectsDisconnectsPeaksAndTheOverMAURule() {
        var meter = UsageMeter(workspaceID: "ws_x")
        var effects = meter.recordAccepted(F.connect("c1", "conn1"), at: t, plan: plan)
        #expect(effects.peakRaise == .init(month: "2026-11", peak: 1))
        effects = meter.recordAccepted(F.connect("c1", "conn1"), at: t + 1, plan: plan)
        #expect(effects.peakRaise == nil)
        #expect(meter.connections.current == 1)
        effects = meter.recordAccepted(F.connect("c2", "conn2"), at: t + 2, plan: plan)
        #expect(effects.peakRaise?.peak == 2)
        #expect(effects.alerts.map(\.level) == [80, 100])
        #expect(meter.currentMonth.mauReachedAt == t + 2)
        _ = meter.recordAccepted(F.disconnect("c9", "conn9"), at: t + 3, plan: plan)
        #expect(meter.connections.current == 2)
        effects = meter.recordAccepted(F.connect("c1", "conn3"), at: t + 4, plan: plan)
        #expect(effects.peakRaise?.peak == 3)
        #expect(effects.alerts.isEmpty)
        effects = meter.recordAccepted(F.connect("c2", "conn4"), at: t + 5, plan: plan)
        #expect(effects.alerts.map { "\($0.capType.rawValue):\($0.level ?? 0)" } == ["pcc_threshold:80", "pcc_threshold:100"])
        _ = meter.recordAccepted(F.disconnect("c1", "conn1"), at: t + 6, plan: plan)
        #expect(meter.connections.current == 3 && meter.currentMonth.peak == 4)

        let edge = t + 2 + 3 * Millis.day
        #expect(!meter.wouldExceedMAU("c3", at: edge, included: 2))
        _ = meter.recordAccepted(F.connect("c3", "conn5"), at: edge, plan: plan)
        #expect(meter.wouldExceedMAU("c4", at: edge + 1, included: 2))
        #expect(!meter.wouldExceedMAU("c1", at: edge + 2, included: 2))
        #expect(meter.mau(.connections) == 3)
    }

    @Test func noOverMAUBeforeMAUReachesIncludedOrWhenUnlimited() {
        var meter = UsageMeter(workspaceID: "ws_x")
        _ = meter.recordAccepted(F.connect("c1", "k1"), at: t, plan: plan)
        #expect(!meter.wouldExceedMAU("c2", at: t + 10 * Millis.day, included: 2))
        _ = meter.recordAccepted(F.connect("c2", "k2"), at: t, plan: plan)
        #expect(meter.wouldExceedMAU("c3", at: t + 3 * Millis.day + 1, included: 2))
        #expect(!meter.wouldExceedMAU("c3", at: t + 3 * Millis.day + 1, included: -1))
    }

    @Test func aRaisedPlanClearsTAndALoweredOneSetsItAtTheNextRecord() {
        var meter = UsageMeter(workspaceID: "ws_x")
        _ = meter.recordAccepted(F.connect("c1", "k1"), at: t, plan: plan)
        _ = meter.recordAccepted(F.connect("c2", "k2"), at: t, plan: plan)
        _ = meter.recordVerdict(reason: "bot", at: t + 1, plan: F.plan(.connections, mau: 10, pcc: 4))
        #expect(meter.currentMonth.mauReachedAt == nil)
        #expect(!meter.wouldExceedMAU("c3", at: t + 4 * Millis.day, included: 2))
        _ = meter.recordVerdict(reason: "bot", at: t + 4 * Millis.day, plan: plan)
        #expect(meter.currentMonth.mauReachedAt == t + 4 * Millis.day)
    }

    @Test func openConnectionsCarryOverAndTheNewMonthsPeakStartsAtTheNumberOpen() {
        var meter = UsageMeter(workspaceID: "ws_x")
        _ = meter.recordAccepted(F.connect("c1", "k1"), at: F.december - 3, plan: plan)
        _ = meter.recordAccepted(F.connect("c2", "k2"), at: F.december - 2, plan: plan)
        _ = meter.recordAccepted(F.connect("c2", "k3"), at: F.december - 1, plan: plan)
        _ = meter.recordAccepted(F.disconnect("c2", "k3"), at: F.december - 1, plan: plan)
        let effects = meter.recordVerdict(reason: "duplicate", at: F.december, plan: plan)
        #expect(effects.peakRaise == .init(month: "2026-12", peak: 2))
        #expect(meter.connections.current == 2 && meter.currentMonth.peak == 2)
        #expect(meter.mau(.connections) == 0)
        #expect(meter.currentMonth.mauReachedAt == nil)
        #expect(meter.recordAccepted(F.connect("c3", "k4"), at: F.december + 1, plan: plan).peakRaise?.peak == 3)
    }

    @Test func anOverCapConnectChangesNothingButTheBreakdown() {
        var meter = UsageMeter(workspaceID: "ws_x")
        _ = meter.recordAccepted(F.connect("c1", "k1"), at: t, plan: plan)
        _ = meter.recordAccepted(F.connect("c2", "k2"), at: t, plan: plan)
        let before = meter.connections
        #expect(meter.wouldExceedMAU("c3", at: t + 4 * Millis.day, included: 2))
        _ = meter.recordVerdict(reason: "mau_limit", at: t + 4 * Millis.day, plan: plan)
        #expect(meter.connections == before)
        #expect(meter.breakdown.counts == ["accepted": 2, "mau_limit": 1])
    }

    @Test func theOverMAURuleNeverAppliesInAMonthNotStartedYet() {
        var meter = UsageMeter(workspaceID: "ws_x")
        _ = meter.recordAccepted(F.connect("c1", "k1"), at: F.december - 5 * Millis.day, plan: plan)
        _ = meter.recordAccepted(F.connect("c2", "k2"), at: F.december - 5 * Millis.day, plan: plan)
        #expect(meter.wouldExceedMAU("c3", at: F.december - 1, included: 2))
        #expect(!meter.wouldExceedMAU("c3", at: F.december, included: 2))
    }
}
