import Dispatch

/// A task executor on a dispatch queue, outside Swift's cooperative thread pool. The
/// background server runs its tasks here, so a caller that blocks cooperative threads
/// (a synchronous command, a synchronous test) cannot starve the server of threads:
/// with two cores the pool has two threads, and `governor run` holds one for good.
final class DispatchTaskExecutor: TaskExecutor, Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, attributes: .concurrent)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
