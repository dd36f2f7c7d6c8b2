import Governance
import JSON
import Testing

/// Regression (found by `consentHeavyStreamsKeepTheSettlementAccountsAndConservation`):
/// a held event released by a `consent` event and then refused at stage 15 went to
/// `events-over-cap` with `settled_at_ms` but without a settlement marker, so it
/// counted as a second answer to its raw record and broke the conservation law
/// (SPEC §6, end; §6.3 Consent). It now carries `released_from_deferral: true`.
@Suite struct ReleasedHoldOverCapTests {
    static let t0: StreamTime = 1_769_817_600_000
    static let day: Int64 = 86_400_000

    static func event(_ id: String, _ contact: String, type: String = "track", name: String? = nil,
                      properties: JSONValue? = nil) -> [UInt8] {
        var object: JSONObject = [
            "message_id": .string(id), "workspace_id": "ws_1", "source_id": "web", "type": .string(type),
            "customer_id": .string(contact),
        ]
        if let name { object["event"] = .string(name) }
        if let properties { object["properties"] = properties }
        return JSONValue.object(object).serializedBytes
    }

    @Test func aReleasedHoldRefusedOverCapIsASettlementRecord() throws {
        let config: JSONValue = [
            "workspace_id": "ws_1", "org_id": "org_a", "plan": "trial", "consent_mode": true,
            "consent_default": "denied", "limits": ["unique_event_names": 1],
        ]
        let later = Self.t0 + 8 * Self.day
        let records = [
            StreamRecord(topic: Topic.workspaceConfig, key: "ws_1", value: config.serializedBytes, timestamp: Self.t0),
            StreamRecord(topic: Topic.rawEvents, key: "ws_1",
                         value: Self.event("m0", "c1", type: "consent", properties: ["analytics": true]), timestamp: Self.t0),
            StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: Self.event("m1", "c1", name: "custom_a"),
                         timestamp: Self.t0 + 1),  // registered: the cap is full
            StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: Self.event("m2", "c1", name: "custom_b"),
                         timestamp: Self.t0 + 2),  // opens grace
            StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: Self.event("m3", "c1", name: "custom_c"),
                         timestamp: later),        // grace expired: over_cap
            StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: Self.event("m4", "c2", name: "custom_d"),
                         timestamp: later + 1),    // c2 has not consented: deferred (raw offset 4)
            StreamRecord(topic: Topic.rawEvents, key: "ws_1",
                         value: Self.event("m5", "c2", type: "consent", properties: ["analytics": true]),
                         timestamp: later + 2),    // releases m4, which is over the cap
        ]
        let run = StreamRun(records)
        #expect(run.lines.compactMap(\.verdict).map(\.summaryKey)
            == ["accepted", "accepted", "accepted", "over_cap/event_name_cap", "deferred/consent_denied", "accepted"])
        let settlement = try #require(run.outputs(of: run.lines[6]).first { $0.record.topic == Topic.eventsOverCap })
        #expect(settlement.value["message_id"] == "m4")
        #expect(settlement.value["released_from_deferral"] == true)
        #expect(settlement.value["expired_from_deferral"] == nil)
        #expect(settlement.value["settled_at_ms"]?.int64 == later + 2)
        #expect(settlement.value["stream_time_ms"]?.int64 == later + 1)
        #expect(settlement.value.origin?.offset == 4)
        expectConservation(run)
        expectSettlementAccounting(run)
    }
}
