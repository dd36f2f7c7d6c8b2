import CRdKafka
import Logging
import Synchronization

/// librdkafka's in-process mock cluster: `brokers` brokers listening on
/// 127.0.0.1 and speaking the Kafka protocol, reachable from other processes
/// through `bootstrapServers`, with fault injection.
///
/// Topics must be created with `createTopic` (the mock does not implement the
/// CreateTopics admin request; an unknown topic is auto-created with 4 partitions).
/// The cluster lives until `close()` or deinit.
public final class MockCluster: @unchecked Sendable {
    // @unchecked Sendable: the rd_kafka_mock_* functions post their work to the
    // mock cluster's own thread and may be called from any thread; `cluster` is
    // set once in init and destroyed once (guarded by `closed`) before the host.
    private let cluster: OpaquePointer
    /// The client that hosts the mock cluster's thread.
    private let host: KafkaHandle
    private let closed = Mutex(false)
    public let brokerCount: Int
    /// `host:port,...` of the brokers.
    public let bootstrapServers: String

    /// Request types, for pushing errors (Kafka protocol ApiKey values).
    public struct ApiKey: RawRepresentable, Hashable, Sendable {
        public let rawValue: Int16
        public init(rawValue: Int16) { self.rawValue = rawValue }

        public static let produce = ApiKey(rawValue: 0)
        public static let fetch = ApiKey(rawValue: 1)
        public static let listOffsets = ApiKey(rawValue: 2)
        public static let metadata = ApiKey(rawValue: 3)
        public static let offsetCommit = ApiKey(rawValue: 8)
        public static let offsetFetch = ApiKey(rawValue: 9)
        public static let findCoordinator = ApiKey(rawValue: 10)
        public static let joinGroup = ApiKey(rawValue: 11)
        public static let heartbeat = ApiKey(rawValue: 12)
        public static let syncGroup = ApiKey(rawValue: 14)
        public static let initProducerId = ApiKey(rawValue: 22)
        public static let addPartitionsToTxn = ApiKey(rawValue: 24)
        public static let addOffsetsToTxn = ApiKey(rawValue: 25)
        public static let endTxn = ApiKey(rawValue: 26)
        public static let txnOffsetCommit = ApiKey(rawValue: 28)
    }

    public init(brokers: Int = 3, logger: Logger) throws(KafkaError) {
        // The mock's brokers set up their accepted sockets with the host's config
        // (`rd_kafka_transport_post_connect_setup`): without TCP_NODELAY a response
        // written while the previous one is unacknowledged waits for the client's
        // delayed ACK (~40 ms on Linux), so most round trips took 40-50 ms. Kafka's
        // own brokers set TCP_NODELAY on every connection.
        host = try KafkaHandle.make(RD_KAFKA_PRODUCER, properties: ["socket.nagle.disable": "true"],
                                    context: ClientContext(logger: logger))
        guard let cluster = try host.use({ rd_kafka_mock_cluster_new($0, Int32(brokers)) }) else {
            host.destroy()
            throw KafkaError(code: .fatal, message: "could not start a mock cluster of \(brokers) brokers")
        }
        self.cluster = cluster
        brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit { close() }

    /// Stops the brokers; clients still connected see them go down. Idempotent.
    public func close() {
        let first = closed.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        rd_kafka_mock_cluster_destroy(cluster)
        host.destroy()
    }

    /// Creates a topic (fails with `.topicAlreadyExists` if it exists).
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        try KafkaError.check(
            rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor)),
            "creating mock topic \(name)")
    }

    /// Makes broker `id` (1-based) close its connections and refuse new ones.
    public func setBrokerDown(_ id: Int32) throws(KafkaError) {
        try KafkaError.check(rd_kafka_mock_broker_set_down(cluster, id), "taking mock broker \(id) down")
    }

    /// Lets broker `id` accept connections again.
    public func setBrokerUp(_ id: Int32) throws(KafkaError) {
        try KafkaError.check(rd_kafka_mock_broker_set_up(cluster, id), "bringing mock broker \(id) up")
    }

    /// Delays every response of broker `id` by `milliseconds`.
    public func setBrokerRTT(_ id: Int32, milliseconds: Int) throws(KafkaError) {
        try KafkaError.check(rd_kafka_mock_broker_set_rtt(cluster, id, Int32(milliseconds)), "setting the RTT of mock broker \(id)")
    }

    /// Makes broker `id` the leader of a partition.
    public func setPartitionLeader(topic: String, partition: Int32, broker id: Int32) throws(KafkaError) {
        try KafkaError.check(
            rd_kafka_mock_partition_set_leader(cluster, topic, partition, id), "moving the leader of \(topic)[\(partition)]")
    }

    /// The next requests of type `apiKey` (to any broker) fail with `errors`, one each, in order.
    public func pushRequestErrors(_ apiKey: ApiKey, _ errors: [KafkaError.Code]) {
        let codes = errors.map { rd_kafka_resp_err_t($0.rawValue) }
        rd_kafka_mock_push_request_errors_array(cluster, apiKey.rawValue, codes.count, codes)
    }

    /// The next requests of type `apiKey` to broker `id` fail with these errors,
    /// each answered after its round-trip time.
    public func pushRequestErrors(
        broker id: Int32, _ apiKey: ApiKey, _ errors: [(code: KafkaError.Code, rttMs: Int)]
    ) throws(KafkaError) {
        for (code, rtt) in errors {
            try KafkaError.check(
                governor_mock_broker_push_request_error_rtt(cluster, id, apiKey.rawValue, rd_kafka_resp_err_t(code.rawValue), Int32(rtt)),
                "pushing an error for mock broker \(id)")
        }
    }

    /// Forgets the errors pushed for `apiKey`.
    public func clearRequestErrors(_ apiKey: ApiKey) {
        rd_kafka_mock_clear_request_errors(cluster, apiKey.rawValue)
    }
}
