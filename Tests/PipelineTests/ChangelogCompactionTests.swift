import Foundation
import Governance
import Kafka
import RecordFile
import Testing
@testable import Pipeline

/// A changelog restores to the same state after any compaction of the log (the
/// newest record per key of a prefix, tombstones removed by a later pass), as a
/// real cluster compacts `governor-changelog` (docs/ARCHITECTURE.md, "Checkpoints").
///
/// The log is a real one: a processor on a mock cluster governs half a workload
/// with frequent snapshots, a cut-off attempt (entries and a clock, no marker,
/// as a SIGKILL leaves one) is appended to every changelog partition, and a second
/// processor restores, rewrites what the cut-off attempt touched and governs the
/// rest. Each partition's log is then compacted at many random cut points (fixed
/// seed) and restored; state, resume offsets and replay clocks must equal the
/// restore of the uncompacted log.
@Suite(.serialized) struct ChangelogCompactionTests {
    @Test func restoreAfterAnyCompactionEqualsTheUncompactedRestore() throws {
        let group = "compaction"
        // 24 workspaces: about two a partition, so snapshots are spread over attempts.
        let lines = Array(DemoWorkload(events: 2_400, seed: 23, workspaces: 24))
        let configs = lines.filter { $0.topic == Topic.workspaceConfig }
        let events = lines.filter { $0.topic != Topic.workspaceConfig }
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let reader = TopicReader(config: kafka, logger: pipelineTestLogger)
        let inputs = [Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests]
        var options = ProcessorOptions(kafka: kafka, group: group, instanceID: "compaction",
                                       engine: EngineSettings(wallClock: { 0 }))
        options.sessionTimeoutMs = 3_000
        options.heartbeatIntervalMs = 500
        options.commitInterval = .milliseconds(20)
        options.snapshotEveryBytes = 2 << 10
        // Small slices: most snapshots are spread over several attempts.
        options.snapshotSliceEntries = 64

        // 1. The first half, in chunks the processor drains one after another, so that
        //    partitions cut many times and snapshots begun in one cut go on in the next.
        try produce(configs, to: cluster)
        let first = ProcessorRunner(processor: try Processor(options: options, logger: pipelineTestLogger))
        for chunk in stride(from: 0, to: events.count / 2, by: 100) {
            try produce(Array(events[chunk..<min(chunk + 100, events.count / 2)]), to: cluster)
            try first.waitUntilDrained(inputs, reader: reader, timeout: .seconds(120))
        }
        try first.stop()

        // 2. A cut-off attempt on every changelog partition: garbage for some live
        //    keys, a deleted live key, a new key, and its clock; no marker.
        let cutOff = try appendCutOffAttempts(kafka: kafka, group: group, reader: reader)
        #expect(cutOff > 0, "no changelog partition had state to cut off")

        // 3. The second half, by a processor that restores from the log above.
        try produce(Array(events.dropFirst(events.count / 2)), to: cluster)
        let second = ProcessorRunner(processor: try Processor(options: options, logger: pipelineTestLogger))
        try second.waitUntilDrained(inputs, reader: reader, timeout: .seconds(120))
        try second.stop()

        // 4. Compact each partition's log at random cut points and restore.
        var logs: [Int32: [LogRecord]] = [:]
        for message in try reader.readAll(options.changelogTopic) {
            logs[message.partition, default: []].append(LogRecord(message))
        }
        var rng = SplitMix64(seed: 20_261_202)
        var stats = (partitions: 0, records: 0, tombstones: 0, snapshots: 0, spread: 0, rewritten: 0, compactions: 0, removed: 0)
        for (p, log) in logs.sorted(by: { $0.key < $1.key }) {
            let full = try restore(log, group: group)
            // The uncompacted restore is itself a valid state.
            _ = try StateCheckpoint().restore(try full.finish(), settings: options.engine)
            stats.partitions += 1
            stats.records += log.count
            stats.tombstones += log.filter { $0.value == nil }.count
            stats.snapshots += log.filter { $0.key.suffix(10) == Array("m:snapshot".utf8) }.count
            stats.spread += log.filter { record in
                record.key.suffix(8) == Array("m:commit".utf8)
                    && String(decoding: record.value ?? [], as: UTF8.self).contains("\"snapshot_from\"")
            }.count
            stats.rewritten += try rewrittenKeys(log, group: group)
            let end = (log.last?.offset ?? 0) + 1
            for _ in 0..<60 {
                var compacted = log
                var cleaned: Int64 = 0
                for _ in 0..<Int(1 + rng.next() % 3) {
                    let cut = cleaned + Int64(rng.next() % UInt64(end - cleaned + 1))
                    compacted = LogCleaner.clean(compacted, below: cut, dropTombstonesBelow: cleaned)
                    cleaned = cut
                }
                stats.compactions += 1
                stats.removed += log.count - compacted.count
                let restored = try restore(compacted, group: group)
                let sameState = try restored.finish() == full.finish()
                #expect(sameState, "partition \(p): state after compaction at \(cleaned) differs from the uncompacted restore")
                #expect(restored.offsets == full.offsets, "partition \(p): resume offsets differ after compaction")
                #expect(restored.unfinishedClocks == full.unfinishedClocks, "partition \(p): replay clocks differ")
                if !sameState { return }
            }
        }
        print("ChangelogCompactionTests: \(stats)")
        #expect(stats.partitions >= 4)
        #expect(stats.tombstones > 0, "the run deleted no state: the test would not see lost tombstones")
        #expect(stats.snapshots > 0, "the run wrote no snapshot")
        #expect(stats.spread > 0, "no snapshot was spread over attempts")
        #expect(stats.rewritten >= cutOff, "the second processor did not rewrite the keys of the cut-off attempts")
        #expect(stats.removed > stats.compactions, "compaction removed next to nothing")
    }

    /// Appends an unfinished attempt to every changelog partition that has state.
    /// - Returns: how many partitions got one.
    private func appendCutOffAttempts(kafka: KafkaConfig, group: String, reader: TopicReader) throws -> Int {
        var logs: [Int32: [LogRecord]] = [:]
        for message in try reader.readAll("governor-changelog") { logs[message.partition, default: []].append(LogRecord(message)) }
        let producer = try KafkaProducer(config: kafka, logger: pipelineTestLogger)
        var partitions = 0
        for (p, log) in logs {
            let replay = try restore(log, group: group)
            let live = try replay.finish().keys.sorted { $0.lexicographicallyPrecedes($1) }
            guard live.count >= 3 else { continue }
            let attempt = replay.highestAttempt + 1
            var records: [ChangelogRecord] = [
                .attemptBegin(AttemptClock(attempt: attempt, wallClockMs: 99, upTo: replay.offsets, configs: [:])),
            ]
            for key in live.prefix(2) { records.append(.entry(attempt: attempt, key: key, value: Array("garbage".utf8))) }
            records.append(.entry(attempt: attempt, key: live[2], value: nil))
            records.append(.entry(attempt: attempt, key: Array("mnot a real key".utf8), value: Array("junk".utf8)))
            for record in records {
                let encoded = ChangelogCodec.encode(record, namespace: group)
                try producer.send(ProducerRecord(topic: "governor-changelog", partition: p, key: encoded.key, value: encoded.value,
                                                 headers: encoded.headers.map { KafkaHeader(name: $0.name, value: $0.value) }))
            }
            partitions += 1
        }
        try producer.flush(timeout: .seconds(30)).throwIfFailed()
        return partitions
    }

    /// Entries written again with their committed value after a cut-off attempt:
    /// keys of discarded attempts that the next attempt wrote.
    private func rewrittenKeys(_ log: [LogRecord], group: String) throws -> Int {
        var cutOffKeys: [UInt64: Set<[UInt8]>] = [:]
        var rewritten = 0
        for record in log {
            switch try record.decode(group: group) {
            case .entry(let attempt, let key, _)?: cutOffKeys[attempt, default: []].insert(key)
            case .commit(let marker)?:
                for discarded in marker.discarded {
                    let keys = cutOffKeys[discarded] ?? []
                    rewritten += keys.filter { (cutOffKeys[marker.attempt] ?? []).contains($0) }.count
                }
            default: break
            }
        }
        return rewritten
    }

    private func restore(_ log: [LogRecord], group: String) throws -> ChangelogReplay {
        var replay = ChangelogReplay(logStartOffset: 0)
        for record in log {
            if let decoded = try record.decode(group: group) { replay.apply(decoded, size: record.key.count + (record.value?.count ?? 0)) }
        }
        return replay
    }
}

/// One changelog record as the broker keeps it.
struct LogRecord {
    var offset: Int64
    var key: [UInt8]
    var value: [UInt8]?
    var headers: [(name: String, value: [UInt8]?)]

    init(_ message: KafkaMessage) {
        offset = message.offset
        key = message.key ?? []
        value = message.value
        headers = message.headers.map { ($0.name, $0.value) }
    }

    func decode(group: String) throws -> ChangelogRecord? {
        try ChangelogCodec.decode(key: key, value: value, headers: headers, offset: offset, namespace: group)
    }
}

/// Kafka's log cleaner, modelled: below the cleaner's point only the newest record
/// of each key stays (at its own offset); tombstones that an earlier pass already
/// left behind (below `dropTombstonesBelow`, i.e. older than `delete.retention.ms`)
/// are removed entirely. Records at or above the point are untouched.
enum LogCleaner {
    static func clean(_ log: [LogRecord], below cut: Int64, dropTombstonesBelow dropped: Int64) -> [LogRecord] {
        var newest: [[UInt8]: Int64] = [:]
        for record in log where record.offset < cut { newest[record.key] = record.offset }
        return log.filter { record in
            guard record.offset < cut else { return true }
            guard newest[record.key] == record.offset else { return false }
            return !(record.value == nil && record.offset < dropped)
        }
    }
}
