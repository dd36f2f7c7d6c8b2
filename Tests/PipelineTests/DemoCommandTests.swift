import Foundation
import Glibc
import Testing
import Topology

/// `governor demo` from a directory without topics.yaml: the built-in topics, plain
/// progress lines when stderr is not a terminal, a summary, and the way to the console;
/// with --keep-running the broker stays up, named, until SIGTERM.
@Suite(.serialized) struct DemoCommandTests {
    @Test(.timeLimit(.minutes(4))) func runsFromAnyDirectoryAndPointsToTheConsole() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("topics.yaml").path))

        let demo = Process()
        demo.executableURL = try locateGovernorBinary()
        demo.arguments = ["demo", "--events", "1500", "--keep-running"]
        demo.currentDirectoryURL = directory
        let errorLog = directory.appendingPathComponent("stderr.log")
        let outputLog = directory.appendingPathComponent("stdout.log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        _ = FileManager.default.createFile(atPath: outputLog.path, contents: nil)
        demo.standardError = try FileHandle(forWritingTo: errorLog)
        demo.standardOutput = try FileHandle(forWritingTo: outputLog)
        try demo.run()
        defer { if demo.isRunning { kill(demo.processIdentifier, SIGKILL); demo.waitUntilExit() } }
        let stderr = { String(decoding: FileManager.default.contents(atPath: errorLog.path) ?? Data(), as: UTF8.self) }

        #expect(await pollUntil(timeout: .seconds(180)) { stderr().contains("stays up") || !demo.isRunning }, "\(stderr())")
        #expect(demo.isRunning, "the demo must keep running with --keep-running:\n\(stderr())")
        let text = stderr()
        #expect(text.contains("\(try TopicsFile.builtIn().topics.count) topics"), "the built-in topics: \(text)")
        #expect(!text.contains("\r"), "no carriage returns when stderr is not a terminal")
        let broker = try #require(text.firstMatch(of: /governor console --brokers (127\.0\.0\.1:\d+) --http 127\.0\.0\.1:9466/)?.1)
        #expect(text.contains("open http://127.0.0.1:9466/"))
        let summary = String(decoding: FileManager.default.contents(atPath: outputLog.path) ?? Data(), as: UTF8.self)
        #expect(summary.contains("Verdicts by reason"), "\(summary)")

        // The named broker answers while the demo waits.
        let port = try #require(Int(broker.split(separator: ":")[1]))
        #expect(tcpConnects(port: port))

        kill(demo.processIdentifier, SIGTERM)
        #expect(await pollUntil(timeout: .seconds(30)) { !demo.isRunning })
        #expect(demo.terminationStatus == 0, "\(stderr())")
    }

    private func tcpConnects(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
