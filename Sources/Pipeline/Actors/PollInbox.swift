import Foundation

/// Work for the poll thread from async code, and the poll thread's way to wait for
/// async work (a commit during a rebalance callback) while still serving it.
///
/// The poll thread is the only one that may seek, pause or change the set of
/// actors (records it is routing must never cross such a change), so a rebuild
/// after a failed commit is posted here and run between two polls, or while the
/// poll thread waits inside a rebalance callback.
final class PollInbox: @unchecked Sendable {
    // @unchecked: every field is only touched with `condition` locked.
    private let condition = NSCondition()
    private var work: [@Sendable () -> Void] = []
    private var done: Set<UInt64> = []
    private var nextToken: UInt64 = 0
    private var closed = false

    /// Runs `body` on the poll thread soon; false when the poll thread has ended.
    func post(_ body: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        work.append(body)
        condition.broadcast()
        return true
    }

    /// A token for `wait(for:)` that async code marks with `complete(_:)`.
    func makeToken() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        nextToken += 1
        return nextToken
    }

    func complete(_ token: UInt64) {
        condition.lock()
        done.insert(token)
        condition.broadcast()
        condition.unlock()
    }

    /// Poll thread: runs the posted work, without waiting.
    func serve() {
        for body in take() { body() }
    }

    /// Poll thread: serves posted work until `token` is completed.
    func wait(for token: UInt64) {
        while true {
            condition.lock()
            while work.isEmpty && !done.contains(token) { condition.wait() }
            if work.isEmpty {
                done.remove(token)
                condition.unlock()
                return
            }
            let pending = work
            work.removeAll()
            condition.unlock()
            for body in pending { body() }
        }
    }

    /// Poll thread, when it ends: runs what is left; later posts are refused.
    func close() {
        condition.lock()
        closed = true
        condition.unlock()
        serve()
    }

    private func take() -> [@Sendable () -> Void] {
        condition.lock()
        defer { condition.unlock() }
        let pending = work
        work.removeAll()
        return pending
    }
}
