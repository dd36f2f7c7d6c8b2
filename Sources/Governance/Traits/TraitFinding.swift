/// Why the trait governor dropped or truncated a trait (SPEC §6.2).
public enum TraitReason: String, Sendable, Hashable, Codable, CaseIterable {
    case badKeyFormat = "bad_key_format"
    case reservedPrefix = "reserved_prefix"
    case valueTooLong = "value_too_long"
    case badDateFormat = "bad_date_format"
}

/// What the trait governor did with a trait it did not keep as sent.
public enum TraitAction: String, Sendable, Hashable, Codable, CaseIterable {
    case dropped
    case truncated
}

/// One trait the governor dropped or truncated: a `trait`-scope DLQ record
/// (SPEC §6.1, §12.2) while the event itself is accepted with cleaned traits.
public struct TraitFinding: Sendable, Hashable {
    /// The key exactly as received (untrimmed).
    public var rawKey: String
    /// The key after trimming and snake_case normalization (possibly empty).
    public var normalizedKey: String
    public var reason: TraitReason
    public var action: TraitAction
    /// A sentence for the DLQ reviewer.
    public var detail: String

    public init(rawKey: String, normalizedKey: String, reason: TraitReason, action: TraitAction, detail: String) {
        self.rawKey = rawKey
        self.normalizedKey = normalizedKey
        self.reason = reason
        self.action = action
        self.detail = detail
    }
}
