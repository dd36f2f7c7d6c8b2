import Foundation
import Governance
import JSON
import Testing
@testable import Governance

/// Flood tests (issue 14 item 5, SPEC §11 "memory stays bounded"): 1,000,000 distinct
/// message ids, deleted contacts, consent states, open connections, names and holds,
/// generated in memory; each structure stays at its bound (scaled down to 100,000 or
/// less so the bound is reached many times over), counts what it evicted, and the
/// process's resident memory grows by less than `rssGrowthLimitKB` per flood
/// (docs/RELIABILITY.md). Run alone: other suites running in parallel move VmRSS.
@Suite(.serialized) struct MemoryBoundTests {
    static let flood = 1_000_000
    static let rssGrowthLimitKB = 256 * 1024
    static let t0: StreamTime = 1_795_000_000_000

    /// Peak resident memory may exceed the growth bound while a bound's sort runs, but not twice over.
    static let peakGrowthLimitKB = 2 * rssGrowthLimitKB

    /// A field of /proc/self/status (`VmRSS`, `VmHWM`) in kB.
    static func statusKB(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("\(field):") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// VmRSS of this process in kB.
    static func residentKB() -> Int { statusKB("VmRSS") }

    /// Resets the peak (VmHWM) to the current resident size (`5` to /proc/self/clear_refs,
    /// Linux ≥ 4.0) and returns the resident size, the baseline of a flood.
    static func startMeasuring() -> Int {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return residentKB()
    }

    /// The flood's growth: resident now and at its peak (the peak includes whatever
    /// suites running in parallel allocate; run the suite alone for clean figures).
    static func expectRSSGrowthUnderLimit(since before: Int, _ what: String) {
        let growth = residentKB() - before
        let peak = statusKB("VmHWM") - before
        print("MemoryBoundTests: \(what): RSS grew by \(growth / 1024) MB, peak \(peak / 1024) MB above the start")
        #expect(growth < rssGrowthLimitKB, "\(what): RSS grew by \(growth) kB")
        #expect(peak < peakGrowthLimitKB, "\(what): peak RSS \(peak) kB above the start")
    }

    @Test func aFloodOfDistinctMessageIDsKeepsTheDedupWindowAtItsBound() {
        let before = Self.startMeasuring()
        var window = DedupWindow(maxEntries: 100_000)
        var evicted = 0
        for index in 0..<Self.flood {
            evicted += window.record("m\(index)", at: Self.t0 + Int64(index / 100))
            if index % 10_000 == 0 { _ = window.segments.drainChanges() }  // as each commit does
        }
        #expect(window.count == 100_000)
        #expect(evicted == Self.flood - 100_000)
        // The newest ids are the ones kept.
        #expect(window.isDuplicate("m\(Self.flood - 1)", at: Self.t0 + 10_000))
        #expect(!window.isDuplicate("m0", at: Self.t0 + 10_000))
        Self.expectRSSGrowthUnderLimit(since: before, "1,000,000 message ids")
    }

    @Test func aFloodOfDeletedContactsKeepsTheDeletionsAtTheirBound() {
        let before = Self.startMeasuring()
        var state = WorkspaceState(workspaceID: "ws_1", dedupMaxEntries: 10)
        var forgotten = 0
        for index in 0..<Self.flood {
            state.deletedContacts["c\(index)"] = Self.t0 + Int64(index)
            forgotten += state.forgetOldestDeletions(keeping: 100_000)
            if index % 10_000 == 0 { _ = state.deletedContacts.drainChanges() }  // as each commit does
        }
        #expect(state.deletedContacts.count <= 100_000 && state.deletedContacts.count >= 90_000)
        #expect(forgotten == Self.flood - state.deletedContacts.count)
        #expect(state.deletedContacts["c\(Self.flood - 1)"] != nil && state.deletedContacts["c0"] == nil)
        Self.expectRSSGrowthUnderLimit(since: before, "1,000,000 deleted contacts")
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
        let before = Self.startMeasuring()
        var registry = NameRegistry()
        for index in 0..<Self.flood { _ = registry.admit("custom_\(index)", cap: nil, at: Self.t0 + Int64(index)) }
        #expect(registry.size == 10_000)
        Self.expectRSSGrowthUnderLimit(since: before, "1,000,000 names")
    }

    @Test func aFloodOfHoldsOfOneContactKeepsAHundred() {
        let before = Self.startMeasuring()
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
        Self.expectRSSGrowthUnderLimit(since: before, "1,000,000 holds")
    }

    @Test func aFloodOfConsentStatesKeepsTheLedgerAtItsBound() {
        let before = Self.startMeasuring()
        var ledger = ConsentLedger<Int>()
        var forgotten = 0
        let denied: JSONObject = ["analytics": false, "marketing": false]
        for index in 0..<Self.flood {
            _ = ledger.recordConsent(contact: "c\(index)", properties: denied, defaultGranted: true, at: Self.t0 + Int64(index))
            forgotten += ledger.forgetOldestConsents(keeping: 100_000)
            if index % 10_000 == 0 { _ = ledger.consents.drainChanges() }  // as each commit does
        }
        #expect(ledger.consents.count <= 100_000 && ledger.consents.count >= 90_000)
        #expect(forgotten == Self.flood - ledger.consents.count)
        // The newest states are kept; a forgotten contact falls back to the default.
        #expect(!ledger.isGranted(.analytics, contact: "c\(Self.flood - 1)", defaultGranted: true))
        #expect(ledger.isGranted(.analytics, contact: "c0", defaultGranted: true))
        Self.expectRSSGrowthUnderLimit(since: before, "1,000,000 consent states")
    }

    @Test func aFloodOfConnectionsThatNeverDisconnectKeepsTheOpenCountAtItsBound() {
        let before = Self.startMeasuring()
        var meter = UsageMeter(workspaceID: "ws_1")
        var plan = UsagePlan(mode: .connections, mauIncluded: -1, eventsPerMonth: -1, peakConcurrentConnections: -1)
        plan.openConnectionsMax = 100_000
        var closed = 0
        // A million connects within one day (no idle expiry): only the bound closes them.
        for index in 0..<Self.flood {
            let connect = MeteredEvent(contactKey: "c\(index % 1_000)", event: "connect", messageID: "m",
                                       role: .connect(connectionID: "conn\(index)"))
            closed += meter.recordAccepted(connect, at: Self.t0 + Int64(index / 20), plan: plan).closedConnections
            if index % 10_000 == 0 {  // as each commit does
                _ = meter.connections.open.drainChanges()
                _ = meter.connections.openedAt.drainChanges()
                _ = meter.months.first.connectedContacts.drainChanges()
            }
        }
        #expect(meter.connections.current <= 100_000 && meter.connections.current >= 90_000)
        #expect(meter.connections.openedAt.count == meter.connections.open.count)
        #expect(closed == Self.flood - Int(meter.connections.current))
        #expect(meter.currentMonth.peak == 100_000)
        #expect(meter.connections.open["conn\(Self.flood - 1)"] != nil && meter.connections.open["conn0"] == nil)
        Self.expectRSSGrowthUnderLimit(since: before, "1,000,000 open connections")
    }

    @Test func aFloodOfNamesWithACapKeepsTheRegistryAtTheCap() {
        let before = Self.startMeasuring()
        var registry = NameRegistry()
        for index in 0..<Self.flood { _ = registry.admit("custom_\(index)", cap: 500, at: Self.t0 + Int64(index)) }
        #expect(registry.size == 500)
        Self.expectRSSGrowthUnderLimit(since: before, "1,000,000 names, cap 500")
    }

    /// A connection without a connect for 31 days of stream time stops counting as open;
    /// the month's peak it helped reach stays; a repeated connect keeps a connection alive.
    @Test func anOpenConnectionIdleFor31DaysStopsCountingAsOpen() {
        var meter = UsageMeter(workspaceID: "ws_1")
        let plan = UsagePlan(mode: .connections, mauIncluded: -1, eventsPerMonth: -1, peakConcurrentConnections: -1)
        func connect(_ id: String, at t: StreamTime) -> UsageEffects {
            meter.recordAccepted(MeteredEvent(contactKey: "c1", event: "connect", messageID: "m", role: .connect(connectionID: id)),
                                 at: t, plan: plan)
        }
        let t0 = MeteringFixtures.december
        let idle = ConnectionMeter.maxIdle
        #expect(idle == 31 * Millis.day)
        _ = connect("a", at: t0)
        _ = connect("b", at: t0 + Millis.day)
        _ = connect("b", at: t0 + 20 * Millis.day)  // refreshes b
        // January starts exactly 31 days after a's connect: both still count in its peak.
        let january = meter.recordVerdict(reason: "duplicate", at: t0 + idle, plan: plan)
        #expect(january.closedConnections == 0 && meter.connections.current == 2 && meter.currentMonth.peak == 2)
        #expect(meter.monthKey == "2027-01")
        // One millisecond later a has been idle for more than 31 days: it closes.
        let afterIdle = meter.recordVerdict(reason: "duplicate", at: t0 + idle + 1, plan: plan)
        #expect(afterIdle.closedConnections == 1)
        #expect(meter.connections.current == 1 && meter.connections.open["b"] != nil)
        #expect(afterIdle.connectionsReport?.open == 1)
        #expect(meter.currentMonth.peak == 2)
        let later = meter.recordVerdict(reason: "duplicate", at: t0 + 20 * Millis.day + idle + 1, plan: plan)
        #expect(later.closedConnections == 1 && meter.connections.current == 0 && meter.connections.openedAt.isEmpty)
    }

    /// The engine counts what the bounds on consent states, open connections and all
    /// dedup windows of the partition together evicted (`governor_evictions_total`).
    @Test func theEngineCountsConsentConnectionAndPartitionDedupEvictions() {
        var settings = EngineSettings(dedupMaxEntries: 10_000, wallClock: { 0 })
        settings.consentStatesMax = 100
        settings.openConnectionsMax = 50
        settings.partitionDedupMaxEntries = 1_000
        var run = OfflineRun(settings: settings)
        var out: [OutputRecord] = []
        let unlimited: JSONValue = ["contact_events_per_second": -1, "source_events_per_second": -1,
                                    "workspace_events_per_second": -1]
        let configs: [JSONValue] = [
            ["workspace_id": "ws_1", "org_id": "o", "plan": "enterprise", "limits": unlimited, "consent_mode": true,
             "consent_default": "granted"],
            ["workspace_id": "ws_2", "org_id": "o", "plan": "enterprise", "limits": unlimited, "mau_mode": "connections"],
            ["workspace_id": "ws_3", "org_id": "o", "plan": "enterprise", "limits": unlimited],
        ]
        var line = 0
        func feed(_ topic: String, _ key: String, _ value: JSONValue, at t: StreamTime) {
            line += 1
            _ = run.feed(line: line, topic: topic, key: key, value: value.serializedBytes, timestamp: t, into: &out)
            out.removeAll(keepingCapacity: true)
        }
        for config in configs { feed(Topic.workspaceConfig, config["workspace_id"]!.stringValue!, config, at: Self.t0) }
        for index in 0..<500 {
            let t = Self.t0 + Int64(index) * 3
            feed(Topic.rawEvents, "ws_1", ["message_id": .string("k\(index)"), "workspace_id": "ws_1", "source_id": "web",
                                          "type": "consent", "customer_id": .string("c\(index)"),
                                          "properties": ["marketing": false]], at: t)
            if index < 300 {
                feed(Topic.rawEvents, "ws_2", ["message_id": .string("n\(index)"), "workspace_id": "ws_2", "source_id": "web",
                                              "type": "connection", "event": "connect", "customer_id": .string("c\(index)"),
                                              "context": ["connection_id": .string("conn\(index)")]], at: t + 1)
            }
            feed(Topic.rawEvents, "ws_3", ["message_id": .string("t\(index)"), "workspace_id": "ws_3", "source_id": "web",
                                          "type": "track", "event": "page_view", "customer_id": .string("c\(index)")], at: t + 2)
        }
        let states = run.engine.workspaces.states
        let consents = states["ws_1"]?.consent.consents.count ?? 0
        #expect(consents <= 100 && consents >= 90)
        #expect(run.engine.evictions.consentStates == 500 - consents)
        let open = Int(states["ws_2"]?.meter.connections.current ?? 0)
        #expect(open <= 50 && open >= 45)
        #expect(run.engine.evictions.openConnections == 300 - open)
        let ids = states.values.reduce(0) { $0 + $1.dedup.count }
        #expect(ids <= 1_000 && ids >= 900)
        #expect(run.engine.evictions.partitionDedupIDs == 1_300 - ids)
        #expect(run.engine.evictions.dedupIDs == 0)
        // The newest ids of every workspace are kept, the oldest overall went.
        #expect(states["ws_3"]?.dedup.isDuplicate("t499", at: Self.t0 + 2_000) == true)
        #expect(states["ws_1"]?.dedup.isDuplicate("k0", at: Self.t0 + 2_000) == false)
    }
}
