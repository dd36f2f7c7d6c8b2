import CRdKafka
import Logging

/// Topic administration: create topics and describe them (partition counts from
/// metadata, configs from DescribeConfigs where the cluster implements it).
/// The calls block up to their timeout.
///
/// librdkafka 2.0.2's mock cluster answers neither CreateTopics nor
/// DescribeConfigs: librdkafka waits for the controller until the request
/// times out. So `describeTopics` gives configs at most `configsTimeout` and
/// then reports them as unknown, and `createTopics`' timeout error says where
/// topics of a mock cluster come from.
public final class KafkaAdmin: Sendable {
    private let handle: KafkaHandle

    public init(config: KafkaConfig, logger: Logger) throws(KafkaError) {
        handle = try KafkaHandle.make(
            RD_KAFKA_PRODUCER, properties: config.librdkafkaProperties([:]), context: ClientContext(logger: logger))
    }

    deinit { handle.destroy() }

    /// Partition counts of every topic in the cluster.
    public func partitionCounts(timeout: Duration = .seconds(10)) throws(KafkaError) -> [String: Int] {
        try Metadata.partitionCounts(handle: handle, timeout: timeout)
    }

    /// The topics among `names` that exist, with their configs where the cluster tells them.
    public func describeTopics(
        _ names: [String], timeout: Duration = .seconds(10), configsTimeout: Duration = .seconds(3)
    ) throws(KafkaError) -> [String: TopicDescription] {
        let counts = try partitionCounts(timeout: timeout)
        let existing = names.filter { counts[$0] != nil }
        let configs = try describeConfigs(existing, timeout: configsTimeout)
        var result: [String: TopicDescription] = [:]
        for name in existing {
            result[name] = TopicDescription(name: name, partitions: counts[name]!, configs: configs?[name])
        }
        return result
    }

    /// Creates the topics; returns the error of each topic that failed (an
    /// existing topic fails with `.topicAlreadyExists`).
    /// - Throws: when the request as a whole failed or got no answer in `timeout`.
    public func createTopics(_ specs: [TopicSpec], timeout: Duration = .seconds(30)) throws(KafkaError) -> [String: KafkaError] {
        guard !specs.isEmpty else { return [:] }
        var errstr = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for spec in specs {
            guard let topic = rd_kafka_NewTopic_new(spec.name, Int32(spec.partitions), Int32(spec.replicationFactor), &errstr, errstr.count) else {
                throw .invalidConfig("topic \(spec.name) is not valid (\(cStringText(errstr)))", fix: "correct the topic's definition")
            }
            newTopics.append(topic)
            for (key, value) in spec.configs.sorted(by: { $0.key < $1.key }) {
                try KafkaError.check(rd_kafka_NewTopic_set_config(topic, key, value), "setting \(key) of topic \(spec.name)")
            }
        }
        let results: OpaquePointer
        do throws(KafkaError) {
            results = try request(RD_KAFKA_ADMIN_OP_CREATETOPICS, "creating topics", timeout: timeout) { client, options, queue in
                rd_kafka_CreateTopics(client, &newTopics, newTopics.count, options, queue)
            }
        } catch where error.code == .timedOut {
            throw KafkaError(
                code: .timedOut,
                message: "\(error.message). If this is librdkafka's mock cluster, it cannot create "
                    + "topics through the admin API: create them with MockCluster.createTopic instead",
                isRetriable: true)
        }
        defer { rd_kafka_event_destroy(results) }
        var count = 0
        guard let topics = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(results), &count) else { return [:] }
        var failures: [String: KafkaError] = [:]
        for topic in UnsafeBufferPointer(start: topics, count: count) {
            let err = rd_kafka_topic_result_error(topic)
            guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            let name = String(cString: rd_kafka_topic_result_name(topic))
            let text = rd_kafka_topic_result_error_string(topic).map { String(cString: $0) } ?? ""
            failures[name] = KafkaError(code: .init(rawValue: err.rawValue), message: "creating topic \(name): \(text)")
        }
        return failures
    }

    /// Topic configs per topic, or nil when the cluster does not answer DescribeConfigs in `timeout`.
    private func describeConfigs(_ names: [String], timeout: Duration) throws(KafkaError) -> [String: [String: String]]? {
        guard !names.isEmpty else { return [:] }
        var resources = names.map { rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, $0) }
        defer { resources.forEach { rd_kafka_ConfigResource_destroy($0) } }
        let event: OpaquePointer
        do throws(KafkaError) {
            event = try request(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, "describing topic configs", timeout: timeout) { client, options, queue in
                rd_kafka_DescribeConfigs(client, &resources, resources.count, options, queue)
            }
        } catch where error.code == .unsupportedFeature || error.code == .timedOut {
            handle.context.logger.info("the cluster does not describe topic configs: \(error)")
            return nil
        }
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        guard let described = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(event), &count) else { return [:] }
        var result: [String: [String: String]] = [:]
        for resource in UnsafeBufferPointer(start: described, count: count)
        where rd_kafka_ConfigResource_error(resource) == RD_KAFKA_RESP_ERR_NO_ERROR {
            var entryCount = 0
            let entries = rd_kafka_ConfigResource_configs(resource, &entryCount)
            var configs: [String: String] = [:]
            for entry in UnsafeBufferPointer(start: entries, count: entryCount) {
                guard let value = rd_kafka_ConfigEntry_value(entry) else { continue }
                configs[String(cString: rd_kafka_ConfigEntry_name(entry))] = String(cString: value)
            }
            result[String(cString: rd_kafka_ConfigResource_name(resource))] = configs
        }
        return result
    }

    /// Runs one admin request and waits for its result event (which the caller destroys).
    private func request(
        _ op: rd_kafka_admin_op_t, _ what: String, timeout: Duration,
        _ send: (_ client: OpaquePointer, _ options: OpaquePointer, _ queue: OpaquePointer) -> Void
    ) throws(KafkaError) -> OpaquePointer {
        try handle.use { (client) throws(KafkaError) in try request(client, op, what, timeout: timeout, send) }
    }

    private func request(
        _ client: OpaquePointer, _ op: rd_kafka_admin_op_t, _ what: String, timeout: Duration,
        _ send: (_ client: OpaquePointer, _ options: OpaquePointer, _ queue: OpaquePointer) -> Void
    ) throws(KafkaError) -> OpaquePointer {
        let queue = rd_kafka_queue_new(client)!
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(client, op)!
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errstr = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeout.milliseconds, &errstr, errstr.count)
        send(client, options, queue)
        // librdkafka answers every admin request by its request timeout; wait a little longer.
        guard let event = rd_kafka_queue_poll(queue, (timeout + .seconds(5)).milliseconds) else {
            throw .timedOut("\(what): no answer from the cluster")
        }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            rd_kafka_event_destroy(event)
            throw KafkaError(code: .init(rawValue: err.rawValue), message: "\(what): \(text)")
        }
        return event
    }
}
