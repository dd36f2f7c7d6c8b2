import Testing
@testable import Governance

@Suite struct UsageAlertTests {
    typealias F = MeteringFixtures

    @Test func mauThresholdsAt80And100PercentExactlyOncePerMonth() {
        var meter = UsageMeter(workspaceID: "ws")
        let plan = F.plan(.activeEvents, mau: 5)
        var levels: [[Int?]] = []
        for i in 1...6 {
            levels.append(meter.recordAccepted(F.event("c\(i)"), at: F.t0 + Int64(i), plan: plan).alerts.map(\.level))
        }
        #expect(levels == [[], [], [], [80], [100], []])
        let alert = meter.recordAccepted(F.event("c1"), at: F.december, plan: plan)
        #expect(alert.alerts.isEmpty)
    }

    @Test func oneStepCrossingBothLevelsRequestsBoth() {
        var meter = UsageMeter(workspaceID: "ws")
        let plan = F.plan(.activeEvents, mau: 3)
        _ = meter.recordAccepted(F.event("c1"), at: F.t0, plan: plan)
        #expect(meter.recordAccepted(F.event("c2"), at: F.t0, plan: plan).alerts.isEmpty)
        let alerts = meter.recordAccepted(F.event("c3"), at: F.t0, plan: plan).alerts
        #expect(alerts == [
            UsageAlert(capType: .mauThreshold, level: 80, figure: 3, limit: 3, month: "2026-11"),
            UsageAlert(capType: .mauThreshold, level: 100, figure: 3, limit: 3, month: "2026-11"),
        ])
    }

    @Test func eightyPercentIsComputedInExactIntegers() {
        var levels = ThresholdLevels()
        #expect(levels.reach(figure: 7, limit: 9).isEmpty)
        #expect(levels.reach(figure: 8, limit: 10) == [80])
        var big = ThresholdLevels()
        #expect(big.reach(figure: Int64.max / 50, limit: Int64.max / 40) == [80])
    }

    @Test func unlimitedPlansAndZeroFiguresRequestNothing() {
        var levels = ThresholdLevels()
        #expect(levels.reach(figure: 1_000_000, limit: -1).isEmpty)
        #expect(levels.reach(figure: 0, limit: 0).isEmpty)
        #expect(levels.reach(figure: 1, limit: 0) == [80, 100])
    }

    @Test func aLoweredPlanRequestsAtTheNextRecord() {
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.event("c1"), at: F.t0, plan: F.plan(.activeEvents, mau: 100))
        let alerts = meter.recordVerdict(reason: "bot", at: F.t0 + 1, plan: F.plan(.activeEvents, mau: 1)).alerts
        #expect(alerts.map(\.level) == [80, 100])
    }

    @Test func aRollingMAUThatFallsAndRisesAgainRequestsOncePerMonth() {
        var meter = UsageMeter(workspaceID: "ws")
        let plan = F.plan(.identifiedRolling30d, mau: 1)
        #expect(meter.recordAccepted(F.event("c1", role: .identify), at: F.december, plan: plan).alerts.count == 2)
        let lapsed = F.december + 30 * Millis.day
        #expect(meter.recordVerdict(reason: "bot", at: lapsed, plan: plan).alerts.isEmpty)
        #expect(meter.mau(.identifiedRolling30d) == 0)
        #expect(meter.recordAccepted(F.event("c2", role: .identify), at: lapsed + 1, plan: plan).alerts.isEmpty)
        #expect(meter.mau(.identifiedRolling30d) == 1)
        let january = meter.recordVerdict(reason: "bot", at: lapsed + 1 + Millis.day, plan: plan).alerts
        #expect(january.map(\.level) == [80, 100])
        #expect(january.first?.month == "2027-01")
    }

    @Test func pccThresholdsOnlyInConnectionsMode() {
        var meter = UsageMeter(workspaceID: "ws")
        let plan = F.plan(.activeEvents, mau: 100, pcc: 1)
        #expect(meter.recordAccepted(F.connect("c1", "k1"), at: F.t0, plan: plan).alerts.isEmpty)
        #expect(meter.connections.current == 0)
    }

    @Test func eventsQuotaExceededOnceWhenTheCountFirstExceedsThePlan() {
        var meter = UsageMeter(workspaceID: "ws")
        let plan = F.plan(.activeEvents, events: 2)
        let passive = F.event("c1", role: .passive)
        var alerts: [[NotificationCapType]] = []
        for i in 0..<4 {
            alerts.append(meter.recordAccepted(passive, at: F.t0 + Int64(i), plan: plan).alerts.map(\.capType))
        }
        #expect(alerts == [[], [], [.eventsQuotaExceeded], []])
        for i in 0..<2 { _ = meter.recordAccepted(passive, at: F.december + Int64(i), plan: plan) }
        let december = meter.recordAccepted(passive, at: F.december + 2, plan: plan).alerts
        #expect(december == [UsageAlert(capType: .eventsQuotaExceeded, level: nil, figure: 3, limit: 2,
                                        month: "2026-12")])
    }

    @Test func unlimitedVolumeNeverExceeds() {
        var meter = UsageMeter(workspaceID: "ws")
        let plan = F.plan(.activeEvents, events: -1)
        for i in 0..<3 {
            #expect(meter.recordAccepted(F.event("c", role: .passive), at: F.t0 + Int64(i), plan: plan).alerts.isEmpty)
        }
    }

    @Test func overagePacksAreCeilOfMAUOverIncludedOver5000() {
        let plan = F.plan(.activeEvents, mau: 10)
        #expect(plan.overagePacks(mau: 10) == 0)
        #expect(plan.overagePacks(mau: 11) == 1)
        #expect(plan.overagePacks(mau: 5_010) == 1)
        #expect(plan.overagePacks(mau: 5_011) == 2)
        #expect(F.plan(.activeEvents, mau: -1).overagePacks(mau: 1_000_000) == 0)
    }
}
