import Foundation
import Kafka
import Topology

/// The real-broker tier's broker: PyPI's noida-db 0.2.3 (docs/KAFKA.md, "The
/// real-broker tier"), installed by scripts/lib/noida.sh. Each test starts its own
/// broker on a free port with its own data directory and stops it by pid: the
/// real binary is started, not the Python entry point (which would fork it).
final class NoidaBroker {
    /// The broker binary: `NOIDA_DB_BINARY`, else the venv scripts/lib/noida.sh makes.
    static let binary: String? = {
        if let explicit = ProcessInfo.processInfo.environment["NOIDA_DB_BINARY"], !explicit.isEmpty { return explicit }
        let lib = crashRepoRoot.appendingPathComponent(".build/noida-db-venv/lib")
        for python in (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? [] {
            let path = lib.appendingPathComponent(python).appendingPathComponent("site-packages/noida_db/noida-db").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// Why the tier cannot run, for the skip message.
    static var unavailable: String {
        ProcessInfo.processInfo.environment["NOIDA_DB_UNAVAILABLE"]
            ?? "noida-db is not installed: run `source scripts/lib/noida.sh` (scripts/test does) or set NOIDA_DB_BINARY"
    }

    let port: Int
    let dataDirectory: URL
    private var process: Process
    private let log: URL

    var bootstrapServers: String { "127.0.0.1:\(port)" }
    var kafka: KafkaConfig { KafkaConfig(bootstrapServers: bootstrapServers) }
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Starts a broker and waits until it answers metadata requests.
    init() throws {
        guard let binary = Self.binary else { throw CrashTestError.failed(Self.unavailable) }
        port = try freePort()
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("noida-\(getpid())-\(port)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        log = dataDirectory.appendingPathComponent("broker.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process = Process()
        try launch(binary: binary, handle: handle)
    }

    /// Stops the broker (its data stays) and starts it again on the same port.
    func restart() throws {
        guard let binary = Self.binary else { throw CrashTestError.failed(Self.unavailable) }
        terminate()
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        try launch(binary: binary, handle: handle)
    }

    private func launch(binary: String, handle: FileHandle) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["start", "--only", "kafka", "--kafka-port", String(port),
                             "--data-dir", dataDirectory.appendingPathComponent("data").path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while !canConnect(port: port), process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        while true {
            if let admin = try? KafkaAdmin(config: kafka, logger: crashLogger), (try? admin.partitionCounts(timeout: .seconds(2))) != nil {
                break
            }
            guard process.isRunning, ContinuousClock.now < deadline else {
                stop()
                throw CrashTestError.failed("noida-db did not start on port \(port):\n\(output)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    deinit { stop() }

    /// Stops the broker (SIGTERM, then SIGKILL) and removes its data.
    func stop() {
        terminate()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    private func terminate() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(5)
            while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// Creates the topics of topics.yaml as a one-broker test cluster needs them:
    /// replication factor 1 and no time retention (test records carry old
    /// timestamps, which a 7-day retention deletes at once), plus `overrides`.
    func createTopics(overrides: [String: [String: String]] = [:]) throws {
        let file = try TopicsFile.load(path: crashRepoRoot.appendingPathComponent("topics.yaml").path)
        let specs = file.topics.map { topic in
            var spec = topic.spec
            spec.replicationFactor = 1
            spec.configs["retention.ms"] = "-1"
            spec.configs.merge(overrides[topic.name] ?? [:]) { $1 }
            return spec
        }
        let failures = try KafkaAdmin(config: kafka, logger: crashLogger).createTopics(specs)
        guard failures.isEmpty else { throw CrashTestError.failed("creating topics on noida-db: \(failures)") }
    }
}

/// A TCP port that was free a moment ago (bound to 0, then released).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CrashTestError.failed("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw CrashTestError.failed("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
