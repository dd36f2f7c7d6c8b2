/// A notification a workspace's usage asks for (SPEC §8, §6.3): `mau_threshold` /
/// `pcc_threshold` at level 80 or 100, or `events_quota_exceeded`. The engine turns
/// it into a `NotificationRequest` with the org and workspace ids.
public struct UsageAlert: Sendable, Equatable {
    public var capType: NotificationCapType
    /// 80 or 100 for thresholds, nil for `events_quota_exceeded`.
    public var level: Int?
    /// The figure that crossed: MAU, peak connections or accepted events this month.
    public var figure: Int64
    /// The plan figure it was compared with.
    public var limit: Int64
    /// `YYYY-MM`.
    public var month: String

    public init(capType: NotificationCapType, level: Int?, figure: Int64, limit: Int64, month: String) {
        self.capType = capType
        self.level = level
        self.figure = figure
        self.limit = limit
        self.month = month
    }
}
