import Foundation
import JSON
import RecordFile
import Testing
@testable import Governance

/// Runs every story of Tests/Fixtures through the offline stages and checks each
/// verdict line against the expectations written by hand from SPEC
/// (`NAME.expected.jsonl`: each expected line is a subset of the actual line).
@Suite struct FixtureScenarioTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static var stories: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".expected.jsonl") }.map { String($0.dropLast(".expected.jsonl".count)) }.sorted()
    }

    /// The verdict lines and output records of a fixture file.
    static func run(_ story: String) throws -> (lines: [Int: JSONValue], outputs: [OutputRecord]) {
        let reader = try RecordFileReader(path: fixtures.appendingPathComponent(story + ".jsonl").path, now: { 0 })
        var run = OfflineRun(settings: EngineSettings(wallClock: { 1 }))
        var lines: [Int: JSONValue] = [:]
        var outputs: [OutputRecord] = []
        while let line = try reader.next() {
            let result = run.feed(line: line.line, topic: line.topic, key: line.key, value: line.value,
                                  timestamp: line.timestampMs, into: &outputs)
            if case .verdict(let verdict) = result { lines[line.line] = verdict.checkLine(line: line.line) }
        }
        return (lines, outputs)
    }

    @Test(arguments: stories)
    func verdictsMatchTheStory(_ story: String) throws {
        let (actual, _) = try Self.run(story)
        let expectedText = try String(contentsOf: Self.fixtures.appendingPathComponent(story + ".expected.jsonl"), encoding: .utf8)
        var checked = 0
        for text in expectedText.split(separator: "\n") {
            let expected = try JSONParser.parse(String(text)).value
            let line = Int(expected["line"]!.numberValue!.int64Value!)
            guard let got = actual[line] else {
                Issue.record("\(story): line \(line) has no verdict")
                continue
            }
            for member in expected.objectValue! where got[member.key] != member.value {
                Issue.record("\(story) line \(line): \(member.key) is \(got[member.key]?.serialized ?? "absent"), expected \(member.value.serialized); got \(got.serialized)")
            }
            checked += 1
        }
        #expect(checked > 0)
        #expect(actual.count == checked, "every verdict line of \(story) has an expectation")
    }
}
