import JSON

/// Builds the output records that answer a raw event (SPEC §12.2).
enum VerdictRecords {
    /// A record for `events-over-cap`, `events-rate-limited`, `events-filtered` or
    /// `events-deferred`. A record that settles a held event (SPEC §6.3) is marked
    /// `expired_from_deferral` or, for a released hold refused at stages 15–17,
    /// `released_from_deferral`, so the conservation law (SPEC §6) can leave it out.
    static func verdict(_ verdict: Verdict, event: RawEvent, origin: Origin, streamTime: StreamTime,
                        settledAt: StreamTime? = nil, expiredFromDeferral: Bool = false,
                        releasedFromDeferral: Bool = false) -> JSONValue {
        var object = JSONObject()
        object.appendUnchecked("message_id", .string(event.messageID))
        object.appendUnchecked("workspace_id", .string(event.workspaceID))
        object.appendUnchecked("contact_key", .string(event.contactKey))
        object.appendUnchecked("event", .string(event.name))
        object.appendUnchecked("verdict", .string(verdict.kind.rawValue))
        if let reason = verdict.reason { object.appendUnchecked("reason", .string(reason)) }
        for extra in verdict.extras { object[extra.key] = extra.value }
        if expiredFromDeferral { object.appendUnchecked("expired_from_deferral", true) }
        if releasedFromDeferral { object.appendUnchecked("released_from_deferral", true) }
        object.appendUnchecked("origin", origin.jsonValue)
        object.appendUnchecked("stream_time_ms", .int(streamTime))
        if let settledAt { object.appendUnchecked("settled_at_ms", .int(settledAt)) }
        return .object(object)
    }

    /// The `events-accepted` record: the event as received with `event` filled in for
    /// implicit types, `traits` replaced by the cleaned traits, plus `contact_key` and
    /// `governance`.
    /// `origin` and `stream_time_ms` are also repeated at the top level, as every
    /// record that answers an input has them there (SPEC §12.2).
    static func accepted(event: RawEvent, cleanedTraits: JSONObject?, origin: Origin, streamTime: StreamTime,
                         capPhaseGrace: Bool, releasedAt: StreamTime?) -> JSONValue {
        var object = event.acceptedObject(cleanedTraits: cleanedTraits)
        object["contact_key"] = .string(event.contactKey)
        var governance = JSONObject()
        governance.appendUnchecked("verdict", "accepted")
        governance.appendUnchecked("stream_time_ms", .int(streamTime))
        governance.appendUnchecked("origin", origin.jsonValue)
        if let releasedAt {
            governance.appendUnchecked("released_from_deferral", true)
            governance.appendUnchecked("settled_at_ms", .int(releasedAt))
        }
        if capPhaseGrace { governance.appendUnchecked("cap_phase", "grace") }
        object["governance"] = .object(governance)
        object["origin"] = origin.jsonValue
        object["stream_time_ms"] = .int(streamTime)
        if let releasedAt { object["settled_at_ms"] = .int(releasedAt) }
        return .object(object)
    }

    /// A `governance-audit` record.
    static func audit(_ kind: String, workspaceId: String, streamTime: StreamTime, event: String? = nil,
                      phase: String? = nil, messageId: String? = nil, extras: [JSONMember] = []) -> JSONValue {
        var object = JSONObject()
        object.appendUnchecked("kind", .string(kind))
        object.appendUnchecked("workspace_id", .string(workspaceId))
        if let event { object.appendUnchecked("event", .string(event)) }
        if let phase { object.appendUnchecked("phase", .string(phase)) }
        if let messageId { object.appendUnchecked("message_id", .string(messageId)) }
        for extra in extras { object[extra.key] = extra.value }
        object.appendUnchecked("stream_time_ms", .int(streamTime))
        return .object(object)
    }
}
