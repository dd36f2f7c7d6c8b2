/// Every topic a partition task owns must have the same partition count: task *p*
/// reads partition *p* of every input and writes partition *p* of the changelog,
/// and the workspace-keyed topics are co-partitioned by murmur2 of `workspace_id`.
/// A mismatch would route a workspace's records to two tasks, or its state to the
/// wrong changelog partition, so the processor refuses to start.
struct PartitionCountCheck {
    /// Topic → partition count, in the order the topics are named in the error.
    let counts: [(topic: String, partitions: Int)]

    /// Nil when all counts agree; otherwise an error that names every topic, its
    /// count and the fix.
    var failure: CheckpointError? {
        guard Set(counts.map(\.partitions)).count > 1 else { return nil }
        let listed = counts.map { "\($0.topic) has \($0.partitions)" }.joined(separator: ", ")
        let most = counts.map(\.partitions).max() ?? 0
        return CheckpointError("""
            the topics a partition task owns must have the same partition count, but \(listed). \
            Fix: give every one of them \(most) partitions (kafka-topics.sh --alter --partitions \(most), or \
            topics.yaml and governor topics apply) before starting governor run; \
            note that adding partitions moves workspaces between partitions, so start from empty state (a new --group).
            """)
    }
}
