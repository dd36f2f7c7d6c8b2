/// A billing plan (SPEC §5) and its default figures.
public enum Plan: String, Sendable, Codable, CaseIterable {
    case trial, growth, scale, enterprise

    /// The plan's figures before per-workspace overrides; −1 means unlimited.
    public var defaultLimits: Limits {
        switch self {
        case .trial:
            Limits(uniqueEventNames: 50, workspaceEventsPerSecond: 100, sourceEventsPerSecond: 50,
                   contactEventsPerSecond: 10, messagesPerContactPerDay: 2, mauIncluded: 1_000,
                   eventsPerMonth: 1_000_000, peakConcurrentConnections: 25)
        case .growth:
            Limits(uniqueEventNames: 100, workspaceEventsPerSecond: 1_000, sourceEventsPerSecond: 500,
                   contactEventsPerSecond: 20, messagesPerContactPerDay: 5, mauIncluded: 10_000,
                   eventsPerMonth: 10_000_000, peakConcurrentConnections: 500)
        case .scale:
            Limits(uniqueEventNames: 200, workspaceEventsPerSecond: 10_000, sourceEventsPerSecond: 5_000,
                   contactEventsPerSecond: 50, messagesPerContactPerDay: 10, mauIncluded: 100_000,
                   eventsPerMonth: 100_000_000, peakConcurrentConnections: 5_000)
        case .enterprise:
            Limits(uniqueEventNames: -1, workspaceEventsPerSecond: 50_000, sourceEventsPerSecond: 25_000,
                   contactEventsPerSecond: 100, messagesPerContactPerDay: 20, mauIncluded: 1_000_000,
                   eventsPerMonth: -1, peakConcurrentConnections: 50_000)
        }
    }
}

/// The figures a workspace is held to (SPEC §5); −1 means unlimited.
public struct Limits: Sendable, Equatable, Codable {
    public var uniqueEventNames: Int64
    public var workspaceEventsPerSecond: Int64
    public var sourceEventsPerSecond: Int64
    public var contactEventsPerSecond: Int64
    public var messagesPerContactPerDay: Int64
    public var mauIncluded: Int64
    public var eventsPerMonth: Int64
    public var peakConcurrentConnections: Int64

    /// The `limits` keys of a workspace config, each with the figure it overrides.
    public static let keys: [(name: String, path: any WritableKeyPath<Limits, Int64> & Sendable)] = [
        ("unique_event_names", \.uniqueEventNames),
        ("workspace_events_per_second", \.workspaceEventsPerSecond),
        ("source_events_per_second", \.sourceEventsPerSecond),
        ("contact_events_per_second", \.contactEventsPerSecond),
        ("messages_per_contact_per_day", \.messagesPerContactPerDay),
        ("mau_included", \.mauIncluded),
        ("events_per_month", \.eventsPerMonth),
        ("peak_concurrent_connections", \.peakConcurrentConnections),
    ]

    /// The unique-name cap, nil when unlimited.
    public var nameCap: Int? { uniqueEventNames < 0 ? nil : Int(uniqueEventNames) }
}
