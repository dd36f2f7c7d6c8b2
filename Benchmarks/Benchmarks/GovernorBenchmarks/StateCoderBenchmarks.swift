import Benchmark
import Governance
import JSON
@_spi(Benchmarks) import Pipeline
import RecordFile

/// A partition's governance state fed by the demo workload, as the pipeline holds it.
struct DemoState {
    var engine = GovernanceEngine(settings: EngineSettings(wallClock: { 7 }))
    var org = OrgStage()
    var configs = TimestampedConfigTable()
    var offset: Int64 = 0

    /// Governs one record-file line (a config line is applied), with the org stage
    /// over the notification requests, as `governor check` does.
    mutating func feed(_ line: RecordLine) {
        offset += 1
        guard line.topic != "workspace-config" else {
            if case .success(let config) = WorkspaceConfig.parse(line.value ?? [], key: line.key) {
                configs.add(ConfigVersion(sequence: offset, timestamp: line.timestampMs, config: config))
            }
            return
        }
        var out: [OutputRecord] = []
        let record = InputRecord(origin: Origin(topic: line.topic, partition: 0, offset: offset), key: line.key,
                                 value: line.value, timestamp: line.timestampMs)
        _ = engine.process(record, configs: configs, into: &out)
        for output in out where output.topic == Topic.notificationRequests {
            var more: [OutputRecord] = []
            try? org.process(value: output.value, timestamp: output.timestamp, into: &more)
        }
    }
}

/// The state after the first 20,000 lines of `DemoWorkload(seed: 42)`, its pending
/// changes drained (what a snapshot and a restore see), and the same state with the
/// next 1,000 lines governed and not drained (what the next cut sees).
let stateCoderFixture: (settled: DemoState, pending: DemoState, log: [[UInt8]: [UInt8]]) = {
    var state = DemoState()
    var lines = DemoWorkload(events: 21_000, seed: 42).makeIterator()
    for _ in 0..<20_000 { if let line = lines.next() { state.feed(line) } }
    var log: [[UInt8]: [UInt8]] = [:]
    for entry in (try? CheckpointCoder().snapshot(engine: &state.engine, org: &state.org)) ?? [] {
        log[entry.key] = entry.value
    }
    var pending = state
    for _ in 0..<1_000 { if let line = lines.next() { pending.feed(line) } }
    return (state, pending, log)
}()

/// The binary state coder (`Pipeline/Checkpoint`, through its SPI `CheckpointCoder`): a full snapshot, a restore of it, and
/// the cut of 1,000 records' changes (`StateCheckpoint.drainChanges`).
func stateCoderBenchmarks() {
    let checkpoint = CheckpointCoder()

    Benchmark("State coder, snapshot of the 20,000-line demo state") { benchmark in
        var state = stateCoderFixture.settled
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try checkpoint.snapshot(engine: &state.engine, org: &state.org))
        }
    }

    Benchmark("State coder, restore of that snapshot") { benchmark in
        let log = stateCoderFixture.log
        let settings = stateCoderFixture.settled.engine.settings
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try checkpoint.restore(log, settings: settings))
        }
    }

    Benchmark("State coder, the cut of 1,000 more lines' changes") { benchmark in
        // A copy per iteration: the cut forgets the changes it writes.
        var state = stateCoderFixture.pending
        benchmark.startMeasurement()
        blackHole(try checkpoint.drainChanges(engine: &state.engine, org: &state.org))
    }

    Benchmark("State coder, encode and decode one map key and value of each kind") { benchmark in
        var state = stateCoderFixture.settled
        // Copies the shared state's workspace table now, not in the measured loop.
        for id in state.engine.workspaces.ids { state.engine.withWorkspace(id) { _ in } }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for id in state.engine.workspaces.ids {
                var visitor = RoundTrip(coder: checkpoint)
                state.engine.withWorkspace(id) { $0.visitMaps(&visitor) }
                blackHole(visitor.bytes)
            }
        }
    }
}

/// Encodes and decodes the first entry of every map.
private struct RoundTrip: TrackedMapVisitor {
    let coder: CheckpointCoder
    var bytes = 0

    mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) {
        guard let (key, value) = map.storage.first,
              let keyBytes = try? coder.encode(key, key: true), let valueBytes = try? coder.encode(value, key: false),
              (try? coder.decode(Key.self, from: keyBytes)) != nil,
              (try? coder.decode(Value.self, from: valueBytes)) != nil
        else { return }
        bytes += keyBytes.count + valueBytes.count
    }
}
