import CRdKafka
import Dispatch
import Logging
import Synchronization

/// Owns one `rd_kafka_t` and the Swift context its C callbacks reach through the
/// handle's opaque pointer.
///
/// The context is retained for the handle's whole life and released only after
/// `rd_kafka_destroy` returned, so no callback can see it freed, whatever the
/// order in which Swift tears down the objects that hold the handle.
///
/// Every call reaches the client through `use(_:)`: a client is shared by threads
/// (the poll thread, the committer, a producer's delivery thread), and one of them
/// may destroy it (close, abandon) while another is about to call it. `destroy`
/// waits for the calls in progress and later calls fail with `.destroyed`, so
/// librdkafka never runs on a freed `rd_kafka_t` (which would corrupt the heap
/// far from the cause).
final class KafkaHandle: @unchecked Sendable {
    // @unchecked Sendable: librdkafka documents rd_kafka_t as thread-safe; `uses`
    // (atomic) makes the one destroy happen exactly once, after the last call.
    private let pointer: OpaquePointer
    let context: ClientContext
    /// Calls in progress, plus `Self.closing` once `destroy` began.
    private let uses = Atomic(0)
    /// Signalled by the last call to leave after `destroy` began.
    private let drained = DispatchSemaphore(value: 0)
    private static let closing = 1 << 62

    private init(pointer: OpaquePointer, context: ClientContext) {
        self.pointer = pointer
        self.context = context
    }

    /// Creates a client of `type` with `properties`; `configure` may register more callbacks.
    static func make(
        _ type: rd_kafka_type_t,
        properties: [String: String],
        context: ClientContext,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> KafkaHandle {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .fatal, message: "rd_kafka_conf_new failed")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw .invalidConfig(
                    "librdkafka rejected \(key)=\(KafkaConfig.printable(key: key, value: value)) ("
                        + KafkaConfig.redacting(cStringText(errstr), secretsOf: properties) + ")",
                    fix: "check the name and value against librdkafka's CONFIGURATION.md (-X key=value)")
            }
        }
        rd_kafka_conf_set_log_cb(conf, logCallback)
        rd_kafka_conf_set_error_cb(conf, errorCallback)
        configure(conf)
        let opaque = Unmanaged.passRetained(context).toOpaque()
        rd_kafka_conf_set_opaque(conf, opaque)
        guard let pointer = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            // librdkafka takes ownership of conf only on success.
            rd_kafka_conf_destroy(conf)
            Unmanaged<ClientContext>.fromOpaque(opaque).release()
            throw .invalidConfig(
                "could not create the Kafka client ("
                    + KafkaConfig.redacting(cStringText(errstr), secretsOf: properties) + ")",
                fix: "check the -X properties against librdkafka's CONFIGURATION.md")
        }
        return KafkaHandle(pointer: pointer, context: context)
    }

    /// Runs `body` with the client, or throws `.destroyed` once `destroy` began.
    /// `body` must not destroy this handle (it would wait for itself).
    func use<T>(_ body: (OpaquePointer) throws(KafkaError) -> T) throws(KafkaError) -> T {
        guard enter() else {
            throw KafkaError(code: .destroyed, message: "the Kafka client was already closed", isFatal: true)
        }
        defer { leave() }
        return try body(pointer)
    }

    /// Runs one librdkafka call that answers with an error code, and throws it with
    /// `context` (or `.destroyed` once `destroy` began).
    func call(_ context: @autoclosure () -> String, _ body: (OpaquePointer) -> rd_kafka_resp_err_t) throws(KafkaError) {
        try KafkaError.check(try use(body), context())
    }

    /// Runs one librdkafka call that answers with an error object (nil = success), and
    /// throws it with `context` (or `.destroyed` once `destroy` began).
    func call(_ context: @autoclosure () -> String, _ body: (OpaquePointer) -> OpaquePointer?) throws(KafkaError) {
        try KafkaError.check(try use(body), context())
    }

    /// Runs `body` with the client, or returns nil once `destroy` began.
    func useIfOpen<T>(_ body: (OpaquePointer) -> T) -> T? {
        guard enter() else { return nil }
        defer { leave() }
        return body(pointer)
    }

    private func enter() -> Bool {
        var current = uses.load(ordering: .relaxed)
        while current & Self.closing == 0 {
            let (exchanged, original) = uses.compareExchange(expected: current, desired: current + 1, ordering: .acquiring)
            if exchanged { return true }
            current = original
        }
        return false
    }

    private func leave() {
        let (_, after) = uses.wrappingSubtract(1, ordering: .releasing)
        if after == Self.closing { drained.signal() }
    }

    /// Destroys the client once, after the calls in progress returned; `flags` are
    /// `rd_kafka_destroy_flags` flags.
    func destroy(flags: Int32 = 0) {
        let (before, _) = uses.bitwiseOr(Self.closing, ordering: .acquiringAndReleasing)
        guard before & Self.closing == 0 else { return }
        if before != 0 { drained.wait() }
        rd_kafka_destroy_flags(pointer, flags)
        Unmanaged.passUnretained(context).release()
    }

    deinit { destroy() }

    /// The context of the client `rk`, for C callbacks.
    static func context(of rk: OpaquePointer?) -> ClientContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// What the C callbacks of one client need: its logger, and for producers the
/// delivery tracker, for consumers the rebalance handling.
final class ClientContext: Sendable {
    let logger: Logger
    let delivery: DeliveryTracker?
    let rebalance: RebalanceContext?

    init(logger: Logger, delivery: DeliveryTracker? = nil, rebalance: RebalanceContext? = nil) {
        self.logger = logger
        self.delivery = delivery
        self.rebalance = rebalance
    }
}

/// librdkafka's log lines, on librdkafka's threads, into swift-log.
private func logCallback(_ rk: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ text: UnsafePointer<CChar>?) {
    guard let context = KafkaHandle.context(of: rk) else { return }
    let swiftLevel: Logger.Level = switch level {
    case ...3: .error
    case 4: .warning
    case 5, 6: .info
    default: .debug
    }
    let facility = facility.map { String(cString: $0) } ?? ""
    context.logger.log(level: swiftLevel, "\(facility): \(text.map { String(cString: $0) } ?? "")")
}

/// Client-level errors (brokers down, fatal errors): librdkafka retries by itself,
/// so they are logged; fatal errors then surface from the next call.
private func errorCallback(_ rk: OpaquePointer?, _ err: Int32, _ reason: UnsafePointer<CChar>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let opaque else { return }
    let context = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
    let code = KafkaError.Code(rawValue: err)
    let reason = reason.map { String(cString: $0) } ?? ""
    if code == .fatal {
        context.logger.error("fatal Kafka error: \(reason)")
    } else {
        context.logger.warning("Kafka: \(reason) [\(code.name)]")
    }
}
