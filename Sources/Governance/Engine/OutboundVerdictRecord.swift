import JSON

extension VerdictRecords {
    /// The `outbound-verdicts` record of an outbound message (SPEC §9), written straight
    /// to a `JSONWriter`: building the object and serializing it cost ~13,000
    /// instructions per message. OutboundVerdictBytesTests compares it with that object.
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
}
