import JSON

/// Stages 1–8 of SPEC §6 for one `raw-events` record: from the record's value
/// bytes and key to a `RawEvent`, or the first failing stage's `ValidationFailure`.
/// Stage 9 (`unknown_workspace`) needs the config table and stage 10
/// (`schema_mismatch`) the workspace's `EventSchemas`; the engine runs them next.
///
/// The value is checked once, straight from its bytes, reading only the members
/// the stages use (`JSONParser.scanFields`); nothing else of it is built.
public enum EventValidator {
    /// Values over this many bytes are `payload_too_large` (stage 1).
    public static let maxPayloadBytes = Payload.maxBytes
    /// The deepest allowed nesting, the top-level object being 1 (stage 3).
    public static let maxDepth = Payload.maxDepth
    /// The longest allowed trimmed event name, in Unicode scalars (stage 8).
    public static let maxNameLength = 128
    /// The top-level members validation reads; a reader that scans a value for them
    /// (`JSONParser.scanMembers(_:fieldsOf:names:)`) can hand the scan to `validate`.
    public static var fieldNames: JSONFieldNames { EventFields.names }

    /// Validates a record. `value` nil (a tombstone) is `malformed_json`; `key` nil
    /// means the record has no key, so stage 6 has nothing to compare (an empty key
    /// is a key, and never equals a valid `workspace_id`).
    /// `scanned` is a field scan of `value` for `fieldNames` made while the value was
    /// read (`RecordLine.valueFields`); validation then does not scan it again, with the
    /// same results. A scan for other names or other bytes is ignored.
    public static func validate(value: [UInt8]?, key: String?, scanned: JSONFieldScan? = nil) -> Result<RawEvent, ValidationFailure> {
        do {
            return .success(try validated(value: value, key: key, scanned: scanned))
        } catch {
            return .failure(error)
        }
    }

    /// `validate` with the failure thrown: the event is made in the return, where a
    /// `Result` made it aside, then copied and destroyed it (~600 instructions). The
    /// engine calls this.
    static func validated(value: [UInt8]?, key: String?, scanned: JSONFieldScan? = nil) throws(ValidationFailure) -> RawEvent {
        let scan: JSONFieldScan
        switch Payload.fields(from: value, names: EventFields.names,
                              ids: (EventFields.slot(.messageID), EventFields.slot(.workspaceID)), scanned: scanned) {
        case .success(let scanned): scan = scanned
        case .failure(let failure): throw failure
        }
        let value = value!
        func failure(_ reason: DLQReason, field: String? = nil, _ detail: String) -> ValidationFailure {
            // The record's ids when they are strings (valid or not).
            ValidationFailure(reason: reason, field: field, detail: detail,
                              messageID: scan.field(EventFields.slot(.messageID))?.string(in: value),
                              workspaceID: scan.field(EventFields.slot(.workspaceID))?.string(in: value))
        }

        // Stage 4: missing_field / invalid_field.
        var fields: EventFields
        do {
            fields = try value.withUnsafeBufferPointer { (buffer) throws(FieldProblem) in try EventFields.read(scan, value: buffer, of: value) }
        } catch {
            throw failure(error.reason, field: error.field, error.detail)
        }
        // Stage 5: unknown_type.
        guard let type = fields.knownType else {
            throw failure(.unknownType, "unknown type '\(fields.type)' (types are case-sensitive)")
        }
        // Stage 6: workspace_mismatch.
        if let key, !Text.sameBytes(key, fields.workspaceID) {  // bytes, as Kafka partitions
            throw failure(.workspaceMismatch, "record key '\(key)' differs from workspace_id '\(fields.workspaceID)'")
        }
        // Stage 7: missing_identity.
        let customerID = fields.customerID.map(Text.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        let anonymousID = fields.anonymousID.map(Text.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        guard let contactKey = customerID ?? anonymousID else {
            throw failure(.missingIdentity, "customer_id and anonymous_id are both absent, null or empty after trimming")
        }
        // Stage 8: name_too_long, or invalid_field `event` when empty after trimming.
        let name: String
        if let implicitName = type.implicitName {
            name = implicitName
        } else {
            // Stage 4 made `event` present for the explicit types.
            name = Text.trimmed(fields.event ?? "")
            if name.isEmpty {
                throw failure(.invalidField, field: "event", "the event name is empty after trimming")
            }
            if Text.isLonger(name, than: maxNameLength) {
                throw failure(
                    .nameTooLong,
                    "the event name is \(Text.scalarCount(name)) characters, over the limit of \(maxNameLength)"
                )
            }
        }
        let splice = splice(fields, type: type, isCompact: scan.isCompact)
        return fields.moveIntoEvent(type: type, name: name, customerID: customerID, anonymousID: anonymousID,
                                    contactKey: contactKey, bytes: value, isCompact: scan.isCompact, splice: splice)
    }

    /// `.rewrite` when `events-accepted` would change a received member (an implicit
    /// type's different `event`) or write one the event already has, or the value is not compact.
    private static func splice(_ fields: EventFields, type: EventType, isCompact: Bool) -> AcceptedSplice {
        guard isCompact, !fields.hasAcceptedRecordMember else { return .rewrite }
        guard let implicitName = type.implicitName else { return .append }
        guard fields.hasEventMember else { return .appendEvent }
        return fields.event == implicitName ? .append : .rewrite
    }
}
