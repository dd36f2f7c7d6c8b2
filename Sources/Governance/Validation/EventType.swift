/// The nine raw event types of SPEC §4. Matching is case-sensitive: `"Track"` is
/// `unknown_type`.
public enum EventType: String, Sendable, Hashable, Codable, CaseIterable {
    case track, page, screen, identify, group, alias, consent, delete, connection

    /// The name an event of this type always carries, or nil for `track` and
    /// `connection`, whose name is the required `event` field.
    public var implicitName: String? {
        switch self {
        case .track, .connection: nil
        case .page: "page_view"
        case .screen: "screen_view"
        case .identify: "identify"
        case .group: "group"
        case .alias: "alias"
        case .consent: "consent"
        case .delete: "delete"
        }
    }
}
