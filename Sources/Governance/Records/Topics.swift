/// The topic names of SPEC §3 (topics.yaml is the source of truth for their settings).
public enum Topic {
    public static let rawEvents = "raw-events"
    public static let outboundMessages = "outbound-messages"
    public static let workspaceConfig = "workspace-config"
    public static let eventsAccepted = "events-accepted"
    public static let eventsOverCap = "events-over-cap"
    public static let eventsRateLimited = "events-rate-limited"
    public static let eventsFiltered = "events-filtered"
    public static let eventsDeferred = "events-deferred"
    public static let eventsDLQ = "events-dlq"
    public static let outboundVerdicts = "outbound-verdicts"
    public static let governanceAudit = "governance-audit"
    public static let usage = "usage"
    public static let governanceHints = "governance-hints"
    public static let notificationRequests = "notification-requests"
    public static let governanceNotifications = "governance-notifications"
    public static let orgUsage = "org-usage"
    /// The audit of DLQ replays (written by `governor dlq replay` and the console, not the stages).
    public static let dlqReplays = "dlq-replays"

    /// Every topic the governance stages write, in a stable order.
    public static let outputs = [
        eventsAccepted, eventsOverCap, eventsRateLimited, eventsFiltered, eventsDeferred, eventsDLQ,
        outboundVerdicts, governanceAudit, usage, governanceHints, notificationRequests,
        governanceNotifications, orgUsage,
    ]

    /// `topic == name` for a topic name constant, with a different UTF-8 length answered
    /// at once (an unequal `==` of two strings cost ~130 instructions per line): the
    /// names are ASCII without `K`, `;` or `` ` ``, the only ASCII characters another
    /// spelling is canonically equivalent to, so no text of another length equals them.
    @inline(__always)
    static func isTopic(_ topic: String, _ name: String) -> Bool {
        topic.utf8.count == name.utf8.count && topic == name
    }
}
