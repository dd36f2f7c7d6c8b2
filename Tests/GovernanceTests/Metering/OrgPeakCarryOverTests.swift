import Governance
import JSON
import Testing

/// Issue 14 item 7 (SPEC §6.3): an org's connection peak in a new month counts every
/// workspace of the org whose open connections carried over, also one that has not
/// seen a record in that month yet.
@Suite struct OrgPeakCarryOverTests {
    static let november: StreamTime = 1_793_491_200_000  // 2026-11-01T00:00:00Z
    static let december: StreamTime = 1_796_083_200_000  // 2026-12-01T00:00:00Z

    static func config(_ ws: String) -> StreamRecord {
        let value: JSONValue = ["workspace_id": .string(ws), "org_id": "org_1", "plan": "growth", "mau_mode": "connections"]
        return StreamRecord(topic: Topic.workspaceConfig, key: ws, value: value.serializedBytes, timestamp: november)
    }

    static func connection(_ ws: String, _ id: String, _ action: String, contact: String, at t: StreamTime) -> StreamRecord {
        let value: JSONValue = ["message_id": .string("\(ws)-\(id)-\(action)-\(t)"), "workspace_id": .string(ws),
                                "source_id": "app", "type": "connection", "event": .string(action),
                                "customer_id": .string(contact), "context": ["connection_id": .string(id)]]
        return StreamRecord(topic: Topic.rawEvents, key: ws, value: value.serializedBytes, timestamp: t)
    }

    static func orgPeaks(_ run: StreamRun) -> [JSONValue] {
        run.outputs.filter { $0.topic == Topic.orgUsage }.map { StreamRun.parse($0.value) }
    }

    @Test func aNewMonthsOrgPeakCountsAWorkspaceWhoseConnectionsCarriedOverBeforeItsFirstRecord() {
        var records = [Self.config("ws_a"), Self.config("ws_b")]
        for index in 0..<3 { records.append(Self.connection("ws_a", "a\(index)", "connect", contact: "k\(index)", at: Self.november + 1_000 + Int64(index))) }
        records.append(Self.connection("ws_a", "a0", "disconnect", contact: "k0", at: Self.november + 2_000))
        records.append(Self.connection("ws_b", "b0", "connect", contact: "k9", at: Self.november + 3_000))
        // December: only ws_b sees records; ws_a still has a1 and a2 open.
        records.append(Self.connection("ws_b", "b1", "connect", contact: "k9", at: Self.december + 1_000))
        let run = StreamRun(records)
        let december = Self.orgPeaks(run).filter { $0["month"] == "2026-12" }
        let first = december.first
        #expect(first?["peaks"]?["ws_a"]?.int64 == 2, "\(december.map(\.serialized))")
        #expect(december.last?["peak_sum"]?.int64 == 4, "\(december.map(\.serialized))")
        #expect(december.last?["peaks"]?["ws_b"]?.int64 == 2)
    }

    @Test func aWorkspaceWhoseConnectionsAllClosedDoesNotCarryOver() {
        let run = StreamRun([
            Self.config("ws_a"), Self.config("ws_b"),
            Self.connection("ws_a", "a0", "connect", contact: "k0", at: Self.november + 1_000),
            Self.connection("ws_a", "a0", "disconnect", contact: "k0", at: Self.november + 2_000),
            Self.connection("ws_b", "b0", "connect", contact: "k9", at: Self.december + 1_000),
        ])
        let december = Self.orgPeaks(run).filter { $0["month"] == "2026-12" }
        #expect(december.map(\.serialized) == [
            #"{"kind":"org_connections_peak","org_id":"org_1","month":"2026-12","peak_sum":1,"peaks":{"ws_b":1}}"#,
        ])
    }

    /// When the carried-over workspace then sees its own first December record, its
    /// report (peak = open at month start) changes nothing further.
    @Test func theCarriedWorkspacesOwnFirstRecordAgreesWithTheCarriedCount() {
        let run = StreamRun([
            Self.config("ws_a"), Self.config("ws_b"),
            Self.connection("ws_a", "a0", "connect", contact: "k0", at: Self.november + 1_000),
            Self.connection("ws_a", "a1", "connect", contact: "k1", at: Self.november + 1_001),
            Self.connection("ws_b", "b0", "connect", contact: "k9", at: Self.december + 1_000),
            Self.connection("ws_a", "a1", "disconnect", contact: "k1", at: Self.december + 2_000),
        ])
        let december = Self.orgPeaks(run).filter { $0["month"] == "2026-12" }
        #expect(december.map { $0["peak_sum"]?.int64 } == [3])
        #expect(december.first?["peaks"]?["ws_a"]?.int64 == 2)
    }

    /// SPEC §6.3, months of the record's timestamp: a late November connect, after both
    /// workspaces started December, raises ws_a's November peak, and the org record of
    /// November sums the workspaces' November peaks (not December's).
    @Test func aLateRecordsOrgPeakSumsItsOwnMonthsWorkspacePeaks() {
        let run = StreamRun([
            Self.config("ws_a"), Self.config("ws_b"),
            Self.connection("ws_a", "a0", "connect", contact: "k0", at: Self.november + 1_000),
            Self.connection("ws_b", "b0", "connect", contact: "k9", at: Self.november + 2_000),
            Self.connection("ws_b", "b1", "connect", contact: "k8", at: Self.november + 3_000),
            Self.connection("ws_b", "b1", "disconnect", contact: "k8", at: Self.november + 4_000),
            Self.connection("ws_a", "a1", "connect", contact: "k1", at: Self.december + 1_000),
            Self.connection("ws_a", "a2", "connect", contact: "k2", at: Self.december + 2_000),
            Self.connection("ws_b", "b2", "connect", contact: "k7", at: Self.december + 3_000),
            Self.connection("ws_a", "a3", "connect", contact: "k3", at: Self.december - 1_000),  // late
        ])
        let peaks = Self.orgPeaks(run)
        #expect(peaks.last?.serialized
            == #"{"kind":"org_connections_peak","org_id":"org_1","month":"2026-11","peak_sum":6,"peaks":{"ws_a":4,"ws_b":2}}"#,
            "\(peaks.map(\.serialized))")
        let december = peaks.filter { $0["month"] == "2026-12" }
        #expect(december.last?["peak_sum"]?.int64 == 5, "\(december.map(\.serialized))")
    }
}
