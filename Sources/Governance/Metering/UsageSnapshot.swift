import JSON

/// A workspace's usage at one moment of the month (SPEC §8), written to `usage` at
/// most once per minute of stream time while usage changes.
public struct UsageSnapshot: Sendable, Equatable {
    /// Data-quality signals of the month, each defined exactly so that implementations agree.
    public struct Quality: Sendable, Equatable {
        /// Raw events of the month that passed validation (no DLQ reason of stages
        /// 1–10) / raw events of the month; 1 when there were none.
        public var validationPassRate: Double
        /// `duplicate` verdicts / raw events that passed validation (the events that
        /// reached dedup); 0 when there were none.
        public var duplicateRate: Double
        /// `bot` + `smoke` + `deleted_contact` verdicts / validated events that were not
        /// duplicates (the events that reached the ghost stage); 0 when there were none.
        public var ghostRate: Double
        /// Custom names in the workspace's name registry.
        public var uniqueNamesUsed: Int64
        /// The unique-name cap; −1 when unlimited.
        public var uniqueNamesCap: Int64
        /// Name-cap hits (`cap_hit` audit records) in the current UTC hour and the 23 before.
        public var capHits24h: Int64
        /// Name-cap hits in the current UTC hour and the 167 before.
        public var capHits7d: Int64

        /// The three rates are rounded to 4 decimal places.
        public init(breakdown: UsageBreakdown, uniqueNamesUsed: Int64, uniqueNamesCap: Int64,
                    capHits24h: Int64, capHits7d: Int64)
        {
            let raw = breakdown.rawEvents
            let validated = raw - breakdown.total(of: UsageBreakdown.validationReasons)
            let duplicates = breakdown.counts["duplicate"] ?? 0
            validationPassRate = Self.ratio(validated, raw, empty: 1)
            duplicateRate = Self.ratio(duplicates, validated, empty: 0)
            ghostRate = Self.ratio(breakdown.total(of: UsageBreakdown.ghostReasons), validated - duplicates, empty: 0)
            self.uniqueNamesUsed = uniqueNamesUsed
            self.uniqueNamesCap = uniqueNamesCap
            self.capHits24h = capHits24h
            self.capHits7d = capHits7d
        }

        static func ratio(_ part: Int64, _ whole: Int64, empty: Double) -> Double {
            guard whole > 0 else { return empty }
            return (Double(part) / Double(whole) * 10_000).rounded() / 10_000
        }
    }

    public var workspaceID: String
    /// `YYYY-MM`.
    public var month: String
    public var mauMode: MAUMode
    public var mau: Int64
    /// Open connections (0 outside `connections` mode).
    public var connectionsCurrent: Int64
    /// The month's peak of concurrent connections (0 outside `connections` mode).
    public var connectionsPeak: Int64
    public var acceptedEventsMonth: Int64
    public var overagePacks: Int64
    /// Reason → verdicts this month (see `UsageBreakdown`).
    public var breakdown: [String: Int64]
    public var quality: Quality

    /// The `usage` record value, field names of SPEC §12.2; breakdown keys sorted.
    public var json: JSONValue {
        let reasons = JSONObject(breakdown.keys.sorted().map { JSONMember(key: $0, value: .int(breakdown[$0] ?? 0)) })
        return [
            "kind": "usage_snapshot",
            "workspace_id": .string(workspaceID),
            "month": .string(month),
            "mau_mode": .string(mauMode.rawValue),
            "mau": .int(mau),
            "connections_current": .int(connectionsCurrent),
            "connections_peak": .int(connectionsPeak),
            "accepted_events_month": .int(acceptedEventsMonth),
            "overage_packs": .int(overagePacks),
            "breakdown": .object(reasons),
            "quality": [
                "validation_pass_rate": .double(quality.validationPassRate),
                "duplicate_rate": .double(quality.duplicateRate),
                "ghost_rate": .double(quality.ghostRate),
                "unique_names_used": .int(quality.uniqueNamesUsed),
                "unique_names_cap": .int(quality.uniqueNamesCap),
                "cap_hits_24h": .int(quality.capHits24h),
                "cap_hits_7d": .int(quality.capHits7d),
            ],
        ]
    }
}
