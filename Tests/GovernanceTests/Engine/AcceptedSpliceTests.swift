import JSON
import Testing
@testable import Governance

/// The `events-accepted` record spliced from the event's original bytes is byte
/// for byte the record written from the parsed object, and the splice is taken
/// whenever the value is compact and nothing is replaced in place.
@Suite struct AcceptedSpliceTests {
    static let origin = Origin(topic: "raw-events", partition: 3, offset: 1234)

    /// (value, whether the splice applies)
    static let values: [(String, Bool)] = [
        (#"{"message_id":"m1","workspace_id":"ws_1","source_id":"web","type":"track","event":"buy","customer_id":"c1","properties":{"n":1.50},"context":{"user_agent":"x"}}"#, true),
        (#"{"message_id":"m2","workspace_id":"ws_1","source_id":"web","type":"page","customer_id":" c1 ","context":{}}"#, true),
        (#"{"message_id":"m3","workspace_id":"ws_1","source_id":"web","type":"page","event":"page_view","anonymous_id":"a"}"#, true),
        (#"{"message_id":"m4","workspace_id":"ws_1","source_id":"web","type":"page","event":"other","anonymous_id":"a"}"#, false),
        (#"{"message_id":"m5","workspace_id":"ws_1","source_id":"web","type":"identify","customer_id":"c","traits":{"email":"a@b","$x":1}}"#, true),
        (#"{"message_id":"m6","workspace_id":"ws_1","source_id":"web","type":"track","event":"e","customer_id":"c","contact_key":"z"}"#, false),
        (#"{"message_id":"m7","workspace_id":"ws_1","source_id":"web","type":"track","event":"e","customer_id":"c","governance":{}}"#, false),
        (#"{"message_id":"m8","workspace_id":"ws_1","source_id":"web","type":"track","event":"e","customer_id":"c","origin":1,"stream_time_ms":2}"#, false),
        (#"{"message_id":"m9", "workspace_id":"ws_1","source_id":"web","type":"track","event":"e","customer_id":"c"}"#, false),
        (#"{"message_id":"m10","workspace_id":"ws_1","source_id":"w\/eb","type":"track","event":"e","customer_id":"c\u0041"}"#, false),
        (#"{"message_id":"m11","workspace_id":"ws_1","source_id":"web","type":"track","event":"é \"q\"\n","customer_id":"c","settled_at_ms":5}"#, false),
        (#"{"message_id":"m12","workspace_id":"ws_1","source_id":"web","type":"identify","traits":{"Email":"x","$a":1,"n":-0.0,"o":{"é":[1,"\u0001"]}},"customer_id":"c","context":{"app_id":"a"}}"#, true),
        (#"{"message_id":"m13","workspace_id":"ws_1","source_id":"web","type":"group","customer_id":"c","traits":null}"#, true),
        (#"{"message_id":"m14","workspace_id":"ws_1","source_id":"web","type":"group","traits":{},"customer_id":"c","event":"group"}"#, true),
        (#"{"message_id":"m15","workspace_id":"ws_1","source_id":"web","type":"identify","traits":{"a":1},"customer_id":"c","traits":{"b":2}}"#, false),
    ]

    @Test func splicedBytesEqualTheSerializedRecord() throws {
        for (text, splices) in Self.values {
            let event = try EventValidator.validate(value: Array(text.utf8), key: "ws_1").get()
            let cleanedChoices: [JSONObject?] = event.traits.map {
                [nil, $0, ["email": "a@b"], JSONObject(), ["é\n": .string("\u{01}\"")], TraitGovernor.clean($0).cleaned]
            } ?? [nil]
            for cleaned in cleanedChoices {
                for releasedAt in [nil, Int64(1_795_000_000_500)] {
                    for grace in [false, true] {
                        let expected = VerdictRecords.accepted(event: event, cleanedTraits: cleaned, origin: Self.origin,
                                                               streamTime: 1_795_000_000_000, capPhaseGrace: grace,
                                                               releasedAt: releasedAt).serializedBytes
                        let spliced = VerdictRecords.splicedAccepted(event: event, cleanedTraits: cleaned, origin: Self.origin,
                                                                     streamTime: 1_795_000_000_000, capPhaseGrace: grace,
                                                                     releasedAt: releasedAt)
                        #expect((spliced != nil) == splices, "\(text)")
                        if let spliced { #expect(String(decoding: spliced, as: UTF8.self) == String(decoding: expected, as: UTF8.self)) }
                        #expect(VerdictRecords.acceptedBytes(event: event, cleanedTraits: cleaned, origin: Self.origin,
                                                             streamTime: 1_795_000_000_000, capPhaseGrace: grace,
                                                             releasedAt: releasedAt) == expected)
                    }
                }
            }
        }
    }
}
