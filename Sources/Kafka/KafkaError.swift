import CRdKafka

/// An error from librdkafka or from this layer, with librdkafka's error classes
/// (retriable, fatal, transaction requires abort) as properties.
///
/// Errors of this layer use librdkafka's local codes: a bad configuration is
/// `.invalidArgument` and its message names the fix, a wait that ran out is `.timedOut`.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// A `rd_kafka_resp_err_t` value, so callers never import the C module.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let noError = Code(rawValue: RD_KAFKA_RESP_ERR_NO_ERROR.rawValue)
        public static let timedOut = Code(rawValue: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue)
        public static let messageTimedOut = Code(rawValue: RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue)
        public static let queueFull = Code(rawValue: RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue)
        public static let invalidArgument = Code(rawValue: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue)
        public static let state = Code(rawValue: RD_KAFKA_RESP_ERR__STATE.rawValue)
        /// A call on a client that was already closed (`KafkaHandle.use`).
        public static let destroyed = Code(rawValue: RD_KAFKA_RESP_ERR__DESTROY.rawValue)
        public static let fatal = Code(rawValue: RD_KAFKA_RESP_ERR__FATAL.rawValue)
        public static let fenced = Code(rawValue: RD_KAFKA_RESP_ERR__FENCED.rawValue)
        public static let unsupportedFeature = Code(rawValue: RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE.rawValue)
        public static let unknownTopic = Code(rawValue: RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue)
        public static let unknownTopicOrPartition = Code(rawValue: RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue)
        public static let topicAlreadyExists = Code(rawValue: RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS.rawValue)
        public static let producerFenced = Code(rawValue: RD_KAFKA_RESP_ERR_PRODUCER_FENCED.rawValue)
        public static let invalidProducerEpoch = Code(rawValue: RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH.rawValue)

        /// librdkafka's symbolic name, e.g. "_TIMED_OUT".
        public var name: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue))) }
        public var description: String { name }
    }

    public let code: Code
    /// What went wrong, and for errors of this layer, what to do about it.
    public let message: String
    /// The operation may succeed if retried.
    public let isRetriable: Bool
    /// The client instance is unusable; it must be destroyed and recreated.
    public let isFatal: Bool
    /// The current transaction must be aborted (an "abortable" error); the producer stays usable.
    public let txnRequiresAbort: Bool

    public init(
        code: Code, message: String,
        isRetriable: Bool = false, isFatal: Bool = false, txnRequiresAbort: Bool = false
    ) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.txnRequiresAbort = txnRequiresAbort
    }

    /// librdkafka's symbolic name of `code`.
    public var name: String { code.name }
    /// Same as `txnRequiresAbort`, in the words of the Java client.
    public var isAbortable: Bool { txnRequiresAbort }

    public var description: String { "\(message) [\(name)]" }

    /// A configuration this layer or librdkafka rejected; `fix` says what to change.
    public static func invalidConfig(_ problem: String, fix: String) -> KafkaError {
        KafkaError(code: .invalidArgument, message: "\(problem): \(fix)")
    }

    /// A wait that ran out before `what` happened.
    public static func timedOut(_ what: String) -> KafkaError {
        KafkaError(code: .timedOut, message: "timed out \(what)", isRetriable: true)
    }
}

extension KafkaError {
    /// From a `rd_kafka_resp_err_t`; `context` says which operation failed.
    init(_ err: rd_kafka_resp_err_t, _ context: String) {
        let text = String(cString: rd_kafka_err2str(err))
        self.init(code: Code(rawValue: err.rawValue), message: "\(context): \(text)")
    }

    /// From an `rd_kafka_error_t`, which it destroys.
    init(consuming error: OpaquePointer, _ context: String) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            code: Code(rawValue: rd_kafka_error_code(error).rawValue),
            message: "\(context): \(String(cString: rd_kafka_error_string(error)))",
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            txnRequiresAbort: rd_kafka_error_txn_requires_abort(error) != 0
        )
    }

    /// Throws when `err` is not `RD_KAFKA_RESP_ERR_NO_ERROR`.
    static func check(_ err: rd_kafka_resp_err_t, _ context: @autoclosure () -> String) throws(KafkaError) {
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, context()) }
    }

    /// Throws when `error` is non-nil (and destroys it).
    static func check(_ error: OpaquePointer?, _ context: @autoclosure () -> String) throws(KafkaError) {
        if let error { throw KafkaError(consuming: error, context()) }
    }
}
