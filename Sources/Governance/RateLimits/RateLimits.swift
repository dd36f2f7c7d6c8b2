/// The three rates of a workspace's plan (SPEC §5), in tokens (events) per second; the
/// burst is twice each. `RateLimits.unlimited` (`-1`, as configured) turns a level off.
public struct RateLimits: Sendable, Equatable, Codable {
    /// The configured value that means "no limit".
    public static let unlimited: Int64 = -1

    public var contactPerSecond: Int64
    public var sourcePerSecond: Int64
    public var workspacePerSecond: Int64

    public init(contactPerSecond: Int64, sourcePerSecond: Int64, workspacePerSecond: Int64) {
        self.contactPerSecond = contactPerSecond
        self.sourcePerSecond = sourcePerSecond
        self.workspacePerSecond = workspacePerSecond
    }

    /// The rate of one level.
    public func rate(for level: RateLimitLevel) -> Int64 {
        switch level {
        case .contact: contactPerSecond
        case .source: sourcePerSecond
        case .workspace: workspacePerSecond
        }
    }
}

/// A level of the rate-limit hierarchy, in checking order; the raw value is the `level`
/// field of a `rate_limited` verdict.
public enum RateLimitLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case contact, source, workspace
}
