/// Why a record goes to `events-dlq` with verdict `dlq` (SPEC §6, stages 1–10, and
/// stage 0, the record's timestamp). The raw values are the words written to output
/// records; the order of the cases is the order of the stages, the first failing
/// stage deciding.
public enum DLQReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stage 0: the Kafka timestamp is outside `StreamTimeRange` (negative, −1 for
    /// none, or after 9999-12-31), so no time rule can place the record.
    case invalidTimestamp = "invalid_timestamp"
    /// Stage 1: the value is over 32,768 bytes (checked before parsing).
    case payloadTooLarge = "payload_too_large"
    /// Stage 2: not UTF-8 JSON, top level not an object, or no value at all.
    case malformedJSON = "malformed_json"
    /// Stage 3: an object or array at depth 11 or deeper.
    case tooDeeplyNested = "too_deeply_nested"
    /// Stage 4: a required field is absent or `null` (with `field`).
    case missingField = "missing_field"
    /// Stage 4 (and 8 for an empty event name): wrong JSON type or length out of bounds (with `field`).
    case invalidField = "invalid_field"
    /// Stage 5: `type` is not one of the nine event types (case-sensitive).
    case unknownType = "unknown_type"
    /// Stage 6: the record key is present and differs from `workspace_id`.
    case workspaceMismatch = "workspace_mismatch"
    /// Stage 7: no non-empty identity after trimming.
    case missingIdentity = "missing_identity"
    /// Stage 8: the trimmed event name is over 128 characters.
    case nameTooLong = "name_too_long"
    /// Stage 9: no config is known for the workspace (replayable once it exists).
    case unknownWorkspace = "unknown_workspace"
    /// Stage 10: the event breaks the schema its workspace defined for its name.
    case schemaMismatch = "schema_mismatch"

    /// True for the reasons that name the offending field in `field`.
    public var hasField: Bool { self == .missingField || self == .invalidField }
}
