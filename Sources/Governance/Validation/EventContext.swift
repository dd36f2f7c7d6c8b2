/// The members of an event's `context` object that governance uses (SPEC §4),
/// read and type-checked once by the validator. Unknown context members are
/// allowed and stay in `RawEvent.object`.
public struct EventContext: Sendable, Hashable {
    /// The default `environment` when the event does not give one (absent or `null`).
    public static let defaultEnvironment = "production"

    /// `context.user_agent` as received (ghost stage: bot detection).
    public var userAgent: String?
    /// `context.environment` as received, or `production` when absent or `null`.
    public var environment: String
    /// `context.synthetic`; false when absent or `null` (ghost stage: smoke).
    public var synthetic: Bool
    /// `context.consent_category` as received, any string (the consent stage decides what it means).
    public var consentCategory: String?
    /// `context.connection_id` as received; always present and non-empty for `connection` events.
    public var connectionID: String?
    /// `context.app_id` as received.
    public var appID: String?

    public init(
        userAgent: String? = nil,
        environment: String = EventContext.defaultEnvironment,
        synthetic: Bool = false,
        consentCategory: String? = nil,
        connectionID: String? = nil,
        appID: String? = nil
    ) {
        self.userAgent = userAgent
        self.environment = environment
        self.synthetic = synthetic
        self.consentCategory = consentCategory
        self.connectionID = connectionID
        self.appID = appID
    }
}
