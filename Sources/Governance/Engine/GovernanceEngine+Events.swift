import JSON

extension GovernanceEngine {
    /// SPEC §6 for one raw event: the first failing stage decides.
    mutating func processEvent(_ record: InputRecord, configs: some ConfigSource, into out: inout [OutputRecord]) -> Verdict {
        let t = record.timestamp
        let event: RawEvent
        do {
            event = try EventValidator.validated(value: record.value, key: record.key, scanned: record.valueFields)
        } catch {
            let config = prepareWorkspace(of: record, Result<RawEvent, ValidationFailure>.failure(error), \.workspaceID,
                                          configs: configs, into: &out)
            return deadLetter(record, error, config: config, into: &out)
        }
        let config = prepareWorkspace(event.workspaceID, at: t, configs: configs, into: &out)
        guard let config else {
            return deadLetter(record, .unknownWorkspace(event), config: nil, into: &out)
        }
        let ws = event.workspaceID
        if let failure = schemas(of: ws, sequence: workspaces[existing: ws].applied!.sequence, config: config).check(event) {
            return deadLetter(record, failure, config: config, into: &out)
        }
        let verdict = governValidEvent(event, record: record, config: config, into: &out)
        snapshotUsage(ws, config: config, at: t, into: &out)
        return verdict
    }

    /// Stages 11–17 for a validated event of a configured workspace.
    private mutating func governValidEvent(_ event: RawEvent, record: InputRecord, config: WorkspaceConfig,
                                           into out: inout [OutputRecord]) -> Verdict {
        let t = record.timestamp
        let ws = event.workspaceID
        if workspaces[existing: ws].dedup.isDuplicate(event.messageID, at: t) {
            return refuse(event, record, Verdict(.filtered, reason: "duplicate"), config: config, enterDedup: false, into: &out)
        }
        if settings.ghosts.isBot(event.context) {
            return refuse(event, record, Verdict(.filtered, reason: "bot"), config: config, into: &out)
        }
        if settings.ghosts.isSmoke(contactKey: event.contactKey, sourceID: event.sourceID, synthetic: event.context.synthetic) {
            return refuse(event, record, Verdict(.filtered, reason: "smoke"), config: config, into: &out)
        }
        if workspaces[existing: ws].deletedContacts[event.contactKey] != nil {
            return refuse(event, record, Verdict(.filtered, reason: "deleted_contact"), config: config, into: &out)
        }
        if config.consentMode {
            if event.type == .consent {
                return acceptConsent(event, record: record, config: config, into: &out)
            }
            let category = ConsentCategory.of(type: event.type.rawValue, event: event.name,
                                              declared: event.context.consentCategory)
            if !workspaces[existing: ws].consent.isGranted(category, contact: event.contactKey,
                                                   defaultGranted: config.consentDefaultGranted) {
                return deferEvent(event, record: record, category: category, config: config, into: &out)
            }
        }
        switch workspaces[existing: ws].rateLimiter.check(contact: event.contactKey, source: event.sourceID,
                                                 limits: config.rateLimits, at: t) {
        case .pass:
            break
        case .limited(let level, let retryAfter):
            let verdict = Verdict(.rateLimited, reason: "rate_limit", extras: [
                JSONMember(key: "level", value: .string(level.rawValue)),
                JSONMember(key: "retry_after_ms", value: .int(retryAfter)),
            ])
            return refuse(event, record, verdict, config: config, enterDedup: false, into: &out)
        }
        let verdict = admitAndAccept(event, record: record, config: config, releasedAt: nil, into: &out)
        recordDedup(event.messageID, workspace: ws, at: t)
        return verdict
    }

    /// A verdict that is not `accepted` or `dlq`: its record on the verdict's topic,
    /// the dedup window (unless `rate_limited` or `duplicate`), and the breakdown.
    mutating func refuse(_ event: RawEvent, _ record: InputRecord, _ verdict: Verdict, config: WorkspaceConfig,
                         enterDedup: Bool = true, into out: inout [OutputRecord]) -> Verdict {
        let t = record.timestamp
        var verdict = verdict
        verdict.messageID = event.messageID
        verdict.workspaceID = event.workspaceID
        out.append(OutputRecord(topic: verdict.kind.topic, key: event.workspaceID,
                                valueBytes: VerdictRecords.verdict(verdict, event: event, origin: record.origin, streamTime: t),
                                timestamp: t, origin: record.origin))
        if enterDedup { recordDedup(event.messageID, workspace: event.workspaceID, at: t) }
        meterVerdict(verdict.reason ?? verdict.kind.rawValue, workspace: event.workspaceID, config: config, at: t, into: &out)
        return verdict
    }

    /// Stages 1–10 failed: the event-scope DLQ record keeps the original bytes, key
    /// and headers so a replay is byte-identical. Raw events count in their
    /// workspace's usage breakdown; outbound messages (`meter: false`) do not.
    mutating func deadLetter(_ record: InputRecord, _ failure: ValidationFailure, config: WorkspaceConfig?,
                             meter: Bool = true, into out: inout [OutputRecord]) -> Verdict {
        let t = record.timestamp
        let dlqAt = dlqTime
        let dlq = DLQRecordBuilder.eventRecord(failure: failure, origin: record.origin, originalKey: record.key,
                                               originalKeyBytes: record.keyBytes, originalValue: record.value, originalHeaders: record.headers,
                                               streamTime: t, dlqAt: dlqAt)
        // A record without a usable time is filed at `dlq_at`: a Kafka timestamp out of
        // range could be refused by the broker or fall straight out of retention.
        let timestamp = StreamTimeRange.contains(t) ? t : dlqAt
        out.append(OutputRecord(topic: Topic.eventsDLQ, key: dlq.key, value: dlq.value, timestamp: timestamp,
                                headers: dlq.headers))
        if meter, let config {
            meterVerdict(failure.reason.rawValue, workspace: config.workspaceID, config: config, at: t, into: &out)
            snapshotUsage(config.workspaceID, config: config, at: t, into: &out)
        }
        var extras: [JSONMember] = []
        if failure.reason.hasField, let field = failure.field { extras.append(JSONMember(key: "field", value: .string(field))) }
        return Verdict(.dlq, reason: failure.reason.rawValue, messageID: failure.messageID,
                       workspaceID: dlq.key, extras: extras)
    }
}

extension GovernanceEngine {
    /// Stage 0: a record whose timestamp is outside `StreamTimeRange` is dead-lettered
    /// before any stage reads its time; it touches no workspace state (the ids come from
    /// a time-free validation, only to key and label the DLQ record).
    mutating func deadLetterInvalidTimestamp(_ record: InputRecord, into out: inout [OutputRecord]) -> Verdict {
        let ids: (messageID: String?, workspaceID: String?) =
            if record.origin.topic == Topic.outboundMessages {
                switch OutboundValidator.validate(value: record.value, key: record.key) {
                case .success(let message): (message.messageID, message.workspaceID)
                case .failure(let failure): (failure.messageID, failure.workspaceID)
                }
            } else {
                switch EventValidator.validate(value: record.value, key: record.key) {
                case .success(let event): (event.messageID, event.workspaceID)
                case .failure(let failure): (failure.messageID, failure.workspaceID)
                }
            }
        let t = record.timestamp
        let detail = t == -1
            ? "the record has no timestamp (-1): stream time cannot place it; replay it to give it one"
            : "timestamp \(t) ms is outside 1970-01-01T00:00:00.000Z … 9999-12-31T23:59:59.999Z "
                + "(\(StreamTimeRange.lowest) … \(StreamTimeRange.highest) ms); microseconds or nanoseconds sent as milliseconds?"
        let failure = ValidationFailure(reason: .invalidTimestamp, detail: detail, messageID: ids.messageID,
                                        workspaceID: ids.workspaceID)
        return deadLetter(record, failure, config: nil, meter: false, into: &out)
    }
}
