/// One record of a partition's changelog (topic `governor-changelog`, partition =
/// the input partition whose state it holds).
///
/// A checkpoint is written as one *attempt*: a run of `entry` records followed by a
/// `commit` marker naming the input offsets the state corresponds to. A snapshot
/// attempt starts with a `snapshotBegin` marker and rewrites every live entry (a
/// large one over several attempts, its last marker naming the first in
/// `snapshotFrom`), so a restore can start there with empty state and never depend on
/// older records (which a broker's retention may already have dropped).
public enum ChangelogRecord: Sendable, Equatable {
    /// A state entry: `value` nil deletes the key.
    case entry(attempt: UInt64, key: [UInt8], value: [UInt8]?)
    /// The start of a snapshot attempt.
    case snapshotBegin(attempt: UInt64)
    /// The first record of every attempt, flushed before its outputs: the `dlq_at`
    /// its records were given, the config table position they saw and the input
    /// offsets it goes up to, so an instance that processes them again after a crash
    /// gives them the same `dlq_at` and configs. `inherited` repeats the clocks of
    /// earlier cut-off attempts the writer was still replaying: all attempt records
    /// share one key, so after compaction the newest one alone must tell them all.
    case attemptBegin(AttemptClock, inherited: [AttemptClock] = [])
    /// The end of an attempt: its entries are the checkpoint of `offsets`.
    case commit(CommitMarker)
}

/// The record that makes an attempt's entries count.
public struct CommitMarker: Sendable, Equatable, Codable {
    public var attempt: UInt64
    /// True when this attempt completes a full snapshot.
    public var snapshot: Bool
    /// For a snapshot written over several attempts (`PartitionTask.SpreadSnapshot`):
    /// the attempt that wrote its `snapshotBegin`; nil when this attempt wrote it.
    public var snapshotFrom: UInt64?
    /// The next input offset to process, per input topic, for this partition.
    public var offsets: [String: Int64]
    /// Attempts whose entries must be ignored: attempts that were aborted or cut
    /// off by a crash. On a broker with transactional isolation readers never see
    /// them anyway; on one without (librdkafka's mock) this keeps them out.
    public var discarded: [UInt64]
    /// How many entries the attempt wrote (a consistency check).
    public var entries: Int

    public init(attempt: UInt64, snapshot: Bool, snapshotFrom: UInt64? = nil, offsets: [String: Int64], discarded: [UInt64],
                entries: Int) {
        self.attempt = attempt
        self.snapshot = snapshot
        self.snapshotFrom = snapshotFrom
        self.offsets = offsets
        self.discarded = discarded
        self.entries = entries
    }
}

/// The wall-clock time an attempt's records were given (`dlq_at`), the position of
/// the `workspace-config` table they were governed with, and the input offsets
/// (exclusive) the attempt covers.
public struct AttemptClock: Sendable, Equatable {
    public var attempt: UInt64
    public var wallClockMs: Int64
    public var upTo: [String: Int64]
    /// The config table position (next offset per `workspace-config` partition) the
    /// attempt's records saw; nil when unknown (then the current table is used).
    public var configs: ConfigPosition?

    public init(attempt: UInt64, wallClockMs: Int64, upTo: [String: Int64], configs: ConfigPosition? = nil) {
        self.attempt = attempt
        self.wallClockMs = wallClockMs
        self.upTo = upTo
        self.configs = configs
    }
}
