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
        // Three fixed levels, unrolled: no arrays, and each bucket is looked up once (its
        // position is kept for the write; the value read tells whether it changed).
        let contactKey = RateLimitKey(level: .contact, id: contact)
        let sourceKey = RateLimitKey(level: .source, id: source)
        let contactBucket = broughtUp(contactKey, rate: limits.contactPerSecond, at: t)
        let sourceBucket = broughtUp(sourceKey, rate: limits.sourcePerSecond, at: t)
        let workspaceBucket = broughtUp(.workspace, rate: limits.workspacePerSecond, at: t)
        let verdict = Self.verdict(contactBucket?.now, sourceBucket?.now, workspaceBucket?.now, limits: limits)
        let charge = verdict == .pass
        // Present buckets first, by position: inserting a new one moves the others.
        // An absent level's key is still absent (the three keys differ in level), so it
        // is inserted without being looked up again.
        let contactNew = store(contactBucket, rate: limits.contactPerSecond, charge: charge)
        let sourceNew = store(sourceBucket, rate: limits.sourcePerSecond, charge: charge)
        let workspaceNew = store(workspaceBucket, rate: limits.workspacePerSecond, charge: charge)
        if let contactNew { buckets.insertAbsent(contactNew, forKey: contactKey) }
        if let sourceNew { buckets.insertAbsent(sourceNew, forKey: sourceKey) }
        if let workspaceNew { buckets.insertAbsent(workspaceNew, forKey: .workspace) }
        return verdict
    }

    /// A level's bucket as looked up (position and value; nil = absent, a full one) and
    /// brought up to `t`; nil for an unlimited level, which has no bucket.
    private typealias Level = (position: TrackedMap<RateLimitKey, TokenBucket>.Position?, stored: TokenBucket?, now: TokenBucket)

    private func broughtUp(_ key: RateLimitKey, rate: Int64, at t: StreamTime) -> Level? {
        guard rate >= 0 else { return nil }
        let position = buckets.position(of: key)
        let stored = position.map { buckets[$0] }
        return (position, stored, (stored ?? TokenBucket(ratePerSecond: rate, at: t)).refilled(ratePerSecond: rate, to: t))
    }

    /// The first level, in checking order, whose bucket has no token.
    private static func verdict(_ contact: TokenBucket?, _ source: TokenBucket?, _ workspace: TokenBucket?,
                                limits: RateLimits) -> RateLimitVerdict {
        if let bucket = contact, !bucket.hasToken(ratePerSecond: limits.contactPerSecond) {
            return .limited(level: .contact, retryAfterMs: bucket.retryAfterMs(ratePerSecond: limits.contactPerSecond))
        }
        if let bucket = source, !bucket.hasToken(ratePerSecond: limits.sourcePerSecond) {
            return .limited(level: .source, retryAfterMs: bucket.retryAfterMs(ratePerSecond: limits.sourcePerSecond))
        }
        if let bucket = workspace, !bucket.hasToken(ratePerSecond: limits.workspacePerSecond) {
            return .limited(level: .workspace, retryAfterMs: bucket.retryAfterMs(ratePerSecond: limits.workspacePerSecond))
        }
        return .pass
    }

    /// Writes a present level's bucket back at its position (after taking a token when
    /// `charge`), only if it changed; returns the bucket of an absent level, to insert.
    private mutating func store(_ level: Level?, rate: Int64, charge: Bool) -> TokenBucket? {
        guard let level else { return nil }
        var updated = level.now
        if charge { updated.take(ratePerSecond: rate) }
        guard let position = level.position else { return updated }
        if level.stored != updated { buckets.set(updated, at: position) }
        return nil
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
