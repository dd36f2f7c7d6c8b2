import Foundation
import Testing
@testable import Pipeline

/// The small pieces the processor's threads and actors meet through.
@Suite struct ActorPlumbingTests {
    actor OnItsThread {
        private let executor: ThreadExecutor
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        init(_ executor: ThreadExecutor) { self.executor = executor }
        func runsOnItsThread() -> Bool { executor.isCurrent }
    }

    @Test func anActorOnAThreadExecutorRunsOnThatThread() async {
        let executor = ThreadExecutor(name: "plumbing-test-thread")
        let actor = OnItsThread(executor)
        #expect(await actor.runsOnItsThread())
        #expect(!executor.isCurrent)
        executor.shutdown()
    }

    @Test func thePollThreadServesPostedWorkWhileItWaitsForAToken() async {
        let inbox = PollInbox()
        let token = inbox.makeToken()
        let served = Locked<[String]>([])
        let waiter = Thread {
            inbox.wait(for: token)
            served.withLock { $0.append("token") }
        }
        waiter.start()
        // Work posted while the thread waits runs on it before the token completes it.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            #expect(inbox.post {
                served.withLock { $0.append("work") }
                done.resume()
            })
        }
        inbox.complete(token)
        while served.withLock({ $0.count }) < 2 { await Task.yield() }
        #expect(served.withLock { $0 } == ["work", "token"])
        inbox.close()
        #expect(!inbox.post {}, "a closed inbox refuses work")
    }
}
