import JSON

/// Stages 1–8 of SPEC §6 for one `raw-events` record: from the record's value
/// bytes and key to a `RawEvent`, or the first failing stage's `ValidationFailure`.
/// Stage 9 (`unknown_workspace`) needs the config table and stage 10
/// (`schema_mismatch`) the workspace's `EventSchemas`; the engine runs them next.
///
/// The value is parsed once, straight from its bytes; the fields are then read
/// from the parsed object without copying it.
public enum EventValidator {
    /// Values over this many bytes are `payload_too_large` (stage 1).
    public static let maxPayloadBytes = Payload.maxBytes
    /// The deepest allowed nesting, the top-level object being 1 (stage 3).
    public static let maxDepth = Payload.maxDepth
    /// The longest allowed trimmed event name, in Unicode scalars (stage 8).
    public static let maxNameLength = 128

    /// Validates a record. `value` nil (a tombstone) is `malformed_json`; `key` nil
    /// means the record has no key, so stage 6 has nothing to compare (an empty key
    /// is a key, and never equals a valid `workspace_id`).
    public static func validate(value: [UInt8]?, key: String?) -> Result<RawEvent, ValidationFailure> {
        let object: JSONObject
        let isCompact: Bool
        switch Payload.document(from: value) {
        case .success(let parsed): (object, isCompact) = parsed
        case .failure(let failure): return .failure(failure)
        }
        func failure(_ reason: DLQReason, field: String? = nil, _ detail: String) -> Result<RawEvent, ValidationFailure> {
            .failure(ValidationFailure(reason, field: field, detail: detail, about: object))
        }

        // Stage 4: missing_field / invalid_field.
        let fields: EventFields
        do {
            fields = try EventFields(object)
        } catch {
            return failure(error.reason, field: error.field, error.detail)
        }
        // Stage 5: unknown_type.
        guard let type = fields.knownType else {
            return failure(.unknownType, "unknown type '\(fields.type)' (types are case-sensitive)")
        }
        // Stage 6: workspace_mismatch.
        if let key, !key.utf8.elementsEqual(fields.workspaceID.utf8) {  // bytes, as Kafka partitions
            return failure(.workspaceMismatch, "record key '\(key)' differs from workspace_id '\(fields.workspaceID)'")
        }
        // Stage 7: missing_identity.
        let customerID = fields.customerID.map(Text.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        let anonymousID = fields.anonymousID.map(Text.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        guard let contactKey = customerID ?? anonymousID else {
            return failure(.missingIdentity, "customer_id and anonymous_id are both absent, null or empty after trimming")
        }
        // Stage 8: name_too_long, or invalid_field `event` when empty after trimming.
        let name: String
        if let implicitName = type.implicitName {
            name = implicitName
        } else {
            // Stage 4 made `event` present for the explicit types.
            name = Text.trimmed(fields.event ?? "")
            if name.isEmpty {
                return failure(.invalidField, field: "event", "the event name is empty after trimming")
            }
            if Text.isLonger(name, than: maxNameLength) {
                return failure(
                    .nameTooLong,
                    "the event name is \(Text.scalarCount(name)) characters, over the limit of \(maxNameLength)"
                )
            }
        }
        return .success(RawEvent(
            messageID: fields.messageID,
            workspaceID: fields.workspaceID,
            sourceID: fields.sourceID,
            type: type,
            name: name,
            customerID: customerID,
            anonymousID: anonymousID,
            contactKey: contactKey,
            properties: fields.properties,
            traits: fields.traits,
            context: fields.context,
            object: object,
            compactBytes: isCompact ? value : nil
        ))
    }
}
