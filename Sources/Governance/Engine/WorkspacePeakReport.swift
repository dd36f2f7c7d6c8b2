import JSON

/// A workspace's monthly connection peak and open connections on their way to the org
/// stage (over `notification-requests`, keyed by org_id), which sums an org's peaks
/// (SPEC §8). Written when the peak rises or the open count changes, so the org stage
/// knows which workspaces carry open connections into a new month.
public struct WorkspacePeakReport: Sendable, Equatable {
    public static let kind = "workspace_connections_peak"
    public var orgID: String
    public var workspaceID: String
    public var month: String
    public var peak: Int64
    /// Connections open after the record; nil in reports written before it existed.
    public var open: Int64?
    public var streamTimeMs: StreamTime

    public var json: JSONValue {
        var object = JSONObject()
        object.appendUnchecked("kind", .string(Self.kind))
        object.appendUnchecked("org_id", .string(orgID))
        object.appendUnchecked("workspace_id", .string(workspaceID))
        object.appendUnchecked("month", .string(month))
        object.appendUnchecked("peak", .int(peak))
        if let open { object.appendUnchecked("open", .int(open)) }
        object.appendUnchecked("stream_time_ms", .int(streamTimeMs))
        return .object(object)
    }

    /// `json` serialized, written directly (a report per connect and disconnect).
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter(capacity: 160 + orgID.utf8.count + workspaceID.utf8.count)
        writer.writeRaw(#"{"kind":"workspace_connections_peak","org_id":"#)
        writer.writeString(orgID)
        writer.writeRaw(#","workspace_id":"#)
        writer.writeString(workspaceID)
        writer.writeRaw(#","month":"#)
        writer.writeString(month)
        writer.writeRaw(#","peak":"#)
        writer.writeInt(peak)
        if let open {
            writer.writeRaw(#","open":"#)
            writer.writeInt(open)
        }
        writer.writeRaw(#","stream_time_ms":"#)
        writer.writeInt(streamTimeMs)
        writer.writeRaw("}")
        return writer.bytes
    }

    public init(orgID: String, workspaceID: String, month: String, peak: Int64, open: Int64? = nil,
                streamTimeMs: StreamTime) {
        self.orgID = orgID
        self.workspaceID = workspaceID
        self.month = month
        self.peak = peak
        self.open = open
        self.streamTimeMs = streamTimeMs
    }

    /// Reads a report back; nil when `value` is not one.
    public init?(json value: JSONValue) {
        guard value["kind"]?.stringValue == Self.kind, let org = value["org_id"]?.stringValue,
            let ws = value["workspace_id"]?.stringValue, let month = value["month"]?.stringValue,
            let peak = value["peak"]?.numberValue?.int64Value, let t = value["stream_time_ms"]?.numberValue?.int64Value
        else { return nil }
        self.init(orgID: org, workspaceID: ws, month: month, peak: peak, open: value["open"]?.numberValue?.int64Value,
                  streamTimeMs: t)
    }
}
