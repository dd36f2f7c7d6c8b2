import Governance
import Kafka

/// The work of one partition number: the governance engine for the workspaces of
/// that partition of `raw-events` and `outbound-messages`, the org stage for that
/// partition of `notification-requests`, and the input offsets its state covers.
/// Owned by its `PartitionActor`; never shared.
struct PartitionTask {
    let partition: Int32
    var engine: GovernanceEngine
    var org: OrgStage
    /// The next offset to process per input topic.
    var nextOffsets: [String: Int64]
    /// The next attempt number this task writes to its changelog partition.
    var nextAttempt: UInt64
    /// Attempts found unfinished at restore, to list in the next commit marker.
    var discarded: [UInt64]
    /// Changelog bytes since the newest snapshot.
    var bytesSinceSnapshot: Int
    /// Entry bytes of the newest snapshot this task wrote (0 until it writes one).
    var lastSnapshotBytes = 0
    /// Whether records were processed since the last checkpoint.
    var dirty = false
    /// The snapshot being written, when it is spread over attempts.
    var spreadSnapshot: SpreadSnapshot?

    /// A snapshot written over several attempts, one slice of workspaces each (the
    /// org stage with the last), so that no round carries a whole partition's state:
    /// at 30,000 events/s a round with a whole snapshot took 140–190 ms against
    /// 50–70 ms without, and every record waiting for it waited that long. The first
    /// attempt writes `snapshotBegin`; the last one's marker completes the snapshot
    /// (`CommitMarker.snapshotFrom`). Between them, every attempt also writes its
    /// changes, so at the last marker every live key was written since the begin and
    /// every key deleted since has a tombstone: what `ChangelogReplay` needs to call
    /// the state complete there.
    struct SpreadSnapshot: Sendable, Equatable {
        /// The attempt that wrote `snapshotBegin`.
        let from: UInt64
        /// The workspace slices still to write, in order.
        var slices: [[String]]
        /// Entry bytes its attempts wrote so far.
        var bytes: Int
        /// Cuts since its last slice that wrote none (`maySlice` false).
        var skipped = 0
        /// Cuts a snapshot in progress may go without a slice before it writes one
        /// anyway: a partition cut only now and then must not miss its turns forever.
        static let maxSkipped = 3

        /// Workspaces in order, cut before the one that would take a slice past
        /// `maxEntries` entries (so a workspace larger than that is a slice alone);
        /// at least one slice, possibly empty (a partition with only org state).
        static func slices(_ counts: [(workspaceID: String, entries: Int)], maxEntries: Int) -> [[String]] {
            var slices: [[String]] = []
            var current: [String] = []
            var size = 0
            for (id, entries) in counts {
                if !current.isEmpty, size + entries > maxEntries {
                    slices.append(current)
                    current = []
                    size = 0
                }
                current.append(id)
                size += entries
            }
            slices.append(current)
            return slices
        }
    }
    init(partition: Int32, engine: GovernanceEngine, org: OrgStage, nextOffsets: [String: Int64], nextAttempt: UInt64,
         discarded: [UInt64], bytesSinceSnapshot: Int, replayClocks: [AttemptClock],
         rewrites: [StateCheckpoint.Entry] = []) {
        self.partition = partition
        self.engine = engine
        self.org = org
        self.nextOffsets = nextOffsets
        self.nextAttempt = nextAttempt
        self.discarded = discarded
        self.bytesSinceSnapshot = bytesSinceSnapshot
        self.replayClocks = replayClocks
        self.rewrites = rewrites
    }

    /// Output records waiting for the next commit.
    var outputs: [OutputRecord] = []
    /// Verdicts since the last metrics report.
    var verdicts: [String: Int] = [:]
    /// The `dlq_at` of this commit interval's records, fixed by its first record.
    var intervalClock: Int64?
    /// The config table position of this interval's records, fixed by its first record.
    var intervalConfigs: ConfigPosition?
    /// Attempts cut off by a crash, oldest first: the records they covered get the
    /// `dlq_at` and config versions they had, so what is written again is byte-identical.
    var replayClocks: [AttemptClock]
    /// The keys attempts cut off by a crash wrote, with their restored values: the
    /// next attempt writes them first, so the changelog stays compaction-safe.
    var rewrites: [StateCheckpoint.Entry]

    /// The config position the table must reach before this task's records are
    /// processed: the newest one its replayed attempts governed with.
    var requiredConfigs: ConfigPosition {
        replayClocks.compactMap(\.configs).reduce(into: [:]) { merged, position in
            merged.merge(position, uniquingKeysWith: max)
        }
    }

    /// The positions this task's attempts govern with: the cut-off attempts still
    /// replayed, `cut` (the interval just cut, not yet committed) and the current one.
    func configPins(cut: ConfigPosition? = nil) -> [ConfigPosition] {
        replayClocks.compactMap(\.configs) + [cut, intervalConfigs].compactMap { $0 }
    }

    /// Every workspace the engine holds with the config it applied, and the pins.
    var configUse: ConfigUse {
        ConfigUse(applied: ConfigUse.applied(by: engine, of: engine.workspaces.ids), pins: configPins())
    }

    /// Input records governed since the last cut.
    var governed = 0
    /// Output and changelog bytes of the interval so far (outputs only; entries are
    /// counted when cut), for the commit size cap.
    var pendingBytes = 0
    /// A jump over offsets that were never handed out, seen by `process`.
    struct OffsetJump: Sendable, Equatable {
        var topic: String
        var partition: Int32
        /// The offset the task expected next.
        var expected: Int64
        /// The offset it got.
        var got: Int64
    }
    /// Jumps seen since the last call of `takeJumps()`.
    private(set) var jumps: [OffsetJump] = []

    /// Processes one input message. Messages below the checkpointed offset were
    /// processed before the checkpoint and are skipped; a message above the expected
    /// offset is processed and its jump recorded (see `OffsetGapInspector`).
    mutating func process(_ message: KafkaMessage, configs table: PositionedConfigTable) {
        let expected = nextOffsets[message.topic] ?? 0
        guard message.offset >= expected else { return }
        if message.offset > expected {
            jumps.append(OffsetJump(topic: message.topic, partition: message.partition, expected: expected, got: message.offset))
        }
        nextOffsets[message.topic] = message.offset + 1
        dirty = true
        governed += 1
        let pinned = pin(for: message, table)
        engine.pinnedDLQTime = pinned.clock
        let configs = table.limited(to: pinned.configs)
        let before = outputs.count
        switch message.topic {
        case Topic.notificationRequests:
            guard let value = message.value else { return }
            try? org.process(value: value, timestamp: message.timestampMs, into: &outputs)
        default:
            let verdict = engine.process(MessageAdapter.inputRecord(message), configs: configs, into: &outputs)
            verdicts[verdict.summaryKey, default: 0] += 1
        }
        for record in outputs[before...] { pendingBytes += (record.key?.utf8.count ?? 0) + record.value.count }
    }

    /// The `attemptBegin` record of the attempt about to be cut. It repeats the clocks
    /// of the cut-off attempts still being replayed: all attempt records share one key,
    /// so after compaction the newest one alone must tell them all.
    func attemptBegin(defaultClock: @autoclosure () -> Int64) -> ChangelogRecord {
        .attemptBegin(AttemptClock(attempt: nextAttempt, wallClockMs: intervalClock ?? defaultClock(), upTo: nextOffsets,
                                   configs: intervalConfigs),
                      inherited: replayClocks)
    }

    /// The rewrites the next attempt must write before its own entries; forgets them.
    mutating func takeRewrites() -> [StateCheckpoint.Entry] {
        defer { rewrites = [] }
        return rewrites
    }

    /// The offset jumps seen since the last call.
    mutating func takeJumps() -> [OffsetJump] {
        defer { jumps = [] }
        return jumps
    }

    /// The `dlq_at` and config position of a message: those of the cut-off attempt
    /// that covered it, else this interval's (fixed by its first record).
    private mutating func pin(for message: KafkaMessage, _ table: PositionedConfigTable)
        -> (clock: Int64, configs: ConfigPosition)
    {
        if intervalClock == nil { intervalClock = engine.settings.wallClock() }
        if intervalConfigs == nil { intervalConfigs = table.position }
        if let clock = replayClocks.first(where: { message.offset < $0.upTo[message.topic] ?? 0 }) {
            return (clock.wallClockMs, clock.configs ?? intervalConfigs!)
        }
        return (intervalClock!, intervalConfigs!)
    }

    /// Cuts the interval: its outputs, the changelog entries of the state changed in
    /// it, its commit marker and the input offsets it covers, as one immutable value;
    /// the task continues with empty buffers and the next attempt number. Nil when
    /// nothing was processed since the last cut.
    ///
    /// A snapshot is due once `snapshotEveryBytes` of changelog, and at least as many
    /// bytes as the last snapshot wrote, followed the last one: a snapshot rewrites the
    /// whole state, so with a large state a fixed threshold made nearly every round
    /// carry one (measured: ~30,000 records against ~4,000 without); proportional, the
    /// snapshots at most double the changelog's volume. Without `maySnapshot` a due
    /// snapshot waits for a later cut (the commit loop lets one partition a round start
    /// one), unless twice the threshold has passed. A state of more than
    /// `snapshotSliceEntries` is snapshotted over several cuts (`SpreadSnapshot`);
    /// without `maySlice` a snapshot in progress writes no slice in this cut (the
    /// commit loop lets a few partitions a round write one), only the changes, unless
    /// it went `SpreadSnapshot.maxSkipped` cuts without one.
    mutating func prepareCommit(checkpoint: StateCheckpoint, changelog: ChangelogTarget,
                                maySnapshot: Bool = true, maySlice: Bool = true) throws -> PreparedCommit? {
        guard dirty else { return nil }
        let attempt = nextAttempt
        let begin = changelog.record(attemptBegin(defaultClock: engine.settings.wallClock()), partition: partition)
        let threshold = max(changelog.snapshotEveryBytes, lastSnapshotBytes)
        let begins = spreadSnapshot == nil && bytesSinceSnapshot >= threshold
            && (maySnapshot || bytesSinceSnapshot - threshold >= threshold)
        if begins {
            spreadSnapshot = SpreadSnapshot(
                from: attempt,
                slices: SpreadSnapshot.slices(checkpoint.entryCounts(engine: &engine), maxEntries: changelog.snapshotSliceEntries),
                bytes: 0)
        }
        // A snapshot's first slice goes with its begin; later ones when the loop allows.
        let slicing = spreadSnapshot.map { begins || maySlice || $0.skipped >= SpreadSnapshot.maxSkipped } ?? false
        let slice = slicing ? spreadSnapshot.map { Set($0.slices[0]) } : nil
        let completes = slicing && spreadSnapshot?.slices.count == 1
        let writer = changelog.entries(attempt: attempt, partition: partition)
        // The keys cut-off attempts wrote come first, so the newest value per key is right.
        let rewrites = takeRewrites()
        let entries = try checkpoint.entries(engine: &engine, org: &org, keyPrefix: writer.keyPrefix,
                                             fullWorkspaces: { slice?.contains($0) ?? false }, fullOrg: completes)
        var records: [ProducerRecord] = []
        records.reserveCapacity(rewrites.count + entries.count + 1)
        if begins { records.append(changelog.record(.snapshotBegin(attempt: attempt), partition: partition)) }
        var entryBytes = 0
        for entry in rewrites {
            let record = writer.record(key: entry.key, value: entry.value)
            entryBytes += (record.key?.count ?? 0) + (record.value?.count ?? 0)
            records.append(record)
        }
        for entry in entries {
            entryBytes += entry.key.count + (entry.value?.count ?? 0)
            records.append(writer.record(prefixedKey: entry.key, value: entry.value))
        }
        let from = spreadSnapshot?.from
        let marker = changelog.record(.commit(CommitMarker(
            attempt: attempt, snapshot: completes, snapshotFrom: completes && from != attempt ? from : nil,
            offsets: nextOffsets, discarded: discarded, entries: rewrites.count + entries.count)),
            partition: partition)
        var outputRecords: [ProducerRecord] = []
        var requests: [OutputRecord] = []
        outputRecords.reserveCapacity(outputs.count)
        for record in outputs {
            if record.topic == Topic.notificationRequests {
                requests.append(record)
            } else {
                outputRecords.append(MessageAdapter.producerRecord(record))
            }
        }
        let bytes = pendingBytes + entryBytes + MessageAdapter.size(begin) + MessageAdapter.size(marker)
        let prepared = PreparedCommit(
            partition: partition, attempt: attempt, attemptBegin: begin, outputs: outputRecords, requests: requests,
            changelog: records, marker: marker, offsets: nextOffsets, verdicts: verdicts, governed: governed, bytes: bytes,
            snapshot: slice != nil, rewrittenKeys: rewrites.count)
        outputs.removeAll(keepingCapacity: true)
        verdicts.removeAll(keepingCapacity: true)
        governed = 0
        pendingBytes = 0
        nextAttempt += 1
        discarded = []
        if var spread = spreadSnapshot {
            spread.bytes += entryBytes
            if slicing {
                spread.slices.removeFirst()
                spread.skipped = 0
            } else {
                spread.skipped += 1
            }
            spreadSnapshot = spread.slices.isEmpty ? nil : spread
            if spread.slices.isEmpty {
                bytesSinceSnapshot = 0
                lastSnapshotBytes = spread.bytes
            }
        } else {
            bytesSinceSnapshot += entryBytes
        }
        dirty = false
        // A new interval starts, and replay clocks this cut passed are done: offsets
        // only grow, so no later record can fall under them.
        intervalClock = nil
        intervalConfigs = nil
        replayClocks.removeAll { clock in clock.upTo.allSatisfy { nextOffsets[$0.key] ?? 0 >= $0.value } }
        return prepared
    }
}
