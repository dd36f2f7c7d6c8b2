import CRdKafka
import Logging
import Synchronization

/// A consumer: subscribe to topics in a group (rebalances reach the
/// `RebalanceHandler` and the poll loop as `RebalanceEvent`s) or `assign`
/// partitions at chosen offsets; offsets are committed only explicitly.
///
/// - Important: `poll` blocks and must be called from one thread at a time, a
///   dedicated one (see `startPollLoop` for a loop that feeds async code). The
///   other methods may be called from any thread.
public final class KafkaConsumer: Sendable {
    let handle: KafkaHandle
    private let rebalance: RebalanceContext
    private let logger: Logger
    /// Partitions the application paused (the poll loop's flow control leaves them paused).
    private let pausedByApplication = Mutex<Set<TopicPartition>>([])
    /// An error that arrived in the middle of a batch, thrown by the next poll.
    private let deferredError = Mutex<KafkaError?>(nil)

    public init(
        config: KafkaConfig, settings: ConsumerSettings, logger: Logger,
        onRebalance: RebalanceHandler? = nil
    ) throws(KafkaError) {
        let rebalance = RebalanceContext(handler: onRebalance)
        handle = try KafkaHandle.make(
            RD_KAFKA_CONSUMER,
            properties: config.librdkafkaProperties(settings.properties),
            context: ClientContext(logger: logger, rebalance: rebalance)
        ) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
        }
        self.rebalance = rebalance
        self.logger = logger
        // All of the consumer's events, rebalances included, come through consumer_poll.
        try handle.call("redirecting the main queue to the consumer") { rd_kafka_poll_set_consumer($0) }
    }

    deinit { handle.destroy() }

    // MARK: Group and assignment

    /// Joins the group and asks for `topics`' partitions.
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = TopicPartitionList(topics.map { TopicPartition($0, -1) })
        try handle.call("subscribing to \(topics)") { rd_kafka_subscribe($0, list.pointer) }
    }

    /// Reads exactly these partitions from these offsets (absolute or `KafkaOffset`),
    /// outside any group rebalancing; replaces the previous manual assignment.
    public func assign(_ partitions: [TopicPartitionOffset]) throws(KafkaError) {
        let list = TopicPartitionList(partitions)
        try handle.call("assigning \(partitions)") { rd_kafka_assign($0, list.pointer) }
    }

    /// The partitions currently assigned.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        try handle.call("reading the assignment") { rd_kafka_assignment($0, &list) }
        guard let list else { return [] }
        return TopicPartitionList(owning: list).offsets.map(\.topicPartition)
    }

    /// The group metadata a transactional producer sends with this consumer's offsets.
    public func groupMetadata() throws(KafkaError) -> ConsumerGroupMetadata {
        guard let pointer = try handle.use({ rd_kafka_consumer_group_metadata($0) }) else {
            throw KafkaError(code: .state, message: "this consumer has no group metadata (is group.id set?)")
        }
        return ConsumerGroupMetadata(pointer: pointer)
    }

    // MARK: Polling

    /// Waits up to `timeout` for the first message, then takes what is already
    /// fetched, up to `maxMessages`. Rebalance callbacks run inside this call.
    /// - Throws: fatal errors and errors that need the application's attention
    ///   (such as `auto.offset.reset=error`); transient ones are logged.
    public func poll(maxMessages: Int, timeout: Duration) throws(KafkaError) -> [KafkaMessage] {
        var messages: [KafkaMessage] = []
        try poll(maxMessages: maxMessages, timeout: timeout) { messages.append($0.copied) }
        return messages
    }

    /// `poll(maxMessages:timeout:)` without the copies: `visit` reads each message
    /// in place (see `BorrowedKafkaMessage`), in order. Returns how many it was given.
    @discardableResult
    public func poll(maxMessages: Int, timeout: Duration, visit: (BorrowedKafkaMessage) -> Void) throws(KafkaError) -> Int {
        if let error = deferredError.withLock({ $0.take() }) { throw error }
        // One use for the whole batch: every message must be destroyed before the client is.
        return try handle.use { (client) throws(KafkaError) in
            try poll(client, maxMessages: maxMessages, timeout: timeout, visit: visit)
        }
    }

    private func poll(_ client: OpaquePointer, maxMessages: Int, timeout: Duration,
                      visit: (BorrowedKafkaMessage) -> Void) throws(KafkaError) -> Int {
        var count = 0
        var wait = timeout.milliseconds
        while count < maxMessages {
            guard let message = rd_kafka_consumer_poll(client, wait) else { break }
            // Every message librdkafka hands out must be destroyed, or rd_kafka_destroy hangs.
            defer { rd_kafka_message_destroy(message) }
            wait = 0
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                visit(BorrowedKafkaMessage(message: UnsafePointer(message)))
                count += 1
            } else if let error = consumerError(message, client: client) {
                if count == 0 { throw error }
                deferredError.withLock { $0 = error }
                break
            }
        }
        return count
    }

    /// The rebalance events since the last call (the poll loop reads them this way).
    func takeRebalanceEvents() -> [RebalanceEvent] { rebalance.takeEvents() }

    /// The error a message without payload carries, or nil when it is only worth a log line.
    /// `client`: the handle's client, inside `poll`'s use of it.
    private func consumerError(_ message: UnsafeMutablePointer<rd_kafka_message_t>, client: OpaquePointer) -> KafkaError? {
        let err = message.pointee.err
        let text = String(cString: rd_kafka_message_errstr(message))
        switch err {
        case RD_KAFKA_RESP_ERR__PARTITION_EOF:
            return nil
        case RD_KAFKA_RESP_ERR__FATAL:
            var reason = [CChar](repeating: 0, count: 512)
            let code = rd_kafka_fatal_error(client, &reason, reason.count)
            return KafkaError(code: .init(rawValue: code.rawValue), message: "fatal consumer error: \(cStringText(reason))", isFatal: true)
        case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
            return KafkaError(err, "consumer offset out of range (\(text))")
        default:
            logger.warning("consumer: \(text) [\(String(cString: rd_kafka_err2name(err)))]")
            return nil
        }
    }

    // MARK: Offsets and flow

    /// Commits these offsets (each the offset of the next record to read) and
    /// waits for the group coordinator's answer.
    public func commit(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList(offsets)
        try handle.call("committing \(offsets)") { rd_kafka_commit($0, list.pointer, 0) }
        if let error = list.firstError("committing") { throw error }
    }

    /// The committed offsets of these partitions (`KafkaOffset.invalid` where none).
    public func committed(_ partitions: [TopicPartition], timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = TopicPartitionList(partitions)
        try handle.call("reading committed offsets") { rd_kafka_committed($0, list.pointer, timeout.milliseconds) }
        if let error = list.firstError("reading the committed offset of") { throw error }
        return list.offsets
    }

    /// The offsets of the next records `poll` will return for these partitions
    /// (`KafkaOffset.invalid` before the first).
    public func position(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = TopicPartitionList(partitions)
        try handle.call("reading positions") { rd_kafka_position($0, list.pointer) }
        return list.offsets
    }

    /// Moves the positions of assigned partitions.
    public func seek(_ offsets: [TopicPartitionOffset], timeout: Duration = .seconds(10)) throws(KafkaError) {
        let list = TopicPartitionList(offsets)
        try handle.call("seeking \(offsets)") { rd_kafka_seek_partitions($0, list.pointer, timeout.milliseconds) }
        if let error = list.firstError("seeking") { throw error }
    }

    /// Stops fetching these partitions until `resume`; the position is kept.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        try setPaused(partitions, true)
        pausedByApplication.withLock { $0.formUnion(partitions) }
    }

    /// Fetches these partitions again.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        pausedByApplication.withLock { $0.subtract(partitions) }
        try setPaused(partitions, false)
    }

    /// Pauses or resumes for flow control, leaving the application's pauses alone.
    func setFlowPaused(_ partitions: [TopicPartition], _ paused: Bool) throws(KafkaError) {
        let applicationPaused = pausedByApplication.withLock { $0 }
        try setPaused(partitions.filter { !applicationPaused.contains($0) }, paused)
    }

    private func setPaused(_ partitions: [TopicPartition], _ paused: Bool) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let list = TopicPartitionList(partitions)
        try handle.call(paused ? "pausing" : "resuming") {
            paused ? rd_kafka_pause_partitions($0, list.pointer) : rd_kafka_resume_partitions($0, list.pointer)
        }
        if let error = list.firstError(paused ? "pausing" : "resuming") { throw error }
    }

    /// The oldest and the next offset (high watermark) of a partition, asked of its leader.
    public func queryWatermarkOffsets(
        topic: String, partition: Int32, timeout: Duration = .seconds(10)
    ) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        try handle.call("querying the watermarks of \(topic)[\(partition)]") {
            rd_kafka_query_watermark_offsets($0, topic, partition, &low, &high, timeout.milliseconds)
        }
        return (low, high)
    }

    /// How many partitions `topic` has (from cluster metadata).
    public func partitionCount(of topic: String, timeout: Duration = .seconds(10)) throws(KafkaError) -> Int {
        try Metadata.partitionCount(handle: handle, topic: topic, timeout: timeout)
    }

    // MARK: Shutdown

    /// Leaves the group (the revoke callback runs on this thread) and destroys
    /// the client. Call it once polling stopped.
    public func close() throws(KafkaError) {
        let err = try handle.use { rd_kafka_consumer_close($0) }
        handle.destroy()
        try KafkaError.check(err, "closing the consumer")
    }

    /// Destroys the client without leaving the group, as a crash would: the group
    /// notices only when the session times out.
    public func abandon() {
        handle.destroy(flags: RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)
    }
}

/// The text of a NUL-terminated C buffer.
func cStringText(_ buffer: [CChar]) -> String {
    buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
