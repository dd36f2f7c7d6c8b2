import JSON

/// Lets through at most one notification per key per 24 h of stream time (SPEC §10,
/// §6.3 Debounce), one instance per `notification-requests` partition (keyed by org).
///
/// A request passes when no notification of the same key was let through at `t'`
/// with `t − t' < 24 h` (so exactly 24 h later passes, and a request older than the
/// last one let through is swallowed). The key is (org_id, cap_type), and for
/// `mau_threshold` / `pcc_threshold` (org_id, cap_type, level): the 100 % alert is never
/// swallowed by the 80 % one. Only the latest pass per key is kept: one entry per
/// org and key that ever passed.
public struct NotificationDebouncer: Sendable, Equatable, Codable {
    /// What requests are debounced by.
    public struct Key: Sendable, Hashable, Codable {
        public var orgID: String
        public var capType: NotificationCapType
        /// The level for thresholds, nil for other cap types.
        public var level: Int?

        public init(_ request: NotificationRequest) {
            orgID = request.orgID
            capType = request.capType
            level = request.capType.isThreshold ? request.level : nil
        }
    }

    /// The debounce window.
    public static var window: Int64 { 24 * Millis.hour }

    /// Key → stream time of the last notification let through. Public for checkpointing.
    public var lastPassed: TrackedMap<Key, StreamTime>

    public init() { lastPassed = TrackedMap() }

    /// Whether `request` passes; a passing request is remembered.
    public mutating func admit(_ request: NotificationRequest) -> Bool {
        let key = Key(request)
        if let last = lastPassed[key], request.streamTimeMs.saturatingSubtracting(last) < Self.window { return false }
        lastPassed[key] = request.streamTimeMs
        return true
    }

    /// The `governance-notifications` record values (key: org_id) for `request`:
    /// its fan-out when it passes, nothing when it is swallowed.
    public mutating func process(_ request: NotificationRequest) -> [JSONValue] {
        admit(request) ? request.fanOut() : []
    }
}
