import Testing
@testable import Pipeline

/// The backoff and give-up rule after failed commits (`CommitFailurePolicy`).
@Suite struct CommitFailurePolicyTests {
    @Test func aProducerReplacementBacksOffOneSecondDoublingToThirty() {
        let policy = CommitFailurePolicy()
        let waits = (1...8).map { policy.backoff(afterFailure: $0, replacingProducer: true) }
        #expect(waits == [1, 2, 4, 8, 16, 30, 30, 30].map { Duration.seconds($0) })
    }

    @Test func theFirstAbortableFailureRetriesAtOnceThenBacksOff() {
        let policy = CommitFailurePolicy()
        let waits = (1...4).map { policy.backoff(afterFailure: $0, replacingProducer: false) }
        #expect(waits == [0, 1, 2, 4].map { Duration.seconds($0) })
    }

    @Test func itGivesUpAtTheConfiguredNumberOfFailuresInARow() {
        var policy = CommitFailurePolicy()
        #expect(!policy.givesUp(afterFailure: 9))
        #expect(policy.givesUp(afterFailure: 10))
        policy.maxConsecutiveFailures = 2
        #expect(!policy.givesUp(afterFailure: 1))
        #expect(policy.givesUp(afterFailure: 2))
    }

    @Test func aHugeFailureCountDoesNotOverflow() {
        #expect(CommitFailurePolicy().backoff(afterFailure: .max, replacingProducer: true) == .seconds(30))
    }
}
