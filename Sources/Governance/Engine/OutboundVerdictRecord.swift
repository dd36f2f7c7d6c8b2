import JSON

extension VerdictRecords {
    /// The `outbound-verdicts` record of an outbound message (SPEC §9), written straight
    /// to a `JSONWriter`: building the object and serializing it cost ~13,000
    /// instructions per message. `outboundObject` is the reference it is tested against.
    static func outbound(_ message: OutboundMessage, kind: VerdictKind, decision: MessagingDecision, origin: Origin,
                         streamTime: StreamTime) -> [UInt8] {
        var writer = JSONWriter(capacity: 320)
        writer.writeRaw(#"{"message_id":"#)
        writer.writeString(message.messageID)
        writer.writeRaw(#","workspace_id":"#)
        writer.writeString(message.workspaceID)
        writer.writeRaw(#","contact_key":"#)
        writer.writeString(message.contactKey)
        writer.writeRaw(#","channel":"#)
        writer.writeString(message.channel.rawValue)
        if let campaign = message.campaignID {
            writer.writeRaw(#","campaign_id":"#)
            writer.writeString(campaign)
        }
        if let journey = message.journeyID {
            writer.writeRaw(#","journey_id":"#)
            writer.writeString(journey)
        }
        writer.writeRaw(#","verdict":"#)
        writer.writeString(kind.rawValue)
        if let reason = decision.reason {
            writer.writeRaw(#","reason":"#)
            writer.writeString(reason)
        }
        writer.writeRaw(#","limit":"#)
        writer.writeInt(decision.limit)
        writer.writeRaw(#","count":"#)
        writer.writeInt(decision.count)
        writer.writeRaw(#","resets_at":"#)
        writer.writeString(decision.resetsAt)
        writer.writeRaw(#","origin":"#)
        writeOrigin(origin, into: &writer)
        writer.writeRaw(#","stream_time_ms":"#)
        writer.writeInt(streamTime)
        writer.writeRaw("}")
        return writer.bytes
    }

    /// `outbound(…)` as an object.
    static func outboundObject(_ message: OutboundMessage, kind: VerdictKind, decision: MessagingDecision, origin: Origin,
                               streamTime: StreamTime) -> JSONValue {
        var value = JSONObject()
        value.appendUnchecked("message_id", .string(message.messageID))
        value.appendUnchecked("workspace_id", .string(message.workspaceID))
        value.appendUnchecked("contact_key", .string(message.contactKey))
        value.appendUnchecked("channel", .string(message.channel.rawValue))
        if let campaign = message.campaignID { value.appendUnchecked("campaign_id", .string(campaign)) }
        if let journey = message.journeyID { value.appendUnchecked("journey_id", .string(journey)) }
        value.appendUnchecked("verdict", .string(kind.rawValue))
        if let reason = decision.reason { value.appendUnchecked("reason", .string(reason)) }
        value.appendUnchecked("limit", .int(decision.limit))
        value.appendUnchecked("count", .int(decision.count))
        value.appendUnchecked("resets_at", .string(decision.resetsAt))
        value.appendUnchecked("origin", origin.jsonValue)
        value.appendUnchecked("stream_time_ms", .int(streamTime))
        return .object(value)
    }
}
