import Foundation
import Governance
import JSON
import Testing
@testable import Governance

/// Flood tests (issue 14 item 5, SPEC §11 "memory stays bounded"): 200,000 distinct
/// ids, deleted contacts, names and holds (debug builds on a shared machine: a million
/// took minutes; the bounds are scaled down with the flood); each structure stays at its bound, counts
/// what it evicted, and the process's resident memory grows by less than
/// `rssGrowthLimitKB` per flood (docs/RELIABILITY.md).
@Suite(.serialized) struct MemoryBoundTests {
    static let flood = 200_000
    static let rssGrowthLimitKB = 256 * 1024
    static let t0: StreamTime = 1_795_000_000_000

    /// VmRSS of this process in kB, from /proc/self/status.
    static func residentKB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    static func expectRSSGrowthUnderLimit(since before: Int, _ what: String) {
        let growth = residentKB() - before
        print("MemoryBoundTests: \(what): RSS grew by \(growth / 1024) MB")
        #expect(growth < rssGrowthLimitKB, "\(what): RSS grew by \(growth) kB")
    }

    @Test func aFloodOfDistinctMessageIDsKeepsTheDedupWindowAtItsBound() {
        let before = Self.residentKB()
        var window = DedupWindow(maxEntries: 20_000)
        var evicted = 0
        for index in 0..<Self.flood { evicted += window.record("m\(index)", at: Self.t0 + Int64(index / 100)) }
        #expect(window.count == 20_000)
        #expect(evicted == Self.flood - 20_000)
        // The newest ids are the ones kept.
        #expect(window.isDuplicate("m\(Self.flood - 1)", at: Self.t0 + 10_000))
        #expect(!window.isDuplicate("m0", at: Self.t0 + 10_000))
        Self.expectRSSGrowthUnderLimit(since: before, "200,000 message ids")
    }

    @Test func aFloodOfDeletedContactsKeepsTheDeletionsAtTheirBound() {
        let before = Self.residentKB()
        var state = WorkspaceState(workspaceID: "ws_1", dedupMaxEntries: 10)
        var forgotten = 0
        for index in 0..<Self.flood {
            state.deletedContacts["c\(index)"] = Self.t0 + Int64(index)
            forgotten += state.forgetOldestDeletions(keeping: 10_000)
        }
        #expect(state.deletedContacts.count <= 10_000 && state.deletedContacts.count >= 9_000)
        #expect(forgotten == Self.flood - state.deletedContacts.count)
        #expect(state.deletedContacts["c\(Self.flood - 1)"] != nil && state.deletedContacts["c0"] == nil)
        Self.expectRSSGrowthUnderLimit(since: before, "200,000 deleted contacts")
    }

    @Test func theEngineCountsForgottenDeletionsAndEvictedIDs() {
        var run = OfflineRun(settings: EngineSettings(dedupMaxEntries: 2_000, deletedContactsMax: 500, wallClock: { 0 }))
        var out: [OutputRecord] = []
        let config: JSONValue = ["workspace_id": "ws_1", "org_id": "o", "plan": "enterprise",
                                 "limits": ["contact_events_per_second": -1, "source_events_per_second": -1,
                                            "workspace_events_per_second": -1]]
        _ = run.feed(line: 1, topic: Topic.workspaceConfig, key: "ws_1", value: config.serializedBytes, timestamp: Self.t0,
                     into: &out)
        for index in 0..<5_000 {
            let value: JSONValue = ["message_id": .string("d\(index)"), "workspace_id": "ws_1", "source_id": "crm",
                                    "type": "delete", "customer_id": .string("c\(index)")]
            _ = run.feed(line: index + 2, topic: Topic.rawEvents, key: "ws_1", value: value.serializedBytes,
                         timestamp: Self.t0 + Int64(index), into: &out)
            out.removeAll(keepingCapacity: true)
        }
        let state = run.engine.workspaces.states["ws_1"]
        #expect((state?.deletedContacts.count ?? 0) <= 500)
        #expect(run.engine.evictions.deletedContacts == 5_000 - (state?.deletedContacts.count ?? 0))
        #expect(run.engine.evictions.dedupIDs == 3_000)
    }

    @Test func aFloodOfDistinctNamesKeepsAnUnlimitedRegistryAtTenThousand() {
        let before = Self.residentKB()
        var registry = NameRegistry()
        for index in 0..<Self.flood { _ = registry.admit("custom_\(index)", cap: nil, at: Self.t0 + Int64(index)) }
        #expect(registry.size == 10_000)
        Self.expectRSSGrowthUnderLimit(since: before, "200,000 names")
    }

    @Test func aFloodOfHoldsOfOneContactKeepsAHundred() {
        let before = Self.residentKB()
        var ledger = ConsentLedger<Int>()
        var overflowed = 0
        for index in 0..<Self.flood {
            overflowed += ledger.hold(index, category: .analytics, contact: "c1", at: Self.t0 + Int64(index) * Millis.minute).count
        }
        #expect(ledger.holds["c1"]?.holds.count == 100)
        #expect(overflowed == Self.flood - 100)
        // The expiry index keeps stale entries only until they come due (30 days).
        _ = ledger.settleExpired(at: Self.t0 + Int64(Self.flood) * Millis.minute + 30 * Millis.day)
        #expect(ledger.holds.isEmpty && ledger.expiryIndex.buckets.isEmpty)
        Self.expectRSSGrowthUnderLimit(since: before, "200,000 holds")
    }
}
