import JSON

/// Builds the output records that answer a raw event (SPEC §12.2).
enum VerdictRecords {
    /// A record for `events-over-cap`, `events-rate-limited`, `events-filtered` or
    /// `events-deferred`. A record that settles a held event (SPEC §6.3) is marked
    /// `expired_from_deferral` or, for a released hold refused at stages 15–17,
    /// `released_from_deferral`, so the conservation law (SPEC §6) can leave it out.
    static func verdict(_ verdict: Verdict, event: RawEvent, origin: Origin, streamTime: StreamTime,
                        settledAt: StreamTime? = nil, expiredFromDeferral: Bool = false,
                        releasedFromDeferral: Bool = false) -> [UInt8] {
        // An extra that would replace a member in place takes the object's path.
        let replaces = verdict.extras.enumerated().contains { index, extra in
            verdictMembers.contains(extra.key) || verdict.extras[..<index].contains { $0.key == extra.key }
        }
        if replaces {
            return verdictObject(verdict, event: event, origin: origin, streamTime: streamTime, settledAt: settledAt,
                                 expiredFromDeferral: expiredFromDeferral,
                                 releasedFromDeferral: releasedFromDeferral).serializedBytes
        }
        var writer = JSONWriter(capacity: 320)
        writer.writeRaw(#"{"message_id":"#)
        writer.writeString(event.messageID)
        writer.writeRaw(#","workspace_id":"#)
        writer.writeString(event.workspaceID)
        writer.writeRaw(#","contact_key":"#)
        writer.writeString(event.contactKey)
        writer.writeRaw(#","event":"#)
        writer.writeString(event.name)
        writer.writeRaw(#","verdict":"#)
        writer.writeString(verdict.kind.rawValue)
        if let reason = verdict.reason {
            writer.writeRaw(#","reason":"#)
            writer.writeString(reason)
        }
        for extra in verdict.extras {
            writer.writeKey(extra.key)
            writer.write(extra.value)
        }
        if expiredFromDeferral { writer.writeRaw(#","expired_from_deferral":true"#) }
        if releasedFromDeferral { writer.writeRaw(#","released_from_deferral":true"#) }
        writer.writeRaw(#","origin":"#)
        writeOrigin(origin, into: &writer)
        writer.writeRaw(#","stream_time_ms":"#)
        writer.writeInt(streamTime)
        if let settledAt {
            writer.writeRaw(#","settled_at_ms":"#)
            writer.writeInt(settledAt)
        }
        writer.writeRaw("}")
        return writer.bytes
    }

    /// The members `verdict(…)` writes before the extras.
    private static let verdictMembers: Set<String> = ["message_id", "workspace_id", "contact_key", "event", "verdict", "reason"]

    /// `verdict(…)` as an object: the reference its direct writing is checked against.
    static func verdictObject(_ verdict: Verdict, event: RawEvent, origin: Origin, streamTime: StreamTime,
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

    /// The `events-accepted` record's bytes: the same bytes as `accepted(…)`
    /// serialized, but when the event's value is compact JSON and the record only
    /// appends members to it, its original bytes are copied and the members
    /// written after them, instead of serializing the whole event again.
    static func acceptedBytes(event: RawEvent, cleanedTraits: JSONObject?, origin: Origin, streamTime: StreamTime,
                              capPhaseGrace: Bool, releasedAt: StreamTime?) -> [UInt8] {
        if let spliced = splicedAccepted(event: event, cleanedTraits: cleanedTraits, origin: origin, streamTime: streamTime,
                                         capPhaseGrace: capPhaseGrace, releasedAt: releasedAt) {
            return spliced
        }
        return accepted(event: event, cleanedTraits: cleanedTraits, origin: origin, streamTime: streamTime,
                        capPhaseGrace: capPhaseGrace, releasedAt: releasedAt).serializedBytes
    }

    /// Nil when `accepted(…)` would change a member in place (an implicit type's
    /// different `event`, a received member of the ones it adds), would add `traits`
    /// (cleaned traits of an event without them), or the value is not compact.
    /// Cleaned traits replace the received object's bytes in place (the serialization
    /// of an equal object is the same bytes): no parse of the whole event.
    static func splicedAccepted(event: RawEvent, cleanedTraits: JSONObject?, origin: Origin, streamTime: StreamTime,
                                capPhaseGrace: Bool, releasedAt: StreamTime?) -> [UInt8]? {
        guard let original = event.compactBytes, original.last == UInt8(ascii: "}"), event.splice != .rewrite else {
            return nil
        }
        var writer = JSONWriter(capacity: original.count + 192)
        if let cleanedTraits {
            guard let traits = event.traitsRange else { return nil }
            writer.writeRaw(original[..<traits.lowerBound])
            writer.write(.object(cleanedTraits))
            writer.writeRaw(original[traits.upperBound ..< original.count - 1])
        } else {
            writer.writeRaw(original.dropLast())
        }
        // A validated event has at least `message_id`, so the object is never empty.
        // Constant text goes in one piece per run (each write costs a call and a check).
        if event.splice == .appendEvent {
            writer.writeRaw(#","event":"#)
            writer.writeString(event.name)
        }
        writer.writeRaw(#","contact_key":"#)
        writer.writeString(event.contactKey)
        writer.writeRaw(#","governance":{"verdict":"accepted","stream_time_ms":"#)
        writer.writeInt(streamTime)
        writer.writeRaw(#","origin":{"topic":"#)
        // The origin appears twice: written once, then its bytes copied.
        let originStart = writer.position
        writeOriginRest(origin, into: &writer)
        let originBytes = originStart ..< writer.position
        if let releasedAt {
            writer.writeRaw(#","released_from_deferral":true,"settled_at_ms":"#)
            writer.writeInt(releasedAt)
        }
        writer.writeRaw(capPhaseGrace ? #","cap_phase":"grace"},"origin":{"topic":"# : #"},"origin":{"topic":"#)
        writer.writeAgain(originBytes)
        writer.writeRaw(#","stream_time_ms":"#)
        writer.writeInt(streamTime)
        if let releasedAt {
            writer.writeRaw(#","settled_at_ms":"#)
            writer.writeInt(releasedAt)
        }
        writer.writeRaw("}")
        return writer.bytes
    }

    /// `origin.jsonValue`, written directly.
    static func writeOrigin(_ origin: Origin, into writer: inout JSONWriter) {
        writer.writeRaw(#"{"topic":"#)
        writeOriginRest(origin, into: &writer)
    }

    /// `origin.jsonValue` after its `{"topic":`.
    static func writeOriginRest(_ origin: Origin, into writer: inout JSONWriter) {
        // The input topics as literals (no escape to look for); any other through `writeString`.
        if Topic.isTopic(origin.topic, Topic.rawEvents) {
            writer.writeRaw(#""raw-events""#)
        } else if Topic.isTopic(origin.topic, Topic.outboundMessages) {
            writer.writeRaw(#""outbound-messages""#)
        } else {
            writer.writeString(origin.topic)
        }
        writer.writeRaw(#","partition":"#)
        writer.writeInt(Int64(origin.partition))
        writer.writeRaw(#","offset":"#)
        writer.writeInt(origin.offset)
        writer.writeRaw("}")
    }

    /// A `governance-audit` record.
    static func audit(_ kind: String, workspaceID: String, streamTime: StreamTime, event: String? = nil,
                      phase: String? = nil, messageID: String? = nil, extras: [JSONMember] = []) -> JSONValue {
        var object = JSONObject()
        object.appendUnchecked("kind", .string(kind))
        object.appendUnchecked("workspace_id", .string(workspaceID))
        if let event { object.appendUnchecked("event", .string(event)) }
        if let phase { object.appendUnchecked("phase", .string(phase)) }
        if let messageID { object.appendUnchecked("message_id", .string(messageID)) }
        for extra in extras { object[extra.key] = extra.value }
        object.appendUnchecked("stream_time_ms", .int(streamTime))
        return .object(object)
    }
}
