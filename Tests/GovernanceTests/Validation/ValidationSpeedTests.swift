import Foundation
import Governance
import JSON
import Testing

/// A quick measurement, not a timed assertion: how many typical events per second
/// `EventValidator` validates, against parsing alone. Printed for docs/notes-validation.md.
@Suite struct ValidationSpeedTests {
    static let typical = Array(
        #"{"message_id":"0b5e6f1c-8d2a-4c1e-9f3b-7a6d5c4b3a21","workspace_id":"ws_1","source_id":"web","type":"track","event":"order_placed","customer_id":"c_123","properties":{"amount":42.5,"currency":"EUR"},"context":{"user_agent":"Mozilla/5.0"}}"#
            .utf8
    )

    /// The best of `repeats` timings of `rounds` calls of `body`, in nanoseconds of
    /// this thread's CPU time per call (so other processes on the machine matter less).
    func nanosecondsPerCall(rounds: Int = 20_000, repeats: Int = 9, _ body: () -> Int) -> Double {
        func cpuNanoseconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
        }
        var best = Double.infinity
        var sink = 0
        for _ in 0..<repeats {
            let start = cpuNanoseconds()
            for _ in 0..<rounds { sink &+= body() }
            best = min(best, (cpuNanoseconds() - start) / Double(rounds))
        }
        precondition(sink != 0)
        return best
    }

    @Test func validationCostsLittleBeyondTheParse() {
        let parse = nanosecondsPerCall { (try? JSONParser.parse(Self.typical).depth) ?? 0 }
        let validate = nanosecondsPerCall {
            if case .success(let event) = EventValidator.validate(value: Self.typical, key: "ws_1") { return event.name.utf8.count }
            return 0
        }
        print("validation speed: \(Self.typical.count)-byte event: parse \(Int(parse)) ns (\(Int(1e9 / parse))/s), "
            + "parse + validate \(Int(validate)) ns (\(Int(1e9 / validate))/s)")
        #expect(parse > 0 && validate > 0)
    }
}
