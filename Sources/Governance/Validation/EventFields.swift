import JSON

/// Stage 4 of SPEC §6 for a raw event: every field of §4 read and checked in one
/// fixed order, so that the first failing field is the one reported:
/// `message_id`, `workspace_id`, `source_id`, `type`, `event`, `customer_id`,
/// `anonymous_id`, `timestamp`, `properties`, `traits`, `context`, then
/// `context.user_agent`, `context.environment`, `context.synthetic`,
/// `context.consent_category`, `context.connection_id`, `context.app_id`.
///
/// `type` only has to be a string here; whether it names a known type is stage 5.
/// When it does, it decides what else is required: `event` for `track` and
/// `connection`, `context.connection_id` (non-empty) for `connection`.
struct EventFields {
    static let messageIDLength = 1...128
    static let workspaceIDLength = 1...64
    static let sourceIDLength = 1...128

    /// The top-level members read, by slot (`Member`), and `context`'s (`ContextMember`)
    /// in the same pass.
    static let names = JSONFieldNames(Member.allCases.map(\.rawValue), nestedFieldsOf: Member.context.rawValue,
                                      names: contextNames)
    enum Member: String, CaseIterable {
        case messageID = "message_id", workspaceID = "workspace_id", sourceID = "source_id", type, event
        case customerID = "customer_id", anonymousID = "anonymous_id", timestamp, properties, traits, context
        // Written by `events-accepted` itself: their presence rules out the splice.
        case contactKey = "contact_key", governance, origin, streamTimeMs = "stream_time_ms", settledAtMs = "settled_at_ms"
    }
    static let contextNames = JSONFieldNames(ContextMember.allCases.map(\.rawValue))
    enum ContextMember: String, CaseIterable {
        case userAgent = "user_agent", environment, synthetic, consentCategory = "consent_category"
        case connectionID = "connection_id", appID = "app_id"
    }

    var messageID: String
    var workspaceID: String
    var sourceID: String
    var type: String
    /// `type` when it names one of the nine types.
    var knownType: EventType?
    /// `event` as received (untrimmed); nil when absent or `null`.
    var event: String?
    var customerID: String?
    var anonymousID: String?
    /// Where the `properties` object is in the value's bytes (absent or `null`: nil).
    var properties: Range<Int>?
    /// Where the `traits` object is in the value's bytes (absent or `null`: nil).
    var traits: Range<Int>?
    var context: EventContext
    /// Whether the object has an `event` member (any value, `null` included).
    var hasEventMember: Bool
    /// Whether the object has a member `events-accepted` writes itself
    /// (`contact_key`, `governance`, `origin`, `stream_time_ms`, `settled_at_ms`).
    var hasAcceptedRecordMember: Bool

    /// Reads the fields from a member scan with `names` of `value`.
    ///
    /// Every field is read into a local and the value made once, in the return, by the
    /// memberwise init: a throwing `init` built `self` aside, then copied it out and
    /// destroyed it (~550 instructions per event), and so did an `init` assigning each
    /// property (~700).
    /// `value` is `array`'s bytes (a plain ASCII user agent keeps `array` and its range).
    static func read(_ scan: JSONFieldScan, value: UnsafeBufferPointer<UInt8>, of array: [UInt8]) throws(FieldProblem)
        -> EventFields {
        func field(_ member: Member) -> ScannedField? {
            scan.field(Self.slot(member)).map { ScannedField(value: $0, bytes: value) }
        }
        let hasEventMember = field(.event) != nil
        let hasAcceptedRecordMember = field(.contactKey) != nil || field(.governance) != nil || field(.origin) != nil
            || field(.streamTimeMs) != nil || field(.settledAtMs) != nil

        let messageID = try FieldReader.requiredString(field(.messageID), "message_id", length: Self.messageIDLength)
        let workspaceID = try FieldReader.requiredString(field(.workspaceID), "workspace_id", length: Self.workspaceIDLength)
        let sourceID = try FieldReader.requiredString(field(.sourceID), "source_id", length: Self.sourceIDLength)
        // A known type spelled in plain ASCII is read on its bytes and kept as its
        // `rawValue` (an equal string, not made per event); anything else as a string.
        let type: String
        let knownType: EventType?
        if let content = scan.field(Self.slot(.type))?.plainASCIIContent,
            let known = EventType.named(utf8: UnsafeBufferPointer(rebasing: value[content]))
        {
            type = known.rawValue
            knownType = known
        } else {
            type = try FieldReader.requiredString(field(.type), "type")
            knownType = EventType.named(type)
        }
        // The name's own length rules (empty after trim, over 128) are stage 8.
        let event = try FieldReader.optionalString(field(.event), "event")
        if event == nil, let knownType, knownType.implicitName == nil { throw FieldReader.missing("event") }
        let customerID = try FieldReader.optionalString(field(.customerID), "customer_id")
        let anonymousID = try FieldReader.optionalString(field(.anonymousID), "anonymous_id")
        try FieldReader.checkStringOrNumber(field(.timestamp), "timestamp")
        let properties = try FieldReader.optionalObject(field(.properties), "properties")
        let traits = try FieldReader.optionalObject(field(.traits), "traits")
        let context = try FieldReader.optionalObject(field(.context), "context")
        let readContext = try Self.readContext(context, from: scan, of: value, array: array,
                                               connectionIDRequired: knownType == .connection)
        return EventFields(messageID: messageID, workspaceID: workspaceID, sourceID: sourceID, type: type, knownType: knownType,
                           event: event, customerID: customerID, anonymousID: anonymousID, properties: properties,
                           traits: traits,
                           context: readContext,
                           hasEventMember: hasEventMember, hasAcceptedRecordMember: hasAcceptedRecordMember)
    }

    /// The event of these fields, which passed stages 5–8 (`type`, `name` and the ids as
    /// they decided), with the ids and the context moved into it (left empty here):
    /// copied, each was retained, then released with the fields (the context's outlined
    /// copy was ~160 instructions per event; ~70 fewer in all).
    mutating func moveIntoEvent(type: EventType, name: String, customerID: String?, anonymousID: String?,
                                contactKey: String, bytes: [UInt8], isCompact: Bool, splice: AcceptedSplice) -> RawEvent {
        RawEvent(messageID: Self.take(&messageID, ""), workspaceID: Self.take(&workspaceID, ""),
                 sourceID: Self.take(&sourceID, ""), type: type, name: name, customerID: customerID,
                 anonymousID: anonymousID, contactKey: contactKey,
                 context: Self.take(&context, EventContext(userAgentText: nil, environment: "", synthetic: false,
                                                           consentCategory: nil, connectionID: nil, appID: nil)),
                 bytes: bytes, isCompact: isCompact, propertiesRange: properties, traitsRange: traits, splice: splice)
    }

    /// `value`, leaving `empty` in its place.
    @inline(__always)
    private static func take<Value>(_ value: inout Value, _ empty: Value) -> Value {
        var taken = empty
        swap(&taken, &value)
        return taken
    }

    @inline(__always)
    static func slot(_ member: Member) -> Int {
        switch member {
        case .messageID: 0
        case .workspaceID: 1
        case .sourceID: 2
        case .type: 3
        case .event: 4
        case .customerID: 5
        case .anonymousID: 6
        case .timestamp: 7
        case .properties: 8
        case .traits: 9
        case .context: 10
        case .contactKey: 11
        case .governance: 12
        case .origin: 13
        case .streamTimeMs: 14
        case .settledAtMs: 15
        }
    }

    /// `context` (at `range`) from its `fields`, read by the value's scan (`names`).
    private static func readContext(_ range: Range<Int>?, from scan: JSONFieldScan, of value: UnsafeBufferPointer<UInt8>,
                                    array: [UInt8], connectionIDRequired: Bool) throws(FieldProblem) -> EventContext {
        // A present object `context` has its fields read with the value's (`names`).
        let present = range != nil && scan.hasNestedFields
        func field(_ member: ContextMember) -> ScannedField? {
            guard present else { return nil }
            let slot = switch member {
            case .userAgent: 0
            case .environment: 1
            case .synthetic: 2
            case .consentCategory: 3
            case .connectionID: 4
            case .appID: 5
            }
            return scan.nestedField(slot).map { ScannedField(value: $0, bytes: value) }
        }
        // A plain ASCII user agent is kept as the value and its range, made into
        // text only if asked for.
        // Every field is read into a local and the context made once, in the return: built
        // by the public init then given its user agent, it was copied whole twice (~280
        // instructions per event).
        let userAgentField = field(.userAgent)
        let userAgentText: EventContext.UserAgentText?
        if let userAgentASCII = userAgentField?.value.plainASCIIContent {
            userAgentText = .ascii(array, userAgentASCII)
        } else {
            userAgentText = try FieldReader.optionalString(userAgentField, "context.user_agent").map(EventContext.UserAgentText.text)
        }
        let environment = try FieldReader.optionalString(field(.environment), "context.environment") ?? EventContext.defaultEnvironment
        let synthetic = try FieldReader.optionalBool(field(.synthetic), "context.synthetic") ?? false
        let consentCategory = try FieldReader.optionalString(field(.consentCategory), "context.consent_category")
        let connectionID = connectionIDRequired
            ? try FieldReader.requiredString(field(.connectionID), "context.connection_id", length: 1...Int.max)
            : try FieldReader.optionalString(field(.connectionID), "context.connection_id")
        let appID = try FieldReader.optionalString(field(.appID), "context.app_id")
        return EventContext(userAgentText: userAgentText, environment: environment, synthetic: synthetic,
                            consentCategory: consentCategory, connectionID: connectionID, appID: appID)
    }
}
