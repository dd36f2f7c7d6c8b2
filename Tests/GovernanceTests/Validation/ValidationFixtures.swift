import Governance
import JSON

/// Raw-event values for validation tests: a valid track event, and edits of it.
enum Fixture {
    /// A valid `track` event of workspace `ws_1`.
    static let track: JSONObject = [
        "message_id": "m1",
        "workspace_id": "ws_1",
        "source_id": "web",
        "type": "track",
        "event": "order_placed",
        "customer_id": "c1",
    ]

    /// `track` with members set (`nil` removes a member).
    static func event(_ changes: KeyValuePairs<String, JSONValue?> = [:], base: JSONObject = track) -> JSONObject {
        var object = base
        for (key, value) in changes { object[key] = value }
        return object
    }

    static func bytes(_ object: JSONObject) -> [UInt8] { JSONValue.object(object).serializedBytes }

    static func validate(_ object: JSONObject, key: String? = "ws_1") -> Result<RawEvent, ValidationFailure> {
        EventValidator.validate(value: bytes(object), key: key)
    }

    static func validate(text: String, key: String? = "ws_1") -> Result<RawEvent, ValidationFailure> {
        EventValidator.validate(value: Array(text.utf8), key: key)
    }

    /// A JSON value whose containers nest `depth` levels (0 is a scalar).
    static func nested(depth: Int, arrays: Bool = false) -> JSONValue {
        var value: JSONValue = 1
        for _ in 0..<depth { value = arrays ? [value] : ["k": value] }
        return value
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }

    var success: Success? {
        if case .success(let success) = self { return success }
        return nil
    }
}
