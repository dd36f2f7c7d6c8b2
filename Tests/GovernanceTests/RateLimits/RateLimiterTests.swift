import Foundation
import PropertyBased
import Testing
@testable import Governance

@Suite struct RateLimiterTests {
    let t0: StreamTime = 1_795_000_000_000
    let limits = RateLimits(contactPerSecond: 2, sourcePerSecond: 3, workspacePerSecond: 5)

    @Test func passesUntilTheContactBurstThenLimitsAtContactLevel() {
        var limiter = RateLimiter()
        for _ in 0..<4 { #expect(limiter.check(contact: "c1", source: "s1", limits: limits, at: t0) == .pass) }
        #expect(limiter.check(contact: "c1", source: "s1", limits: limits, at: t0) == .limited(level: .contact, retryAfterMs: 500))
    }

    @Test func checksContactThenSourceThenWorkspaceAndReportsTheFirstFailingLevel() {
        var limiter = RateLimiter()
        // Contact burst 4, source burst 6, workspace burst 10: exhaust "a" and the source.
        for contact in ["a", "a", "a", "a", "b", "b"] {
            #expect(limiter.check(contact: contact, source: "s1", limits: limits, at: t0) == .pass)
        }
        #expect(limiter.check(contact: "d", source: "s1", limits: limits, at: t0) == .limited(level: .source, retryAfterMs: 334))
        // Contact "a" is empty too, and contact comes first.
        #expect(limiter.check(contact: "a", source: "s1", limits: limits, at: t0) == .limited(level: .contact, retryAfterMs: 500))
        // Another source passes until the workspace (10, 6 used) is empty.
        for contact in ["e", "e", "f", "f"] {
            #expect(limiter.check(contact: contact, source: "s2", limits: limits, at: t0) == .pass)
        }
        #expect(limiter.check(contact: "g", source: "s3", limits: limits, at: t0) == .limited(level: .workspace, retryAfterMs: 200))
    }

    @Test func tokensAreTakenOnlyWhenAllThreePass() {
        var limiter = RateLimiter()
        let tight = RateLimits(contactPerSecond: 10, sourcePerSecond: 10, workspacePerSecond: 1)
        #expect(limiter.check(contact: "c", source: "s", limits: tight, at: t0) == .pass)
        #expect(limiter.check(contact: "c", source: "s", limits: tight, at: t0) == .pass)
        let before = limiter.buckets
        #expect(limiter.check(contact: "c", source: "s", limits: tight, at: t0) == .limited(level: .workspace, retryAfterMs: 1_000))
        #expect(limiter.buckets == before)
        #expect(limiter.buckets[RateLimitKey(level: .contact, id: "c")]?.milliTokens == 18_000)
    }

    @Test func aLimitedCheckStillBringsTheBucketsUpToItsTime() {
        var limiter = RateLimiter()
        let one = RateLimits(contactPerSecond: 1, sourcePerSecond: 1, workspacePerSecond: 1)
        #expect(limiter.check(contact: "c", source: "s", limits: one, at: t0) == .pass)
        #expect(limiter.check(contact: "c", source: "s", limits: one, at: t0) == .pass)
        #expect(limiter.check(contact: "c", source: "s", limits: one, at: t0 + 400) == .limited(level: .contact, retryAfterMs: 600))
        #expect(limiter.buckets[.workspace]?.lastUpdate == t0 + 400)
        // An older record refills nothing, and its retry counts from the last update.
        #expect(limiter.check(contact: "c", source: "s", limits: one, at: t0 + 100) == .limited(level: .contact, retryAfterMs: 600))
        #expect(limiter.check(contact: "c", source: "s", limits: one, at: t0 + 1_000) == .pass)
    }

    @Test func unlimitedLevelsAlwaysPassAndKeepNoBucket() {
        var limiter = RateLimiter()
        let open = RateLimits(contactPerSecond: RateLimits.unlimited, sourcePerSecond: -1, workspacePerSecond: 1)
        #expect(limiter.check(contact: "c", source: "s", limits: open, at: t0) == .pass)
        #expect(limiter.check(contact: "c", source: "s", limits: open, at: t0) == .pass)
        #expect(limiter.check(contact: "c", source: "s", limits: open, at: t0) == .limited(level: .workspace, retryAfterMs: 1_000))
        #expect(Array(limiter.buckets.keys) == [.workspace])
    }

    @Test func evictionDropsIdleFullBucketsOnly() {
        var limiter = RateLimiter()
        _ = limiter.check(contact: "idle", source: "s", limits: limits, at: t0)
        _ = limiter.check(contact: "busy", source: "s", limits: limits, at: t0 + 10_000)
        // At t0 + 10 s "idle" refilled long ago; "busy", its source and the workspace did not.
        #expect(limiter.evictFullBuckets(at: t0 + 10_000, limits: limits) == 1)
        #expect(limiter.buckets[RateLimitKey(level: .contact, id: "idle")] == nil)
        #expect(limiter.buckets.count == 3)
        #expect(limiter.evictFullBuckets(at: t0 + 20_000, limits: limits) == 3)
        #expect(limiter.buckets.isEmpty)
        #expect(limiter.drainChanges().count == 4)
    }

    /// Records arrive out of order by up to `lateness`; one limiter sweeps full buckets at
    /// high-water mark − lateness, the other never does. Every verdict must agree.
    @Test func evictingFullBucketsChangesNoVerdict() async {
        let events = zip(Gen.int(in: 0...3), Gen.int(in: 0...1), Gen.int64(in: 0...400), Gen.int64(in: 0...300))
            .array(of: 1...300)
        await propertyCheck(input: events) { events in
            let lateness: Int64 = 300
            var kept = RateLimiter()
            var evicting = RateLimiter()
            var highWater = t0
            for (contact, source, advance, late) in events {
                highWater += advance
                let t = highWater - late
                let a = kept.check(contact: "c\(contact)", source: "s\(source)", limits: limits, at: t)
                let b = evicting.check(contact: "c\(contact)", source: "s\(source)", limits: limits, at: t)
                #expect(a == b)
                evicting.evictFullBuckets(at: highWater - lateness, limits: limits)
            }
        }
    }

    @Test func survivesACodableRoundTrip() throws {
        var limiter = RateLimiter()
        _ = limiter.check(contact: "c", source: "s", limits: limits, at: t0)
        let decoded = try JSONDecoder().decode(RateLimiter.self, from: JSONEncoder().encode(limiter))
        #expect(decoded == limiter)
    }
}
