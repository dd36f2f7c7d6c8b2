import Governance
import Kafka

/// One partition's share of a commit, cut from its task in one synchronous step
/// (`PartitionTask.prepareCommit`): an immutable value the committer writes while
/// the task governs the next interval into fresh buffers.
struct PreparedCommit: Sendable {
    let partition: Int32
    let attempt: UInt64
    /// The attempt's `attemptBegin` (its `dlq_at` and offsets), written and flushed first.
    let attemptBegin: ProducerRecord
    /// Outputs except notification requests.
    let outputs: [ProducerRecord]
    /// Notification requests: the committer writes those of all partitions of a
    /// commit in stream-time order.
    let requests: [OutputRecord]
    /// `snapshotBegin` (for a snapshot) and the state entries.
    let changelog: [ProducerRecord]
    /// The commit marker, written once everything above is acknowledged.
    let marker: ProducerRecord
    /// The next input offset per input topic: exactly the records this state covers.
    let offsets: [String: Int64]
    /// Verdicts of the interval (reported once committed).
    let verdicts: [String: Int]
    /// Input records governed in the interval.
    let governed: Int
    /// Key, value and header bytes of every record above.
    let bytes: Int
    /// Whether `changelog` carries a snapshot or a slice of one (else only the
    /// changes of the interval).
    let snapshot: Bool
    /// Keys of cut-off attempts rewritten first (see `PartitionTask.rewrites`).
    let rewrittenKeys: Int

    /// Records this commit writes.
    var recordCount: Int { 2 + outputs.count + requests.count + changelog.count }

    /// The consumer offsets to commit with it.
    var consumerOffsets: [TopicPartitionOffset] {
        offsets.keys.sorted().map { TopicPartitionOffset($0, partition, offset: offsets[$0]!) }
    }
}

/// Where and under which namespace a task writes its changelog.
public struct ChangelogTarget: Sendable {
    let topic: String
    let namespace: String
    /// Write a full snapshot once this many changelog bytes followed the last one.
    let snapshotEveryBytes: Int
    /// Live entries of one slice of a snapshot: a snapshot of more is written over
    /// several attempts, a slice of workspaces each (`PartitionTask.SpreadSnapshot`).
    /// A workspace is never split, so a larger one is a slice of its own.
    var snapshotSliceEntries = ChangelogTarget.defaultSnapshotSliceEntries

    /// About the changes one partition's round carries at 30,000 events/s on 12
    /// partitions (600–1,000 entries), times four: a snapshot then adds at most that
    /// to a round instead of a whole partition's state (40,000 entries in the bench).
    public static let defaultSnapshotSliceEntries = 4_096

    func record(_ record: ChangelogRecord, partition: Int32) -> ProducerRecord {
        MessageAdapter.producerRecord(ChangelogCodec.encode(record, namespace: namespace), topic: topic, partition: partition)
    }

    /// The writer of one attempt's entries (see `EntryWriter`).
    func entries(attempt: UInt64, partition: Int32) -> EntryWriter {
        EntryWriter(template: record(.entry(attempt: attempt, key: [], value: nil), partition: partition),
                    keyPrefix: ChangelogCodec.entryKeyPrefix(namespace: namespace))
    }
}

/// Encodes the entries of one attempt as `ChangelogCodec` does, from a template
/// encoded once per cut: the attempt header and topic are the same for every entry of
/// an attempt (shared, not rebuilt), and the key is the codec's entry key prefix and
/// the state key, so an entry costs one key array.
struct EntryWriter {
    /// The encoded entry with an empty state key.
    let template: ProducerRecord
    /// `ChangelogCodec.entryKeyPrefix` of the namespace.
    let keyPrefix: [UInt8]

    /// The record of the entry with state key `key`.
    func record(key: [UInt8], value: [UInt8]?) -> ProducerRecord {
        var full: [UInt8] = []
        full.reserveCapacity(keyPrefix.count + key.count)
        full.append(contentsOf: keyPrefix)
        full.append(contentsOf: key)
        return record(prefixedKey: full, value: value)
    }

    /// The record of an entry whose key already starts with `keyPrefix` (the cut
    /// writes keys so: `StateCheckpoint.drainChanges(keyPrefix:)`).
    func record(prefixedKey: [UInt8], value: [UInt8]?) -> ProducerRecord {
        var record = template
        record.key = prefixedKey
        record.value = value
        return record
    }
}
