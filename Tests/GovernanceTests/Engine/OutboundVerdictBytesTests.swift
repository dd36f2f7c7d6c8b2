import JSON
import Testing
@testable import Governance

/// The `outbound-verdicts` record written straight to a `JSONWriter` is byte for byte
/// the record built as an object and serialized: every channel, with and without
/// campaign and journey, allowed and capped, unlimited, and strings that need escapes.
@Suite struct OutboundVerdictBytesTests {
    static let origins = [
        Origin(topic: "outbound-messages", partition: 0, offset: 0),
        Origin(topic: "out\"bound", partition: 7, offset: 9_876_543_210),
    ]

    @Test func directBytesEqualTheSerializedObject() {
        let ids = ["m1", "m\"2\u{01}\\é", String(repeating: "x", count: 40)]
        let optionals: [String?] = [nil, "c1", "j\n", ""]
        let decisions = [
            MessagingDecision(verdict: .allowed, limit: 4, count: 1, resetsAt: "2026-11-19T00:00:00Z"),
            MessagingDecision(verdict: .capped, limit: 4, count: 4, resetsAt: "2026-11-19T00:00:00Z"),
            MessagingDecision(verdict: .allowed, limit: -1, count: 12_345, resetsAt: "0001-01-01T00:00:00Z"),
        ]
        var checked = 0
        for id in ids {
            for channel in OutboundChannel.allCases {
                for campaign in optionals {
                    for journey in optionals {
                        let message = OutboundMessage(messageID: id, workspaceID: "ws_\(id)", contactKey: "k" + id,
                                                      channel: channel, campaignID: campaign, journeyID: journey,
                                                      object: JSONObject())
                        for decision in decisions {
                            for origin in Self.origins {
                                let kind: VerdictKind = decision.verdict == .allowed ? .allowed : .capped
                                let direct = VerdictRecords.outbound(message, kind: kind, decision: decision, origin: origin,
                                                                     streamTime: 1_795_000_000_123)
                                let object = VerdictRecords.outboundObject(message, kind: kind, decision: decision,
                                                                           origin: origin, streamTime: 1_795_000_000_123)
                                #expect(String(decoding: direct, as: UTF8.self)
                                    == String(decoding: object.serializedBytes, as: UTF8.self))
                                checked += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(checked == 3 * 5 * 4 * 4 * 3 * 2)
    }
}

extension VerdictRecords {
    /// The reference: `outbound(…)` as an object, as the engine built it before it wrote
    /// the bytes directly.
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
