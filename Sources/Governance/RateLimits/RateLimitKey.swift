/// Which bucket of a workspace: one per contact (identity key), one per source
/// (`source_id`), and one for the workspace itself (empty `id`).
public struct RateLimitKey: Sendable, Hashable, Codable {
    public var level: RateLimitLevel
    public var id: String

    public init(level: RateLimitLevel, id: String) {
        self.level = level
        self.id = id
    }

    /// The key of the workspace bucket.
    public static let workspace = RateLimitKey(level: .workspace, id: "")
}
