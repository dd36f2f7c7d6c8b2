import Foundation
import Testing

/// `governor check`'s summary on stderr counts what it wrote: per `verdict/reason`, the
/// verdict lines on stdout with that verdict and reason, and per topic, the records of
/// that topic's file in `--outputs` (the counts are kept in lists found by `==`).
@Suite struct CheckSummaryCountsTests {
    static let fixtures = ["consent", "connections", "dedup", "edges_bare"]

    /// The `  name   count` lines under `header` in the summary.
    static func block(_ header: String, of summary: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        var inside = false
        for line in summary.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == header { inside = true; continue }
            guard inside else { continue }
            guard line.hasPrefix("  ") else { inside = false; continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2, let count = Int(parts[1]) { counts[String(parts[0])] = count }
        }
        return counts
    }

    @Test(arguments: fixtures)
    func summaryCountsEqualTheLinesWritten(fixture: String) throws {
        let input = crashRepoRoot.appendingPathComponent("Tests/Fixtures/\(fixture).jsonl").path
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputs) }
        let process = Process()
        process.executableURL = try locateGovernorBinary()
        process.arguments = ["check", input, "--outputs", outputs.path]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let verdictBytes = stdout.fileHandleForReading.readDataToEndOfFile()
        let summary = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        var verdicts: [String: Int] = [:]
        for line in verdictBytes.split(separator: UInt8(ascii: "\n")) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let verdict = try #require(object["verdict"] as? String)
            verdicts[(object["reason"] as? String).map { "\(verdict)/\($0)" } ?? verdict, default: 0] += 1
        }
        #expect(!verdicts.isEmpty)
        #expect(Self.block("verdicts:", of: summary) == verdicts, "\(summary)")

        var written: [String: Int] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: outputs.path) where file.hasSuffix(".jsonl") {
            let text = try String(contentsOfFile: outputs.appendingPathComponent(file).path, encoding: .utf8)
            let lines = text.split(separator: "\n").count
            if lines > 0 { written[String(file.dropLast(".jsonl".count)), default: 0] += lines }
        }
        #expect(!written.isEmpty)
        #expect(Self.block("output records:", of: summary) == written, "\(summary)")
    }
}
