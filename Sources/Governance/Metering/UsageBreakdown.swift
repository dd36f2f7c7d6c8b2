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
    public var counts: [String: Int64] {
        guard let accepted else { return refused }
        var counts = refused
        counts[Self.accepted] = accepted
        return counts
    }
    /// The counts of every reason but `accepted`, and the `accepted` count (nil until the
    /// first): one per accepted event, counted without hashing "accepted" into the dictionary.
    /// `counts` is the two together, so what is encoded and compared is as before.
    private var refused: [String: Int64] = [:]
    private var accepted: Int64?
    /// How many of the counted verdicts settled a held event rather than answer a raw one.
    public private(set) var settlements: Int64 = 0
    private static let accepted = "accepted"

    public init() {}

    mutating func add(_ reason: String, settlement: Bool) {
        if reason == Self.accepted {
            addAccepted(settlement: settlement)
            return
        }
        refused[reason, default: 0] += 1
        if settlement { settlements += 1 }
    }

    /// `add("accepted", settlement:)`.
    mutating func addAccepted(settlement: Bool) {
        accepted = (accepted ?? 0) + 1
        if settlement { settlements += 1 }
    }

    /// Raw events of the month: every verdict except settlements.
    var rawEvents: Int64 { refused.values.reduce(accepted ?? 0, +) - settlements }

    func total(of reasons: Set<String>) -> Int64 {
        let accepted = reasons.contains(Self.accepted) ? self.accepted ?? 0 : 0
        return refused.reduce(accepted) { reasons.contains($1.key) ? $0 + $1.value : $0 }
    }

    private enum CodingKeys: String, CodingKey {
        case counts, settlements
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        refused = try container.decode([String: Int64].self, forKey: .counts)
        accepted = refused.removeValue(forKey: Self.accepted)
        settlements = try container.decode(Int64.self, forKey: .settlements)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(counts, forKey: .counts)
        try container.encode(settlements, forKey: .settlements)
    }
}
