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
    /// `event` as received (untrimmed); nil when absent or `null`.
    var event: String?
    var customerID: String?
    var anonymousID: String?
    var properties: JSONObject?
    var traits: JSONObject?
    var context: EventContext

    init(_ object: JSONObject) throws(FieldProblem) {
        let fields = FieldReader(object)
        messageID = try fields.requiredString("message_id", length: Self.messageIDLength)
        workspaceID = try fields.requiredString("workspace_id", length: Self.workspaceIDLength)
        sourceID = try fields.requiredString("source_id", length: Self.sourceIDLength)
        type = try fields.requiredString("type")
        let knownType = EventType(rawValue: type)
        // The name's own length rules (empty after trim, over 128) are stage 8.
        event = try fields.optionalString("event")
        if event == nil, let knownType, knownType.implicitName == nil { throw fields.missing("event") }
        customerID = try fields.optionalString("customer_id")
        anonymousID = try fields.optionalString("anonymous_id")
        try fields.checkStringOrNumber("timestamp")
        properties = try fields.optionalObject("properties")
        traits = try fields.optionalObject("traits")
        let contextObject = try fields.optionalObject("context")
        context = try Self.readContext(contextObject ?? JSONObject(), connectionIDRequired: knownType == .connection)
    }

    private static func readContext(_ object: JSONObject, connectionIDRequired: Bool) throws(FieldProblem) -> EventContext {
        let fields = FieldReader(object, path: "context.")
        let userAgent = try fields.optionalString("user_agent")
        let environment = try fields.optionalString("environment")
        let synthetic = try fields.optionalBool("synthetic")
        let consentCategory = try fields.optionalString("consent_category")
        let connectionID: String?
        if connectionIDRequired {
            connectionID = try fields.requiredString("connection_id", length: 1...Int.max)
        } else {
            connectionID = try fields.optionalString("connection_id")
        }
        let appID = try fields.optionalString("app_id")
        return EventContext(
            userAgent: userAgent,
            environment: environment ?? EventContext.defaultEnvironment,
            synthetic: synthetic ?? false,
            consentCategory: consentCategory,
            connectionID: connectionID,
            appID: appID
        )
    }
}
