import CRdKafka
import Logging
import Synchronization

/// A producer. `send` enqueues a record and returns at once; delivery reports
/// are served by the producer's own poll thread and collected in a
/// `DeliverySummary` that `flush` returns. `sendAndWait` awaits one record's report.
///
/// Nothing is silently lost: a full local queue makes `send` wait (polling) and
/// retry, and every record ends in the summary as delivered or failed.
public final class KafkaProducer: Sendable {
    let handle: KafkaHandle
    private let tracker: DeliveryTracker
    private let poller: PollThread
    private let logger: Logger
    /// Records enqueued since the start: a flush waits for as many delivery reports.
    private let enqueued = Atomic<Int>(0)
    /// Whether every record gets a delivery report (not with
    /// `delivery.report.only.error`, settable with `-X`): else flushes use `rd_kafka_flush`.
    private let reportsEveryRecord: Bool
    /// A handle per topic written, kept for the producer's life: a record sent by
    /// the topic's name makes librdkafka look the topic up under the client's write
    /// lock and release it again, once per record.
    private let topics = Mutex<[String: TopicHandle]>([:])

    public convenience init(
        config: KafkaConfig, settings: ProducerSettings = ProducerSettings(), logger: Logger
    ) throws(KafkaError) {
        try self.init(config: config, properties: settings.properties, logger: logger)
    }

    init(config: KafkaConfig, properties: [String: String], logger: Logger) throws(KafkaError) {
        let tracker = DeliveryTracker()
        handle = try KafkaHandle.make(
            RD_KAFKA_PRODUCER,
            properties: config.librdkafkaProperties(properties),
            context: ClientContext(logger: logger, delivery: tracker)
        ) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
        self.tracker = tracker
        self.logger = logger
        reportsEveryRecord = config.librdkafkaProperties(properties)["delivery.report.only.error"] != "true"
        let handle = handle
        poller = PollThread(name: "kafka-producer-poll") { _ = handle.useIfOpen { rd_kafka_poll($0, 100) } }
    }

    deinit {
        poller.stop()
        for topic in topics.withLock({ $0.values }) { rd_kafka_topic_destroy(topic.pointer) }
        handle.destroy()
    }

    /// Enqueues `record`; its delivery report goes to the summary `flush` returns.
    /// Waits while librdkafka's queue is full.
    public func send(_ record: ProducerRecord) throws(KafkaError) {
        try enqueue(record, opaque: nil)
    }

    /// Enqueues `records` in order, as `send` does each: the records are read in
    /// place (a loop over them outside this module copies each record, retaining its
    /// topic, key, value and headers, before every call), and a topic's handle is
    /// looked up once per run of records to it.
    public func send(contentsOf records: [ProducerRecord]) throws(KafkaError) {
        try handle.use { (client) throws(KafkaError) in
            var last: (name: String, topic: OpaquePointer)?
            try records.withUnsafeBufferPointer { (buffer) throws(KafkaError) in
                for index in buffer.indices {
                    let name = buffer[index].topic
                    let topic: OpaquePointer
                    if let last, last.name == name {
                        topic = last.topic
                    } else {
                        topic = try topicHandle(name, client: client)
                        last = (name, topic)
                    }
                    try enqueue(buffer[index], topic: topic, opaque: nil, client: client)
                }
            }
        }
    }

    /// Sends `record` and waits for its delivery report.
    /// - Returns: where the record was written.
    public func sendAndWait(_ record: ProducerRecord) async throws(KafkaError) -> TopicPartitionOffset {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<TopicPartitionOffset, KafkaError>, Never>) in
            let opaque = Unmanaged.passRetained(DeliveryPromise(continuation)).toOpaque()
            do throws(KafkaError) {
                try enqueue(record, opaque: opaque)
            } catch {
                Unmanaged<DeliveryPromise>.fromOpaque(opaque).release()
                continuation.resume(returning: .failure(error))
            }
        }
        return try result.get()
    }

    /// Waits until every enqueued record has its delivery report, then returns
    /// (and resets) the summary of the reports.
    /// - Throws: `.timedOut` when records are still in flight after `timeout`.
    public func flush(timeout: Duration = .seconds(30)) throws(KafkaError) -> DeliverySummary {
        try waitForDeliveries(timeout: timeout)
        return tracker.take()
    }

    /// Returns and resets the summary without waiting.
    func takeDeliverySummary() -> DeliverySummary { tracker.take() }

    /// The delivery reports so far, without waiting or resetting.
    public var deliveriesSoFar: DeliverySummary { tracker.peek() }

    /// Records enqueued but not yet reported.
    public var inFlight: Int { Int(handle.useIfOpen { rd_kafka_outq_len($0) } ?? 0) }

    /// How many partitions `topic` has (from cluster metadata).
    public func partitionCount(of topic: String, timeout: Duration = .seconds(10)) throws(KafkaError) -> Int {
        try Metadata.partitionCount(handle: handle, topic: topic, timeout: timeout)
    }

    /// Reads the metadata of every topic into librdkafka's cache now. A record sent to
    /// a topic this producer has not used yet otherwise waits for librdkafka's next
    /// topic scan (once a second) to learn the topic's partitions: a new producer's
    /// first transaction, which touches every output topic, paid that second.
    public func loadTopicMetadata(timeout: Duration = .seconds(10)) throws(KafkaError) {
        _ = try Metadata.partitionCounts(handle: handle, timeout: timeout)
    }

    /// Partition counts of every topic in the cluster.
    public func partitionCounts(timeout: Duration = .seconds(10)) throws(KafkaError) -> [String: Int] {
        try Metadata.partitionCounts(handle: handle, timeout: timeout)
    }

    /// Ends the linger of what is queued and waits for the delivery report of every
    /// record enqueued so far, served by the poll thread (see `DeliveryTracker`).
    func waitForDeliveries(timeout: Duration) throws(KafkaError) {
        if reportsEveryRecord {
            // With no wait, `rd_kafka_flush` only marks the producer as flushing (linger
            // ends) and wakes the broker threads.
            _ = try handle.use { rd_kafka_flush($0, 0) }
            if tracker.wait(untilReported: enqueued.load(ordering: .acquiring), timeout: timeout) { return }
            throw .timedOut("waiting for \(inFlight) record(s) to be delivered")
        }
        let err = try handle.use { rd_kafka_flush($0, timeout.milliseconds) }
        if err == RD_KAFKA_RESP_ERR__TIMED_OUT {
            throw .timedOut("waiting for \(inFlight) record(s) to be delivered")
        }
        try KafkaError.check(err, "flush")
    }

    private func enqueue(_ record: ProducerRecord, opaque: UnsafeMutableRawPointer?) throws(KafkaError) {
        try handle.use { (client) throws(KafkaError) in
            try enqueue(record, topic: try topicHandle(record.topic, client: client), opaque: opaque, client: client)
        }
    }

    /// Enqueues `record` to `topic` (its topic's handle); `client` is the handle's
    /// client, inside a use of it.
    private func enqueue(_ record: ProducerRecord, topic: OpaquePointer, opaque: UnsafeMutableRawPointer?,
                         client: OpaquePointer) throws(KafkaError) {
        var waitedForQueue = false
        while true {
            guard let error = produce(record, topic: topic, opaque: opaque, client: client) else {
                enqueued.add(1, ordering: .releasing)
                return
            }
            let kafkaError = KafkaError(consuming: error, "produce to \(record.topic)")
            guard kafkaError.code == .queueFull else { throw kafkaError }
            if !waitedForQueue {
                logger.debug("local queue full; waiting for deliveries")
                waitedForQueue = true
            }
            rd_kafka_poll(client, 10)
        }
    }

    /// The handle of topic `name`, made at its first use (`client`: the handle's client).
    private func topicHandle(_ name: String, client: OpaquePointer) throws(KafkaError) -> OpaquePointer {
        let topic = topics.withLock { topics -> TopicHandle? in
            if let topic = topics[name] { return topic }
            // Without a configuration, only an invalid name fails.
            guard let pointer = rd_kafka_topic_new(client, name, nil) else { return nil }
            topics[name] = TopicHandle(pointer: pointer)
            return TopicHandle(pointer: pointer)
        }
        guard let topic else { throw KafkaError(rd_kafka_last_error(), "produce to \(name)") }
        return topic.pointer
    }

    /// One `rd_kafka_produceva` call; returns its error object, if any. The argument
    /// list lives on the stack (at most 8 entries), so a record costs no Swift
    /// allocation here; librdkafka copies key, value and headers (`MSG_F_COPY`).
    private func produce(_ record: ProducerRecord, topic: OpaquePointer, opaque: UnsafeMutableRawPointer?,
                         client: OpaquePointer) -> OpaquePointer? {
        let headers = record.headers.isEmpty ? nil : makeHeaders(record.headers)
        let error = withOptionalBytes(record.key) { key in
            withOptionalBytes(record.value) { value in
                withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 8) { args in
                    var count = 0
                    func append(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) {
                        var vu = rd_kafka_vu_t()
                        vu.vtype = type
                        set(&vu)
                        args.initializeElement(at: count, to: vu)
                        count += 1
                    }
                    append(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = topic }
                    append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                    if let partition = record.partition {
                        append(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition }
                    }
                    if let key {
                        append(RD_KAFKA_VTYPE_KEY) {
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                            $0.u.mem.size = key.count
                        }
                    }
                    if let value {
                        append(RD_KAFKA_VTYPE_VALUE) {
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                            $0.u.mem.size = value.count
                        }
                    }
                    if let timestamp = record.timestampMs {
                        append(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp }
                    }
                    if let opaque {
                        append(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                    }
                    if let headers {
                        append(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers }
                    }
                    // Trivial elements: nothing to deinitialize.
                    return rd_kafka_produceva(client, args.baseAddress, count)
                }
            }
        }
        // librdkafka owns the header list only when the record was accepted.
        if error != nil, let headers { rd_kafka_headers_destroy(headers) }
        return error
    }

    /// A librdkafka header list holding copies of `headers`.
    private func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer {
        let list = rd_kafka_headers_new(headers.count)!
        for header in headers {
            // `withCString` lends a native string's bytes; passing the String itself
            // would copy it into a new array per header.
            header.name.withCString { name in
                withOptionalBytes(header.value) { bytes in
                    _ = rd_kafka_header_add(list, name, -1, bytes?.baseAddress, bytes?.count ?? 0)
                }
            }
        }
        return list
    }
}

/// Lends `bytes` as a raw buffer (nil stays nil; an empty array is an empty, non-null buffer).
private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    if bytes.isEmpty {
        var zero: UInt8 = 0
        return withUnsafeBytes(of: &zero) { body(UnsafeRawBufferPointer(start: $0.baseAddress, count: 0)) }
    }
    return bytes.withUnsafeBytes { body($0) }
}

extension Duration {
    /// Whole milliseconds, clamped to Int32 (librdkafka's timeout type).
    var milliseconds: Int32 {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }
}

/// A librdkafka topic handle: librdkafka's topic objects are thread-safe.
private struct TopicHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
