import Foundation
import Governance
import JSON
import Kafka
import Logging
import Pipeline

// Helpers of CrashTests: the repository and the governor binary, `governor run`
// child processes, commit progress read from the changelog's commit markers, and
// output records normalized for comparison.

/// Warnings and worse only.
let crashLogger: Logger = {
    var logger = Logger(label: "crash-tests")
    logger.logLevel = .warning
    return logger
}()

enum CrashTestError: Error, CustomStringConvertible {
    case failed(String)
    var description: String { if case .failed(let message) = self { message } else { "" } }
}

/// The repository root (this file is Tests/PipelineTests/CrashSupport.swift).
let crashRepoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The `governor` executable of the build that built these tests: next to the test
/// executable (`CommandLine.arguments[0]`, `Bundle.main`, an `.xctest` bundle), then
/// `<repo>/.build/debug/governor`. `GOVERNOR_BINARY` overrides the search.
func locateGovernorBinary() throws -> URL {
    var candidates: [URL] = []
    if let explicit = ProcessInfo.processInfo.environment["GOVERNOR_BINARY"], !explicit.isEmpty {
        candidates.append(URL(fileURLWithPath: explicit))
    }
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    if let first = CommandLine.arguments.first {
        let arg0 = URL(fileURLWithPath: first, relativeTo: cwd).standardizedFileURL.resolvingSymlinksInPath()
        candidates.append(arg0.deletingLastPathComponent().appendingPathComponent("governor"))
        // macOS: <products>/X.xctest/Contents/MacOS/X
        candidates.append(arg0.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("governor"))
    }
    for bundle in [Bundle.main] + Bundle.allBundles {
        candidates.append(bundle.bundleURL.appendingPathComponent("governor"))
        candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("governor"))
    }
    candidates.append(crashRepoRoot.appendingPathComponent(".build/debug/governor"))
    for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return url
        }
    }
    throw CrashTestError.failed("""
        the governor executable was not found; looked at:
        \(candidates.map { "  " + $0.path }.joined(separator: "\n"))
        Build it first (`swift build --build-tests`, as scripts/test does), or set GOVERNOR_BINARY.
        """)
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
func pollUntil(timeout: Duration, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

// MARK: - Child processes

/// One `governor run` instance: started, killed and restarted under the same
/// instance id; each incarnation logs to its own file. Used from the test's task only.
struct HTTPInstanceError: Error, CustomStringConvertible {
    let log: String
    var description: String { "governor run never served HTTP:\n\(log)" }
}

final class GovernorInstance {
    let instanceID: String
    private let binary: URL
    private let arguments: [String]
    private let logDirectory: URL
    private(set) var process: Process?
    private(set) var incarnation = 0
    private(set) var logs: [URL] = []

    init(instanceID: String, binary: URL, arguments: [String], logDirectory: URL) {
        self.instanceID = instanceID
        self.binary = binary
        self.arguments = arguments
        self.logDirectory = logDirectory
    }

    var pid: Int32? { process?.processIdentifier }
    var isRunning: Bool { process?.isRunning ?? false }

    /// Arguments for one incarnation (1-based), after the common ones.
    var incarnationArguments: (Int) -> [String] = { _ in [] }
    /// Runs before an incarnation (1-based) starts.
    var beforeStart: (Int) throws -> Void = { _ in }
    /// Variables added to the inherited environment of every incarnation.
    var environment: [String: String] = [:]

    func start() throws {
        incarnation += 1
        try beforeStart(incarnation)
        let log = logDirectory.appendingPathComponent("\(instanceID)-\(incarnation).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments + ["--instance-id", instanceID] + incarnationArguments(incarnation)
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        logs.append(log)
    }

    /// The current incarnation's log.
    var currentLog: String {
        guard let log = logs.last, let data = FileManager.default.contents(atPath: log.path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every incarnation's log, concatenated.
    var allLogs: String {
        logs.map { url in
            "--- \(url.lastPathComponent)\n" + String(decoding: FileManager.default.contents(atPath: url.path) ?? Data(), as: UTF8.self)
        }.joined(separator: "\n")
    }

    /// Starts a `governor run --http 127.0.0.1:0` instance (group = instance id) against
    /// `brokers`, waits for its HTTP server and returns the instance and the port the
    /// system picked (the log says which). The caller kills it.
    static func startServingHTTP(name: String, brokers: String) async throws -> (GovernorInstance, port: Int) {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let instance = GovernorInstance(
            instanceID: name, binary: try locateGovernorBinary(),
            arguments: ["run", "--brokers", brokers, "--group", name, "--session-timeout-ms", "3000", "--http", "127.0.0.1:0"],
            logDirectory: logs)
        try instance.start()
        guard await pollUntil(timeout: .seconds(30), { instance.currentLog.contains("serving /metrics") }),
            let port = instance.currentLog.firstMatch(of: /on 127\.0\.0\.1:(\d+)/).flatMap({ Int($0.1) })
        else {
            instance.killNow()
            throw HTTPInstanceError(log: instance.currentLog)
        }
        return (instance, port)
    }

    /// Sends `signal` to the current incarnation (if it runs) and waits for it to end.
    /// - Returns: its termination status and reason, or nil if it did not end in time.
    @discardableResult
    func signal(_ signal: Int32, timeout: Duration) async -> (status: Int32, reason: Process.TerminationReason)? {
        guard let process else { return nil }
        if process.isRunning { kill(process.processIdentifier, signal) }
        guard await pollUntil(timeout: timeout, { !process.isRunning }) else { return nil }
        return (process.terminationStatus, process.terminationReason)
    }

    /// Times this instance ended without the test asking (see `superviseExternalStops`).
    private(set) var externalStops = 0

    /// The machine is shared: something outside the test may stop or kill our
    /// children (a `pkill governor`). An incarnation that ended by a signal, or exited 0
    /// (which `governor run` only does after SIGTERM/SIGINT), without the test asking, is
    /// one more crash for the pipeline to survive: it is restarted. One that exited with
    /// an error fails the test.
    func superviseExternalStops() throws {
        guard let process, !process.isRunning else { return }
        if process.terminationReason == .exit && process.terminationStatus != 0 {
            throw CrashTestError.failed(
                "instance \(instanceID) exited with status \(process.terminationStatus):\n\(allLogs)")
        }
        externalStops += 1
        try start()
    }

    /// Kills the current incarnation without waiting for anything (cleanup).
    func killNow() {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

// MARK: - Commit progress

/// Reads `governor-changelog` incrementally and keeps each partition's newest commit
/// marker: the input offsets whose effects are committed (docs/ARCHITECTURE.md).
final class ChangelogProgress {
    private let consumer: KafkaConsumer
    let topic: String
    private var next: [Int32: Int64] = [:]
    private(set) var latest: [Int32: CommitMarker] = [:]
    private(set) var markerCount = 0
    /// Markers that list attempts to discard (attempts cut off by a kill or aborted).
    private(set) var markersDiscarding = 0
    /// Markers of snapshot attempts.
    private(set) var snapshots = 0
    /// Markers completing a snapshot spread over several attempts.
    private(set) var spreadSnapshots = 0

    /// The consumer group whose changelog records count.
    let namespace: String

    init(config: KafkaConfig, namespace: String, topic: String = "governor-changelog") throws {
        self.namespace = namespace
        consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: crashLogger)
        self.topic = topic
        let partitions = Int32(try consumer.partitionCount(of: topic))
        try consumer.assign((0..<partitions).map { TopicPartitionOffset(topic, $0, offset: KafkaOffset.beginning) })
    }

    deinit { try? consumer.close() }

    /// Reads the changelog up to `highs` (its end offsets, asked of another client:
    /// this consumer's own ListOffsets requests queue behind its fetches on the mock
    /// broker, ~0.5 s each).
    func catchUp(to highs: [Int32: Int64], timeout: Duration = .seconds(20)) throws {
        let deadline = ContinuousClock.now + timeout
        while highs.contains(where: { next[$0.key, default: 0] < $0.value }) {
            guard ContinuousClock.now < deadline else {
                throw CrashTestError.failed("reading \(topic) to \(highs) timed out at \(next)")
            }
            // On a real broker a partition's last offset is often a transaction marker,
            // never handed out: the position moves past it.
            for position in try consumer.position(highs.keys.map { TopicPartition(topic, $0) }) where position.offset > 0 {
                let p = position.topicPartition.partition
                next[p] = max(next[p, default: 0], position.offset)
            }
            for message in try consumer.poll(maxMessages: 5_000, timeout: .milliseconds(100)) {
                next[message.partition] = message.offset + 1
                let record = try ChangelogCodec.decode(key: message.key, value: message.value,
                                                       headers: message.headers.map { ($0.name, $0.value) },
                                                       offset: message.offset, namespace: namespace)
                if case .commit(let marker)? = record {
                    latest[message.partition] = marker
                    markerCount += 1
                    if !marker.discarded.isEmpty { markersDiscarding += 1 }
                    if marker.snapshot { snapshots += 1 }
                    if marker.snapshot && marker.snapshotFrom != nil { spreadSnapshots += 1 }
                }
            }
        }
    }

    /// The committed next offset of `topic` partition `p`.
    func committed(_ topic: String, _ p: Int32) -> Int64 { latest[p]?.offsets[topic] ?? 0 }
}

// MARK: - Inputs

/// One produced input record and where it landed.
struct CrashInput {
    var line: Int
    var topic: String
    var key: String?
    var value: [UInt8]?
    var timestamp: Int64
    var partition: Int32
    var offset: Int64
}

/// Where an input is: (topic, partition, offset).
struct InputAddress: Hashable, CustomStringConvertible {
    var topic: String
    var partition: Int32
    var offset: Int64
    init(_ origin: Origin) { self.init(origin.topic, origin.partition, origin.offset) }
    init(_ topic: String, _ partition: Int32, _ offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
    var description: String { "\(topic)[\(partition)]@\(offset)" }
}

// MARK: - Output normalization

/// An output record with everything that legitimately differs between the pipeline
/// and the offline run (or between a record and its re-delivery) taken out: `dlq_at`
/// (wall clock) and the `origin` objects, which are replaced by the input's line.
struct NormalizedOutput: Hashable, CustomStringConvertible {
    var topic: String
    var key: String?
    var timestamp: Int64
    /// The workload line of the input the record answers, if it carries an origin.
    var inputLine: Int?
    var value: [UInt8]

    var description: String {
        "\(topic) key=\(key ?? "nil") t=\(timestamp) line=\(inputLine.map(String.init) ?? "-") \(String(decoding: value, as: UTF8.self))"
    }

    var json: JSONValue? { try? JSONParser.parse(value).value }
}

enum OutputShape {
    /// The origin of a record: its headers, else its value's `origin`.
    static func origin(headers: [Header], value: JSONValue?) -> Origin? {
        if let origin = OriginHeaders.origin(from: headers) { return origin }
        guard let object = value?["origin"]?.objectValue, let topic = object["topic"]?.stringValue,
            let partition = object["partition"]?.numberValue?.int64Value, let offset = object["offset"]?.numberValue?.int64Value
        else { return nil }
        return Origin(topic: topic, partition: Int32(partition), offset: offset)
    }

    /// The value's `origin` member (top level), if any.
    static func valueOrigin(_ value: JSONValue?) -> Origin? {
        guard let object = value?["origin"]?.objectValue, let topic = object["topic"]?.stringValue,
            let partition = object["partition"]?.numberValue?.int64Value, let offset = object["offset"]?.numberValue?.int64Value
        else { return nil }
        return Origin(topic: topic, partition: Int32(partition), offset: offset)
    }

    /// A settlement of a held event (SPEC §6.3), left out of the one-answer-per-input law.
    static func isSettlement(_ value: JSONValue?) -> Bool {
        value?["released_from_deferral"]?.boolValue == true || value?["expired_from_deferral"]?.boolValue == true
            || value?["governance"]?["released_from_deferral"]?.boolValue == true
    }

    static func isTraitScopeDLQ(_ value: JSONValue?) -> Bool { value?["scope"]?.stringValue == "trait" }

    /// The value without `dlq_at` and without the `origin` objects (top level and in `governance`).
    static func withoutOriginAndWallClock(_ value: JSONValue?, raw: [UInt8]) -> [UInt8] {
        guard case .object(let object)? = value else { return raw }
        var members: [JSONMember] = []
        for member in object.members where member.key != "dlq_at" && member.key != "origin" {
            if member.key == "governance", case .object(let governance) = member.value {
                members.append(JSONMember(key: member.key,
                                          value: .object(JSONObject(governance.members.filter { $0.key != "origin" }))))
            } else {
                members.append(member)
            }
        }
        return JSONValue.object(JSONObject(members)).serializedBytes
    }

    static func normalize(topic: String, key: String?, timestamp: Int64, value: [UInt8], headers: [Header],
                          line: (Origin) -> Int?) -> NormalizedOutput {
        let json = try? JSONParser.parse(value).value
        let origin = origin(headers: headers, value: json)
        return NormalizedOutput(topic: topic, key: key, timestamp: timestamp, inputLine: origin.flatMap(line),
                                value: withoutOriginAndWallClock(json, raw: value))
    }
}

extension KafkaMessage {
    var governanceHeaders: [Header] { headers.map { Header(name: $0.name, value: $0.value) } }
}

/// Up to `limit` elements of a set difference, one per line, for failure messages.
func describeDifference(_ missing: some Collection<NormalizedOutput>, _ extra: some Collection<NormalizedOutput>,
                        limit: Int = 6) -> String {
    var lines: [String] = []
    lines.append("missing from the pipeline (\(missing.count)):")
    lines += missing.sorted { $0.description < $1.description }.prefix(limit).map { "  - " + $0.description }
    lines.append("only in the pipeline (\(extra.count)):")
    lines += extra.sorted { $0.description < $1.description }.prefix(limit).map { "  + " + $0.description }
    return lines.joined(separator: "\n")
}
