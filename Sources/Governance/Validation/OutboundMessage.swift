import JSON

/// A validated `outbound-messages` record (SPEC §9): a send request that the
/// messaging cap counts per contact per UTC day.
public struct OutboundMessage: Sendable, Hashable {
    /// `message_id`, 1–128 characters, verbatim.
    public var messageID: String
    /// `workspace_id`, 1–64 characters, verbatim; equals the record key when there is one.
    public var workspaceID: String
    /// `contact_key` trimmed (as event identity keys are), never empty.
    public var contactKey: String
    public var channel: OutboundChannel
    /// `campaign_id` as received; nil when absent or `null`.
    public var campaignID: String?
    /// `journey_id` as received; nil when absent or `null`.
    public var journeyID: String?
    /// The whole top-level object as received.
    public var object: JSONObject

    public init(
        messageID: String,
        workspaceID: String,
        contactKey: String,
        channel: OutboundChannel,
        campaignID: String?,
        journeyID: String?,
        object: JSONObject
    ) {
        self.messageID = messageID
        self.workspaceID = workspaceID
        self.contactKey = contactKey
        self.channel = channel
        self.campaignID = campaignID
        self.journeyID = journeyID
        self.object = object
    }
}
