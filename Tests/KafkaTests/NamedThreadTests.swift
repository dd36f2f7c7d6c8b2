import Foundation
import Synchronization
import Testing
import Kafka

@Suite struct NamedThreadTests {
    /// The kernel's name of a thread started by `NamedThread`, as `top -H` shows it.
    private func kernelName(of name: String) -> String {
        let seen = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        NamedThread.start(name) {
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "unreadable"
            seen.withLock { $0 = comm.trimmingCharacters(in: .newlines) }
            done.signal()
        }
        done.wait()
        return seen.withLock { $0 } ?? ""
    }

    @Test func theKernelSeesTheName() {
        #expect(kernelName(of: "governor-poll") == "governor-poll")
        #expect(kernelName(of: "restore-11") == "restore-11")
    }

    /// Linux keeps 15 bytes; a longer name is cut, never refused (the thread would
    /// otherwise keep its creator's name).
    @Test func aLongNameIsCutToFifteenBytes() {
        #expect(kernelName(of: "governor-committer") == "governor-commit")
        // "restore-" and three é are 14 bytes; the fourth é would end past the 15th.
        #expect(kernelName(of: "restore-éééé") == "restore-ééé")
    }
}
