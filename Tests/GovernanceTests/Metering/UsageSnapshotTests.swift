import Foundation
import JSON
import Testing
@testable import Governance

@Suite struct UsageSnapshotTests {
    typealias F = MeteringFixtures
    let plan = F.plan(.activeEvents, mau: 1)

    func snapshot(_ meter: inout UsageMeter, at t: StreamTime) -> UsageSnapshot? {
        meter.snapshotIfDue(at: t, plan: plan, uniqueNamesUsed: 3, uniqueNamesCap: 50)
    }

    @Test func theFirstChangeOfTheMonthIsDueThenAtMostOncePer60Seconds() {
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.event("c1"), at: F.t0, plan: plan)
        #expect(snapshot(&meter, at: F.t0) != nil)
        _ = meter.recordAccepted(F.event("c1"), at: F.t0 + Millis.minute - 1, plan: plan)
        #expect(snapshot(&meter, at: F.t0 + Millis.minute - 1) == nil)
        _ = meter.recordAccepted(F.event("c1"), at: F.t0 + Millis.minute, plan: plan)
        #expect(snapshot(&meter, at: F.t0 + Millis.minute) != nil)
    }

    @Test func aRecordThatChangesNothingIsNeverDue() {
        var meter = UsageMeter(workspaceID: "ws")
        #expect(snapshot(&meter, at: F.t0) == nil)
        _ = meter.recordAccepted(F.event("c1"), at: F.t0, plan: plan)
        #expect(snapshot(&meter, at: F.t0) != nil)
        #expect(snapshot(&meter, at: F.t0 + Millis.hour) == nil)
    }

    @Test func aNewMonthIsDueAtOnce() {
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.event("c1"), at: F.december - 1, plan: plan)
        #expect(snapshot(&meter, at: F.december - 1)?.month == "2026-11")
        _ = meter.recordAccepted(F.event("c1"), at: F.december, plan: plan)
        #expect(snapshot(&meter, at: F.december)?.month == "2026-12")
    }

    @Test func aCapHitIsAChange() {
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.event("c1"), at: F.t0, plan: plan)
        _ = snapshot(&meter, at: F.t0)
        meter.recordCapHit(at: F.t0 + Millis.minute)
        #expect(snapshot(&meter, at: F.t0 + Millis.minute)?.quality.capHits24h == 1)
    }

    @Test func snapshotContentAndJSON() {
        var meter = UsageMeter(workspaceID: "ws_s")
        let plan = F.plan(.connections, mau: 1, pcc: 100)
        _ = meter.recordAccepted(F.connect("c1", "k1"), at: F.t0, plan: plan)
        _ = meter.recordAccepted(F.connect("c2", "k2"), at: F.t0, plan: plan)
        _ = meter.recordAccepted(F.disconnect("c2", "k2"), at: F.t0, plan: plan)
        for reason in ["duplicate", "bot", "malformed_json", "malformed_json", "consent_denied"] {
            _ = meter.recordVerdict(reason: reason, at: F.t0, plan: plan)
        }
        _ = meter.recordVerdict(reason: "consent_expired", at: F.t0, plan: plan, settlement: true)
        meter.recordCapHit(at: F.t0)
        let snapshot = meter.snapshotIfDue(at: F.t0, plan: plan, uniqueNamesUsed: 3, uniqueNamesCap: -1)
        // Raw events: 3 accepted + 5 others = 8; validated 6; reached ghosts 5.
        #expect(snapshot?.quality == UsageSnapshot.Quality(
            breakdown: meter.breakdown, uniqueNamesUsed: 3, uniqueNamesCap: -1, capHits24h: 1, capHits7d: 1))
        #expect(snapshot?.json.serialized == """
            {"kind":"usage_snapshot","workspace_id":"ws_s","month":"2026-11","mau_mode":"connections","mau":2,\
            "connections_current":1,"connections_peak":2,"accepted_events_month":3,"overage_packs":1,\
            "breakdown":{"accepted":3,"bot":1,"consent_denied":1,"consent_expired":1,"duplicate":1,"malformed_json":2},\
            "quality":{"validation_pass_rate":0.75,"duplicate_rate":0.1667,"ghost_rate":0.2,"unique_names_used":3,\
            "unique_names_cap":-1,"cap_hits_24h":1,"cap_hits_7d":1}}
            """)
    }

    @Test func ratesWithNothingToMeasureArePerfect() {
        let quality = UsageSnapshot.Quality(breakdown: UsageBreakdown(), uniqueNamesUsed: 0, uniqueNamesCap: 50,
                                            capHits24h: 0, capHits7d: 0)
        #expect(quality.validationPassRate == 1 && quality.duplicateRate == 0 && quality.ghostRate == 0)
    }

    @Test func capHitWindowsAreTheCurrentHourAndThe23Or167Before() {
        var hits = HourlyCounts()
        let now = 1_000 * Millis.hour + 30 * Millis.minute
        for hoursAgo: Int64 in [0, 23, 24, 167, 168] { hits.add(at: now - hoursAgo * Millis.hour) }
        #expect(hits.total(lastHours: 24, at: now) == 2)
        #expect(hits.total(lastHours: 168, at: now) == 4)
        hits.add(at: now - 200 * Millis.hour)
        #expect(hits.total(lastHours: 168, at: now) == 4)
        #expect(hits.counts.count == 4)
    }

    @Test func theMeterRoundTripsThroughCodable() throws {
        var meter = UsageMeter(workspaceID: "ws")
        _ = meter.recordAccepted(F.event("c1"), at: F.t0, plan: plan)
        _ = meter.recordAccepted(F.connect("c1", "k1"), at: F.t0, plan: F.plan(.connections))
        _ = meter.recordAccepted(F.event("c1", role: .identify), at: F.t0, plan: F.plan(.identifiedRolling30d))
        meter.recordCapHit(at: F.t0)
        let decoded = try JSONDecoder().decode(UsageMeter.self, from: JSONEncoder().encode(meter))
        #expect(decoded == meter)
    }
}
