/// What a governance notification is about (SPEC §10).
public enum NotificationCapType: String, Sendable, Codable, CaseIterable, Hashable {
    /// The first breach of the unique-name cap (opening grace) and over-cap drops.
    case eventNameCap = "event_name_cap"
    /// Grace is still open: one reminder per 24 h.
    case graceReminder = "grace_reminder"
    /// MAU reached 80 % or 100 % of the plan.
    case mauThreshold = "mau_threshold"
    /// Peak concurrent connections reached 80 % or 100 % of the plan.
    case pccThreshold = "pcc_threshold"
    /// Accepted events this month exceeded the plan's volume.
    case eventsQuotaExceeded = "events_quota_exceeded"

    /// Thresholds carry a level (80 or 100) and are debounced per level.
    public var isThreshold: Bool { self == .mauThreshold || self == .pccThreshold }

    /// Where a notification of this type goes (SPEC §10): `grace_reminder` to
    /// `email_admin` only, `events_quota_exceeded` to `ops` only, the rest everywhere.
    public var surfaces: [NotificationSurface] {
        switch self {
        case .graceReminder: [.emailAdmin]
        case .eventsQuotaExceeded: [.ops]
        case .eventNameCap, .mauThreshold, .pccThreshold: NotificationSurface.allCases
        }
    }
}
