/// One measured stage of `governor bench`: how many records of how many value
/// bytes went through in how long.
struct StageFigure: Sendable {
    var records: Int
    var bytes: Int
    var seconds: Double

    var eventsPerSecond: Double { seconds > 0 ? Double(records) / seconds : 0 }
    var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0 }

    var json: String {
        #"{"records":\#(records),"bytes":\#(bytes),"seconds":\#(rounded(seconds, 6)),"events_per_s":\#(rounded(eventsPerSecond, 0)),"mb_per_s":\#(rounded(megabytesPerSecond, 2))}"#
    }

    var line: String {
        "\(records) records in \(rounded(seconds, 3)) s: \(Int(eventsPerSecond)) events/s, \(rounded(megabytesPerSecond, 2)) MB/s"
    }
}

/// What the full pipeline child showed besides its rate.
struct PipelineFigure: Sendable {
    /// From the child's start (group join, restore, first transaction included).
    var stage: StageFigure
    /// The same inputs, timed from when the child had logged every partition restored
    /// (its group joined, its state back) to the last verdict; nil when not seen.
    var fromAssignment: StageFigure?
    /// The same running child on the workload continued (nil when not measured).
    var warm: StageFigure?
    /// VmHWM of the `governor run` child, bytes.
    var peakRSSBytes: Int
    /// The longest "restored partition … in N ms" the restarted child logged, ms.
    var restoreMs: Int
    var latency: LatencyFigure
    /// CPU seconds (user + system, all threads) the child used in the warm phase:
    /// on a shared machine a steadier figure than the wall-clock rate.
    var warmChildCPUSeconds: Double = 0
    /// CPU seconds this bench process used meanwhile: the embedded broker (none with
    /// --brokers), the producer of the warm records and the verdict watcher. With the
    /// child's, what the machine's cores had to give per event.
    var warmBenchCPUSeconds: Double = 0
    /// Of `warmBenchCPUSeconds`, the embedded broker's thread (0 with --brokers).
    var warmBrokerCPUSeconds: Double = 0
}

/// Everything one `governor bench` run measured.
struct BenchFigures: Sendable {
    var events: Int
    var seed: UInt64
    /// Stream time of the first generated record (`--start-ms` reproduces the records).
    var startMs: Int64
    /// Workspaces of the generated workload, and its largest contact pool.
    var workspaces: Int
    var contacts: Int
    var brokers: String
    /// The allocator of this binary, and so of the `governor run` children (`Allocator`).
    var allocator = Allocator.description
    var consumeOnly: StageFigure
    var passthrough: StageFigure
    var pipeline: PipelineFigure
    var offline: StageFigure
    /// (e) kcat -C | kcat -P over the same raw events (nil: no kcat found).
    var kcatPipe: StageFigure?

    var pipelineOverPassthrough: Double { ratio(pipeline.stage.eventsPerSecond, passthrough.eventsPerSecond) }
    var pipelineOverConsume: Double { ratio(pipeline.stage.eventsPerSecond, consumeOnly.eventsPerSecond) }
    var warm: StageFigure { pipeline.warm ?? StageFigure(records: 0, bytes: 0, seconds: 0) }
    var warmCPUMicrosPerEvent: Double { microsPerWarmEvent(pipeline.warmChildCPUSeconds) }
    var warmBenchCPUMicrosPerEvent: Double { microsPerWarmEvent(pipeline.warmBenchCPUSeconds) }
    var warmBrokerCPUMicrosPerEvent: Double { microsPerWarmEvent(pipeline.warmBrokerCPUSeconds) }
    /// CPU `seconds` of the warm phase per warm event, µs (0 without a warm phase).
    private func microsPerWarmEvent(_ seconds: Double) -> Double {
        warm.records > 0 ? seconds * 1e6 / Double(warm.records) : 0
    }
    var warmOverPassthrough: Double { ratio(warm.eventsPerSecond, passthrough.eventsPerSecond) }
    var warmOverConsume: Double { ratio(warm.eventsPerSecond, consumeOnly.eventsPerSecond) }
    /// Issue 11's target: the pipeline at ≥ 25 % of a kcat pipe (nil without one).
    var pipelineOverKcat: Double? { kcatPipe.map { ratio(pipeline.stage.eventsPerSecond, $0.eventsPerSecond) } }
    var warmOverKcat: Double? { kcatPipe.map { ratio(warm.eventsPerSecond, $0.eventsPerSecond) } }
    var fromAssignmentOverKcat: Double? {
        guard let kcatPipe, let fromAssignment = pipeline.fromAssignment else { return nil }
        return ratio(fromAssignment.eventsPerSecond, kcatPipe.eventsPerSecond)
    }

    var json: String {
        """
        {"events":\(events),"seed":\(seed),"start_ms":\(startMs),"workspaces":\(workspaces),"contacts":\(contacts),"brokers":"\(brokers)","allocator":"\(allocator)",\
        "consume_only":\(consumeOnly.json),"passthrough":\(passthrough.json),\
        "pipeline":\(pipeline.stage.json),"pipeline_from_assignment":\(pipeline.fromAssignment?.json ?? "null"),"pipeline_warm":\(warm.json),"pipeline_warm_child_cpu_seconds":\(rounded(pipeline.warmChildCPUSeconds, 6)),\
        "pipeline_warm_child_cpu_us_per_event":\(rounded(warmCPUMicrosPerEvent, 1)),\
        "pipeline_warm_bench_cpu_seconds":\(rounded(pipeline.warmBenchCPUSeconds, 6)),\
        "pipeline_warm_bench_cpu_us_per_event":\(rounded(warmBenchCPUMicrosPerEvent, 1)),\
        "pipeline_warm_broker_cpu_us_per_event":\(rounded(warmBrokerCPUMicrosPerEvent, 1)),"offline_engine":\(offline.json),\
        "ratio_pipeline_to_passthrough":\(rounded(pipelineOverPassthrough, 3)),\
        "ratio_pipeline_to_consume":\(rounded(pipelineOverConsume, 3)),\
        "ratio_pipeline_warm_to_passthrough":\(rounded(warmOverPassthrough, 3)),\
        "ratio_pipeline_warm_to_consume":\(rounded(warmOverConsume, 3)),\
        "kcat_pipe":\(kcatPipe?.json ?? "null"),\
        "ratio_pipeline_to_kcat_pipe":\(pipelineOverKcat.map { rounded($0, 3) } ?? "null"),\
        "ratio_pipeline_warm_to_kcat_pipe":\(warmOverKcat.map { rounded($0, 3) } ?? "null"),\
        "ratio_pipeline_from_assignment_to_kcat_pipe":\(fromAssignmentOverKcat.map { rounded($0, 3) } ?? "null"),\
        "pipeline_peak_rss_bytes":\(pipeline.peakRSSBytes),"restore_ms_largest_partition":\(pipeline.restoreMs),\
        "verdict_latency":\(pipeline.latency.json)}
        """
    }

    var report: String {
        """
        governor bench: \(events) generated events (seed \(seed), start \(startMs), \(workspaces) workspaces, contact pool \(contacts)) on \(brokers), \(allocator)
          (a) consume-only raw-events:        \(consumeOnly.line)
          (b) consume→produce passthrough:   \(passthrough.line)
          (c) governor run, exactly-once:    \(pipeline.stage.line) (from the child's start)
              from its partitions restored:  \(pipeline.fromAssignment?.line ?? "not seen in the child's log")
              warm, the workload continued:  \(warm.line); the child used \
        \(rounded(pipeline.warmChildCPUSeconds, 2)) s of CPU, \(rounded(warmCPUMicrosPerEvent, 1)) µs per event; \
        this process (broker\(brokers == "embedded mock cluster" ? "" : " elsewhere"), producer, watcher) \
        \(rounded(pipeline.warmBenchCPUSeconds, 2)) s, \(rounded(warmBenchCPUMicrosPerEvent, 1)) µs per event \
        (the embedded broker's thread \(rounded(warmBrokerCPUMicrosPerEvent, 1)))
              peak RSS \(pipeline.peakRSSBytes / 1_048_576) MiB, restore of the largest partition \(pipeline.restoreMs) ms
              verdict latency (\(pipeline.latency.count) records at \(pipeline.latency.ratePerSecond)/s after \(pipeline.latency.warmupRecords) warm-up records): \
        p50 \(pipeline.latency.p50) ms, p99 \(pipeline.latency.p99) ms, p99.9 \(pipeline.latency.p999) ms, max \(pipeline.latency.max) ms
          (d) offline engine, one thread:     \(offline.line)
          (e) kcat -C | kcat -P pipe:        \(kcatPipe?.line ?? "not measured (no kcat)")
          c/b = \(rounded(pipelineOverPassthrough, 3)), c/a = \(rounded(pipelineOverConsume, 3)); \
        warm: c/b = \(rounded(warmOverPassthrough, 3)), c/a = \(rounded(warmOverConsume, 3))\(kcatRatios)
        """
    }
}

extension BenchFigures {
    private var kcatRatios: String {
        guard let pipelineOverKcat, let warmOverKcat else { return "" }
        let assigned = fromAssignmentOverKcat.map { ", from assignment c/e = \(rounded($0, 3))" } ?? ""
        return "\n  c/e = \(rounded(pipelineOverKcat, 3))\(assigned), warm c/e = \(rounded(warmOverKcat, 3)) (issue 11's target: ≥ 0.25)"
    }
}

func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }

func rounded(_ value: Double, _ places: Int) -> String {
    guard value.isFinite else { return "0" }
    if places == 0 { return String(Int64(value.rounded())) }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    let whole = scaled / Int64(scale)
    var fraction = String(abs(scaled % Int64(scale)))
    while fraction.count < places { fraction = "0" + fraction }
    return (scaled < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
}
