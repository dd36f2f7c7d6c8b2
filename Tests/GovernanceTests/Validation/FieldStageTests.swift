import Governance
import JSON
import Testing

/// Stage 4 of SPEC §6: missing_field / invalid_field, with `field`, in a fixed order.
@Suite struct FieldStageTests {
    func expectFailure(
        _ object: JSONObject,
        _ reason: DLQReason,
        field: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let failure = Fixture.validate(object).failure
        #expect(failure?.reason == reason, sourceLocation: sourceLocation)
        #expect(failure?.field == field, sourceLocation: sourceLocation)
    }

    @Test(arguments: ["message_id", "workspace_id", "source_id", "type", "event"])
    func aRequiredFieldThatIsAbsentOrNullIsMissing(field: String) {
        expectFailure(Fixture.event([field: nil]), .missingField, field: field)
        expectFailure(Fixture.event([field: .some(.null)]), .missingField, field: field)
    }

    @Test(arguments: ["message_id", "workspace_id", "source_id", "type", "event", "customer_id", "anonymous_id"])
    func aStringFieldOfAnotherJSONTypeIsInvalid(field: String) {
        for wrong: JSONValue in [1, true, ["x"], ["k": "v"]] {
            expectFailure(Fixture.event([field: wrong]), .invalidField, field: field)
        }
    }

    @Test func messageIDIs1To128Characters() {
        #expect(Fixture.validate(Fixture.event(["message_id": .string(String(repeating: "m", count: 128))])).success != nil)
        expectFailure(Fixture.event(["message_id": .string(String(repeating: "m", count: 129))]), .invalidField, field: "message_id")
        expectFailure(Fixture.event(["message_id": ""]), .invalidField, field: "message_id")
        #expect(Fixture.validate(Fixture.event(["message_id": "m"])).success != nil)
    }

    @Test func workspaceIDIs1To64Characters() {
        let ws64 = String(repeating: "w", count: 64)
        #expect(Fixture.validate(Fixture.event(["workspace_id": .string(ws64)]), key: ws64).success != nil)
        let ws65 = String(repeating: "w", count: 65)
        expectFailure(Fixture.event(["workspace_id": .string(ws65)]), .invalidField, field: "workspace_id")
        expectFailure(Fixture.event(["workspace_id": ""]), .invalidField, field: "workspace_id")
    }

    @Test func sourceIDIs1To128Characters() {
        #expect(Fixture.validate(Fixture.event(["source_id": .string(String(repeating: "s", count: 128))])).success != nil)
        expectFailure(Fixture.event(["source_id": .string(String(repeating: "s", count: 129))]), .invalidField, field: "source_id")
        expectFailure(Fixture.event(["source_id": ""]), .invalidField, field: "source_id")
    }

    @Test func lengthsCountUnicodeScalars() {
        // 128 two-byte, three-byte and four-byte scalars pass; 129 do not.
        for scalar in ["é", "名", "😀"] {
            #expect(Fixture.validate(Fixture.event(["message_id": .string(String(repeating: scalar, count: 128))])).success != nil)
            expectFailure(
                Fixture.event(["message_id": .string(String(repeating: scalar, count: 129))]),
                .invalidField,
                field: "message_id"
            )
        }
        // A decomposed é is two scalars: 64 of them are 128 characters.
        #expect(Fixture.validate(Fixture.event(["message_id": .string(String(repeating: "e\u{301}", count: 64))])).success != nil)
        expectFailure(Fixture.event(["message_id": .string(String(repeating: "e\u{301}", count: 64) + "x")]), .invalidField, field: "message_id")
    }

    @Test func idsAreNotTrimmed() {
        let event = Fixture.validate(Fixture.event(["message_id": " m1 ", "source_id": " web"])).success
        #expect(event?.messageID == " m1 ")
        #expect(event?.sourceID == " web")
        #expect(Fixture.validate(Fixture.event(["workspace_id": " ws_1"])).failure?.reason == .workspaceMismatch)
    }

    @Test func eventIsRequiredForTrackAndConnectionOnly() {
        expectFailure(Fixture.event(["event": nil]), .missingField, field: "event")
        let connection = Fixture.event(["type": "connection", "event": nil, "context": ["connection_id": "k1"]])
        expectFailure(connection, .missingField, field: "event")
        for type in EventType.allCases where type.implicitName != nil {
            #expect(Fixture.validate(Fixture.event(["type": .string(type.rawValue), "event": nil])).success != nil)
        }
    }

    @Test func eventOfAnotherJSONTypeIsInvalidForImplicitTypesToo() {
        expectFailure(Fixture.event(["type": "page", "event": 5]), .invalidField, field: "event")
    }

    @Test func timestampIsAStringOrANumber() {
        for ok: JSONValue in ["2024-01-01T00:00:00Z", "anything", 1_700_000_000, .double(1.5), .null] {
            #expect(Fixture.validate(Fixture.event(["timestamp": ok])).success != nil)
        }
        for wrong: JSONValue in [true, ["x"], ["k": 1]] {
            expectFailure(Fixture.event(["timestamp": wrong]), .invalidField, field: "timestamp")
        }
    }

    @Test(arguments: ["properties", "traits", "context"])
    func propertiesTraitsAndContextAreObjects(field: String) {
        #expect(Fixture.validate(Fixture.event([field: [:]])).success != nil)
        #expect(Fixture.validate(Fixture.event([field: .some(.null)])).success != nil)
        for wrong: JSONValue in ["x", 1, false, [1]] {
            expectFailure(Fixture.event([field: wrong]), .invalidField, field: field)
        }
    }

    @Test(arguments: ["user_agent", "environment", "consent_category", "connection_id", "app_id"])
    func contextStringMembersAreStrings(member: String) {
        #expect(Fixture.validate(Fixture.event(["context": [member: "x"]])).success != nil)
        #expect(Fixture.validate(Fixture.event(["context": [member: .null]])).success != nil)
        expectFailure(Fixture.event(["context": [member: 1]]), .invalidField, field: "context." + member)
    }

    @Test func contextSyntheticIsABoolean() {
        #expect(Fixture.validate(Fixture.event(["context": ["synthetic": true]])).success?.context.synthetic == true)
        expectFailure(Fixture.event(["context": ["synthetic": "true"]]), .invalidField, field: "context.synthetic")
        expectFailure(Fixture.event(["context": ["synthetic": 1]]), .invalidField, field: "context.synthetic")
    }

    @Test func contextConnectionIDIsRequiredAndNonEmptyForConnectionEvents() {
        let connect = Fixture.event(["type": "connection", "event": "connect"])
        expectFailure(connect, .missingField, field: "context.connection_id")
        expectFailure(Fixture.event(["context": [:]], base: connect), .missingField, field: "context.connection_id")
        expectFailure(Fixture.event(["context": ["connection_id": .null]], base: connect), .missingField, field: "context.connection_id")
        expectFailure(Fixture.event(["context": ["connection_id": ""]], base: connect), .invalidField, field: "context.connection_id")
        let event = Fixture.validate(Fixture.event(["context": ["connection_id": "k1"]], base: connect)).success
        #expect(event?.context.connectionID == "k1")
        // Other types may omit it or send an empty one.
        #expect(Fixture.validate(Fixture.event(["context": ["connection_id": ""]])).success != nil)
    }

    @Test func unknownMembersAreAllowedAndKept() {
        let event = Fixture.validate(Fixture.event(["extra": [1, 2], "context": ["locale": "fr", "ip": 1]])).success
        #expect(event?.object["extra"] == [1, 2])
    }

    /// The documented order: the earlier of two broken fields is reported.
    static let order: [(field: String, broken: KeyValuePairs<String, JSONValue?>)] = [
        ("message_id", ["message_id": nil]),
        ("workspace_id", ["workspace_id": 1]),
        ("source_id", ["source_id": ""]),
        ("type", ["type": nil]),
        ("event", ["event": 1]),
        ("customer_id", ["customer_id": 1]),
        ("anonymous_id", ["anonymous_id": 1]),
        ("timestamp", ["timestamp": true]),
        ("properties", ["properties": 1]),
        ("traits", ["traits": 1]),
        ("context", ["context": 1]),
        ("context.user_agent", ["context": ["user_agent": 1, "environment": 1]]),
        ("context.environment", ["context": ["environment": 1, "synthetic": 1]]),
        ("context.synthetic", ["context": ["synthetic": 1, "consent_category": 1]]),
        ("context.consent_category", ["context": ["consent_category": 1, "connection_id": 1]]),
        ("context.connection_id", ["context": ["connection_id": 1, "app_id": 1]]),
        ("context.app_id", ["context": ["app_id": 1]]),
    ]

    @Test func fieldsAreCheckedInTheDocumentedOrder() {
        for (index, first) in Self.order.enumerated() {
            // Alone, each breakage names its field.
            expectFailure(Fixture.event(first.broken), first.broken.first!.value == nil ? .missingField : .invalidField, field: first.field)
            for later in Self.order[(index + 1)...] where !later.field.hasPrefix("context.") {
                var object = Fixture.event(later.broken)
                for (key, value) in first.broken { object[key] = value }
                #expect(Fixture.validate(object).failure?.field == first.field, "\(first.field) before \(later.field)")
            }
        }
    }

    @Test func theMissingEventOfATrackComesAfterTypeAndBeforeCustomerID() {
        let object = Fixture.event(["event": nil, "customer_id": 1, "type": "track"])
        expectFailure(object, .missingField, field: "event")
        expectFailure(Fixture.event(["event": nil, "type": 1]), .invalidField, field: "type")
    }
}
