/// How a workspace counts monthly active users (SPEC §8).
public enum MAUMode: String, Sendable, Codable, CaseIterable {
    case activeEvents = "active_events"
    case identifiedRolling30d = "identified_rolling_30d"
    case connections
}
