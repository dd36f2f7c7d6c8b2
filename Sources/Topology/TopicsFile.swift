import Foundation
import Kafka
import Yams

/// `topics.yaml`: every topic with its key, partition count, replication and
/// cleanup policy. See the file's header comment for the format.
public struct TopicsFile: Sendable, Equatable {
    /// One topic of the file.
    public struct Topic: Sendable, Equatable {
        public var name: String
        /// What the records are keyed by: `workspace_id`, `org_id`, or another word.
        public var key: String
        public var partitions: Int
        public var replicationFactor: Int
        /// `delete`, `compact` or `compact,delete`.
        public var cleanupPolicy: String
        /// `retention.ms`, or nil to leave the cluster's default.
        public var retentionMs: Int64?
        /// More topic configs, verbatim.
        public var configs: [String: String]
        /// The 1-based line of the topic in the file.
        public var line: Int

        /// The topic as `KafkaAdmin` creates it.
        public var spec: TopicSpec {
            var all = configs
            all["cleanup.policy"] = cleanupPolicy
            if let retentionMs { all["retention.ms"] = String(retentionMs) }
            return TopicSpec(name: name, partitions: partitions, replicationFactor: replicationFactor, configs: all)
        }
    }

    public var topics: [Topic]

    public init(topics: [Topic]) {
        self.topics = topics
    }

    public subscript(name: String) -> Topic? { topics.first { $0.name == name } }

    /// Reads and validates the file at `path`.
    public static func load(path: String) throws(TopicsFileError) -> TopicsFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TopicsFileError(source: path, line: 0, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// Parses and validates YAML text; `source` names it in errors.
    public static func parse(_ yaml: String, source: String = "topics.yaml") throws(TopicsFileError) -> TopicsFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw TopicsFileError(source: source, line: 0, message: "not valid YAML: \(error)")
        } catch {
            throw TopicsFileError(source: source, line: 0, message: "not valid YAML: \(error)")
        }
        var reader = TopicsFileReader(source: source)
        let file = try reader.read(root)
        try checkCoPartitioning(file, source: source)
        return file
    }

    /// Topics with the same key (workspace_id, org_id) must have the same partition count.
    private static func checkCoPartitioning(_ file: TopicsFile, source: String) throws(TopicsFileError) {
        var first: [String: Topic] = [:]
        for topic in file.topics where topic.key == "workspace_id" || topic.key == "org_id" {
            guard let reference = first[topic.key] else {
                first[topic.key] = topic
                continue
            }
            if topic.partitions != reference.partitions {
                throw TopicsFileError(
                    source: source, line: topic.line,
                    message: "\(topic.name) has \(topic.partitions) partitions but \(reference.name) (line \(reference.line)) has "
                        + "\(reference.partitions): topics keyed by \(topic.key) are co-partitioned and need the same count")
            }
        }
    }
}

/// A topics file that cannot be used; names the line and field.
public struct TopicsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    /// 1-based line, or 0 for the whole file.
    public var line: Int
    public var message: String

    public var description: String { line > 0 ? "\(source):\(line): \(message)" : "\(source): \(message)" }
}
