import Foundation
import Synchronization

/// A dedicated thread that runs `body` in a loop until stopped; `body` is
/// expected to block briefly (a librdkafka poll with a timeout), never the
/// cooperative pool.
final class PollThread: Sendable {
    private let running = Atomic(true)
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, body: @escaping @Sendable () -> Void) {
        // The thread holds this object until it leaves the loop.
        NamedThread.start(name) { [self] in
            while running.load(ordering: .acquiring) { body() }
            finished.signal()
        }
    }

    /// Stops the loop and waits for the thread to leave it; idempotent.
    func stop() {
        if running.exchange(false, ordering: .acquiringAndReleasing) {
            finished.wait()
        }
    }
}
