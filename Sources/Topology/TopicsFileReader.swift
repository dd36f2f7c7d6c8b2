import Yams

/// Walks the YAML tree of a topics file, checking every field and naming its line.
struct TopicsFileReader {
    let source: String

    private struct Defaults {
        var partitions: Int?
        var replicationFactor: Int?
        var retentionMs: Int64?
    }

    mutating func read(_ root: Node?) throws(TopicsFileError) -> TopicsFile {
        guard let root, let mapping = root.mapping else {
            throw error(root, "the file must be a mapping with a `topics` list")
        }
        try checkKeys(mapping, allowed: ["defaults", "topics"])
        var defaults = Defaults()
        if let node = mapping["defaults"] {
            guard let fields = node.mapping else { throw error(node, "`defaults` must be a mapping") }
            try checkKeys(fields, allowed: ["partitions", "replication_factor", "retention_ms"])
            defaults.partitions = try fields["partitions"].map { node throws(TopicsFileError) in try int(node, "defaults.partitions", min: 1) }
            defaults.replicationFactor = try fields["replication_factor"].map { node throws(TopicsFileError) in try int(node, "defaults.replication_factor", min: 1) }
            defaults.retentionMs = try fields["retention_ms"].map { node throws(TopicsFileError) in Int64(try int(node, "defaults.retention_ms", min: -1)) }
        }
        guard let topicsNode = mapping["topics"] else { throw error(root, "missing `topics`, the list of topics") }
        guard let list = topicsNode.sequence else { throw error(topicsNode, "`topics` must be a list") }
        var topics: [TopicsFile.Topic] = []
        var seen: [String: Int] = [:]
        for node in list {
            let topic = try readTopic(node, defaults: defaults)
            if let line = seen[topic.name] {
                throw error(node, "topic \(topic.name) appears twice (first on line \(line))")
            }
            seen[topic.name] = topic.line
            topics.append(topic)
        }
        return TopicsFile(topics: topics)
    }

    private func readTopic(_ node: Node, defaults: Defaults) throws(TopicsFileError) -> TopicsFile.Topic {
        guard let fields = node.mapping else { throw error(node, "each topic must be a mapping with `name`, `key` and `cleanup_policy`") }
        try checkKeys(fields, allowed: ["name", "key", "partitions", "replication_factor", "cleanup_policy", "retention_ms", "configs"])
        let name = try string(fields["name"], in: node, "name")
        guard !name.isEmpty, name.count <= 249, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw error(fields["name"], "topic name \"\(name)\" is not a valid Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)")
        }
        let key = try string(fields["key"], in: node, "\(name).key")
        let cleanup = try string(fields["cleanup_policy"], in: node, "\(name).cleanup_policy")
        guard ["delete", "compact", "compact,delete", "delete,compact"].contains(cleanup) else {
            throw error(fields["cleanup_policy"], "\(name).cleanup_policy must be delete, compact or compact,delete, not \"\(cleanup)\"")
        }
        guard let partitions = try fields["partitions"].map({ node throws(TopicsFileError) in try int(node, "\(name).partitions", min: 1) }) ?? defaults.partitions else {
            throw error(node, "\(name) has no `partitions` and there is no defaults.partitions")
        }
        let replication = try fields["replication_factor"].map { node throws(TopicsFileError) in try int(node, "\(name).replication_factor", min: 1) }
        let retention = try fields["retention_ms"].map { node throws(TopicsFileError) in Int64(try int(node, "\(name).retention_ms", min: -1)) }
        var configs: [String: String] = [:]
        if let node = fields["configs"] {
            guard let mapping = node.mapping else { throw error(node, "\(name).configs must be a mapping of topic configs") }
            for (keyNode, valueNode) in mapping {
                guard let configKey = keyNode.scalar?.string, let value = valueNode.scalar?.string else {
                    throw error(valueNode, "\(name).configs entries must be `name: value` scalars")
                }
                configs[configKey] = value
            }
        }
        return TopicsFile.Topic(
            name: name, key: key, partitions: partitions,
            replicationFactor: replication ?? defaults.replicationFactor ?? 1,
            cleanupPolicy: cleanup, retentionMs: retention ?? defaults.retentionMs,
            configs: configs, line: line(node))
    }

    private func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>) throws(TopicsFileError) {
        for key in mapping.keys {
            guard let text = key.scalar?.string, allowed.contains(text) else {
                throw error(key, "unknown field \"\(key.scalar?.string ?? "?")\" (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
        }
    }

    private func string(_ node: Node?, in parent: Node, _ field: String) throws(TopicsFileError) -> String {
        guard let node else { throw error(parent, "missing `\(field.split(separator: ".").last ?? "")` (\(field))") }
        guard let text = node.scalar?.string, !text.isEmpty else { throw error(node, "\(field) must be a non-empty string") }
        return text
    }

    private func int(_ node: Node, _ field: String, min: Int) throws(TopicsFileError) -> Int {
        guard let text = node.scalar?.string, let value = Int(text), value >= min else {
            throw error(node, "\(field) must be an integer >= \(min), not \"\(node.scalar?.string ?? "a collection")\"")
        }
        return value
    }

    private func line(_ node: Node?) -> Int { node?.mark?.line ?? 0 }

    private func error(_ node: Node?, _ message: String) -> TopicsFileError {
        TopicsFileError(source: source, line: line(node), message: message)
    }
}
