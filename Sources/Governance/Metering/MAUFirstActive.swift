import JSON

/// The moment a contact starts counting for a month in `active_events` mode: the
/// transparency trail of who counted and why (SPEC §8), a `usage` record.
public struct MAUFirstActive: Sendable, Equatable {
    public var workspaceID: String
    /// `YYYY-MM`.
    public var month: String
    public var contactKey: String
    public var event: String
    public var messageID: String

    public init(workspaceID: String, month: String, contactKey: String, event: String, messageID: String) {
        self.workspaceID = workspaceID
        self.month = month
        self.contactKey = contactKey
        self.event = event
        self.messageID = messageID
    }

    /// The `usage` record value, field names of SPEC §12.2.
    public var json: JSONValue {
        [
            "kind": "mau_first_active",
            "workspace_id": .string(workspaceID),
            "month": .string(month),
            "contact_key": .string(contactKey),
            "event": .string(event),
            "message_id": .string(messageID),
        ]
    }
}
