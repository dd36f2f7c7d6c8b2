import Kafka
import Logging
import Metrics

/// Decides whether an offset jump in an input partition lost records.
///
/// A consumer legitimately sees offsets jump on a real cluster: every transaction
/// ends with a control record that takes an offset and is never handed out, and
/// `read_committed` hides the records of aborted transactions. What must never
/// pass silently is records lost to retention (or deleted), which happens exactly
/// when the offset the task expected is below the partition's log start offset by
/// the time it reads on. So a jump is a *gap* when `expected < logStart` (the lost
/// records are `expected ..< min(got, logStart)`), and a *skip* otherwise.
/// The watermark query that decides it runs here, on a thread of its own, off the
/// governing path; jumps reach it as they are seen.
actor OffsetGapInspector {
    private let executor: ThreadExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let consumer: KafkaConsumer
    private let logger: Logger

    /// What a jump turned out to be.
    enum Finding: Equatable {
        /// Records lost: this many, below the log start.
        case gap(lost: Int64)
        /// Offsets without records for the consumer (control records, aborted transactions).
        case skip
    }

    init(config: KafkaConfig, logger: Logger) throws(KafkaError) {
        consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: logger)
        self.logger = logger
        executor = ThreadExecutor(name: "governor-gap-inspector")
    }

    static func classify(_ jump: PartitionTask.OffsetJump, logStart: Int64) -> Finding {
        guard jump.expected < logStart else { return .skip }
        return .gap(lost: min(jump.got, logStart) - jump.expected)
    }

    func inspect(_ jumps: [PartitionTask.OffsetJump]) {
        for jump in jumps {
            let dimensions = [("topic", jump.topic)]
            let logStart: Int64
            do {
                logStart = try consumer.queryWatermarkOffsets(topic: jump.topic, partition: jump.partition).low
            } catch {
                // Unknown: count it as a gap of unknown size rather than let it pass.
                logger.warning("offset jump in \(jump.topic)[\(jump.partition)] from \(jump.expected) to \(jump.got), log start unknown (\(error)); counted as a gap")
                Counter(label: "governor_offset_gaps_total", dimensions: dimensions).increment()
                continue
            }
            switch Self.classify(jump, logStart: logStart) {
            case .gap(let lost):
                logger.error("offset gap in \(jump.topic)[\(jump.partition)]: expected \(jump.expected), got \(jump.got); \(lost) records below the log start \(logStart) were lost (retention) and never governed")
                Counter(label: "governor_offset_gaps_total", dimensions: dimensions).increment()
                Counter(label: "governor_offset_gap_records_total", dimensions: dimensions).increment(by: Int(lost))
            case .skip:
                logger.debug("offsets \(jump.expected)..<\(jump.got) of \(jump.topic)[\(jump.partition)] hold no records for this reader (control records or aborted transactions)")
                Counter(label: "governor_offset_skips_total", dimensions: dimensions).increment()
            }
        }
    }

    func shutdown() {
        try? consumer.close()
        executor.shutdown()
    }
}
