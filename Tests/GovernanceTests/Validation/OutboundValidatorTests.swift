import Governance
import JSON
import Testing

/// Outbound messages (SPEC §9) through stages 1–8 of §6.
@Suite struct OutboundValidatorTests {
    static let send: JSONObject = [
        "message_id": "s1", "workspace_id": "ws_1", "contact_key": "c1", "channel": "email",
        "campaign_id": "camp", "journey_id": "j",
    ]

    func validate(_ changes: KeyValuePairs<String, JSONValue?> = [:], key: String? = "ws_1") -> Result<OutboundMessage, ValidationFailure> {
        var object = Self.send
        for (k, v) in changes { object[k] = v }
        return OutboundValidator.validate(value: JSONValue.object(object).serializedBytes, key: key)
    }

    @Test func aValidSendRequestIsRead() throws {
        let message = try #require(validate().success)
        #expect(message.messageID == "s1" && message.workspaceID == "ws_1" && message.contactKey == "c1")
        #expect(message.channel == .email && message.campaignID == "camp" && message.journeyID == "j")
        #expect(message.object == Self.send)
        let bare = try #require(validate(["campaign_id": nil, "journey_id": .some(.null)]).success)
        #expect(bare.campaignID == nil && bare.journeyID == nil)
    }

    @Test func stagesOneToThreeApply() {
        #expect(OutboundValidator.validate(value: Array("nope".utf8), key: nil).failure?.reason == .malformedJSON)
        #expect(OutboundValidator.validate(value: nil, key: nil).failure?.reason == .malformedJSON)
        #expect(OutboundValidator.validate(value: [UInt8](repeating: 0x20, count: 32_769), key: nil).failure?.reason == .payloadTooLarge)
        #expect(validate(["x": Fixture.nested(depth: 10)]).failure?.reason == .tooDeeplyNested)
    }

    @Test(arguments: ["message_id", "workspace_id", "contact_key", "channel"])
    func requiredFieldsAreMissingWhenAbsentOrNull(field: String) {
        #expect(validate([field: nil]).failure?.field == field)
        #expect(validate([field: nil]).failure?.reason == .missingField)
        #expect(validate([field: .some(.null)]).failure?.reason == .missingField)
    }

    @Test(arguments: ["message_id", "workspace_id", "contact_key", "channel", "campaign_id", "journey_id"])
    func fieldsOfAnotherJSONTypeAreInvalid(field: String) {
        let failure = validate([field: 1]).failure
        #expect(failure?.reason == .invalidField && failure?.field == field)
    }

    @Test func idLengthsAreBounded() {
        #expect(validate(["message_id": .string(String(repeating: "m", count: 128))]).success != nil)
        #expect(validate(["message_id": .string(String(repeating: "m", count: 129))]).failure?.field == "message_id")
        #expect(validate(["workspace_id": .string(String(repeating: "w", count: 65))], key: nil).failure?.field == "workspace_id")
        #expect(validate(["message_id": ""]).failure?.field == "message_id")
    }

    @Test func anUnknownChannelIsInvalidFieldChannel() {
        for channel: JSONValue in ["Email", "fax", ""] {
            let failure = validate(["channel": channel]).failure
            #expect(failure?.reason == .invalidField && failure?.field == "channel")
        }
        for channel in OutboundChannel.allCases {
            #expect(validate(["channel": .string(channel.rawValue)]).success?.channel == channel)
        }
        #expect(OutboundChannel.allCases.map(\.rawValue) == ["email", "push", "whatsapp", "sms", "rcs"])
    }

    @Test func fieldsAreCheckedInOrder() {
        #expect(validate(["message_id": nil, "channel": "fax"]).failure?.field == "message_id")
        #expect(validate(["contact_key": 1, "channel": "fax"]).failure?.field == "contact_key")
        #expect(validate(["channel": "fax", "campaign_id": 1]).failure?.field == "channel")
        #expect(validate(["campaign_id": 1, "journey_id": 1]).failure?.field == "campaign_id")
    }

    @Test func workspaceMismatchWhenThePresentKeyDiffers() {
        #expect(validate(key: "ws_2").failure?.reason == .workspaceMismatch)
        #expect(validate(key: nil).success != nil)
        #expect(validate(["channel": "fax"], key: "ws_2").failure?.reason == .invalidField)
    }

    @Test func aBlankContactKeyIsMissingIdentityAndTheKeyIsTrimmed() {
        for blank: JSONValue in ["", "  ", "\u{3000}"] {
            #expect(validate(["contact_key": blank]).failure?.reason == .missingIdentity)
        }
        #expect(validate(["contact_key": "  "], key: "ws_2").failure?.reason == .workspaceMismatch)
        #expect(validate(["contact_key": " c1\t"]).success?.contactKey == "c1")
    }

    @Test func unknownWorkspaceFailureNamesTheWorkspace() throws {
        let message = try #require(validate().success)
        let failure = ValidationFailure.unknownWorkspace(message)
        #expect(failure.reason == .unknownWorkspace && failure.workspaceID == "ws_1" && failure.messageID == "s1")
    }
}
