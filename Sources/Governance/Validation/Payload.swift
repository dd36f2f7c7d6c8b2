import JSON

/// Stages 1–3 of SPEC §6, shared by raw events and outbound messages: size, then
/// JSON syntax and a top-level object, then nesting depth. The value is parsed
/// exactly once, straight from its bytes.
enum Payload {
    /// Values over this many bytes are `payload_too_large`, before any parsing.
    static let maxBytes = 32_768
    /// The deepest allowed object/array nesting; the top-level object is depth 1.
    static let maxDepth = 10

    static func object(from value: [UInt8]?) -> Result<JSONObject, ValidationFailure> {
        document(from: value).map(\.object)
    }

    /// The parsed object and whether `value` is exactly its compact serialization.
    static func document(from value: [UInt8]?) -> Result<(object: JSONObject, isCompact: Bool), ValidationFailure> {
        guard let value else {
            return .failure(ValidationFailure(reason: .malformedJSON, detail: "the record has no value (null)"))
        }
        if value.count > maxBytes {
            return .failure(ValidationFailure(
                reason: .payloadTooLarge,
                detail: "value is \(value.count) bytes, over the limit of \(maxBytes)"
            ))
        }
        let document: JSONDocument
        do {
            document = try JSONParser.parse(value)
        } catch {
            switch error.kind {
            case .malformed:
                return .failure(ValidationFailure(reason: .malformedJSON, detail: "not JSON: \(error)"))
            case .tooDeep:
                // Valid syntax nested beyond what the parser builds: stage 2 still
                // needs the top level to be an object.
                guard firstByte(of: value) == UInt8(ascii: "{") else { return .failure(notAnObject(topLevel: "array")) }
                return .failure(ValidationFailure(
                    reason: .tooDeeplyNested,
                    detail: "nested more than \(JSONParser.buildDepthLimit) levels deep, over the limit of \(maxDepth)"
                ))
            }
        }
        guard case .object(let object) = document.value else {
            return .failure(notAnObject(topLevel: document.value.typeName))
        }
        if document.depth > maxDepth {
            return .failure(ValidationFailure(
                reason: .tooDeeplyNested,
                detail: "nested \(document.depth) levels deep, over the limit of \(maxDepth)",
                messageID: object["message_id"]?.stringValue,
                workspaceID: object["workspace_id"]?.stringValue
            ))
        }
        return .success((object, document.isCompact))
    }

    private static func notAnObject(topLevel: String) -> ValidationFailure {
        ValidationFailure(reason: .malformedJSON, detail: "the top-level value is of type \(topLevel), not an object")
    }

    private static func firstByte(of bytes: [UInt8]) -> UInt8? {
        bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
    }
}
