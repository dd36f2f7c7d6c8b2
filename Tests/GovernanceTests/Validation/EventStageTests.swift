import Governance
import JSON
import Testing

/// Stages 5–8 of SPEC §6 and the `RawEvent` they produce.
@Suite struct EventStageTests {
    @Test(arguments: ["Track", "TRACK", "", "tracks", " track", "page_view"])
    func unknownTypeIsCaseSensitive(type: String) {
        let failure = Fixture.validate(Fixture.event(["type": .string(type)])).failure
        #expect(failure?.reason == .unknownType)
        #expect(failure?.field == nil)
    }

    @Test(arguments: EventType.allCases)
    func everyKnownTypePasses(type: EventType) {
        let object = Fixture.event(["type": .string(type.rawValue), "context": ["connection_id": "k1"]])
        #expect(Fixture.validate(object).success?.type == type)
    }

    @Test func unknownTypeDoesNotRequireAnEvent() {
        #expect(Fixture.validate(Fixture.event(["type": "Track", "event": nil])).failure?.reason == .unknownType)
    }

    @Test func fieldChecksComeBeforeUnknownType() {
        let failure = Fixture.validate(Fixture.event(["type": "Track", "customer_id": 5])).failure
        #expect(failure?.reason == .invalidField && failure?.field == "customer_id")
    }

    @Test func workspaceMismatchWhenThePresentKeyDiffers() {
        let failure = Fixture.validate(Fixture.track, key: "ws_2").failure
        #expect(failure?.reason == .workspaceMismatch)
        #expect(failure?.workspaceID == "ws_1")
        #expect(Fixture.validate(Fixture.track, key: "").failure?.reason == .workspaceMismatch)
        #expect(Fixture.validate(Fixture.track, key: "WS_1").failure?.reason == .workspaceMismatch)
        #expect(Fixture.validate(Fixture.track, key: nil).success != nil)
    }

    @Test func unknownTypeComesBeforeWorkspaceMismatch() {
        #expect(Fixture.validate(Fixture.event(["type": "Track"]), key: "ws_2").failure?.reason == .unknownType)
    }

    @Test func missingIdentityWhenBothIdsAreAbsentNullOrBlank() {
        let blanks: [JSONValue?] = [nil, .null, "", "   ", "\t\n", "\u{3000}\u{A0}"]
        for customer in blanks {
            for anonymous in blanks {
                let object = Fixture.event(["customer_id": customer, "anonymous_id": anonymous])
                #expect(Fixture.validate(object).failure?.reason == .missingIdentity)
            }
        }
    }

    @Test func workspaceMismatchComesBeforeMissingIdentity() {
        #expect(Fixture.validate(Fixture.event(["customer_id": nil]), key: "ws_2").failure?.reason == .workspaceMismatch)
    }

    @Test func contactKeyIsTheTrimmedCustomerIDElseTheTrimmedAnonymousID() {
        func key(_ customer: JSONValue?, _ anonymous: JSONValue?) -> String? {
            Fixture.validate(Fixture.event(["customer_id": customer, "anonymous_id": anonymous])).success?.contactKey
        }
        #expect(key(" c1 ", " a1 ") == "c1")
        #expect(key("  ", " a1 ") == "a1")
        #expect(key(nil, "a1") == "a1")
        #expect(key(.null, "\u{2003}a1\u{2028}") == "a1")
        #expect(key("c\u{A0}1", nil) == "c\u{A0}1")
        // Zero-width space is not white space: it is an identity.
        #expect(key("\u{200B}", nil) == "\u{200B}")
        let event = Fixture.validate(Fixture.event(["customer_id": "  ", "anonymous_id": " a1"])).success
        #expect(event?.customerID == nil && event?.anonymousID == "a1")
    }

    @Test func theEventNameIsTrimmed() {
        #expect(Fixture.validate(Fixture.event(["event": "  order_placed\u{3000}"])).success?.name == "order_placed")
    }

    @Test func anEventNameEmptyAfterTrimIsInvalidField() {
        for blank: JSONValue in ["", " ", "\u{2009}\n"] {
            let failure = Fixture.validate(Fixture.event(["event": blank])).failure
            #expect(failure?.reason == .invalidField)
            #expect(failure?.field == "event")
        }
    }

    @Test func nameOf128CharactersPassesAnd129IsTooLong() {
        let name128 = String(repeating: "n", count: 128)
        #expect(Fixture.validate(Fixture.event(["event": .string("  " + name128 + "  ")])).success?.name == name128)
        let failure = Fixture.validate(Fixture.event(["event": .string(name128 + "n")])).failure
        #expect(failure?.reason == .nameTooLong)
        #expect(failure?.field == nil)
        #expect(failure?.detail == "the event name is 129 characters, over the limit of 128")
        let wide128 = String(repeating: "名", count: 128)
        #expect(Fixture.validate(Fixture.event(["event": .string(wide128)])).success?.name == wide128)
        #expect(Fixture.validate(Fixture.event(["event": .string(wide128 + "名")])).failure?.reason == .nameTooLong)
    }

    @Test func missingIdentityComesBeforeTheNameChecks() {
        let object = Fixture.event(["customer_id": nil, "event": .string(String(repeating: "n", count: 200))])
        #expect(Fixture.validate(object).failure?.reason == .missingIdentity)
        #expect(Fixture.validate(Fixture.event(["customer_id": nil, "event": " "])).failure?.reason == .missingIdentity)
    }

    @Test func implicitTypesAlwaysCarryTheirImplicitName() {
        let expected: [EventType: String] = [
            .page: "page_view", .screen: "screen_view", .identify: "identify", .group: "group",
            .alias: "alias", .consent: "consent", .delete: "delete",
        ]
        for (type, name) in expected {
            #expect(type.implicitName == name)
            #expect(Fixture.validate(Fixture.event(["type": .string(type.rawValue), "event": nil])).success?.name == name)
            // A received event name is ignored, even an empty or long one.
            for given: JSONValue in ["Home", "", .string(String(repeating: "x", count: 300))] {
                #expect(Fixture.validate(Fixture.event(["type": .string(type.rawValue), "event": given])).success?.name == name)
            }
        }
        #expect(EventType.track.implicitName == nil && EventType.connection.implicitName == nil)
    }

    @Test func acceptedObjectFillsTheImplicitNameInPlaceAndReplacesTraits() throws {
        let page = try #require(Fixture.validate(Fixture.event(["type": "page", "event": "Home"])).success)
        #expect(JSONValue.object(page.acceptedObject(cleanedTraits: nil)).serialized
            == #"{"message_id":"m1","workspace_id":"ws_1","source_id":"web","type":"page","event":"page_view","customer_id":"c1"}"#)
        let identify = try #require(Fixture.validate(Fixture.event(["type": "identify", "event": nil, "traits": ["Email": "a"]])).success)
        #expect(JSONValue.object(identify.acceptedObject(cleanedTraits: ["email": "a"])).serialized
            == #"{"message_id":"m1","workspace_id":"ws_1","source_id":"web","type":"identify","customer_id":"c1","traits":{"email":"a"},"event":"identify"}"#)
        let track = try #require(Fixture.validate(Fixture.event(["event": " order_placed "])).success)
        #expect(track.acceptedObject(cleanedTraits: nil)["event"] == " order_placed ")
    }

    @Test func rawEventCarriesTheTypedFields() throws {
        let object = Fixture.event([
            "type": "identify",
            "anonymous_id": "a1",
            "properties": ["p": 1],
            "traits": ["t": 2],
            "context": [
                "user_agent": "Mozilla", "synthetic": false, "consent_category": "marketing",
                "connection_id": "k9", "app_id": "app", "environment": "staging",
            ],
        ])
        let event = try #require(Fixture.validate(object).success)
        #expect(event.messageID == "m1" && event.workspaceID == "ws_1" && event.sourceID == "web")
        #expect(event.customerID == "c1" && event.anonymousID == "a1" && event.contactKey == "c1")
        #expect(event.properties == ["p": 1] && event.traits == ["t": 2])
        #expect(event.context == EventContext(
            userAgent: "Mozilla", environment: "staging", synthetic: false,
            consentCategory: "marketing", connectionID: "k9", appID: "app"
        ))
        #expect(event.object == object)
    }

    @Test func contextDefaultsWhenAbsentOrNull() throws {
        let bare = try #require(Fixture.validate(Fixture.track).success)
        #expect(bare.context == EventContext())
        #expect(bare.context.environment == "production" && bare.context.synthetic == false)
        let nulls = try #require(Fixture.validate(Fixture.event(["context": ["environment": .null, "synthetic": .null]])).success)
        #expect(nulls.context == EventContext())
        #expect(nulls.properties == nil && nulls.traits == nil)
    }

    /// Each context field lands in its own place, none at its default (a text user agent:
    /// not plain ASCII), and the first failing context field is the one reported.
    @Test func contextFieldsReadEachIntoItsPlace() throws {
        let context: JSONValue = [
            "user_agent": "Møzilla", "synthetic": true, "consent_category": "analytics",
            "connection_id": "c7", "app_id": "a2", "environment": "dev",
        ]
        let event = try #require(Fixture.validate(Fixture.event(["context": context])).success)
        #expect(event.context == EventContext(
            userAgent: "Møzilla", environment: "dev", synthetic: true,
            consentCategory: "analytics", connectionID: "c7", appID: "a2"
        ))
        let order: [(String, JSONValue)] = [
            ("user_agent", 1), ("environment", 1), ("synthetic", "yes"), ("consent_category", 1),
            ("connection_id", 1), ("app_id", 1),
        ]
        for (index, (name, _)) in order.enumerated() {
            let bad = JSONObject(order[index...].map { JSONMember(key: $0.0, value: $0.1) })
            let failure = Fixture.validate(Fixture.event(["context": JSONValue.object(bad)])).failure
            #expect(failure?.reason == .invalidField && failure?.field == "context." + name)
        }
    }

    @Test func failuresCarryTheIdsWhenTheyAreStrings() {
        let failure = Fixture.validate(Fixture.event(["type": "Track"])).failure
        #expect(failure?.messageID == "m1" && failure?.workspaceID == "ws_1")
        let tooLong = String(repeating: "m", count: 200)
        let invalid = Fixture.validate(Fixture.event(["message_id": .string(tooLong)])).failure
        #expect(invalid?.messageID == tooLong)
        let numbers = Fixture.validate(Fixture.event(["message_id": 1, "workspace_id": 2])).failure
        #expect(numbers?.messageID == nil && numbers?.workspaceID == nil)
    }

    @Test func unknownWorkspaceFailureNamesTheWorkspace() throws {
        let event = try #require(Fixture.validate(Fixture.track).success)
        let failure = ValidationFailure.unknownWorkspace(event)
        #expect(failure.reason == .unknownWorkspace && failure.messageID == "m1" && failure.workspaceID == "ws_1")
    }

    @Test func dlqReasonsHaveTheWordsOfTheSpec() {
        #expect(DLQReason.allCases.map(\.rawValue) == [
            "invalid_timestamp", "payload_too_large", "malformed_json", "too_deeply_nested", "missing_field", "invalid_field",
            "unknown_type", "workspace_mismatch", "missing_identity", "name_too_long", "unknown_workspace",
            "schema_mismatch",
        ])
    }
}
