import Governance
import Kafka

/// The work of one partition number: the governance engine for the workspaces of
/// that partition of `raw-events` and `outbound-messages`, the org stage for that
/// partition of `notification-requests`, and the input offsets its state covers.
/// Owned by the processing thread; never shared.
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
    /// Whether records were processed since the last checkpoint.
    var dirty = false
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

    /// The `attemptBegin` record of the attempt about to be committed.
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

    /// Processes one input message. Messages below the checkpointed offset were
    /// processed before the checkpoint and are skipped.
    mutating func process(_ message: KafkaMessage, configs table: PositionedConfigTable) {
        let expected = nextOffsets[message.topic] ?? 0
        guard message.offset >= expected else { return }
        nextOffsets[message.topic] = message.offset + 1
        dirty = true
        let pinned = pin(for: message, table)
        engine.pinnedDLQTime = pinned.clock
        let configs = table.limited(to: pinned.configs)
        switch message.topic {
        case Topic.notificationRequests:
            guard let value = message.value else { return }
            try? org.process(value: value, timestamp: message.timestampMs, into: &outputs)
        default:
            let record = InputRecord(
                origin: Origin(topic: message.topic, partition: message.partition, offset: message.offset),
                key: message.keyString, value: message.value,
                headers: message.headers.map { Header(name: $0.name, value: $0.value) },
                timestamp: message.timestampMs)
            let verdict = engine.process(record, configs: configs, into: &outputs)
            verdicts[verdict.summaryKey, default: 0] += 1
        }
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

    /// After a commit: a new interval starts, and replay clocks the commit passed are done.
    mutating func committed() {
        intervalClock = nil
        intervalConfigs = nil
        replayClocks.removeAll { clock in clock.upTo.allSatisfy { nextOffsets[$0.key] ?? 0 >= $0.value } }
    }
}
