#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Governance
import Kafka
import Logging
@_spi(Benchmarks) import Pipeline
import RecordFile

/// The stages `governor bench` measures, each over the same generated records.
struct BenchStages {
    let config: KafkaConfig
    let logger: Logger
    let records: [RecordLine]
    /// The warm phase's inputs: the workload continued (next seed, later stream
    /// time), produced while the child is running (see `pipeline`).
    var warmRecords: [RecordLine] = []
    /// The workspaces the latency records rotate over (default: `ws_acme_eu`).
    var latencyWorkspaces: [String] = []
    /// Seconds of latency records sent first and left out of the figures.
    var latencyWarmupSeconds = 3.0
    /// `fetch.wait.max.ms` for the consumers of stage (c) (both children and the
    /// watchers); set on the embedded mock, whose fetch of an empty partition waits
    /// the whole `fetch.wait.max.ms` (500 ms by default) even when records arrive
    /// meanwhile, where a broker answers as soon as they do: left as is, each of the two
    /// consuming hops adds up to 500 ms that no real cluster would (the warm phase,
    /// ~1.5 s long, swung 29,500–46,100 events/s with where the child's fetch was).
    var mockFetchWaitMs: Int?

    /// The `-X` arguments of a `governor run` child for `mockFetchWaitMs`.
    private var childFetchArguments: [String] { mockFetchWaitMs.map { ["-X", "fetch.wait.max.ms=\($0)"] } ?? [] }

    /// The broker configuration of a watcher consumer, with `mockFetchWaitMs`.
    var watcherConfig: KafkaConfig {
        var watcherConfig = config
        if let mockFetchWaitMs { watcherConfig.properties["fetch.wait.max.ms"] = String(mockFetchWaitMs) }
        return watcherConfig
    }
    /// `--log-level` of the `governor run` children (debug logs every transaction's phases).
    var childLogLevel = "info"
    /// Prints a progress line to stderr (nil: quiet).
    let progress: (String) -> Void

    var inputRecords: [RecordLine] {
        records.filter { $0.topic == Topic.rawEvents || $0.topic == Topic.outboundMessages }
    }

    /// (d) The offline engine over the records on this thread: its CPU time, so
    /// that other processes on the machine count as little as possible.
    static func offline(_ records: [RecordLine]) -> StageFigure {
        var run = OfflineRun(settings: EngineSettings(wallClock: { 1_795_000_000_000 }))
        var out: [OutputRecord] = []
        var governed = 0
        var bytes = 0
        let start = threadCPUSeconds()
        for record in records {
            out.removeAll(keepingCapacity: true)
            if case .verdict = run.feed(line: record.line, topic: record.topic, key: record.key, value: record.value,
                                        timestamp: record.timestampMs, into: &out) {
                governed += 1
                bytes += record.value?.count ?? 0
            }
        }
        return StageFigure(records: governed, bytes: bytes, seconds: threadCPUSeconds() - start)
    }

    /// Produces every record with CreateTime = its timestamp and waits for all deliveries.
    func produceAll() throws {
        let producer = try KafkaProducer(config: config, logger: logger)
        for record in records {
            try producer.send(ProducerRecord(topic: record.topic, key: record.key, value: record.value,
                                             timestampMs: record.timestampMs))
        }
        let summary = try producer.flush(timeout: .seconds(300))
        guard summary.failedCount == 0 else {
            throw BenchError("\(summary.failedCount) of \(records.count) records were not delivered: \(summary.failures.prefix(3))")
        }
        try checkNothingDropped()
    }

    /// Fails when the broker already dropped input records (the mock keeps 5 MiB per
    /// partition, docs/KAFKA.md): no stage could read them all, so every one would
    /// wait for its deadline instead.
    func checkNothingDropped() throws {
        let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: logger)
        defer { try? consumer.close() }
        for topic in [Topic.rawEvents, Topic.outboundMessages] {
            for p in 0..<Int32(try consumer.partitionCount(of: topic)) {
                let low = try consumer.queryWatermarkOffsets(topic: topic, partition: p).low
                guard low == 0 else {
                    throw BenchError("""
                        the broker dropped the first \(low) records of \(topic)[\(p)] (the embedded mock cluster keeps \
                        5 MiB per partition): use fewer --events, more --workspaces (the records are keyed by \
                        workspace), or a real cluster with --brokers
                        """)
                }
            }
        }
    }

    /// (a) Reads every raw-events record once, from the beginning of each partition.
    func consumeOnly() throws -> StageFigure {
        try consume(forward: nil)
    }

    /// (b) Reads every raw-events record and produces it unchanged to `topic`,
    /// until every produced record is delivered.
    func passthrough(to topic: String) throws -> StageFigure {
        let producer = try KafkaProducer(config: config, logger: logger)
        return try consume(forward: (producer, topic))
    }

    private func consume(forward: (producer: KafkaProducer, topic: String)?) throws -> StageFigure {
        let expected = records.filter { $0.topic == Topic.rawEvents }.count
        let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: logger)
        defer { try? consumer.close() }
        let partitions = try consumer.partitionCount(of: Topic.rawEvents)
        try consumer.assign((0..<partitions).map {
            TopicPartitionOffset(Topic.rawEvents, Int32($0), offset: KafkaOffset.beginning)
        })
        var count = 0
        var bytes = 0
        let start = ContinuousClock.now
        let deadline = start + .seconds(600)
        while count < expected {
            guard ContinuousClock.now < deadline else {
                throw BenchError("read \(count) of \(expected) raw-events records in 600 s")
            }
            for message in try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(200)) {
                count += 1
                bytes += message.value?.count ?? 0
                if let forward {
                    try forward.producer.send(ProducerRecord(topic: forward.topic, key: message.key, value: message.value,
                                                             timestampMs: message.timestampMs))
                }
            }
        }
        if let forward {
            let summary = try forward.producer.flush(timeout: .seconds(300))
            guard summary.failedCount == 0 else { throw BenchError("passthrough: \(summary.failedCount) records not delivered") }
        }
        return StageFigure(records: count, bytes: bytes, seconds: (ContinuousClock.now - start).seconds)
    }

    /// (c) `governor run` (exactly-once) as a child of this binary, from its start
    /// until every input record's verdict record can be read.
    /// Then restarts it to time the restore, and measures verdict latency on the
    /// restarted instance with `latencyCount` records at `latencyRate` per second.
    func pipeline(group: String, latencyCount: Int?, latencyRate: LatencyRate) throws -> PipelineFigure {
        let inputs = inputRecords
        let bytes = inputs.reduce(0) { $0 + ($1.value?.count ?? 0) }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("governor-bench-\(getpid()).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let start = ContinuousClock.now
        let child = try startRun(group: group, log: log, extra: childFetchArguments)
        var peakRSS = 0
        defer { Self.stop(child) }
        // Done when every input has its verdict record on a verdict topic (found by
        // the origin headers). The mock never stores offsets sent with a transaction
        // (docs/KAFKA.md), so the group's committed offsets cannot tell.
        let watcher = try KafkaConsumer(config: watcherConfig, settings: ConsumerSettings(groupID: nil), logger: logger)
        defer { try? watcher.close() }
        var assignment: [TopicPartitionOffset] = []
        for topic in Self.verdictTopics {
            for p in 0..<(try watcher.partitionCount(of: topic)) {
                assignment.append(TopicPartitionOffset(topic, Int32(p), offset: KafkaOffset.beginning))
            }
        }
        try watcher.assign(assignment)
        let partitions = try watcher.partitionCount(of: Topic.rawEvents)
        // When the child logged every partition restored: its group joined (the mock,
        // like a broker's group.initial.rebalance.delay.ms, holds a new group's first
        // join 3 s) and its state back. The cold rate from there is the pipeline's own.
        var assignedAt: ContinuousClock.Instant?
        var answered = Set<AnsweredInput>()
        let total = inputs.count
        let deadline = start + .seconds(900)
        var lastProgress = start
        var lastAnswer = (count: 0, at: start)
        // Polls the verdict topics until `count` inputs are answered.
        func awaitVerdicts(_ count: Int, phase: String) throws {
            while answered.count < count {
                if answered.count != lastAnswer.count { lastAnswer = (answered.count, ContinuousClock.now) }
                if ContinuousClock.now - lastAnswer.at >= .seconds(30), let dropped = try droppedVerdicts(watcher) {
                    throw BenchError("""
                        no new verdict for 30 s with \(count - answered.count) inputs unanswered, and the broker dropped \
                        the oldest records of \(dropped) (the embedded mock cluster keeps 5 MiB per partition): the \
                        missing verdicts were most likely among them. Use fewer --events, more --workspaces, or --brokers.
                        """)
                }
                guard child.isRunning else {
                    throw BenchError("governor run exited with status \(child.terminationStatus):\n\(tail(of: log))")
                }
                peakRSS = max(peakRSS, ProcessStatus.field("VmHWM:", pid: child.processIdentifier))
                // Only in the cold phase: the warm phase's CPU figures must not pay for it.
                if assignedAt == nil, phase == "cold", Self.restoreTimes(in: tail(of: log, bytes: 1 << 20)).count >= partitions {
                    assignedAt = ContinuousClock.now
                }
                try watcher.poll(maxMessages: 10_000, timeout: .milliseconds(20)) { message in
                    if let input = AnsweredInput(message) { answered.insert(input) }
                }
                guard ContinuousClock.now < deadline else {
                    throw BenchError("governor run answered \(answered.count) of \(count) input records in 900 s:\n\(tail(of: log))")
                }
                if ContinuousClock.now - lastProgress >= .seconds(2) {
                    lastProgress = ContinuousClock.now
                    progress("  (c) governor run, \(phase): \(answered.count) of \(count) input records have their verdict")
                }
            }
        }
        try awaitVerdicts(total, phase: "cold")
        let end = ContinuousClock.now
        let seconds = (end - start).seconds
        let fromAssignment = assignedAt.map { StageFigure(records: inputs.count, bytes: bytes, seconds: (end - $0).seconds) }

        // (c, warm) The same child, its group joined, partitions restored and first
        // transaction paid: the workload continued, produced at once, timed from the
        // start of producing it until every one of its inputs has its verdict.
        var warm: StageFigure?
        var warmCPUSeconds = 0.0
        var warmBenchCPUSeconds = 0.0
        var warmBrokerCPUSeconds = 0.0
        let warmInputs = warmRecords.filter { $0.topic == Topic.rawEvents || $0.topic == Topic.outboundMessages }
        if !warmInputs.isEmpty {
            progress("bench: (c) warm: \(warmInputs.count) more input records to the running child")
            let warmStart = ContinuousClock.now
            let warmCPUStart = Self.cpuSeconds(of: child.processIdentifier)
            let warmBenchCPUStart = Self.cpuSeconds(of: getpid())
            let warmBrokerCPUStart = Self.cpuSeconds(ofThreadsNamed: Self.mockBrokerThread, in: getpid())
            let producer = try KafkaProducer(config: config, logger: logger)
            for record in warmInputs {
                try producer.send(ProducerRecord(topic: record.topic, key: record.key, value: record.value,
                                                 timestampMs: record.timestampMs))
            }
            try awaitVerdicts(total + warmInputs.count, phase: "warm")
            let summary = try producer.flush(timeout: .seconds(60))
            guard summary.failedCount == 0 else { throw BenchError("warm phase: \(summary.failedCount) records not delivered") }
            warm = StageFigure(records: warmInputs.count, bytes: warmInputs.reduce(0) { $0 + ($1.value?.count ?? 0) },
                               seconds: (ContinuousClock.now - warmStart).seconds)
            warmCPUSeconds = Self.cpuSeconds(of: child.processIdentifier) - warmCPUStart
            warmBenchCPUSeconds = Self.cpuSeconds(of: getpid()) - warmBenchCPUStart
            warmBrokerCPUSeconds = Self.cpuSeconds(ofThreadsNamed: Self.mockBrokerThread, in: getpid()) - warmBrokerCPUStart
        }
        peakRSS = max(peakRSS, ProcessStatus.field("VmHWM:", pid: child.processIdentifier))
        Self.stop(child)

        // The restore: the same group again, which restores every partition from
        // the changelog the run wrote, and logs how long each took.
        progress("bench: restarting governor run to time the restore")
        let restoreLog = FileManager.default.temporaryDirectory.appendingPathComponent("governor-bench-\(getpid())-restore.log")
        defer { try? FileManager.default.removeItem(at: restoreLog) }
        let restarted = try startRun(group: group, log: restoreLog,
                                     extra: childFetchArguments)
        defer { Self.stop(restarted) }
        let restoreDeadline = ContinuousClock.now + .seconds(300)
        var restores: [Int] = []
        while restores.count < partitions {
            guard restarted.isRunning, ContinuousClock.now < restoreDeadline else {
                throw BenchError("the restarted governor run restored \(restores.count) of \(partitions) partitions:\n\(tail(of: restoreLog))")
            }
            usleep(100_000)
            restores = Self.restoreTimes(in: tail(of: restoreLog, bytes: 1 << 20))
        }
        let rate = latencyRate.perSecond(warm: warm?.eventsPerSecond)
        progress("bench: verdict latency at \(rate) records/s\(latencyRate == .halfWarm ? " (half the warm rate)" : "")")
        let latencyFigure = try latency(count: latencyCount ?? latencyRate.defaultCount(rate: rate), ratePerSecond: rate)
        peakRSS = max(peakRSS, ProcessStatus.field("VmHWM:", pid: restarted.processIdentifier))
        return PipelineFigure(stage: StageFigure(records: inputs.count, bytes: bytes, seconds: seconds),
                              fromAssignment: fromAssignment, warm: warm,
                              peakRSSBytes: peakRSS, restoreMs: restores.max() ?? 0, latency: latencyFigure,
                              warmChildCPUSeconds: warmCPUSeconds, warmBenchCPUSeconds: warmBenchCPUSeconds, warmBrokerCPUSeconds: warmBrokerCPUSeconds)
    }

    /// The first verdict-topic partition whose oldest records the broker dropped, if any.
    private func droppedVerdicts(_ consumer: KafkaConsumer) throws -> String? {
        for topic in Self.verdictTopics {
            for p in 0..<Int32(try consumer.partitionCount(of: topic)) {
                let low = try consumer.queryWatermarkOffsets(topic: topic, partition: p).low
                if low > 0 { return "\(topic)[\(p)] (\(low) records)" }
            }
        }
        return nil
    }

    /// Starts `governor run` (exactly-once) of this binary, its output into `log`.
    private func startRun(group: String, log: URL, extra: [String] = []) throws -> Process {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["run", "--brokers", config.bootstrapServers, "--group", group,
                           "--instance-id", "bench-\(getpid())", "--processing-guarantee", "exactly_once",
                           "--log-level", childLogLevel] + extra
        child.standardInput = FileHandle.nullDevice
        child.standardOutput = handle
        child.standardError = handle
        try child.run()
        return child
    }

    /// SIGTERM, then SIGKILL after 30 s; waits for the end.
    static func stop(_ child: Process) {
        guard child.isRunning else { return }
        kill(child.processIdentifier, SIGTERM)
        let stopBy = ContinuousClock.now + .seconds(30)
        while child.isRunning && ContinuousClock.now < stopBy { usleep(50_000) }
        if child.isRunning { kill(child.processIdentifier, SIGKILL) }
        child.waitUntilExit()
    }

    /// The topics that carry the one verdict of each input record.
    static let verdictTopics = [Topic.eventsAccepted, Topic.eventsOverCap, Topic.eventsRateLimited, Topic.eventsFiltered,
                                Topic.eventsDeferred, Topic.eventsDLQ, Topic.outboundVerdicts]

    /// User + system CPU seconds a running process used so far, all its threads, to
    /// the nanosecond (the process CPU clock); /proc's clock ticks (10 ms) where that
    /// clock is unavailable. Ticks alone read 0 for a short phase on a fast machine.
    static func cpuSeconds(of pid: Int32) -> Double {
        var clock = clockid_t()
        var time = timespec()
        if clock_getcpuclockid(pid, &clock) == 0, clock_gettime(clock, &time) == 0 {
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        return tickSeconds(inStat: "/proc/\(pid)/stat")
    }

    /// utime + stime of a /proc `stat` file, in seconds (0 when unreadable).
    private static func tickSeconds(inStat path: String) -> Double {
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return 0 }
        // After "pid (comm)": state is field 3, utime and stime fields 14 and 15.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds one thread used so far: the first field of its `schedstat`
    /// (nanoseconds on the CPU), else its `stat` ticks.
    private static func cpuSeconds(ofThreadAt taskDirectory: String) -> Double {
        if let schedstat = try? String(contentsOfFile: "\(taskDirectory)/schedstat", encoding: .utf8),
           let first = schedstat.split(separator: " ").first, let nanoseconds = Double(first) {
            return nanoseconds / 1e9
        }
        return tickSeconds(inStat: "\(taskDirectory)/stat")
    }

    /// The name librdkafka gives the embedded mock cluster's broker thread.
    static let mockBrokerThread = "rdk:mock"

    /// User + system CPU seconds the threads of `pid` named `name` used so far.
    static func cpuSeconds(ofThreadsNamed name: String, in pid: Int32) -> Double {
        let tasks = "/proc/\(pid)/task"
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: tasks) else { return 0 }
        var total = 0.0
        for thread in threads {
            guard let comm = try? String(contentsOfFile: "\(tasks)/\(thread)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .newlines) == name else { continue }
            total += cpuSeconds(ofThreadAt: "\(tasks)/\(thread)")
        }
        return total
    }

    /// The restore times `governor run` logged, ms ("restored partition P from N
    /// changelog records in M ms").
    static func restoreTimes(in log: String) -> [Int] {
        log.split(separator: "\n").compactMap { line in
            guard line.contains("restored partition"), let range = line.range(of: " records in ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
    }

    private func tail(of url: URL, bytes: Int = 4_000) -> String {
        let data = FileManager.default.contents(atPath: url.path) ?? Data()
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }
}

/// The input a verdict record answers, read from its origin headers in place: the
/// watcher sees every verdict of a run, and copying each record (`KafkaMessage`)
/// made it the bench process's largest cost beside the child (a harness cost that
/// competed with the pipeline for the two cores). A set of them counts inputs once
/// however often a verdict is seen (the mock shows aborted transactions' records).
struct AnsweredInput: Hashable {
    let outbound: Bool
    let partition: Int32
    let offset: Int64

    /// nil for a record without the three origin headers or from another input topic.
    init?(_ message: BorrowedKafkaMessage) {
        let topic = message.withHeader(OriginHeaders.topic) { bytes -> Int? in
            guard let bytes else { return nil }
            if bytes.elementsEqual(Topic.rawEvents.utf8) { return 0 }
            if bytes.elementsEqual(Topic.outboundMessages.utf8) { return 1 }
            return nil
        }
        guard let topic,
              let partition = message.withHeader(OriginHeaders.partition, Self.decimal).flatMap({ Int32(exactly: $0) }),
              let offset = message.withHeader(OriginHeaders.offset, Self.decimal) else { return nil }
        self.outbound = topic == 1
        self.partition = partition
        self.offset = offset
    }

    /// A non-negative decimal (what `OriginHeaders` writes for partitions and offsets).
    private static func decimal(_ bytes: UnsafeRawBufferPointer?) -> Int64? {
        guard let bytes, !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// This thread's CPU time in seconds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
