import Governance
import Kafka
import Logging
import Metrics

/// Owns the (transactional) producer and the commit sequence. An actor on a
/// thread of its own (`ThreadExecutor`): every call below blocks on the broker,
/// and while it does the partition actors keep governing the next interval.
///
/// One commit of prepared intervals, split into transactions of at most
/// `CommitCaps`: begin → every `attemptBegin`, flushed (a crash after this leaves
/// the `dlq_at` for the next instance) → outputs and changelog entries → the
/// notification requests of all partitions in stream-time order → flush (every
/// record acknowledged before a marker can make it count) → commit markers →
/// consumer offsets + commit (or a group commit when at-least-once).
actor Committer {
    private let executor: ThreadExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var producer: OutputProducer
    private let options: ProcessorOptions
    private let logger: Logger
    private let caps: CommitCaps
    private let recordsPerCommit = Recorder(label: "governor_commit_records")
    private let bytesPerCommit = Recorder(label: "governor_commit_bytes")
    private let transactions = Counter(label: "governor_transactions_total")
    private let restarts = Counter(label: "governor_producer_restarts_total")
    /// Where a transaction's time goes (see `commitTransaction`), for tuning on a real cluster.
    private let phaseTimers = CommitPhase.allCases.map {
        Timer(label: "governor_commit_phase_seconds", dimensions: [("phase", $0.rawValue)])
    }

    init(options: ProcessorOptions, logger: Logger) throws {
        producer = try OutputProducer.make(options, logger: logger)
        self.options = options
        self.logger = logger
        caps = options.commitCaps
        executor = ThreadExecutor(name: "governor-committer")
    }

    /// Writes and commits `prepared`; on an error aborts the open transaction and
    /// throws a `CommitFailure` (the caller rebuilds the actors: their state ran
    /// ahead). A fatal error, or an abort that fails, leaves the producer unusable:
    /// the failure says so, and the caller calls `replaceProducer()`.
    ///
    /// `produced` is called once every record of the last transaction is enqueued:
    /// from then on the commit only waits on the broker (see `Processor.commitLoop`).
    /// `stillOwned` is asked before the markers and before the offsets: once it says
    /// no (partitions were lost after the cut), the transaction is aborted instead.
    func commit(_ prepared: [PreparedCommit], consumer: KafkaConsumer, produced: @Sendable () -> Void = {},
                stillOwned: @Sendable () -> Bool = { true }) throws(CommitFailure) {
        do {
            let chunks = Self.transactions(of: prepared, caps: caps)
            for (index, chunk) in chunks.enumerated() {
                try commitTransaction(chunk, consumer: consumer, stillOwned: stillOwned) {
                    if index == chunks.count - 1 { produced() }
                }
            }
        } catch {
            let fatal = (error as? KafkaError)?.isFatal == true ? error as? KafkaError : producer.raisedFatalError
            if let fatal { throw CommitFailure(needsNewProducer: true, underlying: fatal) }
            do {
                try producer.abort()
            } catch let abortError {
                logger.error("aborting the transaction failed (\(abortError)); the producer will be replaced")
                throw CommitFailure(needsNewProducer: true, underlying: error)
            }
            throw CommitFailure(needsNewProducer: false, underlying: error)
        }
    }

    /// Replaces the transactional producer by a new one with the same
    /// transactional.id: `initTransactions` fences the old one and aborts its
    /// open transaction. On failure the old (unusable) producer stays, to be
    /// replaced by the next call.
    func replaceProducer() throws {
        producer = try OutputProducer.make(options, logger: logger)
        restarts.increment()
        logger.notice("replaced the transactional producer")
    }

    /// Lets the committer's thread end; call once no commit is pending.
    func shutdown() {
        executor.shutdown()
    }

    /// The phases of one transaction, timed separately.
    enum CommitPhase: String, CaseIterable {
        /// begin + every `attemptBegin`, flushed.
        case attemptBegin = "attempt_begin"
        /// Enqueueing outputs, changelog entries and requests.
        case produce
        /// Waiting for all of them to be acknowledged.
        case flush
        /// Markers, the consumer offsets and the transaction commit.
        case commit
    }

    private func commitTransaction(_ chunk: [PreparedCommit], consumer: KafkaConsumer, stillOwned: () -> Bool,
                                   produced: () -> Void) throws {
        let clock = ContinuousClock()
        var mark = clock.now
        var phases: [Duration] = []
        func lap(_ phase: CommitPhase) {
            let now = clock.now
            phases.append(now - mark)
            phaseTimers[phases.count - 1].recordSeconds((now - mark).seconds)
            mark = now
        }
        try producer.begin()
        for part in chunk { try producer.send(part.attemptBegin) }
        try producer.flush()
        lap(.attemptBegin)
        var requests: [OutputRecord] = []
        for part in chunk {
            try producer.send(contentsOf: part.outputs)
            try producer.send(contentsOf: part.changelog)
            requests += part.requests
        }
        // Requests of all partitions in stream-time order, so the org stage sees the
        // requests of one commit in the order they happened.
        try producer.send(contentsOf: requests.enumerated()
            .sorted(by: { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) })
            .map { MessageAdapter.producerRecord($0.element) })
        lap(.produce)
        produced()
        try producer.flush()
        lap(.flush)
        guard stillOwned() else { throw PartitionsLost() }
        for part in chunk { try producer.send(part.marker) }
        guard stillOwned() else { throw PartitionsLost() }
        try producer.commit(offsets: chunk.flatMap(\.consumerOffsets), consumer: consumer)
        lap(.commit)
        transactions.increment()
        let records = chunk.reduce(0) { $0 + $1.recordCount }
        recordsPerCommit.record(records)
        bytesPerCommit.record(chunk.reduce(0) { $0 + $1.bytes })
        logger.debug("transaction of \(chunk.count) partitions, \(records) records, \(chunk.reduce(0) { $0 + $1.governed }) inputs: \(zip(CommitPhase.allCases, phases).map { "\($0.rawValue) \(Int($1.seconds * 1000)) ms" }.joined(separator: ", "))")
    }

    /// Splits prepared intervals into transactions within `caps`, in order; an
    /// interval is never split (its marker must commit with its entries), so one
    /// larger than the caps is a transaction of its own.
    static func transactions(of prepared: [PreparedCommit], caps: CommitCaps) -> [[PreparedCommit]] {
        var chunks: [[PreparedCommit]] = []
        var current: [PreparedCommit] = []
        var records = 0
        var bytes = 0
        for part in prepared {
            if !current.isEmpty, records + part.recordCount > caps.maxRecords || bytes + part.bytes > caps.maxBytes {
                chunks.append(current)
                current = []
                records = 0
                bytes = 0
            }
            current.append(part)
            records += part.recordCount
            bytes += part.bytes
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }
}

/// Partitions were lost to the group after a commit was cut (`Processor`'s
/// `ownershipEpoch`): their next owner restores them from the changelog, so the
/// commit is aborted before its markers or offsets can make any of it count.
struct PartitionsLost: Error, CustomStringConvertible {
    var description: String { "partitions were lost to a rebalance after this commit was cut; it is aborted" }
}
