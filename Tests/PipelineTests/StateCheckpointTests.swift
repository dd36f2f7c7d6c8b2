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
}
