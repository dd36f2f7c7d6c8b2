/// A change of a group consumer's assignment, as the rebalance callback saw it.
public struct RebalanceEvent: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The partitions were added to this consumer's assignment.
        case assigned
        /// The partitions are being taken away; offsets may still be committed.
        case revoked
        /// The partitions were taken away without notice (session timed out,
        /// fatal error): another member may own them already, so do not commit.
        case lost
    }

    public var kind: Kind
    /// The partitions that changed (with cooperative-sticky only the moved ones).
    public var partitions: [TopicPartition]

    public init(kind: Kind, partitions: [TopicPartition]) {
        self.kind = kind
        self.partitions = partitions
    }

    public var description: String { "\(kind) \(partitions.map(\.description).joined(separator: ","))" }
}

/// Runs synchronously on the thread that polls the consumer, inside librdkafka's
/// rebalance callback:
/// - for `.assigned`, before the partitions are assigned: return start offsets
///   for any of them (empty: start at the committed offsets);
/// - for `.revoked`, before they are unassigned: commit what was processed now,
///   the last moment the group still accepts it (the return value is ignored);
/// - for `.lost`, after the fact: drop state, do not commit.
public typealias RebalanceHandler = @Sendable (RebalanceEvent) -> [TopicPartitionOffset]
