import Governance
import JSON
import Testing

/// DLQ records (SPEC §6.1, §6.3, §12.2).
@Suite struct DLQRecordBuilderTests {
    let origin = Origin(topic: "raw-events", partition: 3, offset: 42)

    func eventRecord(value: [UInt8]?, key: String?, headers: [Header] = []) throws -> DLQRecord {
        let failure = try #require(EventValidator.validate(value: value, key: key).failure)
        return DLQRecordBuilder.eventRecord(
            failure: failure, origin: origin, originalKey: key, originalValue: value,
            originalHeaders: headers, streamTime: 1_795_000_000_000, dlqAt: 1_795_000_000_500
        )
    }

    func text(_ header: Header) -> String? { header.value.map { String(decoding: $0, as: UTF8.self) } }

    @Test func eventScopeRecordForAMissingField() throws {
        let value = Array(#"{"message_id":"m1","workspace_id":"ws_1","type":"track"}"#.utf8)
        let headers = [Header(name: "trace", text: "abc"), Header(name: "empty", value: nil)]
        let record = try eventRecord(value: value, key: "ws_1", headers: headers)
        #expect(record.key == "ws_1")
        #expect(record.value.serialized == #"{"scope":"event","reason":"missing_field","field":"source_id","#
            + #""detail":"required field 'source_id' is missing or null","workspace_id":"ws_1","message_id":"m1","#
            + #""origin":{"topic":"raw-events","partition":3,"offset":42},"stream_time_ms":1795000000000,"#
            + #""dlq_at":1795000000500,"original_value_b64":"\#(Base64.encode(value))","original_key":"ws_1","#
            + #""original_headers":[{"name":"trace","value_b64":"YWJj"},{"name":"empty","value_b64":null}]}"#)
        #expect(record.headers.map(\.name) == [
            "governor.dlq.scope", "governor.dlq.reason", "governor.dlq.field", "governor.dlq.detail",
            "governor.origin.topic", "governor.origin.partition", "governor.origin.offset",
        ])
        #expect(record.headers.map(text) == [
            "event", "missing_field", "source_id", "required field 'source_id' is missing or null", "raw-events", "3", "42",
        ])
    }

    @Test func theOriginalBytesRoundTripExactly() throws {
        let value: [UInt8] = Array(#"{ "message_id" : "m\u00e9",  "x": 1.50 }"#.utf8) + [0x0A]
        let record = try eventRecord(value: value, key: nil)
        let b64 = try #require(record.value["original_value_b64"]?.stringValue)
        #expect(Base64.decode(b64) == value)
        let invalidUTF8: [UInt8] = [0x7B, 0xFF, 0x7D]
        let broken = try eventRecord(value: invalidUTF8, key: "ws_9")
        #expect(Base64.decode(try #require(broken.value["original_value_b64"]?.stringValue)) == invalidUTF8)
    }

    /// A Kafka key that is not UTF-8 cannot be a JSON string: `original_key` shows it
    /// with U+FFFD, `original_key_b64` keeps its bytes (docs/GOVERNANCE.md §5).
    @Test func aKeyThatIsNotUTF8KeepsItsBytes() throws {
        let bytes: [UInt8] = [0x77, 0x73, 0xFF, 0x5F, 0x68]
        let key = String(decoding: bytes, as: UTF8.self)
        let value = Array(#"{"message_id":"m1","workspace_id":"ws_h","source_id":"s","type":"track","event":"e","customer_id":"c"}"#.utf8)
        let failure = try #require(EventValidator.validate(value: value, key: key).failure)
        let record = DLQRecordBuilder.eventRecord(
            failure: failure, origin: origin, originalKey: key, originalKeyBytes: bytes, originalValue: value,
            originalHeaders: [], streamTime: 1_795_000_000_000, dlqAt: 1_795_000_000_500)
        #expect(record.value["reason"] == "workspace_mismatch")
        #expect(record.value["original_key"] == .string("ws\u{FFFD}_h"))
        #expect(record.value["original_key_b64"]?.stringValue.flatMap(Base64.decode) == bytes)
        let members = record.value.objectValue?.members.map(\.key) ?? []
        #expect(members.firstIndex(of: "original_key_b64") == members.firstIndex(of: "original_key").map { $0 + 1 })
        // A UTF-8 key has no such member.
        #expect(try eventRecord(value: value, key: "ws_x").value["original_key_b64"] == nil)
        // Over the echo bound: left out, with the size of the key as sent, not as text.
        let long = Array(repeating: UInt8(0xFF), count: DLQEchoBounds.maxKeyBytes + 1)
        let omitted = DLQRecordBuilder.eventRecord(
            failure: failure, origin: origin, originalKey: String(decoding: long, as: UTF8.self), originalKeyBytes: long,
            originalValue: value, originalHeaders: [], streamTime: 1_795_000_000_000, dlqAt: 1_795_000_000_500)
        #expect(omitted.value["original_key"] == .null && omitted.value["original_key_b64"] == nil)
        #expect(omitted.value["echo_omitted"]?["key"]?.numberValue?.int64Value == Int64(long.count))
    }

    @Test func reasonsWithoutFieldHaveOnlyDetail() throws {
        let record = try eventRecord(value: Array("[]".utf8), key: "ws_1")
        #expect(record.value["field"] == nil)
        #expect(record.value["reason"] == "malformed_json")
        #expect(record.value["detail"] == "the top-level value is of type array, not an object")
        #expect(record.value["message_id"] == .null)
        #expect(!record.headers.contains { $0.name == DLQHeaders.field })
    }

    @Test func withoutARecordKeyTheValuesWorkspaceIDKeysTheRecord() throws {
        let value = Array(#"{"message_id":"m1","workspace_id":"ws_7","source_id":"s","type":"Track","customer_id":"c"}"#.utf8)
        let record = try eventRecord(value: value, key: nil)
        #expect(record.key == "ws_7")
        #expect(record.value["workspace_id"] == "ws_7")
        #expect(record.value["original_key"] == .null)
    }

    @Test func aPresentRecordKeyWinsOverTheValuesWorkspaceID() throws {
        let value = Array(#"{"message_id":"m1","workspace_id":"ws_7","source_id":"s","type":"track","event":"e","customer_id":"c"}"#.utf8)
        let record = try eventRecord(value: value, key: "ws_8")
        #expect(record.value["reason"] == "workspace_mismatch")
        #expect(record.key == "ws_8")
        #expect(record.value["workspace_id"] == "ws_8")
    }

    @Test func noKeyAndNoParseableValueLeavesTheWorkspaceUnknown() throws {
        let record = try eventRecord(value: nil, key: nil)
        #expect(record.key == nil)
        #expect(record.value["workspace_id"] == .null)
        #expect(record.value["original_value_b64"] == .null)
        #expect(record.value["original_key"] == .null)
    }

    @Test func traitScopeRecord() throws {
        let object: JSONObject = ["message_id": "m1", "workspace_id": "ws_1", "source_id": "s", "type": "identify", "customer_id": "c"]
        let event = try #require(EventValidator.validate(value: JSONValue.object(object).serializedBytes, key: nil).success)
        let finding = TraitFinding(rawKey: "$Plan", normalizedKey: "plan", reason: .reservedPrefix, action: .dropped, detail: "d")
        let record = DLQRecordBuilder.traitRecord(finding: finding, event: event, origin: origin, streamTime: 5, dlqAt: 6)
        #expect(record.key == "ws_1")
        #expect(record.value.serialized == #"{"scope":"trait","reason":"reserved_prefix","detail":"d","workspace_id":"ws_1","#
            + #""message_id":"m1","origin":{"topic":"raw-events","partition":3,"offset":42},"stream_time_ms":5,"dlq_at":6,"#
            + #""trait_key":"$Plan","normalized_key":"plan","action":"dropped"}"#)
        #expect(record.headers.map(text) == ["trait", "reserved_prefix", "d", "raw-events", "3", "42"])
    }
}
