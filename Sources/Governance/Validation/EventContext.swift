import JSON

/// The members of an event's `context` object that governance uses (SPEC §4),
/// read and type-checked once by the validator. Unknown context members are
/// allowed and stay in `RawEvent.object`.
public struct EventContext: Sendable, Hashable {
    /// The default `environment` when the event does not give one (absent or `null`).
    public static let defaultEnvironment = "production"

    /// `context.user_agent` as received (ghost stage: bot detection).
    public var userAgent: String? {
        get {
            switch userAgentText {
            case nil: nil
            case .text(let text)?: text
            case .ascii(let bytes, let range)?:
                bytes.withUnsafeBufferPointer { String(checkedASCII: UnsafeBufferPointer(rebasing: $0[range])) }
            }
        }
        set { userAgentText = newValue.map(UserAgentText.text) }
    }
    /// The user agent as text or, when validation read it as plain ASCII, as its bytes
    /// in the event's value: the bot check reads them and no string is made (a user
    /// agent is longer than a small string: one allocation per event).
    var userAgentText: UserAgentText?
    enum UserAgentText: Sendable {
        case text(String)
        /// ASCII bytes at `range` of the value.
        case ascii([UInt8], Range<Int>)
    }
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
}

extension EventContext {
    /// Outside the type's body, so validation has the memberwise init (every field as
    /// read, the user agent possibly as bytes of the value), which builds the context in
    /// place where an `init` assigning each property copied it out and destroyed it.
    public init(
        userAgent: String? = nil,
        environment: String = EventContext.defaultEnvironment,
        synthetic: Bool = false,
        consentCategory: String? = nil,
        connectionID: String? = nil,
        appID: String? = nil
    ) {
        self.userAgentText = userAgent.map(UserAgentText.text)
        self.environment = environment
        self.synthetic = synthetic
        self.consentCategory = consentCategory
        self.connectionID = connectionID
        self.appID = appID
    }
}

extension EventContext {
    /// Equal contexts have equal fields (a user agent compares as text, however kept).
    public static func == (lhs: EventContext, rhs: EventContext) -> Bool {
        lhs.userAgent == rhs.userAgent && lhs.environment == rhs.environment && lhs.synthetic == rhs.synthetic
            && lhs.consentCategory == rhs.consentCategory && lhs.connectionID == rhs.connectionID && lhs.appID == rhs.appID
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(userAgent)
        hasher.combine(environment)
        hasher.combine(synthetic)
        hasher.combine(consentCategory)
        hasher.combine(connectionID)
        hasher.combine(appID)
    }

    /// The user agent's UTF-8 (nil when absent), without making a string of kept bytes.
    func withUserAgentUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        switch userAgentText {
        case nil: return nil
        case .ascii(let bytes, let range)?: return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
        case .text(var text)?: return text.withUTF8(body)
        }
    }
}
