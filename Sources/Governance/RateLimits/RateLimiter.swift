/// The hierarchical rate limit of one workspace (SPEC §6 step 14, §6.3): a contact, a
/// source and a workspace token bucket, checked in that order, all-or-nothing.
///
/// Every check brings the event's three buckets up to its stream time (pass or not), so a
/// bucket's `lastUpdate` is the latest stream time of a record that reached this stage
/// for it; a token is taken from each only when all three hold one. Levels whose rate is
/// unlimited (negative) create no bucket and always pass.
///
/// Memory stays bounded by `evictFullBuckets(at:limits:)`: a full bucket behaves like a
/// new one, so dropping it changes no verdict of any later record at or after the
/// eviction time.
public struct RateLimiter: Sendable, Equatable, Codable {
    /// Every bucket the workspace keeps; an absent bucket is a full one.
    public internal(set) var buckets: TrackedMap<RateLimitKey, TokenBucket>

    public init() { buckets = TrackedMap() }

    /// Checks, and on a pass charges, the event of `contact` from `source` at stream time `t`.
    public mutating func check(contact: String, source: String, limits: RateLimits, at t: StreamTime) -> RateLimitVerdict {
        let keys = [
            RateLimitKey(level: .contact, id: contact),
            RateLimitKey(level: .source, id: source),
            RateLimitKey.workspace,
        ]
        var refilled: [TokenBucket?] = []
        var verdict = RateLimitVerdict.pass
        for key in keys {
            let rate = limits.rate(for: key.level)
            guard rate >= 0 else {
                refilled.append(nil)
                continue
            }
            let bucket = (buckets[key] ?? TokenBucket(ratePerSecond: rate, at: t)).refilled(ratePerSecond: rate, to: t)
            if verdict == .pass && !bucket.hasToken(ratePerSecond: rate) {
                verdict = .limited(level: key.level, retryAfterMs: bucket.retryAfterMs(ratePerSecond: rate))
            }
            refilled.append(bucket)
        }
        for (key, bucket) in zip(keys, refilled) {
            guard var bucket else { continue }
            if verdict == .pass { bucket.take(ratePerSecond: limits.rate(for: key.level)) }
            if buckets[key] != bucket { buckets[key] = bucket }
        }
        return verdict
    }

    /// Drops every bucket that is full at `t` under `limits` (and every bucket of an unlimited
    /// level); returns how many. Verdicts of later records at stream time ≥ `t` are exactly
    /// those without the eviction, as long as the rates stay the same. Sweep at the stream
    /// time high-water mark minus the lateness you want to serve exactly.
    @discardableResult
    public mutating func evictFullBuckets(at t: StreamTime, limits: RateLimits) -> Int {
        let full = buckets.filter { $0.value.isFull(ratePerSecond: limits.rate(for: $0.key.level), at: t) }
        for (key, _) in full { buckets.removeValue(forKey: key) }
        return full.count
    }

    /// The buckets changed since the last drain (`nil` = evicted), for the changelog.
    public mutating func drainChanges() -> [(key: RateLimitKey, value: TokenBucket?)] {
        buckets.drainChanges()
    }

    /// Sets a bucket while restoring from the changelog, without marking it changed.
    public mutating func restore(_ key: RateLimitKey, _ bucket: TokenBucket?) {
        buckets.restore(key, bucket)
    }
}
