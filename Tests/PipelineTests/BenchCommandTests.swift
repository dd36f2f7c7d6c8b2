import Foundation
import Testing

/// `governor bench` on the embedded mock cluster with a few records: every figure
/// is in the JSON and sane (counts exact, rates positive, ratios consistent). No
/// timing thresholds: the figures' size belongs in docs/BENCHMARKS.md.
@Suite(.serialized) struct BenchCommandTests {
    /// A misspelt `--child-log-level` or a `--start-ms` outside the stream times the
    /// engine governs is refused before anything runs, with what is allowed.
    @Test(arguments: [
        (["--child-log-level", "loud"], "--child-log-level must be one of trace, debug, info"),
        (["--start-ms", "9223372036854775807"], "--start-ms must be between 0 and 253402300799999"),
        (["--start-ms=-1"], "--start-ms must be between 0 and 253402300799999"),
        (["--kcat", "/nonexistent/kcat"], "--kcat /nonexistent/kcat is not an executable file"),
        (["--latency-rate", "fast"], "The value 'fast' is invalid for '--latency-rate"),
        (["--latency-rate", "0"], "--latency-records and --latency-rate must be at least 1"),
    ])
    func aBadOptionIsRefusedWithWhatIsAllowed(_ options: [String], _ message: String) throws {
        let process = Process()
        process.executableURL = try locateGovernorBinary()
        process.arguments = ["bench", "--events", "10"] + options
        let stderr = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        try process.run()
        let log = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(log.contains(message), "\(log)")
    }

    /// With a fixed latency rate (100 records), and with `--latency-rate half`: half the
    /// warm rate the run measured, one second's worth of records.
    @Test(.timeLimit(.minutes(10)), arguments: [["--latency-records", "100"], ["--latency-rate", "half"]])
    func benchPrintsEveryFigure(_ latencyOptions: [String]) throws {
        let process = Process()
        process.executableURL = try locateGovernorBinary()
        process.arguments = ["bench", "--events", "300", "--seed", "7", "--workspaces", "12", "--contacts", "500", "--json",
                             "--topics-file", crashRepoRoot.appendingPathComponent("topics.yaml").path] + latencyOptions
        let halfWarm = latencyOptions == ["--latency-rate", "half"]
        let stdout = Pipe()
        let stderr = FileManager.default.temporaryDirectory.appendingPathComponent("bench-test-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: stderr) }
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderr)
        let startedAt = Date()
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let log = String(decoding: FileManager.default.contents(atPath: stderr.path) ?? Data(), as: UTF8.self)
        try #require(process.terminationStatus == 0, "governor bench failed:\n\(log)")
        #expect(log.contains("bench: (c) governor run"), "progress lines go to stderr")

        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any], "\(String(decoding: output, as: UTF8.self))")
        #expect(json["events"] as? Int == 300)
        #expect(json["seed"] as? Int == 7)
        // By default the generated stream (cold and warm records, ~30 s of stream time
        // at 300 events) ends a second before the bench started, so the latency
        // phase's records, stamped now, continue it.
        let startMs = try #require(json["start_ms"] as? Int)
        let benchStartMs = Int(startedAt.timeIntervalSince1970 * 1000)
        #expect(startMs < benchStartMs && startMs > benchStartMs - 600_000, "start_ms \(startMs), bench started at \(benchStartMs)")
        #expect(json["workspaces"] as? Int == 12 && json["contacts"] as? Int == 500)
        // The executable links jemalloc ahead of libc (Package.swift, CJemalloc): its
        // malloc, not glibc's, serves the process and its `governor run` children.
        #expect((json["allocator"] as? String)?.hasPrefix("jemalloc 5.") == true, "allocator \(json["allocator"] ?? "none")")
        // kcat is installed with the tests (scripts/lib/setup.sh), so stage (e) runs.
        #expect(log.contains("bench: (e) kcat consume→produce pipe"), "\(log)")
        let stages = ["consume_only", "passthrough", "pipeline", "pipeline_from_assignment", "pipeline_warm", "offline_engine", "kcat_pipe"]
        var rates: [String: Double] = [:]
        for name in stages {
            let stage = try #require(json[name] as? [String: Any], "\(name) missing")
            let records = try #require(stage["records"] as? Int)
            let bytes = try #require(stage["bytes"] as? Int)
            let seconds = try #require((stage["seconds"] as? NSNumber)?.doubleValue)
            let rate = try #require((stage["events_per_s"] as? NSNumber)?.doubleValue)
            let megabytes = try #require((stage["mb_per_s"] as? NSNumber)?.doubleValue)
            #expect(records > 0 && records <= 300, "\(name): \(records) records")
            #expect(bytes > records * 20, "\(name): \(bytes) bytes")
            #expect(seconds > 0 && rate > 0 && megabytes >= 0, "\(name)")
            #expect(abs(rate - Double(records) / seconds) <= max(1, rate * 0.01), "\(name): rate is records over seconds")
            rates[name] = rate
        }
        // The pipeline and the offline engine answer every input; consume-only and
        // passthrough read raw-events only (no outbound messages).
        #expect((json["pipeline"] as? [String: Any])?["records"] as? Int == 300)
        #expect((json["offline_engine"] as? [String: Any])?["records"] as? Int == 300)
        // The warm phase: the workload continued (300 more inputs) on the running child.
        #expect((json["pipeline_warm"] as? [String: Any])?["records"] as? Int == 300)
        #expect((json["consume_only"] as? [String: Any])?["records"] as? Int == (json["passthrough"] as? [String: Any])?["records"] as? Int)
        // The kcat pipe copies the same raw events (counted on its topic afterwards).
        #expect((json["kcat_pipe"] as? [String: Any])?["records"] as? Int == (json["consume_only"] as? [String: Any])?["records"] as? Int)
        #expect((json["kcat_pipe"] as? [String: Any])?["bytes"] as? Int == (json["consume_only"] as? [String: Any])?["bytes"] as? Int)
        let ce = try #require((json["ratio_pipeline_to_kcat_pipe"] as? NSNumber)?.doubleValue)
        let warmCE = try #require((json["ratio_pipeline_warm_to_kcat_pipe"] as? NSNumber)?.doubleValue)
        #expect(abs(ce - rates["pipeline"]! / rates["kcat_pipe"]!) < 0.01 + ce * 0.01)
        #expect(abs(warmCE - rates["pipeline_warm"]! / rates["kcat_pipe"]!) < 0.01 + warmCE * 0.01)
        // From the child's partitions restored: the same inputs in less time than from
        // its start (which includes its group join, ~3 s on the mock).
        let assigned = try #require(json["pipeline_from_assignment"] as? [String: Any])
        #expect(assigned["records"] as? Int == 300)
        let coldSeconds = try #require(((json["pipeline"] as? [String: Any])?["seconds"] as? NSNumber)?.doubleValue)
        let assignedSeconds = try #require((assigned["seconds"] as? NSNumber)?.doubleValue)
        #expect(assignedSeconds < coldSeconds - 1, "from assignment \(assignedSeconds) s, from the start \(coldSeconds) s")
        let assignedCE = try #require((json["ratio_pipeline_from_assignment_to_kcat_pipe"] as? NSNumber)?.doubleValue)
        #expect(abs(assignedCE - rates["pipeline_from_assignment"]! / rates["kcat_pipe"]!) < 0.01 + assignedCE * 0.01)
        let cb = try #require((json["ratio_pipeline_to_passthrough"] as? NSNumber)?.doubleValue)
        let ca = try #require((json["ratio_pipeline_to_consume"] as? NSNumber)?.doubleValue)
        #expect(abs(cb - rates["pipeline"]! / rates["passthrough"]!) < 0.01 + cb * 0.01)
        #expect(abs(ca - rates["pipeline"]! / rates["consume_only"]!) < 0.01 + ca * 0.01)
        let warmCB = try #require((json["ratio_pipeline_warm_to_passthrough"] as? NSNumber)?.doubleValue)
        #expect(abs(warmCB - rates["pipeline_warm"]! / rates["passthrough"]!) < 0.01 + warmCB * 0.01)
        let warmCPU = try #require((json["pipeline_warm_child_cpu_seconds"] as? NSNumber)?.doubleValue)
        let warmCPUPerEvent = try #require((json["pipeline_warm_child_cpu_us_per_event"] as? NSNumber)?.doubleValue)
        #expect(warmCPU > 0 && abs(warmCPUPerEvent - warmCPU * 1e6 / 300) <= 0.1 + warmCPUPerEvent * 0.01, "\(warmCPU) s, \(warmCPUPerEvent) µs")
        let benchCPU = try #require((json["pipeline_warm_bench_cpu_seconds"] as? NSNumber)?.doubleValue)
        let benchCPUPerEvent = try #require((json["pipeline_warm_bench_cpu_us_per_event"] as? NSNumber)?.doubleValue)
        #expect(benchCPU > 0 && abs(benchCPUPerEvent - benchCPU * 1e6 / 300) <= 0.1 + benchCPUPerEvent * 0.01, "\(benchCPU) s, \(benchCPUPerEvent) µs")
        // On the embedded mock the broker's thread is part of this process and busy in the warm phase.
        let brokerCPUPerEvent = try #require((json["pipeline_warm_broker_cpu_us_per_event"] as? NSNumber)?.doubleValue)
        #expect(brokerCPUPerEvent > 0 && brokerCPUPerEvent <= benchCPUPerEvent, "\(brokerCPUPerEvent) of \(benchCPUPerEvent) µs")
        let rss = try #require(json["pipeline_peak_rss_bytes"] as? Int)
        #expect(rss > 1_000_000 && rss < 8_000_000_000, "peak RSS \(rss)")
        let restore = try #require(json["restore_ms_largest_partition"] as? Int)
        #expect(restore >= 0 && restore < 600_000)
        let latency = try #require(json["verdict_latency"] as? [String: Any])
        if halfWarm {
            let rate = try #require(latency["rate_per_s"] as? Int)
            // In hundreds, from the exact warm rate (the JSON's is rounded): one step either way.
            #expect(rate % 100 == 0 && abs(rate - max(100, Int(rates["pipeline_warm"]! / 2 / 100) * 100)) <= 100,
                    "half the warm rate \(rates["pipeline_warm"]!), in hundreds: \(rate)")
            #expect(latency["records"] as? Int == rate, "one second's worth")
            #expect(latency["warmup_records"] as? Int == 3 * rate, "3 s at that rate")
        } else {
            #expect(latency["rate_per_s"] as? Int == 1_000)
            #expect(latency["records"] as? Int == 100)
            #expect(latency["warmup_records"] as? Int == 3_000, "3 s at the default 1,000/s, left out of the figures")
        }
        let p50 = try #require(latency["p50_ms"] as? Int), p99 = try #require(latency["p99_ms"] as? Int)
        let p999 = try #require(latency["p999_ms"] as? Int), maximum = try #require(latency["max_ms"] as? Int)
        #expect(0 <= p50 && p50 <= p99 && p99 <= p999 && p999 <= maximum && maximum < 600_000, "\(latency)")
    }
}
