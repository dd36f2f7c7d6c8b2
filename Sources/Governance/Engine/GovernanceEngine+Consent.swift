import JSON

extension GovernanceEngine {
    /// A `consent` event in `consent_mode`: always accepted; right after its own output,
    /// the contact's holds that it grants are released in order (SPEC §6.3).
    mutating func acceptConsent(_ event: RawEvent, record: InputRecord, config: WorkspaceConfig,
                                into out: inout [OutputRecord]) -> Verdict {
        let ws = event.workspaceID
        let t = record.timestamp
        let verdict = admitAndAccept(event, record: record, config: config, releasedAt: nil, into: &out)
        recordDedup(event.messageID, workspace: ws, at: t)
        let released = workspaces[existing: ws].consent.recordConsent(contact: event.contactKey, properties: event.properties,
                                                             defaultGranted: config.consentDefaultGranted, at: t)
        evictions.consentStates += workspaces[existing: ws].consent.forgetOldestConsents(keeping: settings.consentStatesMax)
        for hold in released {
            guard let (held, heldRecord) = reread(hold.payload) else { continue }
            _ = admitAndAccept(held, record: heldRecord, config: config, releasedAt: t, into: &out)
        }
        return verdict
    }

    /// Holds an event whose consent category is denied: verdict `deferred`. The
    /// contact's 101st hold, or one over `HeldEvents.maxBytes`, expires its oldest at once.
    mutating func deferEvent(_ event: RawEvent, record: InputRecord, category: ConsentCategory, config: WorkspaceConfig,
                          into out: inout [OutputRecord]) -> Verdict {
        let ws = event.workspaceID
        let t = record.timestamp
        let payload = HeldRecord(origin: record.origin, key: record.key, value: record.value ?? [], timestamp: t)
        let overflow = workspaces[existing: ws].consent.hold(payload, category: category, contact: event.contactKey, at: t)
        let verdict = refuse(event, record, Verdict(.deferred, reason: "consent_denied", extras: [
            JSONMember(key: "category", value: .string(category.rawValue)),
        ]), config: config, into: &out)
        for hold in overflow { settleExpired(hold, workspace: ws, config: config, at: t, into: &out) }
        return verdict
    }

    /// Settles a hold that expired (30 days) or overflowed: `filtered` /
    /// `consent_expired` with `expired_from_deferral`, keeping the held record's
    /// origin and stream time and adding `settled_at_ms`.
    mutating func settleExpired(_ hold: HeldEvent<HeldRecord>, workspace ws: String, config: WorkspaceConfig,
                                at t: StreamTime, into out: inout [OutputRecord]) {
        guard let (event, record) = reread(hold.payload) else { return }
        var verdict = Verdict(.filtered, reason: "consent_expired", messageID: event.messageID, workspaceID: ws)
        verdict.extras = [JSONMember(key: "category", value: .string(hold.category.rawValue))]
        out.append(OutputRecord(topic: Topic.eventsFiltered, key: ws,
                                valueBytes: VerdictRecords.verdict(verdict, event: event, origin: record.origin,
                                                              streamTime: record.timestamp, settledAt: t,
                                                              expiredFromDeferral: true),
                                timestamp: t, origin: record.origin))
        meterVerdict("consent_expired", workspace: ws, config: config, at: t, settlement: true, into: &out)
    }

    /// A held record read again exactly as it arrived.
    private func reread(_ held: HeldRecord) -> (RawEvent, InputRecord)? {
        let record = InputRecord(origin: held.origin, key: held.key, value: held.value, timestamp: held.timestamp)
        guard case .success(let event) = EventValidator.validate(value: held.value, key: held.key) else { return nil }
        return (event, record)
    }
}
