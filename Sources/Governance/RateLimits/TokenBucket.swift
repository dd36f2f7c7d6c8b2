/// A token bucket in stream time (SPEC §6 step 14, §6.3 "Rate limits"), kept in
/// exact integer arithmetic so every implementation agrees to the millisecond.
///
/// Amounts are milli-tokens: at `rate` tokens per second, one millisecond adds
/// exactly `rate` milli-tokens, so refill over Δ ms is `Δ · rate` with no rounding.
/// The burst is `2 · rate` tokens and a bucket starts full. The rate is not stored:
/// the caller passes the workspace's current figure on every call, so a config change
/// applies at once (a lowered rate cuts the excess tokens at the next call).
///
/// A negative rate (configured as `-1`) means unlimited: the bucket always passes
/// and is always full.
public struct TokenBucket: Sendable, Equatable, Codable {
    /// Milli-tokens per token; an event takes this many.
    public static let milliTokensPerToken: Int64 = 1_000

    /// The amount held at `lastUpdate`, in milli-tokens.
    public private(set) var milliTokens: Int64
    /// The latest stream time the bucket has been brought up to. Moves back only to a
    /// record more than `StreamTimeRange.misplacedClockTolerance` older (see `refilled`).
    public private(set) var lastUpdate: StreamTime

    /// A full bucket, as every bucket starts.
    public init(ratePerSecond rate: Int64, at t: StreamTime) {
        milliTokens = Self.burstMilliTokens(ratePerSecond: rate)
        lastUpdate = t
    }

    /// The bucket's capacity, `2 · rate` tokens, in milli-tokens (saturating; 0 for unlimited,
    /// where the amount is never consulted).
    public static func burstMilliTokens(ratePerSecond rate: Int64) -> Int64 {
        rate < 0 ? 0 : saturatingProduct(rate, 2 * milliTokensPerToken)
    }

    /// The bucket brought up to `t`: refilled by `(t − lastUpdate) · rate` milli-tokens and
    /// capped at the burst. A `t` older than `lastUpdate` refills nothing and keeps
    /// `lastUpdate` (the cap still applies, for a rate lowered since); a `t` more than
    /// `StreamTimeRange.misplacedClockTolerance` older moves `lastUpdate` back to `t`
    /// (tokens kept, nothing refilled).
    public func refilled(ratePerSecond rate: Int64, to t: StreamTime) -> TokenBucket {
        guard rate >= 0 else { return self }
        var bucket = self
        let burst = Self.burstMilliTokens(ratePerSecond: rate)
        if lastUpdate.saturatingSubtracting(t) > StreamTimeRange.misplacedClockTolerance {
            // The last update came from a record far in the future: restart the clock
            // here with the tokens held, instead of refilling nothing until then.
            bucket.lastUpdate = t
        } else if t > lastUpdate {
            let added = Self.saturatingProduct(t.saturatingSubtracting(lastUpdate), rate)
            bucket.milliTokens = milliTokens > burst - added ? burst : milliTokens + added
            bucket.lastUpdate = t
        }
        bucket.milliTokens = min(bucket.milliTokens, burst)
        return bucket
    }

    /// True when the bucket holds at least one token (always, when unlimited).
    public func hasToken(ratePerSecond rate: Int64) -> Bool {
        rate < 0 || milliTokens >= Self.milliTokensPerToken
    }

    /// Takes one token. The caller checked `hasToken`; unlimited buckets are not touched.
    public mutating func take(ratePerSecond rate: Int64) {
        guard rate >= 0 else { return }
        precondition(milliTokens >= Self.milliTokensPerToken, "take() on a bucket without a token")
        milliTokens -= Self.milliTokensPerToken
    }

    /// Milliseconds from `lastUpdate` until the bucket holds one token, rounded up:
    /// `⌈(1000 − milliTokens) / rate⌉`; 0 when it holds one already. A rate of 0 never
    /// refills, and answers -1 ("not under the current config").
    public func retryAfterMs(ratePerSecond rate: Int64) -> Int64 {
        if hasToken(ratePerSecond: rate) { return 0 }
        if rate == 0 { return -1 }
        let deficit = Self.milliTokensPerToken - milliTokens
        return (deficit + rate - 1) / rate
    }

    /// True when the bucket was last updated at or before `t` and, brought up to `t`, is at its
    /// burst. For any record at stream time ≥ `t` (under the same rate) such a bucket behaves
    /// exactly like a new one, so the caller may drop it (see `RateLimiter.evictFullBuckets`).
    public func isFull(ratePerSecond rate: Int64, at t: StreamTime) -> Bool {
        if rate < 0 { return true }
        return lastUpdate <= t
            && refilled(ratePerSecond: rate, to: t).milliTokens == Self.burstMilliTokens(ratePerSecond: rate)
    }

    /// `a · b` for non-negative operands, saturating at `Int64.max`.
    private static func saturatingProduct(_ a: Int64, _ b: Int64) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : product
    }
}
