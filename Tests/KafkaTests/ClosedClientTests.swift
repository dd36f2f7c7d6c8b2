import Foundation
import Synchronization
import Testing
@testable import Kafka

/// A client shared by threads may be closed by one while another calls it (the
/// processor's poll thread closes the consumer the committer reads group metadata
/// from). Such a call must fail with `.destroyed`, never reach a freed
/// `rd_kafka_t`, and the close must wait for calls already inside librdkafka.
@Suite struct ClosedClientTests {
    @Test func callsAfterCloseFailWithDestroyed() throws {
        let cluster = try MockCluster(brokers: 1, logger: testLogger)
        let topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: 2)
        let consumer = try reader(cluster, topic: topic, partitions: 2)
        _ = try consumer.poll(maxMessages: 10, timeout: .milliseconds(10))
        try consumer.close()
        #expect(throws: KafkaError.self) { try consumer.position([TopicPartition(topic, 0)]) }
        do {
            _ = try consumer.poll(maxMessages: 10, timeout: .milliseconds(10))
            Issue.record("poll after close succeeded")
        } catch {
            #expect(error.code == .destroyed)
        }
        do {
            _ = try consumer.queryWatermarkOffsets(topic: topic, partition: 0)
            Issue.record("a watermark query after close succeeded")
        } catch {
            #expect(error.code == .destroyed)
        }
        consumer.abandon()  // a second destroy is a no-op
    }

    /// Threads call the consumer in a loop while it is closed: each call either
    /// completes or fails with `.destroyed`; the close returns once they are out.
    @Test func closeWaitsForCallsInProgress() throws {
        let cluster = try MockCluster(brokers: 1, logger: testLogger)
        let topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: 2)
        let consumer = try reader(cluster, topic: topic, partitions: 2)
        let outcomes = Mutex((completed: 0, destroyed: 0, other: [String]()))
        let group = DispatchGroup()
        for worker in 0..<3 {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while true {
                    do throws(KafkaError) {
                        switch worker {
                        case 0: _ = try consumer.poll(maxMessages: 10, timeout: .milliseconds(5))
                        case 1: _ = try consumer.queryWatermarkOffsets(topic: topic, partition: 1, timeout: .seconds(2))
                        default: _ = try consumer.position([TopicPartition(topic, 0), TopicPartition(topic, 1)])
                        }
                        outcomes.withLock { $0.completed += 1 }
                    } catch where error.code == .destroyed {
                        outcomes.withLock { $0.destroyed += 1 }
                        return
                    } catch {
                        outcomes.withLock { $0.other.append("\(error)") }
                    }
                }
            }
            thread.start()
        }
        // Let the calls run, then close under them.
        let deadline = ContinuousClock.now + .seconds(10)
        while outcomes.withLock({ $0.completed }) < 30, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        consumer.abandon()
        #expect(group.wait(timeout: .now() + .seconds(30)) == .success, "a caller never saw the client closed")
        let final = outcomes.withLock { $0 }
        #expect(final.completed >= 30)
        #expect(final.destroyed == 3, "every caller ends on .destroyed")
        #expect(final.other.isEmpty, "\(final.other)")
    }
}
