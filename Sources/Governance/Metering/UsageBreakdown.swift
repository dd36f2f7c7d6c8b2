/// A workspace's verdicts this calendar month, by reason: the "filtered vs counted"
/// breakdown of a usage snapshot (SPEC §8).
///
/// It counts every verdict record written for the workspace's events: one per raw
/// event (`accepted` or its reason: `duplicate`, `bot`, `smoke`, `deleted_contact`,
/// `consent_denied`, `rate_limit`, `event_name_cap`, `mau_limit`, or a DLQ reason),
/// plus one per settled hold (`consent_expired` when it expired or overflowed; when
/// released, whatever stages 15–17 make of it, usually `accepted`). So `accepted`
/// equals `accepted_events_month`, and a deferred event that is released later shows
/// under both `consent_denied` and `accepted`.
/// "Counted" is `accepted`; every other reason is filtered. Trait-scope DLQ records
/// and outbound-message verdicts are not events and are not counted.
public struct UsageBreakdown: Sendable, Equatable, Codable {
    /// The DLQ reasons of SPEC §6 stages 1–10: events that failed validation.
    public static let validationReasons: Set<String> = [
        "payload_too_large", "malformed_json", "too_deeply_nested", "missing_field", "invalid_field",
        "unknown_type", "workspace_mismatch", "missing_identity", "name_too_long", "unknown_workspace",
        "schema_mismatch",
    ]
    /// The ghost reasons of SPEC §6 stage 12.
    public static let ghostReasons: Set<String> = ["bot", "smoke", "deleted_contact"]

    /// Reason (or `accepted`) → verdicts this month.
    public private(set) var counts: [String: Int64] = [:]
    /// How many of the counted verdicts settled a held event rather than answer a raw one.
    public private(set) var settlements: Int64 = 0

    public init() {}

    mutating func add(_ reason: String, settlement: Bool) {
        counts[reason, default: 0] += 1
        if settlement { settlements += 1 }
    }

    /// Raw events of the month: every verdict except settlements.
    var rawEvents: Int64 { counts.values.reduce(0, +) - settlements }

    func total(of reasons: Set<String>) -> Int64 {
        counts.reduce(0) { reasons.contains($1.key) ? $0 + $1.value : $0 }
    }
}
