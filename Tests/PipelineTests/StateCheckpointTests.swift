import Governance
import JSON
import RecordFile
import Testing
@testable import Pipeline

/// The changelog's state entries restore exactly the state that wrote them, and a
/// restored engine goes on to produce exactly what the original produces.
@Suite struct StateCheckpointTests {
    struct Driver {
        var engine = GovernanceEngine(settings: EngineSettings(wallClock: { 7 }))
        var org = OrgStage()
        var configs = TimestampedConfigTable()
        var offset: Int64 = 0

        mutating func feed(_ line: RecordLine) -> [OutputRecord] {
            var out: [OutputRecord] = []
            offset += 1
            switch line.topic {
            case "workspace-config":
                if case .success(let config) = WorkspaceConfig.parse(line.value ?? [], key: line.key) {
                    configs.add(ConfigVersion(sequence: offset, timestamp: line.timestampMs, config: config))
                }
            default:
                let record = InputRecord(origin: Origin(topic: line.topic, partition: 0, offset: offset), key: line.key,
                                         value: line.value, timestamp: line.timestampMs)
                _ = engine.process(record, configs: configs, into: &out)
                var index = 0
                while index < out.count {
                    if out[index].topic == Topic.notificationRequests {
                        try? org.process(value: out[index].value, timestamp: out[index].timestamp, into: &out)
                    }
                    index += 1
                }
            }
            return out
        }
    }

    private func expectSameState(_ a: Driver, _ b: Driver) {
        #expect(a.engine.workspaces.ids.sorted() == b.engine.workspaces.ids.sorted())
        for id in a.engine.workspaces.ids {
            guard let x = a.engine.workspaces[id], let y = b.engine.workspaces[id] else {
                Issue.record("workspace \(id) missing after restore")
                continue
            }
            let parts: [(String, Bool)] = [
                ("applied", x.applied == y.applied), ("rateLimiter", x.rateLimiter == y.rateLimiter),
                ("dedup", x.dedup == y.dedup), ("registry", x.registry == y.registry),
                ("deletedContacts", x.deletedContacts == y.deletedContacts), ("consent", x.consent == y.consent),
                ("meter", x.meter == y.meter), ("messaging", x.messaging == y.messaging),
            ]
            for (name, same) in parts where !same { Issue.record("workspace \(id): \(name) differs after restore") }
        }
        #expect(a.org == b.org)
    }

    @Test func deltasRestoreTheStateAndTheRestoredEngineContinuesIdentically() throws {
        let lines = Array(DemoWorkload(events: 6_000, seed: 7))
        let checkpoint = StateCheckpoint()
        var original = Driver()
        var log: [[UInt8]: [UInt8]] = [:]
        for (i, line) in lines.prefix(3_000).enumerated() {
            _ = original.feed(line)
            if i % 250 == 249 || i == 2_999 {
                for entry in try checkpoint.drainChanges(engine: &original.engine, org: &original.org) {
                    log[entry.key] = entry.value
                }
            }
        }
        var restored = Driver()
        (restored.engine, restored.org) = try checkpoint.restore(log, settings: original.engine.settings)
        restored.configs = original.configs
        restored.offset = original.offset
        expectSameState(original, restored)
        for line in lines.dropFirst(3_000) {
            let a = original.feed(line)
            let b = restored.feed(line)
            #expect(a == b)
            if a != b { break }
        }
        expectSameState(original, restored)
    }

    @Test func aSnapshotAloneRestoresTheState() throws {
        let checkpoint = StateCheckpoint()
        var original = Driver()
        for line in DemoWorkload(events: 3_000, seed: 11) { _ = original.feed(line) }
        let entries = try checkpoint.snapshot(engine: &original.engine, org: &original.org)
        var state: [[UInt8]: [UInt8]] = [:]
        for entry in entries { state[entry.key] = entry.value }
        var restored = Driver()
        (restored.engine, restored.org) = try checkpoint.restore(state, settings: original.engine.settings)
        expectSameState(original, restored)
        #expect(try checkpoint.drainChanges(engine: &original.engine, org: &original.org).isEmpty)
    }

    /// A changelog written before dedup segments holds one entry per message id under map
    /// path `dedup`: it restores the same window, and the next cut writes the ids as
    /// segments and a tombstone for every old key, so the log then restores without them.
    @Test func aChangelogWithOneEntryPerDedupIDRestoresAndIsRewrittenAsSegments() throws {
        let checkpoint = StateCheckpoint()
        var original = Driver()
        for line in DemoWorkload(events: 3_000, seed: 13) { _ = original.feed(line) }
        let keyEncoder = BinaryStateEncoder(userInfo: [.canonicalStrings: true])
        let decoder = BinaryStateDecoder()
        var log: [[UInt8]: [UInt8]] = [:]
        var legacyKeys = 0
        for entry in try checkpoint.snapshot(engine: &original.engine, org: &original.org) {
            guard case .mapEntry(let ws, "dedupSegments", _)? = StateKey(bytes: entry.key), let value = entry.value else {
                log[entry.key] = entry.value
                continue
            }
            let segment = try decoder.decode(DedupSegment.self, from: value)
            let prefix = StateKey.mapPrefix(owner: StateKey.mapOwner(workspace: ws, after: []), path: "dedup")
            for (id, t0) in zip(segment.ids, segment.times) {
                log[prefix + (try keyEncoder.encode(id))] = try BinaryStateEncoder().encode(t0)
                legacyKeys += 1
            }
        }
        #expect(legacyKeys > 1_000)
        var restored = Driver()
        (restored.engine, restored.org) = try checkpoint.restore(log, settings: original.engine.settings)
        expectSameState(original, restored)

        let rewrite = try checkpoint.drainChanges(engine: &restored.engine, org: &restored.org)
        let paths = rewrite.compactMap { entry -> (String, Bool)? in
            guard case .mapEntry(_, let path, _)? = StateKey(bytes: entry.key) else { return nil }
            return (path, entry.value == nil)
        }
        #expect(paths.filter { $0.0 == "dedup" && $0.1 }.count == legacyKeys)
        #expect(paths.contains { $0.0 == "dedupSegments" && !$0.1 })
        for entry in rewrite { log[entry.key] = entry.value }
        let live = log.compactMapValues { $0 }
        #expect(!live.keys.contains { if case .mapEntry(_, "dedup", _)? = StateKey(bytes: $0) { true } else { false } })
        var again = Driver()
        (again.engine, again.org) = try checkpoint.restore(live, settings: original.engine.settings)
        expectSameState(original, again)
    }

    /// Both month slots of the usage meter and both day slots of the messaging caps
    /// (late records fill the older ones) go through the changelog and a snapshot and
    /// restore equal; the restored engine goes on identically.
    @Test func bothMonthAndDaySlotsRestore() throws {
        let december: Int64 = 1_796_083_200_000  // 2026-12-01T00:00:00Z
        var original = Driver()
        var log: [[UInt8]: [UInt8]] = [:]
        _ = original.feed(line("workspace-config", "ws_o", 1_795_000_000_000,
                               #"{"workspace_id":"ws_o","org_id":"org_o","plan":"trial","mau_mode":"connections"}"#))
        func connect(_ id: String, _ contact: String, at t: Int64) -> RecordLine {
            line("raw-events", "ws_o", t, #"{"message_id":"\#(id)","workspace_id":"ws_o","source_id":"app","type":"connection","event":"connect","customer_id":"\#(contact)","context":{"connection_id":"\#(id)"}}"#)
        }
        _ = original.feed(connect("a", "k1", at: december - 5_000))
        _ = original.feed(outbound("o1", contact: "c1", at: december - 5_000))
        try applyChanges(&original, to: &log)
        _ = original.feed(connect("b", "k2", at: december + 1_000))
        _ = original.feed(outbound("o2", contact: "c2", at: december + 1_000))
        _ = original.feed(connect("c", "k3", at: december - 1_000))  // late: November
        _ = original.feed(outbound("o3", contact: "c1", at: december - 1_000))  // late: November 30
        try applyChanges(&original, to: &log)
        let meter = try #require(original.engine.workspaces["ws_o"]?.meter)
        #expect(meter.months.first.month != nil && meter.months.second.month != nil)
        #expect(meter.months.first.connectedContacts.count + meter.months.second.connectedContacts.count == 3)
        let caps = try #require(original.engine.workspaces["ws_o"]?.messaging)
        #expect(caps.days.first.day != nil && caps.days.second.day != nil)
        var restored = Driver()
        (restored.engine, restored.org) = try StateCheckpoint().restore(log, settings: original.engine.settings)
        restored.configs = original.configs
        restored.offset = original.offset
        expectSameState(original, restored)
        let snapshot = try StateCheckpoint().snapshot(engine: &original.engine, org: &original.org)
        var state: [[UInt8]: [UInt8]] = [:]
        for entry in snapshot { state[entry.key] = entry.value }
        var fromSnapshot = Driver()
        (fromSnapshot.engine, fromSnapshot.org) = try StateCheckpoint().restore(state, settings: original.engine.settings)
        expectSameState(original, fromSnapshot)
        for next in [connect("d", "k4", at: december - 500), outbound("o4", contact: "c1", at: december - 500),
                     outbound("o5", contact: "c2", at: december + 2_000)] {
            #expect(restored.feed(next) == original.feed(next))
        }
        expectSameState(original, restored)
    }

    private func line(_ topic: String, _ key: String, _ t: Int64, _ json: String) -> RecordLine {
        RecordLine(line: 0, topic: topic, key: key, timestampMs: t, value: Array(json.utf8))
    }

    private func outbound(_ id: String, contact: String, at t: Int64) -> RecordLine {
        line("outbound-messages", "ws_o", t,
             #"{"message_id":"\#(id)","workspace_id":"ws_o","contact_key":"\#(contact)","channel":"email"}"#)
    }

    private func applyChanges(_ driver: inout Driver, to log: inout [[UInt8]: [UInt8]]) throws {
        for entry in try StateCheckpoint().drainChanges(engine: &driver.engine, org: &driver.org) { log[entry.key] = entry.value }
    }

    @Test func aWorkspaceWithOnlyOutboundMessagesCheckpointsItsMessagingDay() throws {
        let day: Int64 = 86_400_000
        var original = Driver()
        var log: [[UInt8]: [UInt8]] = [:]
        _ = original.feed(line("workspace-config", "ws_o", 1_795_000_000_000,
                               #"{"workspace_id":"ws_o","org_id":"org_o","plan":"trial"}"#))
        _ = original.feed(outbound("o1", contact: "c1", at: 1_795_000_000_000))
        try applyChanges(&original, to: &log)
        // The next day: only outbound traffic; the day moves and the counts restart.
        _ = original.feed(outbound("o2", contact: "c1", at: 1_795_000_000_000 + day))
        _ = original.feed(outbound("o3", contact: "c1", at: 1_795_000_000_000 + day))
        try applyChanges(&original, to: &log)
        var restored = Driver()
        (restored.engine, restored.org) = try StateCheckpoint().restore(log, settings: original.engine.settings)
        restored.configs = original.configs
        restored.offset = original.offset
        #expect(restored.engine.workspaces["ws_o"]?.messaging == original.engine.workspaces["ws_o"]?.messaging)
        let next = outbound("o4", contact: "c1", at: 1_795_000_000_000 + day + 1)
        #expect(restored.feed(next) == original.feed(next))
    }

    @Test func nfcAndNfdSpellingsOfAContactAreOneChangelogKey() throws {
        let nfc = "Jos\u{E9}", nfd = "Jose\u{301}"
        #expect(nfc == nfd && Array(nfc.utf8) != Array(nfd.utf8))
        var original = Driver()
        var keys: [[UInt8]] = []
        var log: [[UInt8]: [UInt8]] = [:]
        _ = original.feed(line("workspace-config", "ws_o", 1_795_000_000_000,
                               #"{"workspace_id":"ws_o","org_id":"org_o","plan":"trial","limits":{"messages_per_contact_per_day":-1}}"#))
        for (i, contact) in [nfd, nfc, nfd].enumerated() {
            _ = original.feed(outbound("m\(i)", contact: contact, at: 1_795_000_000_000 + Int64(i)))
            let entries = try StateCheckpoint().drainChanges(engine: &original.engine, org: &original.org)
            for entry in entries { log[entry.key] = entry.value }
            keys += entries.map(\.key).filter { $0.first == UInt8(ascii: "m") && String(decoding: $0, as: UTF8.self).contains("Jos") }
        }
        #expect(Set(keys).count == 1, "one contact became \(Set(keys).count) changelog keys")
        #expect(keys.allSatisfy { String(decoding: $0, as: UTF8.self).contains(nfc) && !$0.contains(0xCC) })
        let snapshot = try StateCheckpoint().snapshot(engine: &original.engine, org: &original.org)
        #expect(Set(snapshot.map(\.key)).isSuperset(of: keys))
        let (engine, _) = try StateCheckpoint().restore(log, settings: original.engine.settings)
        // One day counted: its slot holds the count (the other is unused).
        let days = engine.workspaces["ws_o"]?.messaging.days
        #expect((days?.first.counts[nfd] ?? days?.second.counts[nfd]) == 3)
    }

    @Test func aSnapshotWritesTombstonesForEntriesDeletedSinceTheLastCheckpoint() throws {
        let day: Int64 = 86_400_000
        var original = Driver()
        _ = original.feed(line("workspace-config", "ws_o", 1_795_000_000_000,
                               #"{"workspace_id":"ws_o","org_id":"org_o","plan":"trial"}"#))
        _ = original.feed(outbound("o1", contact: "c1", at: 1_795_000_000_000))
        let before = try StateCheckpoint().drainChanges(engine: &original.engine, org: &original.org)
        let counted = try #require(before.first { String(decoding: $0.key, as: UTF8.self).hasSuffix("c1") })
        // Two days later c1's day loses its slot (the caps keep two days): its count is
        // dropped; c2 is counted instead.
        _ = original.feed(outbound("o2", contact: "c2", at: 1_795_000_000_000 + day))
        _ = original.feed(outbound("o3", contact: "c2", at: 1_795_000_000_000 + 2 * day))
        let snapshot = try StateCheckpoint().snapshot(engine: &original.engine, org: &original.org)
        #expect(snapshot.contains { $0.key == counted.key && $0.value == nil }, "no tombstone for c1's dropped count")
        #expect(snapshot.contains { String(decoding: $0.key, as: UTF8.self).hasSuffix("c2") && $0.value != nil })
    }
}
