import Governance
import Testing
@testable import Pipeline

/// The rolling-30-day expiry index is derived from the identified contacts: a
/// checkpoint holds the contacts only, a restore rebuilds the index, and a changelog
/// written while the queue was checkpointed (path `identifiedExpiry`) still restores,
/// its queue entries tombstoned by the next checkpoint so compaction drops them.
@Suite struct RollingExpiryCheckpointTests {
    let settings = EngineSettings(wallClock: { 0 })
    let plan = UsagePlan(mode: .identifiedRolling30d, mauIncluded: -1, eventsPerMonth: -1, peakConcurrentConnections: -1)
    let t0: StreamTime = 1_795_000_000_000

    func engine(contacts: Int) -> GovernanceEngine {
        var engine = GovernanceEngine(settings: settings)
        engine.restore(WorkspaceState(workspaceID: "ws_r", dedupMaxEntries: settings.dedupMaxEntries))
        engine.withWorkspace("ws_r") { state in
            for i in 0..<contacts {
                let event = MeteredEvent(contactKey: "contact-with-a-long-key-\(i)", event: "identify", messageID: "m\(i)", role: .identify)
                _ = state.meter.recordAccepted(event, at: t0 + Int64(i) * 10 * Millis.minute, plan: plan)
            }
        }
        return engine
    }

    func restore(_ entries: [StateCheckpoint.Entry]) throws -> GovernanceEngine {
        var log: [[UInt8]: [UInt8]] = [:]
        for entry in entries { log[entry.key] = entry.value }
        return try StateCheckpoint().restore(log, settings: settings).0
    }

    @Test func aCheckpointHoldsTheContactsAndARestoreRebuildsTheExpiryIndex() throws {
        var original = engine(contacts: 100)
        var org = OrgStage()
        let entries = try StateCheckpoint().snapshot(engine: &original, org: &org)
        // The scalars and one entry per contact: no expiry entries.
        #expect(entries.count == 1 + 100)
        var restored = try restore(entries)
        let expected = original.workspaces[existing: "ws_r"].meter.rolling
        #expect(restored.workspaces[existing: "ws_r"].meter.rolling == expected)
        // The rebuilt index expires like the built one: 10 minutes per contact.
        let later = t0 + 30 * Millis.day + 495 * Millis.minute
        for var engine in [original, restored] {
            engine.withWorkspace("ws_r") { state in
                _ = state.meter.recordAccepted(MeteredEvent(contactKey: "x", event: "ping", messageID: "p", role: .active), at: later, plan: plan)
                #expect(state.meter.mau(.identifiedRolling30d) == 50)
            }
        }
        #expect(try StateCheckpoint().drainChanges(engine: &restored, org: &org).isEmpty)
    }

    @Test func aChangelogThatCheckpointedTheQueueRestoresAndTombstonesIt() throws {
        var original = engine(contacts: 12)
        // What the checkpoint used to write: the queue's hour buckets under `identifiedExpiry`.
        let rolling = original.workspaces[existing: "ws_r"].meter.rolling
        var buckets: [Int64: [TimeBucketQueue<String>.Entry]] = [:]
        for (key, t) in rolling.lastIdentified { buckets[t / Millis.hour, default: []].append(.init(time: t, element: key)) }
        original.withWorkspace("ws_r") { state in
            for (bucket, entries) in buckets { state.meter.rolling.legacyExpiry[bucket] = entries }
        }
        var org = OrgStage()
        let old = try StateCheckpoint().snapshot(engine: &original, org: &org)
        #expect(old.count == 1 + 12 + buckets.count)
        var restored = try restore(old)
        #expect(restored.workspaces[existing: "ws_r"].meter.rolling == rolling)
        #expect(restored.workspaces[existing: "ws_r"].meter.rolling.legacyExpiry.isEmpty)
        // The next checkpoint deletes every old queue record, and nothing else.
        let next = try StateCheckpoint().drainChanges(engine: &restored, org: &org)
        let oldQueueKeys = Set(old.map(\.key)).subtracting(try StateCheckpoint().snapshot(engine: &restored, org: &org).map(\.key))
        #expect(oldQueueKeys.count == buckets.count)
        #expect(Set(next.map(\.key)) == oldQueueKeys && next.allSatisfy { $0.value == nil })
    }
}
