/// The answer to one outbound send (SPEC §9, §12.2 `outbound-verdicts`).
public struct MessagingDecision: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        case allowed, capped
    }

    public var verdict: Verdict
    /// The contact's daily limit; −1 when unlimited.
    public var limit: Int64
    /// Sends counted today, this one included when allowed.
    public var count: Int64
    /// The next UTC midnight as ISO-8601, when the count starts again.
    public var resetsAt: String

    public init(verdict: Verdict, limit: Int64, count: Int64, resetsAt: String) {
        self.verdict = verdict
        self.limit = limit
        self.count = count
        self.resetsAt = resetsAt
    }

    /// `messaging_cap` when capped.
    public var reason: String? { verdict == .capped ? "messaging_cap" : nil }
}
