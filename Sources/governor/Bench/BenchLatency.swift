import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Governance
import Histogram
import Kafka
import Logging
import Pipeline
import RecordFile

/// Verdict latency percentiles, ms.
struct LatencyFigure: Sendable {
    var count: Int
    var ratePerSecond: Int
    /// Records sent first and left out of the figures (the instance's first transactions).
    var warmupRecords: Int
    var p50: UInt64
    var p99: UInt64
    var p999: UInt64
    var max: UInt64

    var json: String {
        #"{"records":\#(count),"rate_per_s":\#(ratePerSecond),"warmup_records":\#(warmupRecords),"p50_ms":\#(p50),"p99_ms":\#(p99),"p999_ms":\#(p999),"max_ms":\#(max)}"#
    }
}

extension BenchStages {
    /// Verdict latency of a running `governor run`: `count` new raw events produced
    /// at `ratePerSecond` with CreateTime = now; each one's latency is the wall
    /// time its verdict record is first read (read_committed) minus that CreateTime,
    /// which the verdict record carries as its own timestamp. The records rotate over
    /// `latencyWorkspaces` (so over partitions). The first `latencyWarmupSeconds` of
    /// records are sent at the same rate but left out: they pay the restarted
    /// instance's first transactions (~1 s of flush each on the mock, docs/BENCHMARKS.md),
    /// which is start-up, not the steady state the target is about.
    func latency(count: Int, ratePerSecond: Int) throws -> LatencyFigure {
        let warmup = Int(latencyWarmupSeconds * Double(ratePerSecond))
        let total = warmup + count
        let workspaces = latencyWorkspaces.isEmpty ? ["ws_acme_eu"] : latencyWorkspaces
        let watcher = try KafkaConsumer(config: watcherConfig, settings: ConsumerSettings(groupID: nil), logger: logger)
        defer { try? watcher.close() }
        var assignment: [TopicPartitionOffset] = []
        for topic in Self.verdictTopics {
            for p in 0..<(try watcher.partitionCount(of: topic)) {
                let high = try watcher.queryWatermarkOffsets(topic: topic, partition: Int32(p)).high
                assignment.append(TopicPartitionOffset(topic, Int32(p), offset: high))
            }
        }
        try watcher.assign(assignment)
        let producer = try KafkaProducer(config: config, logger: logger)
        let phaseStart = wallMs()
        var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: .three)
        var answered = Set<AnsweredInput>()
        var sent = 0
        /// CreateTime of the first measured record: verdicts of older ones are warm-up.
        var measuredFrom = Int64.max
        var lastWarmup = Int64.min
        let start = ContinuousClock.now
        let deadline = start + .seconds(300)
        while answered.count < count {
            // Send what the rate allows by now, in small slices.
            let due = min(total, Int((ContinuousClock.now - start).seconds * Double(ratePerSecond)) + 1)
            while sent < due {
                let ws = workspaces[sent % workspaces.count]
                let value = Array(#"{"message_id":"bench-latency-\#(phaseStart)-\#(sent)","workspace_id":"\#(ws)","source_id":"web","type":"track","event":"login","customer_id":"latency_\#(sent % 997)","context":{"user_agent":"Mozilla/5.0"}}"#.utf8)
                var now = wallMs()
                if sent == warmup {
                    // Strictly after every warm-up record's CreateTime (ms resolution).
                    while now <= lastWarmup { usleep(200); now = wallMs() }
                    measuredFrom = now
                }
                if sent < warmup { lastWarmup = now }
                try producer.send(ProducerRecord(topic: Topic.rawEvents, key: ws, value: value, timestampMs: now))
                sent += 1
            }
            try watcher.poll(maxMessages: 10_000, timeout: .milliseconds(5)) { message in
                let seen = wallMs()
                let timestamp = message.timestampMs
                guard timestamp >= measuredFrom, let input = AnsweredInput(message), !input.outbound,
                      answered.insert(input).inserted else { return }
                _ = histogram.record(UInt64(max(0, seen - timestamp)))
            }
            guard ContinuousClock.now < deadline else {
                throw BenchError("latency: \(answered.count) of \(count) verdicts read in 300 s")
            }
        }
        _ = try producer.flush(timeout: .seconds(30))
        return LatencyFigure(count: count, ratePerSecond: ratePerSecond, warmupRecords: warmup, p50: histogram.valueAtPercentile(50),
                             p99: histogram.valueAtPercentile(99), p999: histogram.valueAtPercentile(99.9), max: histogram.max)
    }
}

/// The rate of the verdict-latency phase: fixed, or half the warm rate the same run
/// measured (issue 11's target: p99 at half the maximum rate).
enum LatencyRate: ExpressibleByArgument, Equatable {
    case perSecond(Int)
    case halfWarm

    init?(argument: String) {
        if argument == "half" {
            self = .halfWarm
        } else if let rate = Int(argument) {
            self = .perSecond(rate)
        } else {
            return nil
        }
    }

    /// The fixed rate, or nil for `half`.
    var fixed: Int? {
        if case .perSecond(let rate) = self { return rate }
        return nil
    }

    /// Records per second, given the warm rate measured (nil when there was no warm phase).
    func perSecond(warm: Double?) -> Int {
        switch self {
        case .perSecond(let rate): rate
        // In hundreds, so that runs compare; at least 100/s.
        case .halfWarm: max(100, Int((warm ?? 200) / 2 / 100) * 100)
        }
    }

    /// Records of the phase when `--latency-records` was not given: 2,000 at a fixed
    /// rate (the default's two seconds), one second's worth at half the warm rate.
    func defaultCount(rate: Int) -> Int {
        self == .halfWarm ? rate : 2_000
    }
}

/// The wall clock, ms since the epoch.
func wallMs() -> Int64 { RecordFileReader.systemNow() }
