import JSON

/// A governance stage asking for a notification (SPEC §10). It crosses the
/// `notification-requests` topic, keyed by `org_id`, to the org-partitioned
/// `NotificationDebouncer`.
public struct NotificationRequest: Sendable, Equatable, Codable {
    public var orgID: String
    public var workspaceID: String
    public var capType: NotificationCapType
    /// 80 or 100 for `mau_threshold` / `pcc_threshold`; nil otherwise.
    public var level: Int?
    /// The stream time of the record that caused the request.
    public var streamTimeMs: StreamTime
    /// The event name, for `event_name_cap`.
    public var event: String?
    /// The figure that crossed (MAU, peak connections, accepted events, names registered).
    public var figure: Int64?
    /// The plan figure it was compared with.
    public var limit: Int64?
    /// `YYYY-MM`, for monthly figures.
    public var month: String?

    public init(orgID: String, workspaceID: String, capType: NotificationCapType, level: Int? = nil,
                streamTimeMs: StreamTime, event: String? = nil, figure: Int64? = nil, limit: Int64? = nil,
                month: String? = nil)
    {
        self.orgID = orgID
        self.workspaceID = workspaceID
        self.capType = capType
        self.level = level
        self.streamTimeMs = streamTimeMs
        self.event = event
        self.figure = figure
        self.limit = limit
        self.month = month
    }

    /// The request for a usage alert of `workspaceID` in `orgID`, raised by a record at `t`.
    public init(_ alert: UsageAlert, orgID: String, workspaceID: String, at t: StreamTime) {
        self.init(orgID: orgID, workspaceID: workspaceID, capType: alert.capType, level: alert.level,
                  streamTimeMs: t, figure: alert.figure, limit: alert.limit, month: alert.month)
    }

    /// The `notification-requests` record value; optional members only when set.
    public var json: JSONValue {
        var object = JSONObject()
        object["org_id"] = .string(orgID)
        object["workspace_id"] = .string(workspaceID)
        object["cap_type"] = .string(capType.rawValue)
        object["level"] = level.map { .int($0) }
        object["stream_time_ms"] = .int(streamTimeMs)
        object["event"] = event.map { .string($0) }
        object["figure"] = figure.map { .int($0) }
        object["limit"] = limit.map { .int($0) }
        object["month"] = month.map { .string($0) }
        return .object(object)
    }

    /// Reads a `notification-requests` record value written by `json`.
    /// A threshold needs `level` 80 or 100; other types must not have one.
    public init(json: JSONValue) throws(NotificationRequestError) {
        guard let object = json.objectValue else { throw .notAnObject }
        guard let orgID = object["org_id"]?.stringValue, !orgID.isEmpty else { throw .invalidField("org_id") }
        guard let workspaceID = object["workspace_id"]?.stringValue else { throw .invalidField("workspace_id") }
        guard let capName = object["cap_type"]?.stringValue, let capType = NotificationCapType(rawValue: capName)
        else { throw .invalidField("cap_type") }
        // Anyone can write to the topic: a time outside the range the engine governs
        // would stamp the notifications there and swallow the key's later requests.
        guard let streamTimeMs = try Self.integer(object, "stream_time_ms"), StreamTimeRange.contains(streamTimeMs) else {
            throw .invalidField("stream_time_ms")
        }
        let level = try Self.integer(object, "level")
        if capType.isThreshold ? !(level == 80 || level == 100) : level != nil { throw .invalidField("level") }
        self.init(orgID: orgID, workspaceID: workspaceID, capType: capType, level: level.map { Int($0) },
                  streamTimeMs: streamTimeMs, event: try Self.string(object, "event"),
                  figure: try Self.integer(object, "figure"), limit: try Self.integer(object, "limit"),
                  month: try Self.string(object, "month"))
    }

    private static func integer(_ object: JSONObject, _ key: String) throws(NotificationRequestError) -> Int64? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.numberValue?.int64Value else { throw .invalidField(key) }
        return number
    }

    private static func string(_ object: JSONObject, _ key: String) throws(NotificationRequestError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalidField(key) }
        return text
    }
}

/// Why a `notification-requests` value could not be read.
public enum NotificationRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnObject
    /// The member is missing or has the wrong type or value.
    case invalidField(String)
    /// The record's Kafka timestamp lies outside `StreamTimeRange` (the engine never writes one).
    case invalidTimestamp(Int64)

    public var description: String {
        switch self {
        case .notAnObject: "a notification request must be a JSON object"
        case .invalidField(let field): "notification request field \(field) is missing or invalid"
        case .invalidTimestamp(let t): "notification-requests record stamped \(t) ms, outside 1970-01-01 … 9999-12-31"
        }
    }
}
