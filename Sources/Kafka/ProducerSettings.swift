/// Producer settings with typed names; each maps to the librdkafka property named
/// in its comment. `KafkaConfig.properties` still override them.
public struct ProducerSettings: Sendable, Equatable {
    /// `partitioner`: `murmur2_random` is Java's partitioner (murmur2 of the key,
    /// random for records without a key), so producers in any language agree.
    public var partitioner = "murmur2_random"
    /// `enable.idempotence`: no duplicates or reordering on retries.
    public var idempotent = true
    /// `linger.ms`: how long to wait to fill a batch.
    public var lingerMs = 5
    /// `message.timeout.ms`: how long a record may wait for delivery before it fails.
    public var messageTimeoutMs = 300_000
    /// `transaction.timeout.ms` (transactional producers only): the coordinator
    /// aborts a transaction open longer; `message.timeout.ms` is capped to it.
    public var transactionTimeoutMs = 60_000
    /// `queue.buffering.max.messages`: records librdkafka buffers before a send waits.
    public var maxQueuedMessages = 100_000
    /// `socket.nagle.disable`: write each request at once (TCP_NODELAY), as Kafka's
    /// Java clients and brokers do; librdkafka 2.0.2 leaves Nagle's algorithm on. With
    /// it, a request written while an earlier one is unacknowledged (pipelined
    /// ProduceRequests, AddPartitionsToTxn behind a produce) can wait for the broker's
    /// delayed ACK, ~40 ms on Linux: the commit sequence is a chain of such round trips.
    public var disableNagle = true

    public init() {}

    var properties: [String: String] {
        [
            "partitioner": partitioner,
            "enable.idempotence": idempotent ? "true" : "false",
            "linger.ms": String(lingerMs),
            "message.timeout.ms": String(messageTimeoutMs),
            "queue.buffering.max.messages": String(maxQueuedMessages),
            "socket.nagle.disable": disableNagle ? "true" : "false",
        ]
    }
}
