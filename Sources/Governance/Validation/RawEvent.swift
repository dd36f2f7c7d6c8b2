import JSON

/// A raw event that passed validation stages 1–8 (SPEC §6): the typed fields
/// the later stages need, read once from a member scan of the value, plus the
/// value's bytes so that `events-accepted` can carry the event as received.
///
/// Made by its memberwise init (validation): an `init` assigning each property built the
/// event aside, copied it out and destroyed it (~900 instructions per event).
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
    /// `properties` when present and not `null`, parsed from the value's bytes on each access.
    public var properties: JSONObject? { member(at: propertiesRange) }
    /// `traits` when present and not `null` (raw; the trait governor cleans them),
    /// parsed from the value's bytes on each access.
    public var traits: JSONObject? { member(at: traitsRange) }
    public var context: EventContext
    /// The value's bytes, as received.
    public let bytes: [UInt8]
    /// The whole top-level object as received (member order and number text kept),
    /// parsed from `bytes` on each access: the stages read the typed fields, and
    /// `events-accepted` copies the bytes when it can.
    public var object: JSONObject { (try? JSONParser.parse(bytes).value.objectValue) ?? JSONObject() }
    /// The value's bytes when they are exactly `object`'s compact serialization, so
    /// `events-accepted` can copy them instead of writing the object again.
    public var compactBytes: [UInt8]? { isCompact ? bytes : nil }
    let isCompact: Bool
    /// Where `properties` and `traits` are in `bytes`.
    let propertiesRange: Range<Int>?
    let traitsRange: Range<Int>?
    /// How `events-accepted` may extend `compactBytes` (derived at validation).
    var splice: AcceptedSplice = .rewrite

    /// The object at `range` of `bytes` (checked when the event was validated).
    private func member(at range: Range<Int>?) -> JSONObject? {
        guard let range else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            (try? JSONParser.parse(UnsafeBufferPointer(rebasing: buffer[range])))?.value.objectValue
        }
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

/// Whether the `events-accepted` record of an event can be its compact bytes with
/// members appended, read off the members once at validation.
enum AcceptedSplice: Sendable {
    /// The record changes or repeats a received member: it is serialized in full.
    case rewrite
    /// The received members stay as they are; `contact_key` and the rest follow.
    case append
    /// As `append`, with the implicit `event` name written first (none was received).
    case appendEvent
}

extension RawEvent {
    /// Equal events have equal fields and objects (whatever their bytes' spacing);
    /// `compactBytes` and `splice` are derived, so they take no part.
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
