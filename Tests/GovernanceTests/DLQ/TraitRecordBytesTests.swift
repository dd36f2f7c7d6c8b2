import JSON
import Testing
@testable import Governance

/// The trait-scope DLQ record written straight to a `JSONWriter` has the key, value
/// bytes and headers of `DLQRecordBuilder.traitRecord` (its object serialized), for
/// every reason and action, keys and details that need escapes, any origin topic.
@Suite struct TraitRecordBytesTests {
    @Test func directBytesEqualTheSerializedRecord() throws {
        let events = [
            #"{"message_id":"m1","workspace_id":"ws_1","source_id":"s","type":"identify","customer_id":"c"}"#,
            #"{"message_id":"m\"2\u0001é","workspace_id":"w\\s","source_id":"s","type":"group","anonymous_id":"a"}"#,
        ]
        let keys = [("$Plan", "plan"), ("first\"Name", "first_name"), ("", ""), ("é\n", "é"), (String(repeating: "k", count: 300), "k")]
        let origins = [Origin(topic: "raw-events", partition: 0, offset: 7), Origin(topic: "other\"topic", partition: 12, offset: -3)]
        var checked = 0
        for text in events {
            let event = try #require(EventValidator.validate(value: Array(text.utf8), key: nil).success)
            for (raw, normalized) in keys {
                for reason in TraitReason.allCases {
                    for action in TraitAction.allCases {
                        for origin in origins {
                            let finding = TraitFinding(rawKey: raw, normalizedKey: normalized, reason: reason, action: action,
                                                       detail: "key '\(raw)' \u{7F}\\ \(reason.rawValue)")
                            let direct = DLQRecordBuilder.traitRecordBytes(finding: finding, event: event, origin: origin,
                                                                           streamTime: 1_795_000_000_000, dlqAt: 1_795_000_000_999)
                            let record = DLQRecordBuilder.traitRecord(finding: finding, event: event, origin: origin,
                                                                      streamTime: 1_795_000_000_000, dlqAt: 1_795_000_000_999)
                            #expect(direct.key == record.key)
                            #expect(String(decoding: direct.value, as: UTF8.self) == record.value.serialized)
                            #expect(direct.headers == record.headers)
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked == 2 * 5 * 4 * 2 * 2)
    }
}
