/// Where a notification is shown (SPEC §10), in fan-out order.
public enum NotificationSurface: String, Sendable, Codable, CaseIterable {
    /// A `system` card (`governance.cap_exceeded`) in the activity feed.
    case activityFeed = "activity_feed"
    /// The in-app banner for workspace admins.
    case inAppAdmin = "in_app_admin"
    /// The `tenant_quota_cap_exceeded` email to admins, with the event-review link.
    case emailAdmin = "email_admin"
    /// A ping to the customer-success manager.
    case ops
}
