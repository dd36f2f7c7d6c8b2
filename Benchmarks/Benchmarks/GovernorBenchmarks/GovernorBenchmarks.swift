import Benchmark
import Governance
import JSON

/// A typical accepted event of the demo workload (about 230 bytes, compact).
let typicalEvent = Array(
    #"{"message_id":"0b5e6f1c-8d2a-4c1e-9f3b-7a6d5c4b3a21","workspace_id":"ws_1","source_id":"web","type":"track","event":"order_placed","customer_id":"c_123","properties":{"amount":42.5,"currency":"EUR"},"context":{"user_agent":"Mozilla/5.0"}}"#
        .utf8)

/// The same event spaced out, so the parser cannot call it compact.
let spacedEvent = Array(
    #"{ "message_id": "0b5e6f1c-8d2a-4c1e-9f3b-7a6d5c4b3a21", "workspace_id": "ws_1", "source_id": "web", "type": "track", "event": "order_placed", "customer_id": "c_123", "properties": {"amount": 42.5, "currency": "EUR"}, "context": {"user_agent": "Mozilla/5.0"} }"#
        .utf8)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 10,
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )

    Benchmark("JSON parse, typical event") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? JSONParser.parse(typicalEvent))
        }
    }

    Benchmark("JSON member scan (envelope path), typical event") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(typicalEvent.withUnsafeBufferPointer { try? JSONParser.scanMembers($0) })
        }
    }

    Benchmark("JSON serialize, typical event") { benchmark in
        let value = try JSONParser.parse(typicalEvent).value
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(value.serializedBytes)
        }
    }

    Benchmark("Validation (parse + stages 1-8), typical event") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(EventValidator.validate(value: typicalEvent, key: "ws_1"))
        }
    }

    Benchmark("Validation (parse + stages 1-8), spaced event") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(EventValidator.validate(value: spacedEvent, key: "ws_1"))
        }
    }

    Benchmark("Dedup window, record and look up 1,000 ids") { benchmark in
        let ids = (0..<1_000).map { "m-\($0)-0b5e6f1c-8d2a-4c1e" }
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            var window = DedupWindow()
            for (index, id) in ids.enumerated() {
                let t = Int64(1_795_000_000_000 + iteration * 1_000 + index)
                if !window.isDuplicate(id, at: t) { window.record(id, at: t) }
            }
            blackHole(window.count)
        }
    }

    Benchmark("Rate limiter, 1,000 checks over 100 contacts") { benchmark in
        let contacts = (0..<100).map { "user_\($0)" }
        let limits = RateLimits(contactPerSecond: 50, sourcePerSecond: 1_000, workspacePerSecond: 10_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var limiter = RateLimiter()
            for index in 0..<1_000 {
                blackHole(limiter.check(contact: contacts[index % 100], source: "web", limits: limits,
                                        at: 1_795_000_000_000 + Int64(index)))
            }
        }
    }

    Benchmark("Bloom hint, 200 names built and 1,000 lookups") { benchmark in
        let names = (0..<200).map { "event_name_\($0)" }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let filter = BloomFilter(members: names)
            var hits = 0
            for index in 0..<1_000 where filter.mightContain("event_name_\(index)") { hits += 1 }
            blackHole(hits)
            blackHole(filter.base64)
        }
    }

    stateCoderBenchmarks()
}
