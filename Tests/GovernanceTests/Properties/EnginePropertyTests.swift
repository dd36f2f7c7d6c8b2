import Governance
import JSON
import PropertyBased
import Testing

/// Whole-engine properties over generated streams (see `StreamBuilder`): configs,
/// valid events of every type, duplicates, ghosts, malformed values, unknown
/// workspaces and outbound messages, with stream time that jumps back and ahead.
@Suite struct EnginePropertyTests {
    static let streamCount = 40

    // MARK: 1. One verdict per raw-event / outbound line, none for config lines

    @Test func everyRawOrOutboundLineGetsExactlyOneVerdictAndConfigLinesNone() async {
        await propertyCheck(count: Self.streamCount, input: StreamGen.streams()) { stream in
            let run = StreamRun(stream)
            #expect(run.lines.count == stream.records.count)
            for line in run.lines {
                switch line.record.topic {
                case Topic.rawEvents, Topic.outboundMessages:
                    guard let verdict = line.verdict else {
                        Issue.record("line \(line.index + 1) on \(line.record.topic) got \(line.result)")
                        continue
                    }
                    let allowed: Set<VerdictKind> = line.record.topic == Topic.rawEvents
                        ? [.accepted, .dlq, .filtered, .deferred, .rateLimited, .overCap] : [.allowed, .capped, .dlq]
                    #expect(allowed.contains(verdict.kind), "line \(line.index + 1): \(verdict.summaryKey)")
                case Topic.workspaceConfig:
                    switch line.result {
                    case .configApplied, .configRejected: break
                    default: Issue.record("config line \(line.index + 1) got \(line.result)")
                    }
                    let answers = run.outputs(of: line).filter {
                        eventVerdictTopics.contains($0.record.topic) || $0.record.topic == Topic.outboundVerdicts
                    }
                    #expect(answers.isEmpty, "config line \(line.index + 1) wrote verdict records")
                default:
                    Issue.record("unexpected topic \(line.record.topic)")
                }
            }
        }
    }

    // MARK: 2. Conservation (SPEC §6, end)

    @Test func everyConsumedRecordHasExactlyOneAnsweringRecord() async {
        await propertyCheck(count: Self.streamCount, input: StreamGen.streams()) { stream in
            expectConservation(StreamRun(stream))
        }
    }

    // MARK: 3. Determinism (SPEC §2: replaying gives the same verdicts)

    @Test func theSameStreamGivesTheSameVerdictsAndRecordsByteForByte() async {
        await propertyCheck(count: Self.streamCount, input: StreamGen.streams()) { stream in
            let first = StreamRun(stream)
            let second = StreamRun(stream)
            #expect(first.lines.map(\.result) == second.lines.map(\.result))
            #expect(first.outputs.count == second.outputs.count)
            for (a, b) in zip(first.outputs, second.outputs) where a != b {
                let left = String(decoding: a.value, as: UTF8.self), right = String(decoding: b.value, as: UTF8.self)
                Issue.record("outputs differ: \(a.topic) \(left) vs \(b.topic) \(right)")
                break
            }
            #expect(first.run.engine.workspaces == second.run.engine.workspaces)
        }
    }

    // MARK: 4. Settlement accounting (SPEC §6 step 13, §6.3 Consent)

    @Test func everyHoldIsSettledAtMostOnceLaterAndAtMostAHundredAreOutstandingPerContact() async {
        await propertyCheck(count: Self.streamCount, input: StreamGen.streams()) { stream in
            expectSettlementAccounting(StreamRun(stream))
        }
    }

    @Test func consentHeavyStreamsKeepTheSettlementAccountsAndConservation() async {
        await propertyCheck(count: 25, input: StreamGen.consentHeavyStreams()) { stream in
            let run = StreamRun(stream)
            expectSettlementAccounting(run)
            expectConservation(run)
        }
    }

    // MARK: 5. Name registry within its cap (SPEC §7)

    @Test func theNameRegistryNeverOutgrowsTheCapAndHintsNeverGoNegative() async {
        await propertyCheck(count: Self.streamCount, input: StreamGen.streams()) { stream in
            let run = StreamRun(stream)
            var current: [String: Int?] = [:]   // workspace → current cap (nil = unlimited)
            var largest: [String: Int] = [:]    // workspace → largest cap it has had
            var sizes: [String: Int] = [:]
            for line in run.lines {
                if case .configApplied(let ws) = line.result,
                    case .success(let config) = WorkspaceConfig.parse(line.record.value ?? [], key: line.record.key)
                {
                    let cap = config.limits.nameCap
                    current[ws] = .some(cap)
                    largest[ws] = max(largest[ws] ?? 0, cap ?? NameRegistry.unlimitedSafetyLimit)
                }
                let sizesBefore = sizes
                for (ws, size) in line.registrySizes {
                    let before = sizes[ws] ?? 0
                    sizes[ws] = size
                    #expect(size >= before, "line \(line.index + 1): \(ws)'s registry shrank")
                    #expect(size <= largest[ws] ?? 0, "line \(line.index + 1): \(ws) holds \(size) names, caps ≤ \(largest[ws] ?? 0)")
                    if size > before, let cap = current[ws] {
                        #expect(size <= cap ?? NameRegistry.unlimitedSafetyLimit,
                                "line \(line.index + 1): \(ws) registered its \(size)th name under cap \(String(describing: cap))")
                    }
                }
                for (record, value) in run.outputs(of: line) where record.topic == Topic.governanceHints {
                    guard let ws = record.key, let remaining = value["eventGovernance"]?["remaining_new_names"]?.int64 else {
                        Issue.record("hint without remaining_new_names: \(value.serialized)")
                        continue
                    }
                    switch current[ws] {
                    case .some(.none): #expect(remaining == -1, "line \(line.index + 1): unlimited \(ws) hints \(remaining)")
                    case .some(.some(let cap)):
                        // A line can register several names (a consent releasing holds), each
                        // republishing the hint: it lies between the line's before and after.
                        let after = Int64(max(0, cap - (sizes[ws] ?? 0)))
                        let before = Int64(max(0, cap - (sizesBefore[ws] ?? 0)))
                        #expect(remaining >= 0, "line \(line.index + 1): \(ws) hints \(remaining)")
                        #expect(after <= remaining && remaining <= before,
                                "line \(line.index + 1): \(ws) hints \(remaining) with cap \(cap), size \(sizes[ws] ?? 0)")
                    case .none: Issue.record("hint for \(ws) before any config")
                    }
                }
            }
        }
    }

    // MARK: 6. Rate limits (SPEC §6 step 14, §6.3)

    @Test func noRateLimitWhenEveryRateIsUnlimitedAndRetryAfterIsPositive() async {
        await propertyCheck(count: Self.streamCount, input: StreamGen.streams()) { stream in
            let run = StreamRun(stream)
            var unlimited: [String: Bool] = [:]
            for line in run.lines {
                if case .configApplied(let ws) = line.result,
                    case .success(let config) = WorkspaceConfig.parse(line.record.value ?? [], key: line.record.key)
                {
                    let limits = config.limits
                    unlimited[ws] = limits.workspaceEventsPerSecond < 0 && limits.sourceEventsPerSecond < 0
                        && limits.contactEventsPerSecond < 0
                }
                guard let verdict = line.verdict else { continue }
                if verdict.kind == .rateLimited {
                    let ws = verdict.workspaceID ?? "?"
                    #expect(unlimited[ws] != true, "line \(line.index + 1): \(ws) has no rate limit but got rate_limited")
                    let retry = verdict.extras.first { $0.key == "retry_after_ms" }?.value.int64
                    #expect((retry ?? 0) >= 1, "line \(line.index + 1): retry_after_ms \(String(describing: retry))")
                    #expect(["contact", "source", "workspace"].contains(
                        verdict.extras.first { $0.key == "level" }?.value.stringValue ?? ""))
                }
                for (record, value) in run.outputs(of: line) {
                    if let retry = value["retry_after_ms"] {
                        #expect((retry.int64 ?? 0) >= 1, "\(record.topic): retry_after_ms \(retry.serialized)")
                    }
                }
            }
        }
    }

    // MARK: 7. Counters never run backwards (SPEC §2, §8)

    @Test func usageSnapshotsNeverRunBackwardsWithinAMonth() async {
        await propertyCheck(count: Self.streamCount, input: StreamGen.streams()) { stream in
            let run = StreamRun(stream)
            // Connections are metered only in `connections` mode, so the peak is compared
            // between snapshots of the same month and mode (a config may switch modes).
            var lastAccepted: [String: Int64] = [:]
            var lastPeak: [String: Int64] = [:]
            var lastMAU: [String: Int64] = [:]
            var lastBreakdown: [String: JSONObject] = [:]
            for line in run.lines {
                for (record, value) in run.outputs(of: line)
                where record.topic == Topic.usage && value["kind"] == "usage_snapshot" {
                    guard let ws = value["workspace_id"]?.stringValue, let month = value["month"]?.stringValue,
                        let accepted = value["accepted_events_month"]?.int64, let peak = value["connections_peak"]?.int64
                    else {
                        Issue.record("incomplete usage_snapshot: \(value.serialized)")
                        continue
                    }
                    let key = "\(ws) \(month)"
                    let modeKey = "\(key) \(value["mau_mode"]?.stringValue ?? "?")"
                    if let previous = lastAccepted[key] {
                        #expect(accepted >= previous,
                                "line \(line.index + 1): \(key) accepted_events_month \(previous) → \(accepted)")
                    }
                    if let previous = lastPeak[modeKey] {
                        #expect(peak >= previous, "line \(line.index + 1): \(modeKey) connections_peak \(previous) → \(peak)")
                    }
                    lastAccepted[key] = accepted
                    lastPeak[modeKey] = peak
                    // MAU only grows within a month in the modes that count a contact for the
                    // whole month (`identified_rolling_30d` forgets contacts after 30 days).
                    if let mau = value["mau"]?.int64, value["mau_mode"] != "identified_rolling_30d" {
                        if let previous = lastMAU[modeKey] {
                            #expect(mau >= previous, "line \(line.index + 1): \(modeKey) mau \(previous) → \(mau)")
                        }
                        lastMAU[modeKey] = mau
                    }
                    let breakdown = value["breakdown"]?.objectValue ?? JSONObject()
                    for member in lastBreakdown[key] ?? JSONObject() {
                        let now = breakdown[member.key]?.int64 ?? 0
                        #expect(now >= member.value.int64 ?? 0,
                                "line \(line.index + 1): \(key) breakdown.\(member.key) \(member.value.serialized) → \(now)")
                    }
                    lastBreakdown[key] = breakdown
                    if let current = value["connections_current"]?.int64 {
                        #expect(current <= peak, "line \(line.index + 1): \(key) current \(current) > peak \(peak)")
                    }
                }
            }
        }
    }

    // MARK: The generator reaches every verdict

    /// Not a property: checks that the generated streams are realistic enough to
    /// exercise every verdict and the settlement paths the properties talk about.
    @Test func generatedStreamsCoverEveryVerdict() {
        var seen: Set<String> = []
        var settlements: Set<String> = []
        for seed in UInt64(1)...60 {
            let run = StreamRun(StreamBuilder.stream(seed: seed, events: 300))
            for line in run.lines {
                if let verdict = line.verdict { seen.insert(verdict.kind.rawValue); seen.insert(verdict.summaryKey) }
                for (_, value) in run.outputs(of: line) {
                    if value["governance"]?["released_from_deferral"] == true { settlements.insert("released") }
                    if value["expired_from_deferral"] == true { settlements.insert("expired") }
                    if value["governance"]?["cap_phase"] == "grace" { settlements.insert("grace") }
                }
            }
        }
        for expected in ["accepted", "dlq", "filtered/duplicate", "filtered/bot", "filtered/smoke", "filtered/deleted_contact",
                         "deferred/consent_denied", "rate_limited/rate_limit", "over_cap/event_name_cap", "allowed",
                         "capped/messaging_cap", "dlq/unknown_workspace", "dlq/malformed_json", "dlq/schema_mismatch",
                         "dlq/workspace_mismatch", "dlq/too_deeply_nested", "dlq/name_too_long"] {
            #expect(seen.contains(expected), "no stream produced \(expected)")
        }
        #expect(settlements == ["released", "expired", "grace"])
    }

    /// Not a property: the consent-heavy streams do push a contact past 100 holds (the
    /// 101st expires the oldest at once, before 30 days) and release holds into the cap.
    @Test func consentHeavyStreamsOverflowTheHoldsAndReleaseOverTheCap() {
        var overflows = 0, releasedOverCap = 0, releasedAccepted = 0
        for seed in UInt64(1)...10 {
            let run = StreamRun(StreamBuilder.consentHeavyStream(seed: seed, events: 400))
            for line in run.lines {
                for (record, value) in run.outputs(of: line) {
                    if value["expired_from_deferral"] == true, let held = value["stream_time_ms"]?.int64,
                        let settled = value["settled_at_ms"]?.int64, settled - held < 30 * StreamBuilder.day
                    {
                        overflows += 1
                    }
                    if value["released_from_deferral"] == true, record.topic == Topic.eventsOverCap { releasedOverCap += 1 }
                    if value["governance"]?["released_from_deferral"] == true { releasedAccepted += 1 }
                }
            }
        }
        #expect(overflows > 0)
        #expect(releasedOverCap > 0)
        #expect(releasedAccepted > 0)
    }
}

/// Property 4: every `deferred` event is settled at most once, on a later line, by
/// exactly one released or expired record carrying its origin and stream time; a
/// contact never has more than 100 holds outstanding.
func expectSettlementAccounting(_ run: StreamRun, sourceLocation: SourceLocation = #_sourceLocation) {
    var held: [Int64: (line: Int, contact: String, streamTime: Int64)] = [:]
    var settled: [Int64: Int] = [:]
    var outstanding: [String: Int] = [:]
    for line in run.lines {
        let outputs = run.outputs(of: line)
        if let verdict = line.verdict, verdict.kind == .deferred {
            let record = outputs.first { $0.record.topic == Topic.eventsDeferred && $0.value.origin?.offset == line.offset }
            let contact = "\(verdict.workspaceID ?? "?") \(record?.value["contact_key"]?.stringValue ?? "?")"
            held[line.offset] = (line.index, contact, line.record.timestamp)
            outstanding[contact, default: 0] += 1
        }
        for (record, value) in outputs where eventVerdictTopics.contains(record.topic) {
            guard value["settled_at_ms"] != nil || value.isSettlementRecord else { continue }
            let where_ = "line \(line.index + 1): \(record.topic) \(value.serialized)"
            #expect(value.isSettlementRecord, "a settlement record without its marker: \(where_)", sourceLocation: sourceLocation)
            #expect(value["settled_at_ms"]?.int64 == line.record.timestamp, "settled_at_ms: \(where_)",
                    sourceLocation: sourceLocation)
            if record.topic == Topic.eventsAccepted {
                #expect(value["governance"]?["released_from_deferral"] == true, sourceLocation: sourceLocation)
            } else if value["expired_from_deferral"] == true {
                #expect(record.topic == Topic.eventsFiltered && value["reason"] == "consent_expired",
                        sourceLocation: sourceLocation)
            }
            guard let origin = value.origin, origin.topic == Topic.rawEvents, let hold = held[origin.offset] else {
                Issue.record("settles no deferred event: \(where_)", sourceLocation: sourceLocation)
                continue
            }
            settled[origin.offset, default: 0] += 1
            #expect(settled[origin.offset] == 1, "settled twice: \(where_)", sourceLocation: sourceLocation)
            #expect(hold.line < line.index, "settled on its own line or before: \(where_)", sourceLocation: sourceLocation)
            let streamTime = value["governance"]?["stream_time_ms"] ?? value["stream_time_ms"]
            #expect(streamTime?.int64 == hold.streamTime, "keeps the held stream time: \(where_)",
                    sourceLocation: sourceLocation)
            outstanding[hold.contact, default: 0] -= 1
        }
        for (contact, count) in outstanding where count > 100 {
            Issue.record("line \(line.index + 1): \(contact) has \(count) holds outstanding", sourceLocation: sourceLocation)
        }
    }
}
