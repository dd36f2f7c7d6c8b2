/// The consent category an event needs (SPEC §6 step 13). A workspace in
/// `consent_mode` holds an event whose category the contact has not granted.
public enum ConsentCategory: String, Sendable, Codable, CaseIterable, Hashable {
    case analytics, marketing, functional

    /// Event types that are part of running the product, not measuring or marketing it.
    static let functionalTypes: Set<String> = ["identify", "group", "alias", "consent", "delete", "connection"]

    /// The category of an event.
    ///
    /// - Parameters:
    ///   - type: the event's `type` (`track`, `identify`, …).
    ///   - event: the trimmed event name (implicit names filled in).
    ///   - declared: `context.consent_category` when the event gives one.
    /// - Returns: `declared` when it names a category exactly (`analytics`,
    ///   `marketing`, `functional`); otherwise `functional` for identify, group, alias,
    ///   consent, delete and connection events, `marketing` for names starting
    ///   `campaign_` or `ad_` (case-sensitive), and `analytics` for everything else.
    ///   A declared value that names no category is ignored (documented choice).
    public static func of(type: String, event: String, declared: String?) -> ConsentCategory {
        if let declared, let category = ConsentCategory(rawValue: declared) { return category }
        if functionalTypes.contains(type) { return .functional }
        if event.hasPrefix("campaign_") || event.hasPrefix("ad_") { return .marketing }
        return .analytics
    }
}
