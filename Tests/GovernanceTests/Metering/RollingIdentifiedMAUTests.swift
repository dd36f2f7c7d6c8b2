import PropertyBased
import Testing
@testable import Governance

@Suite struct RollingIdentifiedMAUTests {
    typealias F = MeteringFixtures
    let plan = F.plan(.identifiedRolling30d)

    @Test func aContactIdentifiedAtT0CountsWhileTMinusT0IsUnder30Days() {
        var meter = UsageMeter(workspaceID: "ws_i")
        _ = meter.recordAccepted(F.event("c1", "identify", role: .identify), at: F.t0, plan: plan)
        _ = meter.recordAccepted(F.event("anon1", "identify", role: .identify), at: F.t0 + 1_000, plan: plan)
        _ = meter.recordAccepted(F.event("c2", "login"), at: F.t0 + 2_000, plan: plan)
        #expect(meter.mau(.identifiedRolling30d) == 2)
        _ = meter.recordAccepted(F.event("c3", "ping"), at: F.t0 + 30 * Millis.day - 1, plan: plan)
        #expect(meter.mau(.identifiedRolling30d) == 2)
        _ = meter.recordAccepted(F.event("c3", "ping"), at: F.t0 + 30 * Millis.day, plan: plan)
        #expect(meter.mau(.identifiedRolling30d) == 1)
        _ = meter.recordVerdict(reason: "bot", at: F.t0 + 1_000 + 30 * Millis.day, plan: plan)
        #expect(meter.mau(.identifiedRolling30d) == 0)
    }

    @Test func aLaterIdentifyExtendsTheWindowAndAnOlderOneNeverMovesT0Back() {
        var mau = RollingIdentifiedMAU()
        mau.identify("c1", at: 10 * Millis.day, now: 10 * Millis.day)
        mau.identify("c1", at: 5 * Millis.day, now: 10 * Millis.day)
        #expect(mau.lastIdentified["c1"] == 10 * Millis.day)
        mau.expire(at: 40 * Millis.day - 1)
        #expect(mau.count == 1)
        mau.expire(at: 40 * Millis.day)
        #expect(mau.count == 0)
        #expect(mau.expiry.isEmpty)
    }

    @Test func anIdentifyAlready30DaysBehindTheClockCountsForNothing() {
        var mau = RollingIdentifiedMAU()
        mau.identify("c1", at: 0, now: 30 * Millis.day)
        #expect(mau.count == 0)
        mau.identify("c1", at: 1, now: 30 * Millis.day)
        #expect(mau.count == 1)
    }

    @Test func countMatchesANaiveScanOfLatestIdentifies() async {
        await propertyCheck(input: Gen.int64(in: 0...(2 * Millis.day)).array(of: 1...40),
                            Gen.int(in: 0...5).array(of: 40))
        { steps, contacts in
            var mau = RollingIdentifiedMAU()
            var latest: [Int: StreamTime] = [:]
            var now: StreamTime = 0
            for (index, step) in steps.enumerated() {
                now += step * 10
                mau.expire(at: now)
                mau.identify("c\(contacts[index])", at: now, now: now)
                latest[contacts[index]] = now
                let expected = latest.values.filter { now - $0 < 30 * Millis.day }.count
                #expect(mau.count == Int64(expected))
            }
        }
    }
}
