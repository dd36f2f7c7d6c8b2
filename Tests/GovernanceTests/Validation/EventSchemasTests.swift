import Governance
import JSON
import Testing

/// Stage 10 of SPEC §6 and the `schemas` member of the workspace config (§5).
@Suite struct EventSchemasTests {
    static let config: JSONValue = [
        "order_placed": [
            "required": ["order_id", "amount"],
            "properties": ["order_id": "string", "amount": "number", "items": "integer", "paid": "boolean",
                           "address": "object", "tags": "array"],
        ],
        "page_view": ["required": ["path"]],
    ]

    func schemas() throws -> EventSchemas { try EventSchemas(parsing: Self.config) }

    func event(_ properties: JSONObject?, name: JSONValue = "order_placed", type: JSONValue = "track") throws -> RawEvent {
        var changes: JSONObject = ["event": name, "type": type]
        if let properties { changes["properties"] = .object(properties) }
        var object = Fixture.track
        for member in changes { object[member.key] = member.value }
        return try #require(Fixture.validate(object).success)
    }

    @Test func parsesRequiredAndTypedPropertiesInOrder() throws {
        let schema = try #require(try schemas()["order_placed"])
        #expect(schema.required == ["order_id", "amount"])
        #expect(schema.properties.map(\.name) == ["order_id", "amount", "items", "paid", "address", "tags"])
        #expect(schema.properties.map(\.type) == [.string, .number, .integer, .boolean, .object, .array])
    }

    @Test func absentOrNullSchemasMeanNone() throws {
        #expect(try EventSchemas(parsing: nil) == EventSchemas())
        #expect(try EventSchemas(parsing: .null) == EventSchemas())
        #expect(try EventSchemas(parsing: ["e": [:]])["e"] == EventSchema())
        #expect(try EventSchemas(parsing: ["e": ["required": .null, "properties": .null]])["e"] == EventSchema())
    }

    @Test func repeatedRequiredNamesCountOnce() throws {
        #expect(try EventSchemas(parsing: ["e": ["required": ["a", "b", "a"]]])["e"]?.required == ["a", "b"])
    }

    @Test(arguments: [
        ("[]", "schemas"),
        (#"{"e":[]}"#, "schemas.e"),
        (#"{"e":{"required":"a"}}"#, "schemas.e.required"),
        (#"{"e":{"required":["a",1]}}"#, "schemas.e.required[1]"),
        (#"{"e":{"properties":["a"]}}"#, "schemas.e.properties"),
        (#"{"e":{"properties":{"a":"float"}}}"#, "schemas.e.properties.a"),
        (#"{"e":{"properties":{"a":"String"}}}"#, "schemas.e.properties.a"),
        (#"{"e":{"properties":{"a":null}}}"#, "schemas.e.properties.a"),
        (#"{"e":{"requried":["a"]}}"#, "schemas.e.requried"),
    ])
    func invalidSchemaDefinitionsAreReportedWithTheirPath(text: String, path: String) throws {
        let value = try JSONParser.parse(text).value
        #expect(throws: SchemaDefinitionError.self) { try EventSchemas(parsing: value) }
        do {
            _ = try EventSchemas(parsing: value)
        } catch {
            #expect(error.path == path)
        }
    }

    @Test func anEventWithoutASchemaPasses() throws {
        #expect(try schemas().check(try event(nil, name: "other")) == nil)
    }

    @Test func aConformingEventPasses() throws {
        let properties: JSONObject = ["order_id": "o1", "amount": .double(12.5), "items": 2,
                                      "paid": true, "address": ["city": "x"], "tags": ["a"], "extra": .null]
        #expect(try schemas().check(try event(properties)) == nil)
    }

    @Test func aMissingRequiredPropertyIsSchemaMismatch() throws {
        let failure = try #require(try schemas().check(try event(["order_id": "o1"])))
        #expect(failure.reason == .schemaMismatch)
        #expect(failure.detail == "event 'order_placed': missing required property 'amount'")
        #expect(failure.messageID == "m1" && failure.workspaceID == "ws_1" && failure.field == nil)
    }

    @Test func noPropertiesObjectMeansEveryRequiredPropertyIsMissing() throws {
        let failure = try #require(try schemas().check(try event(nil)))
        #expect(failure.detail == "event 'order_placed': missing required property 'order_id'; missing required property 'amount'")
    }

    @Test func aRequiredPropertyThatIsNullIsMissingOnce() throws {
        let failure = try #require(try schemas().check(try event(["order_id": "o1", "amount": .null])))
        #expect(failure.detail == "event 'order_placed': missing required property 'amount'")
    }

    @Test func aTypedPropertyThatIsNullIsAMismatch() throws {
        let failure = try #require(try schemas().check(try event(["order_id": "o1", "amount": 1, "paid": .null])))
        #expect(failure.detail == "event 'order_placed': property 'paid' expected boolean, got null")
    }

    @Test func aTypedPropertyOfAnotherTypeIsAMismatchAndAllProblemsAreListed() throws {
        let failure = try #require(try schemas().check(try event(["order_id": 7, "amount": "12", "tags": ["k": 1]])))
        #expect(failure.detail == "event 'order_placed': property 'order_id' expected string, got number; "
            + "property 'amount' expected number, got string; property 'tags' expected array, got object")
    }

    @Test func integerAcceptsNumbersWithoutFraction() throws {
        for integral in ["2", "-3", "2.0", "2e3", "1E2", "12345678901234567890"] {
            let number = JSONValue.number(JSONNumber(text: integral))
            #expect(PropertyType.integer.matches(number), "\(integral)")
            #expect(PropertyType.number.matches(number))
        }
        for fractional in ["2.5", "-0.1", "1e-2"] {
            #expect(!PropertyType.integer.matches(.number(JSONNumber(text: fractional))), "\(fractional)")
        }
        #expect(!PropertyType.integer.matches("2"))
    }

    @Test func eachTypeMatchesOnlyItsJSONType() {
        let samples: [(JSONValue, PropertyType?)] = [
            ("s", .string), (true, .boolean), (["k": 1], .object), ([1], .array), (.null, nil),
        ]
        for (value, type) in samples {
            for candidate in PropertyType.allCases where candidate != .number && candidate != .integer {
                #expect(candidate.matches(value) == (candidate == type))
            }
            #expect(!PropertyType.number.matches(value) && !PropertyType.integer.matches(value))
        }
    }

    @Test func implicitNamesCanHaveSchemas() throws {
        let failure = try schemas().check(try event(nil, name: .null, type: "page"))
        #expect(failure?.detail == "event 'page_view': missing required property 'path'")
    }

    @Test func theTrimmedNameSelectsTheSchema() throws {
        #expect(try schemas().check(try event(nil, name: " order_placed ")) != nil)
    }
}
