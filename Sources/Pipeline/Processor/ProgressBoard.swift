import Foundation
import Kafka

/// The committed offsets and readiness of a processor, with a way to wait for a
/// change instead of polling (`ProcessorRunner`, `governor demo`).
final class ProgressBoard: @unchecked Sendable {
    // @unchecked: every field is only touched with `condition` locked.
    private let condition = NSCondition()
    private var committedOffsets: [TopicPartition: Int64] = [:]
    private var ready = false
    /// A failed commit is being recovered from (or failed too often in a row).
    private var recovering = false
    private var version = 0

    var offsets: [TopicPartition: Int64] { locked { committedOffsets } }
    var isReady: Bool { locked { ready && !recovering } }

    func committed(_ offsets: [TopicPartitionOffset]) {
        changing { for offset in offsets { committedOffsets[offset.topicPartition] = offset.offset } }
    }

    func setReady(_ value: Bool) { changing { ready = value } }

    func setRecovering(_ value: Bool) { changing { recovering = value } }

    /// Wakes the waiters without a change (the processor ended).
    func poke() { changing {} }

    /// Waits until `condition` holds or `deadline` passes; `check` runs with the
    /// board locked after every change. Returns whether it held.
    func wait(until deadline: ContinuousClock.Instant, for check: (_ offsets: [TopicPartition: Int64], _ ready: Bool) -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !check(committedOffsets, ready && !recovering) {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            _ = condition.wait(until: Date(timeIntervalSinceNow: min(left.seconds, 1)))
        }
        return true
    }

    private func locked<R>(_ body: () -> R) -> R {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    private func changing(_ body: () -> Void) {
        condition.lock()
        body()
        version += 1
        condition.broadcast()
        condition.unlock()
    }
}
