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

    /// Records this commit writes.
    var recordCount: Int { 2 + outputs.count + requests.count + changelog.count }

    /// The consumer offsets to commit with it.
    var consumerOffsets: [TopicPartitionOffset] {
        offsets.keys.sorted().map { TopicPartitionOffset($0, partition, offset: offsets[$0]!) }
    }
}

/// Where and under which namespace a task writes its changelog.
struct ChangelogTarget: Sendable {
    let topic: String
    let namespace: String
    /// Write a full snapshot once this many changelog bytes followed the last one.
    let snapshotEveryBytes: Int

    func record(_ record: ChangelogRecord, partition: Int32) -> ProducerRecord {
        MessageAdapter.producerRecord(ChangelogCodec.encode(record, namespace: namespace), topic: topic, partition: partition)
    }

    /// The writer of one attempt's entries (see `EntryWriter`).
    func entries(attempt: UInt64, partition: Int32) -> EntryWriter {
        EntryWriter(template: record(.entry(attempt: attempt, key: [], value: nil), partition: partition))
    }
}

/// Encodes the entries of one attempt as `ChangelogCodec` does, from a template
/// encoded once per cut: the namespace key prefix and the attempt header are the
/// same for every entry of an attempt, so an entry costs one key array (its header
/// array and topic are shared, not rebuilt).
struct EntryWriter {
    /// The encoded entry with an empty state key: its key is the prefix.
    let template: ProducerRecord

    func record(key: [UInt8], value: [UInt8]?) -> ProducerRecord {
        var record = template
        var full: [UInt8] = []
        full.reserveCapacity((template.key?.count ?? 0) + key.count)
        full.append(contentsOf: template.key ?? [])
        full.append(contentsOf: key)
        record.key = full
        record.value = value
        return record
    }
}
