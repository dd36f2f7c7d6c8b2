import JSON

/// Why a record was dead-lettered, with what the DLQ record needs to say so
/// (SPEC §6.1): the reason, the offending field for `missing_field` /
/// `invalid_field`, a human-readable detail, and the ids when they could be read.
public struct ValidationFailure: Error, Sendable, Hashable {
    public var reason: DLQReason
    /// The field for `missing_field` / `invalid_field`, nested names joined with dots
    /// (`context.connection_id`); nil for the other reasons.
    public var field: String?
    /// A sentence for the DLQ reviewer.
    public var detail: String
    /// The value's `message_id` when the value parsed and it is a string (valid or not).
    public var messageID: String?
    /// The value's `workspace_id` when the value parsed and it is a string (valid or not).
    public var workspaceID: String?

    public init(reason: DLQReason, field: String? = nil, detail: String, messageID: String? = nil, workspaceID: String? = nil) {
        self.reason = reason
        self.field = field
        self.detail = detail
        self.messageID = messageID
        self.workspaceID = workspaceID
    }

    /// A failure of the parsed record `object`, with its ids when they are strings.
    init(_ reason: DLQReason, field: String?, detail: String, about object: JSONObject) {
        self.init(reason: reason, field: field, detail: detail, messageID: object["message_id"]?.stringValue,
                  workspaceID: object["workspace_id"]?.stringValue)
    }

    /// Stage 9, decided by the engine's config lookup for an otherwise valid event.
    public static func unknownWorkspace(_ event: RawEvent) -> ValidationFailure {
        ValidationFailure(
            reason: .unknownWorkspace,
            detail: "no config for workspace '\(event.workspaceID)'",
            messageID: event.messageID,
            workspaceID: event.workspaceID
        )
    }

    /// Stage 9 for an outbound message.
    public static func unknownWorkspace(_ message: OutboundMessage) -> ValidationFailure {
        ValidationFailure(
            reason: .unknownWorkspace,
            detail: "no config for workspace '\(message.workspaceID)'",
            messageID: message.messageID,
            workspaceID: message.workspaceID
        )
    }
}
