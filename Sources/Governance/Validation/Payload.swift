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
        if let failure = sizeFailure(value) { return .failure(failure) }
        let value = value!
        let document: JSONDocument
        do {
            document = try JSONParser.parse(value)
        } catch {
            return .failure(parseFailure(error, value))
        }
        guard case .object(let object) = document.value else {
            return .failure(notAnObject(topLevel: document.value.typeName))
        }
        if document.depth > maxDepth {
            return .failure(tooDeep(document.depth, messageID: object["message_id"]?.stringValue,
                                    workspaceID: object["workspace_id"]?.stringValue))
        }
        return .success((object, document.isCompact))
    }

    /// Stages 1–3 as `document(from:)` decides them, reading only the top-level
    /// members `names` lists (`JSONParser.scanFields`): the same failures, without
    /// building the object. `ids` are the slots of `message_id` and `workspace_id`.
    /// A `scanned` scan of exactly `value` for `names` stands for the scan.
    static func fields(from value: [UInt8]?, names: JSONFieldNames, ids: (messageID: Int, workspaceID: Int),
                       scanned: JSONFieldScan? = nil) -> Result<JSONFieldScan, ValidationFailure> {
        if let failure = sizeFailure(value) { return .failure(failure) }
        let value = value!
        let scan: JSONFieldScan
        if let scanned, scanned.isScan(for: names, of: value.count) {
            scan = scanned
        } else {
            do {
                scan = try value.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
                    try JSONParser.scanFields(buffer, names: names)
                }
            } catch {
                return .failure(parseFailure(error, value))
            }
        }
        guard scan.kind == .object else { return .failure(notAnObject(topLevel: scan.kind.name)) }
        if scan.depth > maxDepth {
            return .failure(tooDeep(scan.depth, messageID: scan.field(ids.messageID)?.string(in: value),
                                    workspaceID: scan.field(ids.workspaceID)?.string(in: value)))
        }
        return .success(scan)
    }

    /// Stage 1, and a tombstone (no value) as `malformed_json`.
    private static func sizeFailure(_ value: [UInt8]?) -> ValidationFailure? {
        guard let value else {
            return ValidationFailure(reason: .malformedJSON, detail: "the record has no value (null)")
        }
        if value.count > maxBytes {
            return ValidationFailure(
                reason: .payloadTooLarge,
                detail: "value is \(value.count) bytes, over the limit of \(maxBytes)"
            )
        }
        return nil
    }

    /// Stage 2 (or 3, for a document too deep to build) for bytes the parser refused.
    private static func parseFailure(_ error: JSONParseError, _ value: [UInt8]) -> ValidationFailure {
        switch error.kind {
        case .malformed:
            return ValidationFailure(reason: .malformedJSON, detail: "not JSON: \(error)")
        case .tooDeep:
            // Valid syntax nested beyond what the parser builds: stage 2 still
            // needs the top level to be an object.
            guard firstByte(of: value) == UInt8(ascii: "{") else { return notAnObject(topLevel: "array") }
            return ValidationFailure(
                reason: .tooDeeplyNested,
                detail: "nested more than \(JSONParser.buildDepthLimit) levels deep, over the limit of \(maxDepth)"
            )
        }
    }

    private static func tooDeep(_ depth: Int, messageID: String?, workspaceID: String?) -> ValidationFailure {
        ValidationFailure(
            reason: .tooDeeplyNested,
            detail: "nested \(depth) levels deep, over the limit of \(maxDepth)",
            messageID: messageID,
            workspaceID: workspaceID
        )
    }

    private static func notAnObject(topLevel: String) -> ValidationFailure {
        ValidationFailure(reason: .malformedJSON, detail: "the top-level value is of type \(topLevel), not an object")
    }

    private static func firstByte(of bytes: [UInt8]) -> UInt8? {
        bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
    }
}
