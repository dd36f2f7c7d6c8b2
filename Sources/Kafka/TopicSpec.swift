/// A topic as it should be: name, partition count, replication and topic configs
/// such as `cleanup.policy` and `retention.ms`.
public struct TopicSpec: Hashable, Sendable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    public var configs: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int = 1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// A topic as the cluster has it.
public struct TopicDescription: Hashable, Sendable {
    public var name: String
    public var partitions: Int
    /// The topic's configs, or nil when the cluster does not answer DescribeConfigs
    /// (librdkafka's mock cluster does not).
    public var configs: [String: String]?

    public init(name: String, partitions: Int, configs: [String: String]?) {
        self.name = name
        self.partitions = partitions
        self.configs = configs
    }
}
