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

    /// `json` serialized, written directly: one record per contact and month, so a
    /// busy path (building and serializing the object cost ~9,000 instructions).
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter(capacity: 112 + workspaceID.utf8.count + contactKey.utf8.count + event.utf8.count
            + messageID.utf8.count)
        writer.writeRaw(#"{"kind":"mau_first_active","workspace_id":"#)
        writer.writeString(workspaceID)
        writer.writeRaw(#","month":"#)
        writer.writeString(month)
        writer.writeRaw(#","contact_key":"#)
        writer.writeString(contactKey)
        writer.writeRaw(#","event":"#)
        writer.writeString(event)
        writer.writeRaw(#","message_id":"#)
        writer.writeString(messageID)
        writer.writeRaw("}")
        return writer.bytes
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
