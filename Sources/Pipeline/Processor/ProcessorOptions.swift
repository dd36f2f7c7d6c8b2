import Governance
import Kafka

/// How a processor instance runs.
public struct ProcessorOptions: Sendable {
    /// The delivery guarantee (SPEC §11).
    public enum Guarantee: String, Sendable, CaseIterable {
        /// Outputs, changelog and offsets of a commit interval in one transaction.
        case exactlyOnce = "exactly_once"
        /// No transactions; the changelog still makes the counters exact, outputs
        /// may repeat after a crash (byte-identical, same origin headers).
        case atLeastOnce = "at_least_once"
    }

    public var kafka: KafkaConfig
    public var group: String
    /// This instance's stable identity in the group: part of its transactional id
    /// (a restarted instance fences its predecessor's open transaction) and, with
    /// `staticMembership`, its `group.instance.id` (KIP-345: a restarted instance
    /// takes its place back without a rebalance). Keep it the same across restarts
    /// of one instance and distinct between instances (a StatefulSet pod name).
    public var instanceID: String
    /// Join the group as a static member named `instanceID`.
    public var staticMembership = true
    public var guarantee: Guarantee = .exactlyOnce
    public var commitInterval: Duration = .milliseconds(100)
    /// Write a full snapshot once this many changelog bytes followed the last one.
    public var snapshotEveryBytes = 1 << 20
    /// Live entries per slice of a snapshot written over several commits
    /// (`ChangelogTarget.snapshotSliceEntries`).
    public var snapshotSliceEntries = ChangelogTarget.defaultSnapshotSliceEntries
    public var changelogTopic = "governor-changelog"
    public var sessionTimeoutMs = 10_000
    public var heartbeatIntervalMs = 1_000
    public var maxPollMessages = 2_000
    /// Batches a partition's mailbox holds before the partition is paused.
    public var mailboxCapacity = 8
    /// Caps on one commit (records and bytes).
    public var commitCaps = CommitCaps()
    /// Backoff after failed commits and how many in a row end the process.
    public var commitFailurePolicy = CommitFailurePolicy()
    /// The most `workspace-config` versions held per workspace (the safety net of
    /// the config table's bound; docs/GOVERNANCE.md §5).
    public var configVersionsPerWorkspace = 1_000
    public var engine: EngineSettings

    /// The input topics every task reads, partition by partition.
    public static let inputTopics = [Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests]

    public init(kafka: KafkaConfig, group: String, instanceID: String, engine: EngineSettings) {
        self.kafka = kafka
        self.group = group
        self.instanceID = instanceID
        self.engine = engine
    }
}
