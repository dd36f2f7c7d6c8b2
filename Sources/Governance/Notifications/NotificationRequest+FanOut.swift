import JSON

extension NotificationRequest {
    /// The `email_admin` template (SPEC §10).
    public static let emailTemplate = "tenant_quota_cap_exceeded"
    /// The activity-feed card type and event id (SPEC §10).
    public static let activityCardType = "system"
    public static let activityEventID = "governance.cap_exceeded"

    /// The event-review link of the admin email, relative to the admin app:
    /// `/workspaces/{workspace_id}/governance/events?cap_type={cap_type}` plus
    /// `&level={level}` for thresholds; the workspace id is percent-encoded.
    public var reviewLink: String {
        var link = "/workspaces/" + Self.percentEncoded(workspaceID) + "/governance/events?cap_type=" + capType.rawValue
        if capType.isThreshold, let level { link += "&level=\(level)" }
        return link
    }

    /// One `governance-notifications` record value per surface of the cap type, in
    /// `NotificationSurface` order: org_id, workspace_id, cap_type, level (thresholds),
    /// surface, the surface's card_type + event_id / template + link, the request's
    /// details that are set (event, figure, limit, month), and its stream_time_ms.
    public func fanOut() -> [JSONValue] {
        capType.surfaces.map { surface in
            var object = JSONObject()
            object["org_id"] = .string(orgID)
            object["workspace_id"] = .string(workspaceID)
            object["cap_type"] = .string(capType.rawValue)
            if capType.isThreshold { object["level"] = level.map { .int($0) } }
            object["surface"] = .string(surface.rawValue)
            switch surface {
            case .activityFeed:
                object["card_type"] = .string(Self.activityCardType)
                object["event_id"] = .string(Self.activityEventID)
            case .emailAdmin:
                object["template"] = .string(Self.emailTemplate)
                object["link"] = .string(reviewLink)
            case .inAppAdmin, .ops:
                break
            }
            object["event"] = event.map { .string($0) }
            object["figure"] = figure.map { .int($0) }
            object["limit"] = limit.map { .int($0) }
            object["month"] = month.map { .string($0) }
            object["stream_time_ms"] = .int(streamTimeMs)
            return .object(object)
        }
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}
