import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Mistakes on the command lines of `check`, `produce`, `run` and `demo` end at once
/// with a usage status and a message that names the fix, before anything connects or
/// runs: never a crash, a hang or a backtrace (COMMON "CLI mistakes get a message
/// that names the fix"). Brokers are unreachable on purpose: validation must come first.
@Suite struct HostileCommandLineTests {
    static func governor(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        try PropertiesFileCLITests.governor(arguments)
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)-\(name)").path
    }

    /// One mistake: its status, and words of the message that must appear.
    struct Case: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        let status: Int32
        let words: [String]
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let directory = FileManager.default.temporaryDirectory.path
    static let missing = "/nonexistent-\(UUID().uuidString)/records.jsonl"
    static let brokers = ["--brokers", "127.0.0.1:1"]

    static let cases: [Case] = [
        Case(arguments: ["check", directory], status: 2, words: ["is a directory", "Give a record file"]),
        Case(arguments: ["check", missing], status: 2, words: ["does not exist", "Give a readable record file"]),
        Case(arguments: ["produce", directory] + brokers, status: 64, words: ["is a directory", "Give a record file"]),
        Case(arguments: ["produce", missing] + brokers, status: 64, words: ["does not exist", "Give a readable record file"]),
        Case(arguments: ["produce", "/dev/null", "--brokers", ""], status: 64, words: ["empty server", "host:port"]),
        Case(arguments: ["produce", "/dev/null", "--brokers", "a:1,,b:2"], status: 64, words: ["empty server", "host:port"]),
        Case(arguments: ["produce", "/dev/null", "-X", "nokey"] + brokers, status: 64, words: ["key=value"]),
        Case(arguments: ["run", "--brokers", ""], status: 64, words: ["empty server", "host:port"]),
        Case(arguments: ["run", "--instance-id", ""] + brokers, status: 64, words: ["--instance-id is empty", "leave it out"]),
        Case(arguments: ["run", "--group", ""] + brokers, status: 64, words: ["--group is empty", "--group event-governor"]),
        Case(arguments: ["run", "--session-timeout-ms", "0"] + brokers, status: 64, words: ["--session-timeout-ms must be at least 1"]),
        Case(arguments: ["run", "-F", directory] + brokers, status: 64, words: ["pass -F a readable file"]),
        Case(arguments: ["run", "--http", "nowhere"] + brokers, status: 64, words: ["give host and port"]),
        Case(arguments: ["demo", "--input", directory], status: 64, words: ["--input", "is a directory"]),
    ]

    @Test(arguments: cases)
    func aMistakeEndsWithItsFix(_ mistake: Case) throws {
        let result = try Self.governor(mistake.arguments)
        #expect(result.status == mistake.status, "\(result.stderr)")
        for word in mistake.words { #expect(result.stderr.contains(word), "\(result.stderr)") }
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(result.stderr)")
    }

    @Test func checkOutputsIntoAFileOrUnderAFileIsAUsageError() throws {
        let file = Self.temporaryPath("file")
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let onAFile = try Self.governor(["check", "/dev/null", "--outputs", file])
        #expect(onAFile.status == 2, "\(onAFile.stderr)")
        #expect(onAFile.stderr.contains("is a file, not a directory"), "\(onAFile.stderr)")
        let underAFile = try Self.governor(["check", "/dev/null", "--outputs", file + "/sub/dir"])
        #expect(underAFile.status == 2, "\(underAFile.stderr)")
        #expect(underAFile.stderr.contains("\(file) is a file"), "\(underAFile.stderr)")
        let demo = try Self.governor(["demo", "--outputs", file])
        #expect(demo.status == 64, "\(demo.stderr)")
        #expect(demo.stderr.contains("is a file, not a directory"), "\(demo.stderr)")
    }

    @Test func checkCreatesAMissingOutputsDirectoryWithItsParents() throws {
        let root = Self.temporaryPath("outputs")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try Self.governor(["check", "/dev/null", "--outputs", root + "/a/b"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root + "/a/b/events-accepted.jsonl"))
    }

    @Test func produceToAnUnreachableClusterSaysWhatToCheck() throws {
        let path = Self.temporaryPath("one.jsonl")
        try #"{"message_id":"m1","workspace_id":"ws","source_id":"s","type":"track","event":"e","customer_id":"c"}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.governor(["produce", path, "--brokers", "127.0.0.1:1"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("cannot reach the cluster at 127.0.0.1:1"), "\(result.stderr)")
        #expect(result.stderr.contains("Check --brokers"), "\(result.stderr)")
    }

    /// A listening socket on 127.0.0.1 at a free port, held until `close`.
    static func listeningSocket() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 1) == 0
                && getsockname(fd, $0, &length) == 0 }
        }
        try #require(fd >= 0 && bound)
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func consoleOnATakenPortSaysSoAndExits() throws {
        let holder = try Self.listeningSocket()
        defer { close(holder.fd) }
        let db = Self.temporaryPath("index.sqlite")
        defer { try? FileManager.default.removeItem(atPath: db) }
        let result = try Self.governor(["console", "--brokers", "127.0.0.1:1", "--http", "127.0.0.1:\(holder.port)", "--db", db])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("cannot serve HTTP on 127.0.0.1:\(holder.port): another process is listening there"), "\(result.stderr)")
        #expect(result.stderr.contains("Choose another --http"), "\(result.stderr)")
    }
}
