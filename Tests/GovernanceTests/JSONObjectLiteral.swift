import JSON

/// Test-only: lets tests write a `JSONObject` as a dictionary literal, in order,
/// as `JSONValue` already allows.
extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { JSONMember(key: $0.0, value: $0.1) })
    }
}
