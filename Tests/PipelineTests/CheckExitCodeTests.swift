import Foundation
import Testing

/// SPEC §12.1: `governor check` exits 0 when it read the whole file, whatever the
/// verdicts, and 2 on a usage error or an unreadable file.
@Suite struct CheckExitCodeTests {
    static func status(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        try PropertiesFileCLITests.governor(arguments)
    }

    @Test func aMissingFileArgumentIsAUsageErrorWithStatus2() throws {
        let result = try Self.status(["check"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("Missing expected argument"), "\(result.stderr)")
    }

    @Test func anUnknownOptionIsAUsageErrorWithStatus2() throws {
        let result = try Self.status(["check", "/dev/null", "--no-such-option"])
        #expect(result.status == 2, "\(result.stderr)")
    }

    @Test func anUnreadableFileExits2AndAReadFileWithDLQVerdictsExits0() throws {
        #expect(try Self.status(["check", "/nonexistent/records.jsonl"]).status == 2)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString).jsonl").path
        try "not json\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Self.status(["check", path]).status == 0)
        #expect(try Self.status(["check", "--help"]).status == 0)
    }
}
