/// Rebuilds a partition's state from its changelog, read in offset order.
///
/// Rules (see docs/ARCHITECTURE.md, "Checkpoints"):
/// - entries count only once a commit marker with an attempt at or above theirs
///   arrives and does not list their attempt as discarded; entries after the last
///   marker are an unfinished attempt and are dropped (they are reported, so the
///   next writer lists them as discarded and rewrites their keys);
/// - a snapshot's marker replaces the whole state with the snapshot's entries; a
///   snapshot written over several attempts (its marker names the attempt of its
///   `snapshotBegin` in `snapshotFrom`) makes the state complete at its last marker,
///   when its `snapshotBegin` was read: every key live then was written at or after
///   it (by a slice or a delta), and every key deleted since by a tombstone;
/// - when the log no longer starts at offset 0 (retention dropped records), state
///   is only complete from the first snapshot marker on: finishing without one is
///   an error, never a silently partial state.
///
/// The same rules restore the same state from the log after any compaction (the
/// newest record per key of a prefix of the log, tombstones dropped later), because
/// the writer keeps this invariant: at every commit marker, the newest record of
/// each state key at or before it holds that key's committed value (or is a
/// tombstone, or there is none). Deltas write every changed key, deletions as
/// tombstones; snapshots write tombstones for keys deleted since the last
/// checkpoint; an attempt after a restore that found unfinished entries first
/// rewrites their keys with the restored values. Then only the newest marker
/// matters, and compaction keeps it.
public struct ChangelogReplay: Sendable {
    public private(set) var state: [[UInt8]: [UInt8]] = [:]
    /// The offsets of the newest applied marker: where processing resumes.
    public private(set) var offsets: [String: Int64] = [:]
    /// The highest attempt number seen in the log, committed or not.
    public private(set) var highestAttempt: UInt64 = 0
    public private(set) var recordsRead = 0
    public private(set) var bytesSinceSnapshot = 0
    private var complete: Bool
    private var pending: [(attempt: UInt64, key: [UInt8], value: [UInt8]?)] = []
    private var pendingSnapshotAttempt: UInt64?
    /// The attempt of the newest `snapshotBegin` read: a snapshot spread over
    /// attempts completes at a later marker than its begin.
    private var openedSnapshot: UInt64?
    private var pendingBytes = 0
    private var pendingClocks: [AttemptClock] = []
    /// Attempts begun after the last marker, whether or not their entries were read:
    /// a writer that lost its partition may still append entries of an attempt whose
    /// begin alone was in the log when it was read (a broker without transactional
    /// isolation shows them), and the next marker must discard those too.
    private var begunAttempts: Set<UInt64> = []

    /// - Parameter logStartOffset: the first offset still in the log.
    public init(logStartOffset: Int64) {
        complete = logStartOffset == 0
    }

    public mutating func apply(_ record: ChangelogRecord, size: Int) {
        recordsRead += 1
        switch record {
        case .entry(let attempt, let key, let value):
            highestAttempt = max(highestAttempt, attempt)
            begunAttempts.insert(attempt)
            pending.append((attempt, key, value))
            pendingBytes += size
        case .snapshotBegin(let attempt):
            highestAttempt = max(highestAttempt, attempt)
            begunAttempts.insert(attempt)
            pendingSnapshotAttempt = attempt
            openedSnapshot = attempt
        case .attemptBegin(let clock, let inherited):
            highestAttempt = max(highestAttempt, clock.attempt)
            begunAttempts.insert(clock.attempt)
            // Union by attempt: an uncompacted log has every attempt's record, a
            // compacted one only the newest, which repeats the others.
            for clock in inherited + [clock] where !pendingClocks.contains(where: { $0.attempt == clock.attempt }) {
                pendingClocks.append(clock)
            }
            pendingClocks.sort { $0.attempt < $1.attempt }
        case .commit(let marker):
            highestAttempt = max(highestAttempt, marker.attempt)
            commit(marker, size: size)
        }
    }

    private mutating func commit(_ marker: CommitMarker, size: Int) {
        let discarded = Set(marker.discarded)
        let counts = { (entry: (attempt: UInt64, key: [UInt8], value: [UInt8]?)) in
            entry.attempt <= marker.attempt && !discarded.contains(entry.attempt)
        }
        if marker.snapshot && pendingSnapshotAttempt == marker.attempt {
            // Entries of older attempts still pending here can only be tombstones or
            // keys the snapshot rewrites (the invariant above): dropping them is exact.
            state.removeAll(keepingCapacity: true)
            for entry in pending where entry.attempt == marker.attempt {
                if let value = entry.value { state[entry.key] = value } else { state.removeValue(forKey: entry.key) }
            }
            complete = true
            bytesSinceSnapshot = 0
        } else {
            for entry in pending where counts(entry) {
                if let value = entry.value { state[entry.key] = value } else { state.removeValue(forKey: entry.key) }
            }
            if marker.snapshot, let from = marker.snapshotFrom, from == openedSnapshot {
                complete = true
                bytesSinceSnapshot = 0
            } else {
                bytesSinceSnapshot += pendingBytes + size
            }
        }
        pending.removeAll(keepingCapacity: true)
        begunAttempts.removeAll(keepingCapacity: true)
        // A cut-off attempt's clock stays until a marker covers its whole range: the
        // attempt that replays it may commit only part of it before the next crash,
        // and the rest must still get the cut-off attempt's `dlq_at` and configs.
        pendingClocks.removeAll { clock in clock.upTo.allSatisfy { marker.offsets[$0.key, default: 0] >= $0.value } }
        pendingBytes = 0
        pendingSnapshotAttempt = nil
        offsets = marker.offsets
    }

    /// Attempts begun (or whose entries were seen) after the last marker: unfinished
    /// work to list as discarded in the next marker.
    public var unfinishedAttempts: [UInt64] {
        begunAttempts.sorted()
    }

    /// The keys unfinished attempts wrote, each once, in log order: the next attempt
    /// rewrites them with their restored values, so that the newest record of every
    /// key is committed state again (what makes the log compaction-safe).
    public var unfinishedKeys: [[UInt8]] {
        var seen: Set<[UInt8]> = []
        return pending.compactMap { seen.insert($0.key).inserted ? $0.key : nil }
    }

    /// The clocks of the attempts after the last marker, oldest first: records they
    /// covered must get the same `dlq_at` and configs when processed again.
    public var unfinishedClocks: [AttemptClock] { pendingClocks }

    /// The restored state, or an error when the log lost records the state depends on.
    public func finish() throws(RestoreError) -> [[UInt8]: [UInt8]] {
        guard complete else { throw RestoreError.incompleteLog(recordsRead: recordsRead) }
        return state
    }
}

/// Why a partition's state could not be restored.
public enum RestoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The log's oldest records were dropped and no complete snapshot follows.
    case incompleteLog(recordsRead: Int)
    /// A changelog record could not be decoded.
    case undecodable(offset: Int64, reason: String)

    public var description: String {
        switch self {
        case .incompleteLog(let n):
            "the changelog lost its oldest records and none of the \(n) records left starts a complete snapshot; refusing to run with partial state (raise the changelog's retention, or reset the group and its changelog)"
        case .undecodable(let offset, let reason):
            "changelog record at offset \(offset) cannot be decoded: \(reason)"
        }
    }
}
