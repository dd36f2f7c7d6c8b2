import Kafka

/// A difference between topics.yaml and the cluster that `topics apply` cannot fix.
public struct TopicMismatch: Sendable, Equatable, CustomStringConvertible {
    public var topic: String
    /// `partitions` or a topic config name such as `cleanup.policy`.
    public var field: String
    public var expected: String
    public var actual: String

    public var description: String { "\(topic): \(field) is \(actual), topics.yaml says \(expected)" }
}

/// What `topics apply` did and found.
public struct TopicsApplyReport: Sendable {
    public var created: [String] = []
    public var present: [String] = []
    /// Topics that could not be created, with why.
    public var failed: [(topic: String, error: KafkaError)] = []
    public var mismatches: [TopicMismatch] = []
    /// False when the cluster did not tell topic configs, so only partition counts were compared.
    public var configsCompared = true

    /// Every topic exists as the file says.
    public var succeeded: Bool { failed.isEmpty && mismatches.isEmpty }
}

/// Creates the topics of a `TopicsFile` that are missing and compares the
/// existing ones with it. Idempotent: a second run creates nothing.
public enum TopicsApply {
    public static func run(
        _ file: TopicsFile, admin: KafkaAdmin, timeout: Duration = .seconds(30)
    ) throws(KafkaError) -> TopicsApplyReport {
        let names = file.topics.map(\.name)
        let described = try admin.describeTopics(names, timeout: timeout)
        var report = TopicsApplyReport()
        report.present = names.filter { described[$0] != nil }
        report.configsCompared = described.values.allSatisfy { $0.configs != nil }
        report.mismatches = compare(file.topics, with: described)
        let missing = file.topics.filter { described[$0.name] == nil }
        guard !missing.isEmpty else { return report }
        do throws(KafkaError) {
            let failures = try admin.createTopics(missing.map(\.spec), timeout: timeout)
            for topic in missing {
                if let error = failures[topic.name] {
                    report.failed.append((topic.name, error))
                } else {
                    report.created.append(topic.name)
                }
            }
        } catch {
            report.failed += missing.map { ($0.name, error) }
        }
        return report
    }

    /// Partition counts and cleanup policies that differ (configs only where described).
    public static func compare(_ topics: [TopicsFile.Topic], with described: [String: TopicDescription]) -> [TopicMismatch] {
        var mismatches: [TopicMismatch] = []
        for topic in topics {
            guard let actual = described[topic.name] else { continue }
            if actual.partitions != topic.partitions {
                mismatches.append(TopicMismatch(
                    topic: topic.name, field: "partitions", expected: String(topic.partitions), actual: String(actual.partitions)))
            }
            if let policy = actual.configs?["cleanup.policy"], normalized(policy) != normalized(topic.cleanupPolicy) {
                mismatches.append(TopicMismatch(
                    topic: topic.name, field: "cleanup.policy", expected: topic.cleanupPolicy, actual: policy))
            }
        }
        return mismatches
    }

    private static func normalized(_ policy: String) -> Set<Substring> {
        Set(policy.split(separator: ",").map { $0.drop { $0 == " " } })
    }
}

extension MockCluster {
    /// Creates the topics of `file`, with replication capped to the broker count.
    public func createTopics(_ file: TopicsFile) throws(KafkaError) {
        for topic in file.topics {
            try createTopic(topic.name, partitions: topic.partitions, replicationFactor: min(topic.replicationFactor, brokerCount))
        }
    }
}
