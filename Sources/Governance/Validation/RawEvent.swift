import JSON

/// A raw event that passed validation stages 1–8 (SPEC §6): the typed fields
/// the later stages need, read once from the parsed value, plus the parsed value
/// itself so that `events-accepted` can carry the event as received.
public struct RawEvent: Sendable, Hashable {
    /// `message_id`, 1–128 characters, verbatim (not trimmed): the dedup key.
    public var messageID: String
    /// `workspace_id`, 1–64 characters, verbatim; equals the record key when there is one.
    public var workspaceID: String
    /// `source_id`, 1–128 characters, verbatim.
    public var sourceID: String
    public var type: EventType
    /// The event name: the trimmed `event` for `track` and `connection` (1–128
    /// characters), the implicit name for the other types (a received `event` is
    /// ignored for them). This is the name that is checked, registered and counted.
    public var name: String
    /// `customer_id` trimmed; nil when absent, `null` or empty after trimming.
    public var customerID: String?
    /// `anonymous_id` trimmed; nil when absent, `null` or empty after trimming.
    public var anonymousID: String?
    /// The identity key `coalesce(nullIf(trim(customer_id), ''), trim(anonymous_id))`,
    /// never empty.
    public var contactKey: String
    /// `properties` when present and not `null`.
    public var properties: JSONObject?
    /// `traits` when present and not `null` (raw; the trait governor cleans them).
    public var traits: JSONObject?
    public var context: EventContext
    /// The whole top-level object as received (member order and number text kept).
    public var object: JSONObject
    /// The value's bytes when they are exactly `object`'s compact serialization, so
    /// `events-accepted` can copy them instead of writing the object again.
    public var compactBytes: [UInt8]?

    public init(
        messageID: String,
        workspaceID: String,
        sourceID: String,
        type: EventType,
        name: String,
        customerID: String?,
        anonymousID: String?,
        contactKey: String,
        properties: JSONObject?,
        traits: JSONObject?,
        context: EventContext,
        object: JSONObject,
        compactBytes: [UInt8]? = nil
    ) {
        self.messageID = messageID
        self.workspaceID = workspaceID
        self.sourceID = sourceID
        self.type = type
        self.name = name
        self.customerID = customerID
        self.anonymousID = anonymousID
        self.contactKey = contactKey
        self.properties = properties
        self.traits = traits
        self.context = context
        self.object = object
        self.compactBytes = compactBytes
    }

    /// The event as received with `event` set to the implicit name for the
    /// implicit types (replacing any received `event`, in place) and, when
    /// `cleanedTraits` is given, `traits` replaced by them (SPEC §12.2,
    /// events-accepted). `track` and `connection` keep their `event` as received.
    public func acceptedObject(cleanedTraits: JSONObject?) -> JSONObject {
        var result = object
        if type.implicitName != nil { result["event"] = .string(name) }
        if let cleanedTraits { result["traits"] = .object(cleanedTraits) }
        return result
    }
}

extension RawEvent {
    /// Equal events have equal fields and objects; `compactBytes` is derived from
    /// `object` (or absent), so it takes no part.
    public static func == (lhs: RawEvent, rhs: RawEvent) -> Bool {
        lhs.messageID == rhs.messageID && lhs.workspaceID == rhs.workspaceID && lhs.sourceID == rhs.sourceID
            && lhs.type == rhs.type && lhs.name == rhs.name && lhs.customerID == rhs.customerID
            && lhs.anonymousID == rhs.anonymousID && lhs.contactKey == rhs.contactKey && lhs.properties == rhs.properties
            && lhs.traits == rhs.traits && lhs.context == rhs.context && lhs.object == rhs.object
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(messageID)
        hasher.combine(workspaceID)
        hasher.combine(object)
    }
}
