import Governance
import JSON
import RecordFile

enum FuzzTargets {
    static let settings = EngineSettings(wallClock: { 1_700_000_000_000 })
    static let config: [UInt8] = Array(#"{"workspace_id":"ws_1","org_id":"org_1","plan":"trial","consent_mode":true,"schemas":{"order_placed":{"required":["amount"],"properties":{"amount":"number"}}}}"#.utf8)

    /// A run with one workspace configured.
    static func freshRun() -> OfflineRun {
        var run = OfflineRun(settings: settings)
        var out: [OutputRecord] = []
        _ = run.feed(line: 1, topic: Topic.workspaceConfig, key: "ws_1", value: config, timestamp: 1_795_000_000_000,
                     into: &out)
        return run
    }

    /// The `governor check` / `produce` record-line parser (SPEC §12.1), then the line
    /// through the engine: one verdict for a raw event or outbound message.
    static func recordLine(_ bytes: [UInt8]) {
        var parser = RecordLineParser(now: { 1_795_000_000_000 })
        guard let line = try? parser.parse(bytes, line: 2) else { return }
        var run = freshRun()
        var out: [OutputRecord] = []
        let result = run.feed(line: 2, topic: line.topic, key: line.key, value: line.value, timestamp: line.timestampMs,
                              into: &out)
        if line.topic == Topic.rawEvents || line.topic == Topic.outboundMessages {
            guard case .verdict = result else { return check(false, "no verdict for a \(line.topic) line") }
            let answers = out.filter { $0.topic == Topic.eventsDLQ || $0.topic.hasPrefix("events-") || $0.topic == Topic.outboundVerdicts }
            check(!answers.isEmpty, "a verdict without an answering record")
        }
    }

    /// The event parser and validator, then the whole engine, as a raw event and as an
    /// outbound message, keyed and unkeyed: exactly one verdict each.
    static func event(_ bytes: [UInt8]) {
        _ = EventValidator.validate(value: bytes, key: "ws_1")
        _ = OutboundValidator.validate(value: bytes, key: nil)
        var run = freshRun()
        var out: [OutputRecord] = []
        for (index, (topic, key)) in [(Topic.rawEvents, "ws_1"), (Topic.rawEvents, nil), (Topic.outboundMessages, "ws_1")]
            .enumerated()
        {
            let result = run.feed(line: index + 2, topic: topic, key: key, value: bytes, timestamp: 1_795_000_000_000 + Int64(index),
                                  into: &out)
            guard case .verdict = result else { return check(false, "no verdict on \(topic)") }
        }
        for record in out { check((try? JSONParser.parse(record.value)) != nil, "an output record is not JSON") }
    }

    /// The changelog record decoder. Input: key length (2 bytes, big-endian), key, header
    /// length (1 byte), the `governor.attempt` header value, then the value.
    static func changelogRecord(_ bytes: [UInt8]) {
        let parts = split(bytes)
        let headers: [(name: String, value: [UInt8]?)] = [(ChangelogCodec.attemptHeader, parts.header)]
        _ = try? ChangelogCodec.decode(key: parts.key, value: parts.value, headers: headers, offset: 0)
        _ = try? ChangelogCodec.decode(key: parts.key, value: parts.value, headers: headers, offset: 0, namespace: "fuzz")
    }

    static func split(_ bytes: [UInt8]) -> (key: [UInt8], header: [UInt8], value: [UInt8]?) {
        var rest = ArraySlice(bytes)
        func take(_ count: Int) -> [UInt8] {
            let taken = Array(rest.prefix(count))
            rest = rest.dropFirst(count)
            return taken
        }
        let keyLength = take(2).reduce(0) { $0 << 8 | Int($1) }
        let key = take(keyLength)
        let header = take(Int(take(1).first ?? 0))
        return (key, header, rest.isEmpty ? nil : Array(rest))
    }

    /// The inverse of `split`, for seeds.
    static func join(key: [UInt8], header: [UInt8], value: [UInt8]?) -> [UInt8] {
        [UInt8(key.count >> 8 & 0xFF), UInt8(key.count & 0xFF)] + key + [UInt8(min(header.count, 255))] + header.prefix(255)
            + (value ?? [])
    }

    /// The binary state decoder over every state type a changelog entry can hold.
    static func stateEntry(_ bytes: [UInt8]) {
        let decoder = BinaryStateDecoder()
        // Only states the engine could have written: the changelog's CRCs and the
        // restore path keep a state's config naming its own workspace (the engine
        // trusts that; a state breaking it is not a decoder finding).
        if let state = try? decoder.decode(WorkspaceState.self, from: bytes),
            state.config.map({ $0.workspaceID == state.workspaceID }) ?? true
        {
            // A decoded state must be usable: process one record against it.
            var engine = GovernanceEngine(settings: settings)
            engine.restore(state)
            var out: [OutputRecord] = []
            let record = InputRecord(origin: Origin(topic: Topic.rawEvents, partition: 0, offset: 0), key: state.workspaceID,
                                     value: Array(#"{"message_id":"m","workspace_id":"ws_1","source_id":"s","type":"track","event":"e","customer_id":"c"}"#.utf8),
                                     timestamp: 1_795_000_000_000)
            _ = engine.process(record, configs: InOrderConfigTable(), into: &out)
        }
        _ = try? decoder.decode(OrgStage.self, from: bytes)
        _ = try? decoder.decode(TokenBucket.self, from: bytes)
        _ = try? decoder.decode(HeldEvents<HeldRecord>.self, from: bytes)
        _ = try? decoder.decode(ConfigVersion.self, from: bytes)
    }
}
