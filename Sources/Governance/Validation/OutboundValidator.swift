import JSON

/// Stages 1–8 of SPEC §6 applied to an `outbound-messages` record (SPEC §9);
/// the engine adds stage 9 (`unknown_workspace`). The stages that apply:
/// 1–3 as for events; 4 with fields checked in the order `message_id`,
/// `workspace_id`, `contact_key`, `channel`, `campaign_id`, `journey_id`
/// (a `channel` that is a string but not one of the five channels is
/// `invalid_field` `channel`: outbound records have no `type`, so stage 5 never
/// applies); 6 `workspace_mismatch`; 7 `missing_identity` when `contact_key` is
/// empty after trimming. Stage 8 has no event name to check.
public enum OutboundValidator {
    static let messageIDLength = 1...128
    static let workspaceIDLength = 1...64

    /// Validates a record; `value` nil is `malformed_json`, `key` nil means no key.
    public static func validate(value: [UInt8]?, key: String?) -> Result<OutboundMessage, ValidationFailure> {
        let object: JSONObject
        switch Payload.object(from: value) {
        case .success(let parsed): object = parsed
        case .failure(let failure): return .failure(failure)
        }
        func failure(_ reason: DLQReason, field: String? = nil, _ detail: String) -> Result<OutboundMessage, ValidationFailure> {
            .failure(ValidationFailure(reason, field: field, detail: detail, about: object))
        }

        var messageIDValue, workspaceIDValue, contactKeyValue, channelValue, campaignIDValue, journeyIDValue: JSONValue?
        for member in object.members {
            switch member.key {
            case "message_id": messageIDValue = member.value
            case "workspace_id": workspaceIDValue = member.value
            case "contact_key": contactKeyValue = member.value
            case "channel": channelValue = member.value
            case "campaign_id": campaignIDValue = member.value
            case "journey_id": journeyIDValue = member.value
            default: continue
            }
        }
        let messageID: String, workspaceID: String, contactKey: String, channel: OutboundChannel
        let campaignID: String?, journeyID: String?
        do throws(FieldProblem) {
            messageID = try FieldReader.requiredString(messageIDValue, "message_id", length: messageIDLength)
            workspaceID = try FieldReader.requiredString(workspaceIDValue, "workspace_id", length: workspaceIDLength)
            contactKey = try FieldReader.requiredString(contactKeyValue, "contact_key")
            let channelName = try FieldReader.requiredString(channelValue, "channel")
            guard let known = OutboundChannel(rawValue: channelName) else {
                throw FieldProblem(
                    reason: .invalidField,
                    field: "channel",
                    detail: "unknown channel '\(channelName)' (one of email, push, whatsapp, sms, rcs)"
                )
            }
            channel = known
            campaignID = try FieldReader.optionalString(campaignIDValue, "campaign_id")
            journeyID = try FieldReader.optionalString(journeyIDValue, "journey_id")
        } catch {
            return failure(error.reason, field: error.field, error.detail)
        }
        if let key, !key.utf8.elementsEqual(workspaceID.utf8) {  // bytes, as Kafka partitions
            return failure(.workspaceMismatch, "record key '\(key)' differs from workspace_id '\(workspaceID)'")
        }
        let trimmedContactKey = Text.trimmed(contactKey)
        if trimmedContactKey.isEmpty {
            return failure(.missingIdentity, "contact_key is empty after trimming")
        }
        return .success(OutboundMessage(
            messageID: messageID,
            workspaceID: workspaceID,
            contactKey: trimmedContactKey,
            channel: channel,
            campaignID: campaignID,
            journeyID: journeyID,
            object: object
        ))
    }
}
