import JSON

/// What a contact's `consent` events have said, category by category (SPEC §6.3).
/// A category no `consent` event has set falls back to the workspace default:
/// `consent_default` for analytics and marketing, granted for functional.
public struct ContactConsent: Sendable, Equatable, Codable {
    public var analytics: Bool?
    public var marketing: Bool?
    public var functional: Bool?
    /// The stream time of the contact's latest `consent` event: the bound on consent
    /// states forgets the states recorded longest ago first (nil in states written
    /// before the bound existed: those go first).
    public var recordedAt: StreamTime?

    public init(analytics: Bool? = nil, marketing: Bool? = nil, functional: Bool? = nil, recordedAt: StreamTime? = nil) {
        self.analytics = analytics
        self.marketing = marketing
        self.functional = functional
        self.recordedAt = recordedAt
    }

    /// Whether no category is set (the workspace defaults apply to all).
    public var isUnset: Bool { analytics == nil && marketing == nil && functional == nil }

    /// Applies a `consent` event's `properties`: each of `analytics`, `marketing`,
    /// `functional` that is present with a boolean value is set; other members and
    /// non-boolean values are ignored.
    public mutating func apply(_ properties: JSONObject) {
        if let value = properties["analytics"]?.boolValue { analytics = value }
        if let value = properties["marketing"]?.boolValue { marketing = value }
        if let value = properties["functional"]?.boolValue { functional = value }
    }

    /// Whether events of `category` may pass now.
    /// - Parameter defaultGranted: the workspace's `consent_default` (true for `granted`).
    public func isGranted(_ category: ConsentCategory, defaultGranted: Bool) -> Bool {
        switch category {
        case .analytics: analytics ?? defaultGranted
        case .marketing: marketing ?? defaultGranted
        case .functional: functional ?? true
        }
    }

    /// The categories granted now.
    public func grantedCategories(defaultGranted: Bool) -> Set<ConsentCategory> {
        Set(ConsentCategory.allCases.filter { isGranted($0, defaultGranted: defaultGranted) })
    }
}
