import Foundation
import Governance
import JSON
import Kafka
import Topology
import Pipeline
import RecordFile
import Synchronization
import Testing

/// SPEC §11: an instance killed at any moment (SIGKILL) and restarted neither loses
/// nor duplicates a verdict, and every counter ends equal to a single uninterrupted
/// run over the same input.
///
/// A mock cluster runs in this process; two `governor run` children (the built
/// binary) form one group with a 3 s session timeout. The workload's configs are
/// produced first, then ~3,000 events are streamed in over ~25 s while one of the
/// children, chosen at random, is SIGKILLed at random moments (0.3–2 s after it got
/// its partitions) and restarted under the same instance id, at least four times
/// and as long as events are fed (at most ten). Snapshots are written every 64 KiB
/// of changelog, so restores also start from snapshots. Once every
/// input partition is committed — each changelog partition's newest commit marker
/// covers the end offset of raw-events, outbound-messages and notification-requests
/// of that partition, twice in a row with unchanged end offsets — the children get
/// SIGTERM, the outputs are read back and compared with `OfflineRun` over the same
/// records in each partition's order.
///
/// Reproduce a run with `CRASH_SEED=<seed>` (printed at the start); the children's
/// logs stay in the printed directory when a run fails.
@Suite(.serialized) struct CrashTests {
    @Test(.timeLimit(.minutes(3))) func exactlyOnceUnderSIGKILL() async throws {
        // 24 workspaces: about two a partition, so snapshots are spread over attempts.
        var scenario = CrashScenario(guarantee: "exactly_once")
        scenario.workspaces = 24
        try await scenario.run()
    }

    @Test(.timeLimit(.minutes(3))) func atLeastOnceUnderSIGKILL() async throws {
        try await CrashScenario(guarantee: "at_least_once").run()
    }

    /// Configs change while events flow (a lower name cap, a stricter schema): each
    /// new version is produced about a second before the first event it applies to
    /// (the first of its workspace at or after its timestamp), so `governor check`,
    /// which applies it at that line, is the expected result; re-deliveries of
    /// attempts cut off around it stay byte-identical.
    @Test(.timeLimit(.minutes(3))) func exactlyOnceWithConfigChangesUnderSIGKILL() async throws {
        try await CrashScenario(guarantee: "exactly_once", configChanges: true).run()
    }

    /// The same SIGKILL loop on the real-broker tier (noida-db, docs/KAFKA.md): two
    /// instances with static membership, outputs read back with read_committed.
    @Test(.timeLimit(.minutes(4)), .enabled(if: NoidaBroker.binary != nil, Comment(rawValue: NoidaBroker.unavailable)))
    func exactlyOnceUnderSIGKILLOnARealBroker() async throws {
        try await CrashScenario(guarantee: "exactly_once", realBroker: true).run()
    }
}

/// The event topics a raw event is answered on.
private let eventAnswerTopics: Set<String> = [
    Topic.eventsAccepted, Topic.eventsOverCap, Topic.eventsRateLimited, Topic.eventsFiltered, Topic.eventsDeferred,
    Topic.eventsDLQ,
]

struct CrashScenario {
    var guarantee: String
    var events = 3_000
    /// Kills at least this many times, and keeps killing while events are fed, up to `maxKills`.
    /// Small enough that every busy partition writes snapshots during the run, so
    /// restores start from snapshots as well as from the log's start.
    var snapshotEveryBytes = 64 << 10
    /// Small, so that snapshots of partitions with several workspaces are spread
    /// over attempts (`PartitionTask.SpreadSnapshot`) and kills cut some of them off.
    var snapshotSliceEntries = 256
    /// Workspaces of the demo workload (nil: its six).
    var workspaces: Int?
    var minKills = 4
    var maxKills = 10
    var chunk = 12
    var chunkPause: Duration = .milliseconds(100)
    /// The fault suite (FaultTests): run in place of the kills while events are fed;
    /// injects faults into the cluster or the group and returns what it did.
    var faults: ((MockCluster, [GovernorInstance], Flag) async throws -> [String])?
    /// The real-broker tier's fault plan (there are no mock-cluster controls there):
    /// run in place of the kills while events are fed; gets the cluster's config and
    /// the group, returns what it did.
    var brokerFaults: ((KafkaConfig, String, [GovernorInstance], Flag) async throws -> [String])?
    /// More `governor run` arguments (e.g. `--http 127.0.0.1:0`).
    var extraArguments: [String] = []
    /// A label for the printed lines.
    var name: String?

    /// Produce new config versions mid-stream (`exactlyOnceWithConfigChangesUnderSIGKILL`).
    var configChanges = false

    /// Run on the real-broker tier (noida-db) instead of the mock cluster.
    var realBroker = false

    init(guarantee: String, configChanges: Bool = false, realBroker: Bool = false) {
        self.guarantee = guarantee
        self.configChanges = configChanges
        self.realBroker = realBroker
    }

    /// New versions of two workspaces' configs, each effective from the timestamp of
    /// that workspace's first event past `fraction` of the stream, and the stream
    /// index at which to produce it (150 events, ~1.2 s, before that event).
    static func configChanges(streamed: [CrashInput], firstLine: Int, partitionCount: Int,
                              nextOffset: inout [InputAddress: Int64]) -> [(change: CrashInput, produceAt: Int)] {
        let changes: [(workspace: String, fraction: Double, config: String)] = [
            ("ws_trialco", 0.4,
             #"{"workspace_id":"ws_trialco","org_id":"org_trialco","plan":"trial","limits":{"unique_event_names":8}}"#),
            ("ws_bigcorp", 0.6, #"{"workspace_id":"ws_bigcorp","org_id":"org_big","plan":"enterprise","schemas":{"order_completed":{"required":["order_id","total"],"properties":{"order_id":"string","total":"number"}}}}"#),
        ]
        var result: [(CrashInput, Int)] = []
        for (i, change) in changes.enumerated() {
            let from = Int(Double(streamed.count) * change.fraction)
            guard let first = streamed[from...].firstIndex(where: { $0.key == change.workspace }) else { continue }
            let p = Murmur2.partition(for: change.workspace, partitionCount: partitionCount)
            let slot = InputAddress(Topic.workspaceConfig, p, 0)
            defer { nextOffset[slot, default: 0] += 1 }
            let input = CrashInput(line: firstLine + i, topic: Topic.workspaceConfig, key: change.workspace,
                                   value: Array(change.config.utf8), timestamp: streamed[first].timestamp, partition: p,
                                   offset: nextOffset[slot, default: 0])
            result.append((input, max(0, first - 150)))
        }
        return result
    }

    func run() async throws {
        let started = ContinuousClock.now
        let seed = ProcessInfo.processInfo.environment["CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...999_999)
        var rng = SplitMix64(seed: seed)
        let binary = try locateGovernorBinary()
        let logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(guarantee)-\(seed)-\(getpid())")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        print("CrashTests[\(guarantee)]: seed \(seed), binary \(binary.path), logs \(logDirectory.path)")

        // 1. The cluster and the topics of topics.yaml.
        let topics = try TopicsFile.load(path: crashRepoRoot.appendingPathComponent("topics.yaml").path)
        let cluster: MockCluster? = realBroker ? nil : try MockCluster(brokers: 1, logger: crashLogger)
        defer { cluster?.close() }
        let noida: NoidaBroker? = realBroker ? try NoidaBroker() : nil
        defer { noida?.stop() }
        try cluster?.createTopics(topics)
        try noida?.createTopics()
        let bootstrapServers = cluster?.bootstrapServers ?? noida!.bootstrapServers
        let kafka = KafkaConfig(bootstrapServers: bootstrapServers)
        var partitionCounts: [String: Int] = [:]
        for topic in topics.topics { partitionCounts[topic.name] = topic.partitions }

        // 2. The workload, placed by murmur2 of the key as the producer would.
        var nextOffset: [InputAddress: Int64] = [:]
        let inputs: [CrashInput] = DemoWorkload(events: events, seed: seed, workspaces: workspaces).map { line in
            let count = partitionCounts[line.topic] ?? 1
            let p = line.key.map { Murmur2.partition(for: $0, partitionCount: count) } ?? 0
            let slot = InputAddress(line.topic, p, 0)
            defer { nextOffset[slot, default: 0] += 1 }
            return CrashInput(line: line.line, topic: line.topic, key: line.key, value: line.value,
                              timestamp: line.timestampMs, partition: p, offset: nextOffset[slot, default: 0])
        }
        let configs = inputs.filter { $0.topic == Topic.workspaceConfig }
        let streamed = inputs.filter { $0.topic != Topic.workspaceConfig }
        let changes = configChanges
            ? Self.configChanges(streamed: streamed, firstLine: (inputs.map(\.line).max() ?? 0) + 1,
                                 partitionCount: partitionCounts[Topic.workspaceConfig] ?? 1, nextOffset: &nextOffset)
            : []
        let producer = try KafkaProducer(config: kafka, logger: crashLogger)
        for input in configs { try producer.send(input.producerRecord) }
        try producer.flush().throwIfFailed()

        // 3. Two members of one group.
        let group = "crash-\(seed)"
        let arguments = ["run", "--brokers", bootstrapServers, "--group", group, "--session-timeout-ms", realBroker ? "6000" : "3000",
                         "--processing-guarantee", guarantee, "--commit-interval-ms", "100",
                         "--snapshot-every-bytes", String(snapshotEveryBytes),
                         "--snapshot-slice-entries", String(snapshotSliceEntries)] + extraArguments
        let instances = ["a", "b"].map {
            GovernorInstance(instanceID: $0, binary: binary, arguments: arguments, logDirectory: logDirectory)
        }
        if realBroker {
            for instance in instances {
                let id = instance.instanceID
                let transactionalID = { (incarnation: Int) in "governor-\(group)-\(id)-\(incarnation)" }
                // Static membership (KIP-345): a restarted member takes its place without
                // waiting for the group to expire it (noida-db often never re-forms otherwise).
                // A producer id per incarnation, and the test fences the predecessor's id
                // (aborting its open transaction) before the successor starts: with one
                // producer id for all incarnations, noida-db's stale aborted-transaction
                // lists hide the successor's records from readers that seek past the
                // abort (docs/KAFKA.md). A fixed broker would need neither.
                // noida-db 0.2.3 sometimes parks the JoinGroup of members that join a new
                // group together until the rebalance timeout (max.poll.interval.ms, 300 s by
                // default) although all of them are there (docs/KAFKA.md): 15 s bounds that
                // (and every client of the process needs a session timeout below it).
                instance.incarnationArguments = { ["-X", "group.instance.id=\(id)", "-X", "transactional.id=\(transactionalID($0))",
                                                   "-X", "max.poll.interval.ms=15000", "-X", "session.timeout.ms=6000"] }
                instance.beforeStart = { incarnation in
                    guard incarnation > 1 else { return }
                    let fence = try TransactionalProducer(config: kafka, transactionalID: transactionalID(incarnation - 1),
                                                          logger: crashLogger)
                    try fence.initTransactions()
                }
            }
        }
        defer { instances.forEach { $0.killNow() } }
        for instance in instances { try instance.start() }

        // 4. Stream the events in while killing and restarting members.
        let chunk = chunk, pause = chunkPause
        let feedingDone = Flag()
        let feeding = Task.detached { () throws -> Void in
            for start in stride(from: 0, to: streamed.count, by: chunk) {
                for change in changes where (start..<start + chunk).contains(change.produceAt) {
                    try producer.send(change.change.producerRecord)
                }
                for input in streamed[start..<min(start + chunk, streamed.count)] { try producer.send(input.producerRecord) }
                try await Task.sleep(for: pause)
            }
            try producer.flush().throwIfFailed()
            feedingDone.set()
        }
        defer { feeding.cancel() }
        var killLog: [String] = []
        var kills = 0
        if let faults {
            // Fault injection needs the mock cluster's controls.
            guard let cluster else { throw CrashTestError.failed("the fault suite runs on the mock cluster only") }
            killLog = try await faults(cluster, instances, feedingDone)
        }
        if let brokerFaults {
            killLog = try await brokerFaults(kafka, group, instances, feedingDone)
        }
        while faults == nil, brokerFaults == nil, kills < minKills || (!feedingDone.isSet && kills < maxKills) {
            let victim = instances[Int(rng.next() % 2)]
            let gotPartitions = try await pollUntil(timeout: .seconds(30)) {
                for instance in instances { try instance.superviseExternalStops() }
                return victim.currentLog.contains("restored partition")
            }
            guard gotPartitions else {
                throw CrashTestError.failed("instance \(victim.instanceID) got no partitions within 30 s:\n\(victim.allLogs)")
            }
            let delay = 300 + Int(rng.next() % 1_701)
            try await Task.sleep(for: .milliseconds(delay))
            guard await victim.signal(SIGKILL, timeout: .seconds(10)) != nil else {
                throw CrashTestError.failed("instance \(victim.instanceID) did not die of SIGKILL")
            }
            kills += 1
            killLog.append("\(victim.instanceID) at \(Self.seconds(ContinuousClock.now - started)) s (\(delay) ms after its partitions)")
            try victim.start()
        }
        try await feeding.value
        print("CrashTests[\(guarantee)]: \(kills) kills: \(killLog.joined(separator: "; "))")

        // 5. Run until every input partition is committed.
        let reader = TopicReader(config: kafka, logger: crashLogger)
        let progress = try ChangelogProgress(config: kafka, namespace: group)
        let inputTopics = [Topic.rawEvents, Topic.outboundMessages, Topic.notificationRequests]
        var previous: [String: [Int32: Int64]]?
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            for instance in instances { try instance.superviseExternalStops() }
            // On a real broker notification-requests is written in transactions, and its
            // end offset is a commit marker's: count to the offset after its last record.
            let ends = realBroker ? try Self.recordEnds(inputTopics, reader: reader) : try reader.endOffsets(inputTopics)
            try progress.catchUp(to: reader.endOffsets([progress.topic])[progress.topic] ?? [:])
            let behind = ends.flatMap { topic, partitions in
                partitions.compactMap { p, end in
                    progress.committed(topic, p) < end ? "\(topic)[\(p)] \(progress.committed(topic, p))/\(end)" : nil
                }
            }.sorted()
            if ProcessInfo.processInfo.environment["CRASH_VERBOSE"] != nil {
                print("CrashTests[\(guarantee)]: at \(ContinuousClock.now - started): behind \(behind)")
            }
            if behind.isEmpty, ends == previous { break }
            previous = behind.isEmpty ? ends : nil
            guard ContinuousClock.now < deadline else {
                throw CrashTestError.failed("inputs not committed within 60 s: \(behind)\n"
                    + instances.map(\.allLogs).joined(separator: "\n"))
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let processed = ContinuousClock.now - started
        for instance in instances {
            let ended = await instance.signal(SIGTERM, timeout: .seconds(30))
            #expect(ended?.status == 0 && ended?.reason == .exit,
                    "instance \(instance.instanceID) did not stop cleanly on SIGTERM: \(String(describing: ended))\n\(instance.currentLog)")
        }

        // 6. Read everything back.
        var dump: [String: [KafkaMessage]] = [:]
        for topic in Topic.outputs { dump[topic] = try reader.readAll(topic) }
        let readBack = try reader.readAll(Topic.rawEvents) + reader.readAll(Topic.outboundMessages)
        var lineByAddress: [InputAddress: Int] = [:]
        for input in streamed { lineByAddress[InputAddress(input.topic, input.partition, input.offset)] = input.line }
        let inputByLine = Dictionary(uniqueKeysWithValues: inputs.map { ($0.line, $0) })
        let readBackCount = readBack.count
        #expect(readBackCount == streamed.count, "\(readBackCount) inputs read back, \(streamed.count) produced")
        for message in readBack {
            let line = lineByAddress[InputAddress(message.topic, message.partition, message.offset)]
            let input = line.flatMap { inputByLine[$0] }
            let same = input?.value == message.value && input?.key == message.keyString
            #expect(same,
                    "input \(message.topic)[\(message.partition)]@\(message.offset) is not the record produced there")
        }

        let commitFailures = instances.map { $0.allLogs.components(separatedBy: "commit failed").count - 1 }.reduce(0, +)
        let stats = checkAnswers(dump: dump, streamed: streamed)
        try compareWithOffline(dump: dump, inputs: inputs, changes: changes.map(\.change), lineByAddress: lineByAddress)
        print("""
            CrashTests[\(name ?? guarantee)]: seed \(seed): \(streamed.count) inputs, \(kills) kills, \
            faults: \(faults == nil && brokerFaults == nil ? "none" : killLog.joined(separator: "; ")), \
            \(progress.markerCount) commit markers (\(progress.markersDiscarding) discarding cut-off attempts, \(progress.snapshots) snapshots, \(progress.spreadSnapshots) spread), \
            \(stats.redelivered) re-delivered answers, \(commitFailures) failed commits, \
            \(instances.map(\.externalStops).reduce(0, +)) stops from outside the test; \
            all committed after \(Self.seconds(processed)) s, total \(Self.seconds(ContinuousClock.now - started)) s
            """)
        if ProcessInfo.processInfo.environment["CRASH_KEEP_LOGS"] == nil { try? FileManager.default.removeItem(at: logDirectory) }
    }

    // MARK: One answer per input

    /// Every raw-events offset has exactly one distinct answering record on the event
    /// topics, every outbound-messages offset one on outbound-verdicts (or events-dlq);
    /// re-deliveries are byte-identical (`dlq_at` included: an attempt's clock is
    /// reused when its records are processed again).
    private func checkAnswers(dump: [String: [KafkaMessage]], streamed: [CrashInput]) -> (answers: Int, redelivered: Int) {
        var answers: [InputAddress: Set<[UInt8]>] = [:]
        var topicsOf: [InputAddress: Set<String>] = [:]
        var total = 0
        for topic in eventAnswerTopics.union([Topic.outboundVerdicts]) {
            for message in dump[topic] ?? [] {
                let value = message.value.flatMap { try? JSONParser.parse($0).value }
                if OutputShape.isSettlement(value) || (topic == Topic.eventsDLQ && OutputShape.isTraitScopeDLQ(value)) {
                    continue
                }
                let headerOrigin = OriginHeaders.origin(from: message.governanceHeaders)
                let valueOrigin = OutputShape.valueOrigin(value)
                guard let origin = headerOrigin ?? valueOrigin else {
                    Issue.record("an answer on \(topic) without an origin: \(message.value.map { String(decoding: $0, as: UTF8.self) } ?? "nil")")
                    continue
                }
                #expect(headerOrigin == valueOrigin, "origin headers \(String(describing: headerOrigin)) and value \(String(describing: valueOrigin)) differ on \(topic)")
                let address = InputAddress(origin)
                let identity = Array("\(topic)|\(message.keyString ?? "nil")|\(message.timestampMs)|".utf8)
                    + (message.value ?? [])
                answers[address, default: []].insert(identity)
                topicsOf[address, default: []].insert(topic)
                total += 1
            }
        }
        var unanswered: [String] = []
        var ambiguous: [String] = []
        var misplaced: [String] = []
        for input in streamed {
            let address = InputAddress(input.topic, input.partition, input.offset)
            let distinct = answers.removeValue(forKey: address) ?? []
            if distinct.isEmpty { unanswered.append("\(address) line \(input.line)") }
            if distinct.count > 1 {
                ambiguous.append("\(address) line \(input.line):\n" + distinct.map { "    " + String(decoding: $0, as: UTF8.self) }
                    .joined(separator: "\n"))
            }
            let allowed: Set<String> = input.topic == Topic.rawEvents ? eventAnswerTopics : [Topic.outboundVerdicts, Topic.eventsDLQ]
            if let topics = topicsOf[address], !topics.isSubset(of: allowed) {
                misplaced.append("\(address) answered on \(topics.sorted())")
            }
        }
        #expect(unanswered.isEmpty, "\(unanswered.count) inputs without an answer: \(unanswered.prefix(10))")
        #expect(ambiguous.isEmpty, "\(ambiguous.count) inputs with more than one distinct answer:\n\(ambiguous.prefix(5).joined(separator: "\n"))")
        #expect(misplaced.isEmpty, "answers on the wrong topics: \(misplaced.prefix(10))")
        #expect(answers.isEmpty, "answers to inputs that do not exist: \(answers.keys.prefix(10))")
        let distinctCount = streamed.count - unanswered.count
        return (total, total - distinctCount)
    }

    // MARK: Equal to one uninterrupted run

    /// The distinct outputs of the pipeline, with origins replaced by the input's line
    /// and `dlq_at` removed, equal `OfflineRun`'s over the same records (configs first,
    /// then partition by partition in offset order: workspaces never span partitions).
    private func compareWithOffline(dump: [String: [KafkaMessage]], inputs: [CrashInput], changes: [CrashInput],
                                    lineByAddress: [InputAddress: Int]) throws {
        var offline = OfflineRun(settings: EngineSettings(wallClock: { 0 }))
        var offlineOut: [OutputRecord] = []
        var offlineLines: [String: [Int]] = [:]
        let partitions = Set(inputs.map(\.partition)).sorted()
        var order = inputs.filter { $0.topic == Topic.workspaceConfig }
            + partitions.flatMap { p in inputs.filter { $0.topic != Topic.workspaceConfig && $0.partition == p } }
        // A config change takes effect (check: at its line) right before the first
        // record of its workspace at or after its timestamp.
        for change in changes {
            let at = order.firstIndex { $0.topic != Topic.workspaceConfig && $0.key == change.key && $0.timestamp >= change.timestamp }
            order.insert(change, at: at ?? order.endIndex)
        }
        for input in order {
            _ = offline.feed(line: input.line, topic: input.topic, key: input.key, value: input.value,
                             timestamp: input.timestamp, into: &offlineOut)
            if input.topic != Topic.workspaceConfig { offlineLines[input.topic, default: []].append(input.line) }
        }
        if !changes.isEmpty {
            // The changes must matter, or this run would prove nothing about them.
            var unchanged = OfflineRun(settings: EngineSettings(wallClock: { 0 }))
            var unchangedOut: [OutputRecord] = []
            for input in order where !changes.contains(where: { $0.line == input.line }) {
                _ = unchanged.feed(line: input.line, topic: input.topic, key: input.key, value: input.value,
                                   timestamp: input.timestamp, into: &unchangedOut)
            }
            let differing = Set(offlineOut.map { $0.value }).symmetricDifference(unchangedOut.map { $0.value }).count
            #expect(differing > 0, "the config changes changed no output")
            print("CrashTests: the \(changes.count) config changes change \(differing) output records")
        }
        var expected: [String: [NormalizedOutput]] = [:]
        for record in offlineOut {
            expected[record.topic, default: []].append(OutputShape.normalize(
                topic: record.topic, key: record.key, timestamp: record.timestamp, value: record.value, headers: record.headers,
                line: { origin in offlineLines[origin.topic].flatMap { Int(origin.offset) < $0.count ? $0[Int(origin.offset)] : nil } }))
        }
        var actual: [String: Set<NormalizedOutput>] = [:]
        for (topic, messages) in dump {
            for message in messages {
                actual[topic, default: []].insert(OutputShape.normalize(
                    topic: topic, key: message.keyString, timestamp: message.timestampMs, value: message.value ?? [],
                    headers: message.governanceHeaders, line: { lineByAddress[InputAddress($0)] }))
            }
        }

        // Verdict per input record.
        func verdicts(_ records: some Sequence<NormalizedOutput>) -> [Int: String] {
            var result: [Int: String] = [:]
            for record in records where eventAnswerTopics.contains(record.topic) || record.topic == Topic.outboundVerdicts {
                guard let line = record.inputLine, let json = record.json, !OutputShape.isSettlement(json),
                    !(record.topic == Topic.eventsDLQ && OutputShape.isTraitScopeDLQ(json)) else { continue }
                let verdict = json["verdict"]?.stringValue ?? json["governance"]?["verdict"]?.stringValue ?? "dlq"
                let reason = json["reason"]?.stringValue ?? "-"
                result[line] = "\(record.topic) \(verdict) \(reason)"
            }
            return result
        }
        let expectedVerdicts = verdicts(expected.values.joined())
        let actualVerdicts = verdicts(actual.values.joined())
        let verdictDiffs = Set(expectedVerdicts.keys).union(actualVerdicts.keys).sorted()
            .filter { expectedVerdicts[$0] != actualVerdicts[$0] }
            .map { "line \($0): offline \(expectedVerdicts[$0] ?? "none"), pipeline \(actualVerdicts[$0] ?? "none")" }
        #expect(verdictDiffs.isEmpty, "verdicts differ from the offline run:\n\(verdictDiffs.prefix(10).joined(separator: "\n"))")
        let answeredOffline = expectedVerdicts.count
        let streamedCount = inputs.count - inputs.filter { $0.topic == Topic.workspaceConfig }.count
        #expect(answeredOffline == streamedCount, "the offline run answered \(answeredOffline) of \(streamedCount) inputs")

        // The final usage snapshot per workspace.
        func finalSnapshots(_ records: some Sequence<NormalizedOutput>) -> [String: String] {
            var latest: [String: (Int64, String, JSONValue)] = [:]
            for record in records where record.topic == Topic.usage {
                guard let json = record.json, json["kind"]?.stringValue == "usage_snapshot",
                    let ws = json["workspace_id"]?.stringValue else { continue }
                let candidate = (record.timestamp, record.description, json)
                if let current = latest[ws], (current.0, current.1) >= (candidate.0, candidate.1) { continue }
                latest[ws] = candidate
            }
            return latest.mapValues { entry in
                let json = entry.2
                let counters: JSONValue = ["mau": json["mau"] ?? .null, "accepted_events_month": json["accepted_events_month"] ?? .null,
                                           "breakdown": json["breakdown"] ?? .null, "month": json["month"] ?? .null]
                return String(decoding: counters.serializedBytes, as: UTF8.self)
            }
        }
        let expectedFinal = finalSnapshots(expected.values.joined())
        let actualFinal = finalSnapshots(actual.values.joined())
        let haveSnapshots = !expectedFinal.isEmpty
        #expect(haveSnapshots, "the offline run wrote no usage snapshot")
        let sameFinal = actualFinal == expectedFinal
        #expect(sameFinal, "final usage snapshots differ:\noffline  \(expectedFinal.sorted { $0.key < $1.key })\npipeline \(actualFinal.sorted { $0.key < $1.key })")

        // mau_first_active records and governance-audit records.
        let firstActive = { (records: Set<NormalizedOutput>) in
            records.filter { $0.json?["kind"]?.stringValue == "mau_first_active" }
        }
        let expectedFirst = firstActive(Set(expected[Topic.usage] ?? []))
        let actualFirst = firstActive(actual[Topic.usage] ?? [])
        let sameFirst = actualFirst == expectedFirst
        #expect(sameFirst, "mau_first_active records differ:\n\(describeDifference(expectedFirst.subtracting(actualFirst), actualFirst.subtracting(expectedFirst)))")
        let expectedAudit = Set(expected[Topic.governanceAudit] ?? [])
        let actualAudit = actual[Topic.governanceAudit] ?? []
        let sameAudit = actualAudit == expectedAudit
        #expect(sameAudit, "governance-audit differs:\n\(describeDifference(expectedAudit.subtracting(actualAudit), actualAudit.subtracting(expectedAudit)))")

        // Every output topic, record for record (distinct records: re-deliveries collapse).
        for topic in Topic.outputs {
            let want = Set(expected[topic] ?? [])
            let got = actual[topic] ?? []
            let same = got == want
            #expect(same, "\(topic) differs from the offline run:\n\(describeDifference(want.subtracting(got), got.subtracting(want)))")
        }
        // Every governance notification accounted for: the offline run writes some, and
        // on a real broker (read_committed, aborted attempts hidden) every output topic
        // holds each record exactly once, not just the same distinct records.
        let notifications = expected[Topic.governanceNotifications]?.count ?? 0
        #expect(notifications > 0, "the workload triggers no governance notification")
        if realBroker {
            for topic in Topic.outputs {
                #expect(dump[topic]?.count ?? 0 == expected[topic]?.count ?? 0,
                        "\(topic): \(dump[topic]?.count ?? 0) records read with read_committed, the offline run writes \(expected[topic]?.count ?? 0)")
            }
        }
        print("CrashTests: \(actual[Topic.governanceNotifications]?.count ?? 0) of \(notifications) governance notifications, \(dump[Topic.governanceNotifications]?.count ?? 0) records")
    }
}

extension CrashScenario {
    /// Per topic and partition, the offset after the last record a read_committed reader sees.
    static func recordEnds(_ topics: [String], reader: TopicReader) throws -> [String: [Int32: Int64]] {
        var ends: [String: [Int32: Int64]] = [:]
        for topic in topics {
            ends[topic] = [:]
            for message in try reader.readAll(topic) {
                ends[topic]![message.partition] = max(ends[topic]![message.partition] ?? 0, message.offset + 1)
            }
        }
        return ends
    }

    static func seconds(_ d: Duration) -> String {
        String(format: "%.1f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}

/// A flag set once by one task and read by another.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

extension CrashInput {
    var producerRecord: ProducerRecord {
        ProducerRecord(topic: topic, partition: partition, key: key, value: value, timestampMs: timestamp)
    }
}
