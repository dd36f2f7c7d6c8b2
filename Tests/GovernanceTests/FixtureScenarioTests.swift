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

    /// The verdict lines and output records of a fixture file, read as `governor check`
    /// reads it (validation from the envelope's value scan).
    static func run(_ story: String) throws -> (lines: [Int: JSONValue], outputs: [OutputRecord]) {
        let reader = try RecordFileReader(path: fixtures.appendingPathComponent(story + ".jsonl").path, now: { 0 },
                                          valueFields: EventValidator.fieldNames)
        var run = OfflineRun(settings: EngineSettings(wallClock: { 1 }))
        var lines: [Int: JSONValue] = [:]
        var outputs: [OutputRecord] = []
        while let line = try reader.next() {
            let result = run.feed(line: line.line, topic: line.topic, key: line.key, value: line.value,
                                  timestamp: line.timestampMs, valueFields: line.valueFields, into: &outputs)
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
            for name in expected["$absent"]?.arrayValue ?? [] where got[name.stringValue!] != nil {
                Issue.record("\(story) line \(line): \(name.stringValue!) should be absent; got \(got.serialized)")
            }
            for member in expected.objectValue! where member.key != "$absent" && got[member.key] != member.value {
                Issue.record("\(story) line \(line): \(member.key) is \(got[member.key]?.serialized ?? "absent"), expected \(member.value.serialized); got \(got.serialized)")
            }
            checked += 1
        }
        #expect(checked > 0)
        #expect(actual.count == checked, "every verdict line of \(story) has an expectation")
    }

    static var storiesWithOutputs: [String] {
        stories.filter { FileManager.default.fileExists(atPath: fixtures.appendingPathComponent($0 + ".expected-outputs.jsonl").path) }
    }

    /// The pinned output records appear, as subsets and in order, among their topic's records.
    @Test(arguments: storiesWithOutputs)
    func outputRecordsMatchTheStory(_ story: String) throws {
        let (_, outputs) = try Self.run(story)
        var byTopic: [String: [(key: String?, value: JSONValue)]] = [:]
        for record in outputs {
            byTopic[record.topic, default: []].append((record.key, try JSONParser.parse(record.value).value))
        }
        var cursor: [String: Int] = [:]
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent(story + ".expected-outputs.jsonl"), encoding: .utf8)
        for line in text.split(separator: "\n") {
            let expected = try JSONParser.parse(String(line)).value
            let topic = expected["topic"]!.stringValue!
            let records = byTopic[topic] ?? []
            if let count = expected["count"]?.numberValue?.int64Value {
                #expect(records.count == Int(count), "\(story): \(topic) has \(records.count) records, expected \(count)")
                continue
            }
            let want = expected["value"]!
            let key = expected["key"]?.stringValue
            let absent = (expected["absent"]?.arrayValue ?? []).compactMap(\.stringValue)
            let present = (expected["present"]?.arrayValue ?? []).compactMap(\.stringValue)
            let matches = { (candidate: (key: String?, value: JSONValue)) in
                (key == nil || candidate.key == key) && Self.contains(candidate.value, want)
                    && absent.allSatisfy { Self.member(at: $0, in: candidate.value) == nil }
                    && present.allSatisfy { Self.member(at: $0, in: candidate.value) != nil }
            }
            if expected["unordered"]?.boolValue == true {
                #expect(records.contains(where: matches), "\(story): no \(topic) record contains \(want.serialized)")
                continue
            }
            let start = cursor[topic, default: 0]
            guard let found = records[start...].firstIndex(where: matches) else {
                Issue.record("\(story): no \(topic) record from #\(start) on contains \(want.serialized); records: \(records[start...].prefix(3).map(\.value.serialized))")
                continue
            }
            cursor[topic] = found + 1
        }
    }

    /// True when every member of `want` is in `value` with an equal value (objects
    /// compared recursively as subsets, everything else exactly).
    static func contains(_ value: JSONValue, _ want: JSONValue) -> Bool {
        guard case .object(let wanted) = want else { return value == want || numbersEqual(value, want) }
        guard case .object(let object) = value else { return false }
        return wanted.allSatisfy { member in object[member.key].map { contains($0, member.value) } ?? false }
    }

    /// The member at a dotted path (`governance.cap_phase`), or nil when absent.
    static func member(at path: String, in value: JSONValue) -> JSONValue? {
        path.split(separator: ".").reduce(Optional(value)) { node, name in node?.objectValue?[String(name)] }
    }

    static func numbersEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        guard let x = a.numberValue, let y = b.numberValue else { return false }
        return x.doubleValue == y.doubleValue
    }
}
