import JSON

/// A workspace's raised monthly connection peak on its way to the org stage (over
/// `notification-requests`, keyed by org_id), which sums an org's peaks (SPEC §8).
public struct WorkspacePeakReport: Sendable, Equatable {
    public static let kind = "workspace_connections_peak"
    public var orgID: String
    public var workspaceID: String
    public var month: String
    public var peak: Int64
    public var streamTimeMs: StreamTime

    public var json: JSONValue {
        ["kind": .string(Self.kind), "org_id": .string(orgID), "workspace_id": .string(workspaceID),
         "month": .string(month), "peak": .int(peak), "stream_time_ms": .int(streamTimeMs)]
    }

    public init(orgID: String, workspaceID: String, month: String, peak: Int64, streamTimeMs: StreamTime) {
        self.orgID = orgID
        self.workspaceID = workspaceID
        self.month = month
        self.peak = peak
        self.streamTimeMs = streamTimeMs
    }

    /// Reads a report back; nil when `value` is not one.
    public init?(json value: JSONValue) {
        guard value["kind"]?.stringValue == Self.kind, let org = value["org_id"]?.stringValue,
            let ws = value["workspace_id"]?.stringValue, let month = value["month"]?.stringValue,
            let peak = value["peak"]?.numberValue?.int64Value, let t = value["stream_time_ms"]?.numberValue?.int64Value
        else { return nil }
        self.init(orgID: org, workspaceID: ws, month: month, peak: peak, streamTimeMs: t)
    }
}
