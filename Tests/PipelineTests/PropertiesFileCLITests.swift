import Foundation
import Testing

/// `-F FILE` on the command line (issue 14 item 6): the file's properties reach
/// librdkafka, a bad line names the file and line but never echoes a secret.
@Suite struct PropertiesFileCLITests {
    /// Runs the built `governor` with `arguments`; returns its exit status and stderr.
    static func governor(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = try locateGovernorBinary()
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("props-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theFilesPropertiesReachLibrdkafkaAndSecretsAreNotPrinted() throws {
        let path = try Self.file("# prod\nsasl.password=hunter2\nsecurity.protocol=bogus\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.governor(["topics", "apply", "--brokers", "127.0.0.1:1", "-F", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("security.protocol=bogus"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"), "\(result.stderr)")
    }

    @Test func aBadLineNamesTheFileAndLineButNotItsText() throws {
        let path = try Self.file("a=b\nsasl.password hunter2\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.governor(["produce", "--brokers", "127.0.0.1:1", "-F", path, "/dev/null"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(path):2"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"), "\(result.stderr)")
    }

    @Test func aMissingFileSaysHowToFixIt() throws {
        let result = try Self.governor(["topics", "apply", "--brokers", "127.0.0.1:1", "-F", "/nonexistent/x.properties"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot read the properties file /nonexistent/x.properties"), "\(result.stderr)")
    }
}
