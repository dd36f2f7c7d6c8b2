import Governance
import JSON
import Testing

/// A record from far in the future (inside `StreamTimeRange`) must not freeze a
/// workspace: the rules whose clock it moved serve the records that follow at their
/// own times (docs/GOVERNANCE.md §5, "Records from the future").
@Suite struct FutureRecordTests {
    static let t0: StreamTime = 1_795_000_000_000
    static let future: StreamTime = t0 + 50 * 365 * Millis.day

    static func config(_ plan: String = "trial") -> StreamRecord {
        let value: JSONValue = ["workspace_id": "ws_1", "org_id": "org_1", "plan": .string(plan)]
        return StreamRecord(topic: Topic.workspaceConfig, key: "ws_1", value: value.serializedBytes, timestamp: t0)
    }

    static func event(_ id: String, at t: StreamTime, contact: String = "c1") -> StreamRecord {
        let value: JSONValue = ["message_id": .string(id), "workspace_id": "ws_1", "source_id": "web", "type": "track",
                                "event": "page_view", "customer_id": .string(contact)]
        return StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: value.serializedBytes, timestamp: t)
    }

    static func send(_ id: String, at t: StreamTime) -> StreamRecord {
        let value: JSONValue = ["message_id": .string(id), "workspace_id": "ws_1", "contact_key": "c1", "channel": "email"]
        return StreamRecord(topic: Topic.outboundMessages, key: "ws_1", value: value.serializedBytes, timestamp: t)
    }

    static func verdicts(_ records: [StreamRecord]) -> [String] {
        StreamRun(records).lines.compactMap(\.verdict).map(\.summaryKey)
    }

    /// Trial: 10 events/s per contact, burst 20. After one event 50 years ahead, a steady
    /// 5 events/s from the same contact is never rate-limited (the bucket would
    /// otherwise refill nothing until then and run dry after 19 events).
    @Test func aFutureEventDoesNotStopTheTokenBucketsRefilling() {
        var records = [Self.config(), Self.event("f", at: Self.future)]
        for index in 0..<200 { records.append(Self.event("m\(index)", at: Self.t0 + Int64(index) * 200)) }
        let verdicts = Self.verdicts(records)
        #expect(verdicts.count == 201)
        #expect(verdicts.allSatisfy { $0 == "accepted" }, "\(Set(verdicts))")
    }

    /// Within the tolerance SPEC holds to the letter: a record older than the bucket's
    /// last update refills nothing, so a burst at an earlier time runs dry.
    @Test func aSlightlyLateBurstStillRefillsNothing() {
        var records = [Self.config(), Self.event("f", at: Self.t0 + 30 * Millis.minute)]
        for index in 0..<25 { records.append(Self.event("m\(index)", at: Self.t0 + Int64(index))) }
        let verdicts = Self.verdicts(records)
        #expect(verdicts.filter { $0.hasPrefix("rate_limited") }.count == 6)
    }

    /// Trial: 2 sends per contact per day. After a send 50 years ahead, two sends a day
    /// over five days are all allowed (the day would otherwise stay in the future and its
    /// count never reset).
    @Test func aFutureSendDoesNotHoldTheDailyCountForever() {
        var records = [Self.config(), Self.send("f", at: Self.future)]
        for day in 0..<5 {
            for index in 0..<2 { records.append(Self.send("s\(day)-\(index)", at: Self.t0 + Int64(day) * Millis.day + Int64(index))) }
        }
        let verdicts = Self.verdicts(records)
        #expect(verdicts == Array(repeating: "allowed", count: 11))
        // …while a third send of the same day is still capped.
        #expect(Self.verdicts([Self.config(), Self.send("a", at: Self.t0), Self.send("b", at: Self.t0 + 1),
                               Self.send("c", at: Self.t0 + 2)]) == ["allowed", "allowed", "capped/messaging_cap"])
    }

    /// An id first seen 50 years ahead stays a duplicate of itself (SPEC §6.3 to the
    /// letter: `t − t0 < 24 h`), but the window does not turn other ids away, and its
    /// purge at the future time is the only loss (ids of the 25 h before it).
    @Test func aFutureMessageIDOnlyMakesItsOwnRepeatsDuplicates() {
        let verdicts = Self.verdicts([Self.config(), Self.event("m1", at: Self.future), Self.event("m1", at: Self.t0),
                                      Self.event("m2", at: Self.t0 + 1), Self.event("m2", at: Self.t0 + 2)])
        #expect(verdicts == ["accepted", "filtered/duplicate", "accepted", "filtered/duplicate"])
    }

    /// The debouncer follows SPEC §6.3 to the letter (`t − t' < 24 h` swallows, also for a
    /// pass from the future), so a pass 50 years ahead swallows that key's requests: one
    /// (org, cap type) key, not the workspace (docs/GOVERNANCE.md §5).
    @Test func aFutureNotificationSwallowsOnlyItsOwnKey() {
        var debouncer = NotificationDebouncer()
        func request(_ capType: NotificationCapType, _ t: StreamTime) -> NotificationRequest {
            NotificationRequest(orgID: "o", workspaceID: "w", capType: capType, streamTimeMs: t)
        }
        let answers = [request(.eventsQuotaExceeded, Self.future), request(.eventsQuotaExceeded, Self.t0),
                       request(.eventNameCap, Self.t0), request(.eventNameCap, Self.t0 + Millis.day)]
            .map { debouncer.admit($0) }
        #expect(answers == [true, false, true, true])
    }

    /// `governor check` on a valid outbound message stamped near `Int64.max` used to die in
    /// the messaging caps; it is now dead-lettered, keyed and labelled, and the workspace
    /// goes on.
    @Test func anOutboundMessageNearInt64MaxIsDeadLettered() throws {
        let run = StreamRun([Self.config(), Self.send("x", at: .max - 5), Self.send("y", at: Self.t0)])
        let verdicts = run.lines.compactMap(\.verdict)
        #expect(verdicts.map(\.summaryKey) == ["dlq/invalid_timestamp", "allowed"])
        let dlq = try #require(run.outputs.first { $0.topic == Topic.eventsDLQ })
        let value = StreamRun.parse(dlq.value)
        #expect(value["message_id"] == "x" && value["workspace_id"] == "ws_1")
        #expect(value["stream_time_ms"]?.int64 == Int64.max - 5)
        #expect(dlq.timestamp == StreamRun.wallClock)
    }

    @Test(arguments: [Int64.min, -1, StreamTimeRange.highest + 1, Int64.max])
    func aRawEventOutsideTheRangeIsDeadLetteredAndTouchesNoState(_ t: StreamTime) {
        let run = StreamRun([Self.config(), Self.event("m1", at: t), Self.event("m1", at: Self.t0)])
        #expect(run.lines.compactMap(\.verdict).map(\.summaryKey) == ["dlq/invalid_timestamp", "accepted"])
    }
}
