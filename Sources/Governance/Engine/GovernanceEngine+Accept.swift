import JSON

extension GovernanceEngine {
    /// Stages 15–17: the name cap (and, in `connections` mode, the MAU limit), the
    /// trait governor, then `accepted` and metering. Released holds come here too,
    /// with `releasedAt` the stream time of the consent event that released them.
    mutating func admitAndAccept(_ event: RawEvent, record: InputRecord, config: WorkspaceConfig, releasedAt: StreamTime?,
                                 into out: inout [OutputRecord]) -> Verdict {
        let ws = event.workspaceID
        let t = releasedAt ?? record.timestamp
        var capPhaseGrace = false
        if CountedNames.isCounted(type: event.type.rawValue, name: event.name) {
            let admission = workspaces[existing: ws].registry.admit(event.name, cap: config.limits.nameCap, at: t)
            if let phase = admission.capHitPhase {
                out.append(OutputRecord(topic: Topic.governanceAudit, key: ws,
                                        value: VerdictRecords.audit("cap_hit", workspaceID: ws, streamTime: t, event: event.name,
                                                                    phase: phase.rawValue, messageID: event.messageID),
                                        timestamp: t))
                workspaces[existing: ws].meter.recordCapHit(at: t)
            }
            switch admission {
            case .registered(let new):
                if new { publishHint(ws, at: t, into: &out) }
            case .passedOverSafetyLimit:
                break
            case .graceOpened:
                capPhaseGrace = true
                out.append(OutputRecord(topic: Topic.governanceAudit, key: ws,
                                        value: VerdictRecords.audit("grace_opened", workspaceID: ws, streamTime: t,
                                                                    event: event.name, messageID: event.messageID),
                                        timestamp: t))
                requestNotification(NotificationRequest(orgID: config.orgID, workspaceID: ws, capType: .eventNameCap,
                                                        streamTimeMs: t, event: event.name), into: &out)
                publishHint(ws, at: t, into: &out)
            case .passedInGrace:
                capPhaseGrace = true
            case .overCap(let graceExpiredNow):
                if graceExpiredNow {
                    out.append(OutputRecord(topic: Topic.governanceAudit, key: ws,
                                            value: VerdictRecords.audit("grace_expired", workspaceID: ws, streamTime: t,
                                                                        event: event.name, messageID: event.messageID),
                                            timestamp: t))
                    publishHint(ws, at: t, into: &out)
                }
                requestNotification(NotificationRequest(orgID: config.orgID, workspaceID: ws, capType: .eventNameCap,
                                                        streamTimeMs: t, event: event.name), into: &out)
                return refuseAt(event, record, Verdict(.overCap, reason: "event_name_cap"), config: config,
                                settledAt: releasedAt, into: &out)
            }
        }
        if config.mauMode == .connections, event.type == .connection, event.name == "connect",
            workspaces[existing: ws].meter.wouldExceedMAU(event.contactKey, at: t, included: config.limits.mauIncluded)
        {
            return refuseAt(event, record, Verdict(.overCap, reason: "mau_limit"), config: config, settledAt: releasedAt,
                            into: &out)
        }
        var cleanedTraits: JSONObject?
        if event.type == .identify || event.type == .group, let traits = event.traits {
            let (cleaned, findings) = TraitGovernor.clean(traits)
            cleanedTraits = cleaned
            let dlqAt = findings.isEmpty ? 0 : dlqTime
            for finding in findings {
                let dlq = DLQRecordBuilder.traitRecordBytes(finding: finding, event: event, origin: record.origin,
                                                            streamTime: record.timestamp, dlqAt: dlqAt)
                out.append(OutputRecord(topic: Topic.eventsDLQ, key: dlq.key, valueBytes: dlq.value, timestamp: t,
                                        headers: dlq.headers))
            }
        }
        let accepted = VerdictRecords.acceptedBytes(event: event, cleanedTraits: cleanedTraits, origin: record.origin,
                                                    streamTime: record.timestamp, capPhaseGrace: capPhaseGrace,
                                                    releasedAt: releasedAt)
        out.append(OutputRecord(topic: Topic.eventsAccepted, key: ws, valueBytes: accepted, timestamp: t,
                                origin: record.origin))
        if event.type == .delete {
            workspaces[existing: ws].deletedContacts[event.contactKey] = t
            evictions.deletedContacts += workspaces[existing: ws].forgetOldestDeletions(keeping: settings.deletedContactsMax)
        }
        let role = MeteredEvent.Role.of(type: event.type.rawValue, event: event.name, connectionID: event.context.connectionID,
                                        isPassiveName: PassiveEvents.isPassive(event.name))
        var effects = UsageEffects()
        workspaces[existing: ws].meter.recordAccepted(
            MeteredEvent(contactKey: event.contactKey, event: event.name, messageID: event.messageID, role: role),
            at: t, plan: config.usagePlan(openConnectionsMax: settings.openConnectionsMax), settlement: releasedAt != nil,
            into: &effects)
        emitUsageEffects(effects, workspace: ws, config: config, at: t, into: &out)
        return Verdict(.accepted, messageID: event.messageID, workspaceID: ws)
    }

    /// A refusal in stages 15–17, for a live event or a released hold (`settledAt`).
    private mutating func refuseAt(_ event: RawEvent, _ record: InputRecord, _ verdict: Verdict, config: WorkspaceConfig,
                                   settledAt: StreamTime?, into out: inout [OutputRecord]) -> Verdict {
        guard let settledAt else { return refuse(event, record, verdict, config: config, into: &out) }
        var verdict = verdict
        verdict.messageID = event.messageID
        verdict.workspaceID = event.workspaceID
        out.append(OutputRecord(topic: verdict.kind.topic, key: event.workspaceID,
                                valueBytes: VerdictRecords.verdict(verdict, event: event, origin: record.origin,
                                                              streamTime: record.timestamp, settledAt: settledAt,
                                                              releasedFromDeferral: true),
                                timestamp: settledAt, origin: record.origin))
        meterVerdict(verdict.reason ?? verdict.kind.rawValue, workspace: event.workspaceID, config: config, at: settledAt,
                     settlement: true, into: &out)
        return verdict
    }
}
