/// Consumer settings with typed names; each maps to the librdkafka property named
/// in its comment. `KafkaConfig.properties` still override them.
///
/// Offsets are committed only explicitly (`enable.auto.commit=false`).
public struct ConsumerSettings: Sendable, Equatable {
    /// `group.id`. Nil: a consumer that only `assign`s partitions (changelog
    /// restore, global tables) and never subscribes or commits; it gets a
    /// private group id because librdkafka needs one to poll.
    public var groupID: String?
    /// `partition.assignment.strategy`. Every member of a group must use the same
    /// one (mixing them crashes librdkafka's mock cluster). `range` (eager: every
    /// rebalance revokes everything, then assigns) because librdkafka 2.0.2's
    /// `cooperative-sticky` aborts the process when a consumer is closed before
    /// its first assignment (librdkafka issue #4312, fixed in 2.3.0). The
    /// rebalance handling supports both protocols.
    public var assignor = "range"
    /// `session.timeout.ms`: how long the group waits for a silent member.
    public var sessionTimeoutMs = 45_000
    /// `heartbeat.interval.ms`.
    public var heartbeatIntervalMs = 3_000
    /// `max.poll.interval.ms`: the longest gap between polls before the member is dropped.
    public var maxPollIntervalMs = 300_000
    /// `auto.offset.reset`: where to start without a committed offset
    /// (`earliest`, `latest`, or `error` to be told instead).
    public var autoOffsetReset = "earliest"
    /// `isolation.level`: `read_committed` hides aborted and open transactions
    /// (on a real cluster; see docs/KAFKA.md for the mock).
    public var readCommitted = true

    /// `group.instance.id`: a static member (KIP-345) keeps its assignment across
    /// a restart within the session timeout, without a rebalance; it does not
    /// leave the group on close. Nil: a dynamic member.
    public var groupInstanceID: String?

    /// The prefix of the private `group.id` of an assign-only consumer (`groupID` nil),
    /// so an application's readers are recognisable in the broker's group list.
    public var privateGroupPrefix: String

    public init(groupID: String?, privateGroupPrefix: String = "reader") {
        self.groupID = groupID
        self.privateGroupPrefix = privateGroupPrefix
    }

    var properties: [String: String] {
        var properties = [
            "group.id": groupID ?? "\(privateGroupPrefix)-\(UInt64.random(in: 0 ... .max))",
            "partition.assignment.strategy": assignor,
            "session.timeout.ms": String(sessionTimeoutMs),
            "heartbeat.interval.ms": String(heartbeatIntervalMs),
            "max.poll.interval.ms": String(maxPollIntervalMs),
            "auto.offset.reset": autoOffsetReset,
            "isolation.level": readCommitted ? "read_committed" : "read_uncommitted",
            "enable.auto.commit": "false",
            "enable.partition.eof": "false",
        ]
        if let groupInstanceID { properties["group.instance.id"] = groupInstanceID }
        return properties
    }
}
