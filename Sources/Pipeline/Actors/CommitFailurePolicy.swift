import Kafka

/// What the processor does after a failed commit, by librdkafka's error classes:
/// an abortable failure aborts the transaction and the interval is governed again
/// from the checkpoint; a fatal one (fenced, `rd_kafka_fatal_error`, or an abort
/// that itself failed) also replaces the transactional producer first. Retriable
/// calls were already retried inside the commit (`OutputProducer`).
///
/// Consecutive failures back off (so a broken cluster is not hammered) and, past
/// `maxConsecutiveFailures`, end the process with a message, so an orchestrator
/// restarts it instead of the instance looping silently.
public struct CommitFailurePolicy: Sendable, Equatable {
    /// Failures in a row (without a successful commit) that end the process.
    public var maxConsecutiveFailures = 10
    /// The wait before the second attempt; it doubles up to `maxBackoff`.
    public var initialBackoff: Duration = .seconds(1)
    public var maxBackoff: Duration = .seconds(30)

    public init() {}

    /// How long to wait before recovering from failure number `failures` (1-based,
    /// consecutive). A producer replacement always waits; the first abortable
    /// failure retries at once (most are transient).
    public func backoff(afterFailure failures: Int, replacingProducer: Bool) -> Duration {
        let doublings = replacingProducer ? failures - 1 : failures - 2
        guard doublings >= 0 else { return .zero }
        var wait = initialBackoff
        for _ in 0..<min(doublings, 32) where wait < maxBackoff { wait *= 2 }
        return min(wait, maxBackoff)
    }

    /// Whether failure number `failures` in a row ends the process.
    public func givesUp(afterFailure failures: Int) -> Bool {
        failures >= maxConsecutiveFailures
    }
}

/// A commit that failed, classified for `CommitFailurePolicy`.
struct CommitFailure: Error, CustomStringConvertible {
    /// The producer is unusable (fenced, fatal, or its transaction could not be
    /// aborted): it must be replaced before the next commit.
    let needsNewProducer: Bool
    let underlying: any Error

    var description: String { "\(underlying)" }
}
