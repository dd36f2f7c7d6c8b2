import JSON

extension GovernanceEngine {
    /// SPEC §9: an outbound send request gets `allowed` or `capped` per contact per UTC
    /// day, or `dlq` with the reason of stages 1–9.
    mutating func processOutbound(_ record: InputRecord, configs: some ConfigSource, into out: inout [OutputRecord]) -> Verdict {
        let t = record.timestamp
        let validated = OutboundValidator.validate(value: record.value, key: record.key)
        let config = prepareWorkspace(of: record, validated, \.workspaceID, settles: false, configs: configs, into: &out)
        let message: OutboundMessage
        switch validated {
        case .failure(let failure): return deadLetter(record, failure, config: config, meter: false, into: &out)
        case .success(let valid): message = valid
        }
        guard let config else { return deadLetter(record, .unknownWorkspace(message), config: nil, meter: false, into: &out) }
        let ws = message.workspaceID
        let decision = workspaces[existing: ws].messaging.decide(contact: message.contactKey, at: t,
                                                        limit: config.limits.messagesPerContactPerDay)
        // The messaging day is a scalar of the workspace: without this a workspace that
        // only receives outbound messages never checkpoints it, and a restore resets it.
        workspaces.markTouched(ws)
        let kind: VerdictKind = decision.verdict == .allowed ? .allowed : .capped
        let value = VerdictRecords.outbound(message, kind: kind, decision: decision, origin: record.origin, streamTime: t)
        out.append(OutputRecord(topic: Topic.outboundVerdicts, key: ws, valueBytes: value, timestamp: t,
                                origin: record.origin))
        return Verdict(kind, reason: decision.reason, messageID: message.messageID, workspaceID: ws, extras: [
            JSONMember(key: "limit", value: .int(decision.limit)),
            JSONMember(key: "count", value: .int(decision.count)),
            JSONMember(key: "resets_at", value: .string(decision.resetsAt)),
        ])
    }
}
