import JSON
import Testing
@testable import Governance

/// The verdict record written straight to a `JSONWriter` is byte for byte the
/// record built as an object and serialized, for every combination of reason,
/// extras (including ones that replace a member in place), settlement and marks.
@Suite struct VerdictRecordBytesTests {
    static let origin = Origin(topic: "raw-events", partition: 2, offset: 98_765)

    static let events = [
        #"{"message_id":"m1","workspace_id":"ws_1","source_id":"web","type":"track","event":" buy ","customer_id":"c1"}"#,
        #"{"message_id":"m\"2\u0001","workspace_id":"ws_1","source_id":"web","type":"page","anonymous_id":"é a\n"}"#,
    ]

    static let verdicts: [Verdict] = [
        Verdict(.filtered, reason: "bot"),
        Verdict(.overCap),
        Verdict(.rateLimited, reason: "rate_limit", extras: [
            JSONMember(key: "level", value: "contact"), JSONMember(key: "retry_after_ms", value: .int(1500)),
        ]),
        Verdict(.deferred, reason: "consent_denied", extras: [JSONMember(key: "category", value: "marketing")]),
        Verdict(.filtered, reason: "x", extras: [JSONMember(key: "reason", value: "replaced"), JSONMember(key: "n", value: nil)]),
        Verdict(.filtered, extras: [JSONMember(key: "a", value: 1), JSONMember(key: "a", value: [1, "b"])]),
        Verdict(.filtered, extras: [JSONMember(key: "expired_from_deferral", value: false)]),
    ]

    @Test func directBytesEqualTheSerializedObject() throws {
        for text in Self.events {
            let event = try EventValidator.validate(value: Array(text.utf8), key: "ws_1").get()
            for verdict in Self.verdicts {
                for settledAt in [nil, Int64(1_795_000_000_900)] {
                    for (expired, released) in [(false, false), (true, false), (false, true)] {
                        let direct = VerdictRecords.verdict(verdict, event: event, origin: Self.origin,
                                                            streamTime: 1_795_000_000_000, settledAt: settledAt,
                                                            expiredFromDeferral: expired, releasedFromDeferral: released)
                        let object = VerdictRecords.verdictObject(verdict, event: event, origin: Self.origin,
                                                                  streamTime: 1_795_000_000_000, settledAt: settledAt,
                                                                  expiredFromDeferral: expired,
                                                                  releasedFromDeferral: released).serializedBytes
                        #expect(String(decoding: direct, as: UTF8.self) == String(decoding: object, as: UTF8.self))
                    }
                }
            }
        }
    }
}
