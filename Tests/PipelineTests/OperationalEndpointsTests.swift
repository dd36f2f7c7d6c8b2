import Foundation
import Glibc
import Kafka
import Testing

/// `governor run --http 127.0.0.1:PORT`: `/healthz` answers while the process lives,
/// `/readyz` once its partitions are restored, `/metrics` carries verdict counters
/// by reason, and SIGTERM ends it cleanly (exit 0).
@Suite(.serialized) struct OperationalEndpointsTests {
    @Test(.timeLimit(.minutes(3))) func healthReadinessAndVerdictMetrics() async throws {
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        try produce(try readRecordFile(repositoryRoot.appendingPathComponent("Tests/Fixtures/ghosts.jsonl").path), to: cluster)
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("ops-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let instance = GovernorInstance(
            instanceID: "ops", binary: try locateGovernorBinary(),
            arguments: ["run", "--brokers", cluster.bootstrapServers, "--group", "ops", "--session-timeout-ms", "3000",
                        "--http", "127.0.0.1:0"],
            logDirectory: logs)
        try instance.start()
        defer { instance.killNow() }
        // Port 0: the system picks a free port, and the log says which.
        #expect(await pollUntil(timeout: .seconds(30)) { instance.currentLog.contains("serving /metrics") }, "\(instance.currentLog)")
        let port = try #require(instance.currentLog.firstMatch(of: /on 127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) }, "\(instance.currentLog)")

        #expect(await pollUntil(timeout: .seconds(30)) { httpGet(port: port, path: "/healthz")?.status == 200 })
        #expect(await pollUntil(timeout: .seconds(60)) { httpGet(port: port, path: "/readyz")?.status == 200 },
                "never ready:\n\(instance.currentLog)")
        let bots = #"governor_verdicts_total{verdict="filtered",reason="bot"} 4"#
        #expect(await pollUntil(timeout: .seconds(60)) { httpGet(port: port, path: "/metrics")?.body.contains(bots) == true },
                "\(httpGet(port: port, path: "/metrics")?.body ?? "no /metrics")")
        #expect(httpGet(port: port, path: "/metrics")?.body.contains(#"governor_verdicts_total{verdict="accepted",reason="none"} 3"#) == true)
        #expect(httpGet(port: port, path: "/nowhere")?.status == 404)
        let ended = await instance.signal(SIGTERM, timeout: .seconds(30))
        #expect(ended?.status == 0, "\(instance.currentLog)")
    }
}

/// A minimal HTTP GET to 127.0.0.1: the status code and the body, nil when nothing answers.
func httpGet(port: Int, path: String) -> (status: Int, body: String)? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return nil }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else { return nil }
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 8192)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 8192) }
        if n <= 0 { break }
        response += chunk[0..<n]
    }
    let text = String(decoding: response, as: UTF8.self)
    let parts = text.components(separatedBy: "\r\n\r\n")
    guard let statusLine = parts.first?.split(separator: "\r\n").first,
        let code = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
    else { return nil }
    return (code, parts.dropFirst().joined(separator: "\r\n\r\n"))
}
