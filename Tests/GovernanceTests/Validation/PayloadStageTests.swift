import Governance
import JSON
import Testing

/// Stages 1–3 of SPEC §6: payload_too_large, malformed_json, too_deeply_nested.
@Suite struct PayloadStageTests {
    /// A valid event whose serialization is exactly `size` bytes.
    func event(ofSize size: Int) -> [UInt8] {
        let base = Fixture.bytes(Fixture.event(["properties": ["pad": ""]]))
        let padding = String(repeating: "x", count: size - base.count)
        let bytes = Fixture.bytes(Fixture.event(["properties": ["pad": .string(padding)]]))
        precondition(bytes.count == size)
        return bytes
    }

    @Test func payloadOf32768BytesPassesAnd32769IsTooLarge() {
        #expect(EventValidator.validate(value: event(ofSize: 32_768), key: "ws_1").success != nil)
        let failure = EventValidator.validate(value: event(ofSize: 32_769), key: "ws_1").failure
        #expect(failure?.reason == .payloadTooLarge)
        #expect(failure?.detail == "value is 32769 bytes, over the limit of 32768")
    }

    @Test func payloadTooLargeIsCheckedBeforeParsing() {
        let garbage = [UInt8](repeating: UInt8(ascii: "{"), count: 32_769)
        #expect(EventValidator.validate(value: garbage, key: nil).failure?.reason == .payloadTooLarge)
        let tooDeep = [UInt8](repeating: UInt8(ascii: "["), count: 32_769)
        #expect(EventValidator.validate(value: tooDeep, key: nil).failure?.reason == .payloadTooLarge)
    }

    @Test(arguments: [
        "", " ", "{", "{\"message_id\":}", "{\"a\":1} x", "{'a':1}", "{\"a\":\"\\ud800\"}", "{\"a\":01}",
        "{\"a\":1,}", "\u{FEFF}{}",
    ])
    func malformedJSONForSyntaxErrors(text: String) {
        #expect(Fixture.validate(text: text).failure?.reason == .malformedJSON)
    }

    @Test func malformedJSONForInvalidUTF8() {
        var bytes = Array("{\"message_id\":\"m".utf8)
        bytes += [0xC3, 0x28]  // an invalid two-byte sequence
        bytes += Array("\"}".utf8)
        #expect(EventValidator.validate(value: bytes, key: nil).failure?.reason == .malformedJSON)
        #expect(EventValidator.validate(value: [0xFF], key: nil).failure?.reason == .malformedJSON)
    }

    @Test(arguments: ["[]", "[{\"type\":\"track\"}]", "\"track\"", "1", "null", "true"])
    func malformedJSONWhenTheTopLevelIsNotAnObject(text: String) {
        let failure = Fixture.validate(text: text).failure
        #expect(failure?.reason == .malformedJSON)
        #expect(failure?.detail.hasSuffix("not an object") == true)
    }

    @Test func malformedJSONForARecordWithoutValue() {
        let failure = EventValidator.validate(value: nil, key: "ws_1").failure
        #expect(failure?.reason == .malformedJSON)
        #expect(failure?.messageID == nil && failure?.workspaceID == nil)
    }

    @Test func aTopLevelArrayNestedBeyondTheParserLimitIsMalformedNotTooDeep() {
        let text = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(Fixture.validate(text: text).failure?.reason == .malformedJSON)
    }

    @Test func malformedJSONWinsOverDepth() {
        let text = "{\"a\":" + String(repeating: "[", count: 300) + String(repeating: "]", count: 299)
        #expect(Fixture.validate(text: text).failure?.reason == .malformedJSON)
        let shallowButBroken = "{\"a\":" + Fixture.nested(depth: 20).serialized
        #expect(Fixture.validate(text: shallowButBroken).failure?.reason == .malformedJSON)
    }

    @Test(arguments: [false, true])
    func depth10PassesAndDepth11IsTooDeeplyNested(arrays: Bool) {
        // The top-level object is depth 1, so a property value nesting 9 levels reaches 10.
        let ten = Fixture.event(["properties": nil, "deep": Fixture.nested(depth: 9, arrays: arrays)])
        #expect(Fixture.validate(ten).success != nil)
        let eleven = Fixture.event(["properties": nil, "deep": Fixture.nested(depth: 10, arrays: arrays)])
        let failure = Fixture.validate(eleven).failure
        #expect(failure?.reason == .tooDeeplyNested)
        #expect(failure?.detail == "nested 11 levels deep, over the limit of 10")
    }

    @Test func tooDeeplyNestedComesBeforeFieldChecks() {
        let object = Fixture.event(["message_id": nil, "type": "Track", "deep": Fixture.nested(depth: 10)])
        #expect(Fixture.validate(object).failure?.reason == .tooDeeplyNested)
    }

    @Test func tooDeeplyNestedReportsTheIdsWhenTheValueWasBuilt() {
        let failure = Fixture.validate(Fixture.event(["deep": Fixture.nested(depth: 10)])).failure
        #expect(failure?.messageID == "m1" && failure?.workspaceID == "ws_1")
    }

    @Test func nestingBeyondTheParserLimitIsTooDeeplyNested() {
        let text = "{\"message_id\":\"m1\",\"a\":" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"
        let failure = Fixture.validate(text: text).failure
        #expect(failure?.reason == .tooDeeplyNested)
        #expect(failure?.messageID == nil)
    }
}
