import PropertyBased
import Testing
@testable import Governance

@Suite struct TokenBucketTests {
    let t0: StreamTime = 1_795_000_000_000

    /// Takes every token at `t`, leaving the bucket empty.
    func drained(rate: Int64, at t: StreamTime) -> TokenBucket {
        var bucket = TokenBucket(ratePerSecond: rate, at: t)
        while bucket.hasToken(ratePerSecond: rate) { bucket.take(ratePerSecond: rate) }
        return bucket
    }

    @Test func startsFullWithABurstOfTwiceTheRate() {
        var bucket = TokenBucket(ratePerSecond: 10, at: t0)
        #expect(bucket.milliTokens == 20_000)
        for _ in 0..<20 {
            #expect(bucket.hasToken(ratePerSecond: 10))
            bucket.take(ratePerSecond: 10)
        }
        #expect(!bucket.hasToken(ratePerSecond: 10))
        #expect(bucket.milliTokens == 0)
    }

    @Test func aTokenIsRefilledAtExactlyTheRightMillisecond() {
        let empty = drained(rate: 10, at: t0)
        #expect(!empty.refilled(ratePerSecond: 10, to: t0 + 99).hasToken(ratePerSecond: 10))
        #expect(empty.refilled(ratePerSecond: 10, to: t0 + 99).milliTokens == 990)
        #expect(empty.refilled(ratePerSecond: 10, to: t0 + 100).hasToken(ratePerSecond: 10))
        #expect(empty.refilled(ratePerSecond: 10, to: t0 + 100).milliTokens == 1_000)
    }

    @Test func retryAfterIsExactAndRoundedUpForOddRates() {
        // 3 tokens/s: one token every 333.33 ms.
        let empty = drained(rate: 3, at: t0)
        #expect(empty.retryAfterMs(ratePerSecond: 3) == 334)
        let almost = empty.refilled(ratePerSecond: 3, to: t0 + 333)
        #expect(almost.milliTokens == 999)
        #expect(!almost.hasToken(ratePerSecond: 3))
        #expect(almost.retryAfterMs(ratePerSecond: 3) == 1)
        #expect(empty.refilled(ratePerSecond: 3, to: t0 + 334).hasToken(ratePerSecond: 3))
        // 7 tokens/s: ⌈1000 / 7⌉ = 143, and 142 ms are not enough.
        let seven = drained(rate: 7, at: t0)
        #expect(seven.retryAfterMs(ratePerSecond: 7) == 143)
        #expect(!seven.refilled(ratePerSecond: 7, to: t0 + 142).hasToken(ratePerSecond: 7))
        #expect(seven.refilled(ratePerSecond: 7, to: t0 + 143).hasToken(ratePerSecond: 7))
        // 1 token/s: a full second; 2000/s: half a millisecond rounds up to 1.
        #expect(drained(rate: 1, at: t0).retryAfterMs(ratePerSecond: 1) == 1_000)
        #expect(drained(rate: 2_000, at: t0).retryAfterMs(ratePerSecond: 2_000) == 1)
    }

    @Test func retryAfterIsZeroWhenATokenIsHeld() {
        #expect(TokenBucket(ratePerSecond: 5, at: t0).retryAfterMs(ratePerSecond: 5) == 0)
    }

    @Test func anOldTimestampRefillsNothingAndDoesNotMoveLastUpdateBack() {
        let empty = drained(rate: 10, at: t0)
        let old = empty.refilled(ratePerSecond: 10, to: t0 - 60_000)
        #expect(old == empty)
        #expect(old.lastUpdate == t0)
        // The retry counts from the last update, not from the old record's time.
        #expect(old.retryAfterMs(ratePerSecond: 10) == 100)
    }

    @Test func refillNeverGoesAboveTheBurst() {
        var bucket = TokenBucket(ratePerSecond: 10, at: t0)
        bucket.take(ratePerSecond: 10)
        #expect(bucket.refilled(ratePerSecond: 10, to: t0 + 99).milliTokens == 19_990)
        #expect(bucket.refilled(ratePerSecond: 10, to: t0 + 100).milliTokens == 20_000)
        #expect(bucket.refilled(ratePerSecond: 10, to: t0 + 101).milliTokens == 20_000)
        // Decades of idle time at a huge rate saturate instead of overflowing.
        let huge = Int64.max / 4_000
        #expect(bucket.refilled(ratePerSecond: huge, to: t0 + 100 * 365 * Millis.day).milliTokens
            == TokenBucket.burstMilliTokens(ratePerSecond: huge))
    }

    @Test func aLoweredRateCutsTheExcessAtOnce() {
        let bucket = TokenBucket(ratePerSecond: 100, at: t0)
        #expect(bucket.refilled(ratePerSecond: 10, to: t0).milliTokens == 20_000)
        #expect(bucket.refilled(ratePerSecond: 10, to: t0 - 1).milliTokens == 20_000)
    }

    @Test func unlimitedAlwaysPassesAndIsAlwaysFull() {
        var bucket = TokenBucket(ratePerSecond: RateLimits.unlimited, at: t0)
        for _ in 0..<10_000 { bucket.take(ratePerSecond: -1) }
        #expect(bucket.hasToken(ratePerSecond: -1))
        #expect(bucket.isFull(ratePerSecond: -1, at: t0))
        #expect(bucket.retryAfterMs(ratePerSecond: -1) == 0)
    }

    @Test func rateZeroNeverPassesAndHasNoRetryTime() {
        let bucket = TokenBucket(ratePerSecond: 0, at: t0).refilled(ratePerSecond: 0, to: t0 + Millis.day)
        #expect(!bucket.hasToken(ratePerSecond: 0))
        #expect(bucket.retryAfterMs(ratePerSecond: 0) == -1)
    }

    @Test func isFullOnlyOnceRefilledToTheBurstAndNotBeforeTheLastUpdate() {
        var bucket = TokenBucket(ratePerSecond: 10, at: t0)
        #expect(bucket.isFull(ratePerSecond: 10, at: t0))
        #expect(!bucket.isFull(ratePerSecond: 10, at: t0 - 1))
        bucket.take(ratePerSecond: 10)
        #expect(!bucket.isFull(ratePerSecond: 10, at: t0 + 99))
        #expect(bucket.isFull(ratePerSecond: 10, at: t0 + 100))
    }

    @Test func neverNegativeAndNeverAboveTheBurst() async {
        let steps = zip(Gen.int64(in: -3_000...3_000), Gen.int(in: 0...5)).array(of: 1...200)
        await propertyCheck(input: Gen.int64(in: 1...50), steps) { rate, steps in
            let burst = TokenBucket.burstMilliTokens(ratePerSecond: rate)
            var bucket = TokenBucket(ratePerSecond: rate, at: t0)
            var t = t0
            for (delta, takes) in steps {
                t += delta
                let before = bucket.lastUpdate
                bucket = bucket.refilled(ratePerSecond: rate, to: t)
                #expect(bucket.lastUpdate == max(before, t))
                for _ in 0..<takes where bucket.hasToken(ratePerSecond: rate) { bucket.take(ratePerSecond: rate) }
                #expect(bucket.milliTokens >= 0)
                #expect(bucket.milliTokens <= burst)
            }
        }
    }
}
