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
    var properties: JSONObject?
    var traits: JSONObject?
    var context: EventContext

    init(_ object: JSONObject) throws(FieldProblem) {
        // One pass over the members; the byte count picks the candidate name.
        var messageID, workspaceID, sourceID, type, event, customerID, anonymousID, timestamp: JSONValue?
        var properties, traits, context: JSONValue?
        for member in object.members {
            let key = member.key
            switch key.utf8.count {
            case 4 where key == "type": type = member.value
            case 5 where key == "event": event = member.value
            case 6 where key == "traits": traits = member.value
            case 7 where key == "context": context = member.value
            case 9 where key == "source_id": sourceID = member.value
            case 9 where key == "timestamp": timestamp = member.value
            case 10 where key == "message_id": messageID = member.value
            case 10 where key == "properties": properties = member.value
            case 11 where key == "customer_id": customerID = member.value
            case 12 where key == "workspace_id": workspaceID = member.value
            case 12 where key == "anonymous_id": anonymousID = member.value
            default: continue
            }
        }

        self.messageID = try FieldReader.requiredString(messageID, "message_id", length: Self.messageIDLength)
        self.workspaceID = try FieldReader.requiredString(workspaceID, "workspace_id", length: Self.workspaceIDLength)
        self.sourceID = try FieldReader.requiredString(sourceID, "source_id", length: Self.sourceIDLength)
        self.type = try FieldReader.requiredString(type, "type")
        knownType = EventType(rawValue: self.type)
        // The name's own length rules (empty after trim, over 128) are stage 8.
        self.event = try FieldReader.optionalString(event, "event")
        if self.event == nil, let knownType, knownType.implicitName == nil { throw FieldReader.missing("event") }
        self.customerID = try FieldReader.optionalString(customerID, "customer_id")
        self.anonymousID = try FieldReader.optionalString(anonymousID, "anonymous_id")
        try FieldReader.checkStringOrNumber(timestamp, "timestamp")
        self.properties = try FieldReader.optionalObject(properties, "properties")
        self.traits = try FieldReader.optionalObject(traits, "traits")
        let contextObject = try FieldReader.optionalObject(context, "context")
        self.context = try Self.readContext(contextObject, connectionIDRequired: knownType == .connection)
    }

    private static func readContext(_ object: JSONObject?, connectionIDRequired: Bool) throws(FieldProblem) -> EventContext {
        var userAgent, environment, synthetic, consentCategory, connectionID, appID: JSONValue?
        for member in object?.members ?? [] {
            let key = member.key
            switch key.utf8.count {
            case 6 where key == "app_id": appID = member.value
            case 9 where key == "synthetic": synthetic = member.value
            case 10 where key == "user_agent": userAgent = member.value
            case 11 where key == "environment": environment = member.value
            case 13 where key == "connection_id": connectionID = member.value
            case 16 where key == "consent_category": consentCategory = member.value
            default: continue
            }
        }
        let context = EventContext(
            userAgent: try FieldReader.optionalString(userAgent, "context.user_agent"),
            environment: try FieldReader.optionalString(environment, "context.environment") ?? EventContext.defaultEnvironment,
            synthetic: try FieldReader.optionalBool(synthetic, "context.synthetic") ?? false,
            consentCategory: try FieldReader.optionalString(consentCategory, "context.consent_category"),
            connectionID: connectionIDRequired
                ? try FieldReader.requiredString(connectionID, "context.connection_id", length: 1...Int.max)
                : try FieldReader.optionalString(connectionID, "context.connection_id"),
            appID: try FieldReader.optionalString(appID, "context.app_id")
        )
        return context
    }
}
