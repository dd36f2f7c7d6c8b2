/// The outcome of the rate-limit stage (SPEC §6 step 14) for one event.
public enum RateLimitVerdict: Sendable, Equatable {
    /// All three buckets had a token, and one was taken from each.
    case pass
    /// The first level (contact, then source, then workspace) whose bucket was empty, and
    /// the milliseconds from that bucket's last update until it holds one token (rounded
    /// up; -1 when its rate is 0 and it never refills). No token was taken anywhere.
    case limited(level: RateLimitLevel, retryAfterMs: Int64)
}
