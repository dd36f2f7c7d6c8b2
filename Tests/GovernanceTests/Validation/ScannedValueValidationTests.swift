import Foundation
import JSON
import RecordFile
import Testing
@testable import Governance

/// `EventValidator.validate(value:key:scanned:)` with the scan a record file's envelope
/// reader made gives exactly what validation scanning the value itself gives: the
/// fixture stories' lines and edge values (depth, size, repeated and escaped ids,
/// non-objects, whitespace, wrong types); a scan for other names or bytes is ignored.
@Suite struct ScannedValueValidationTests {
    static let edgeValues: [String] = {
        let deep10 = String(repeating: #"{"a":"#, count: 9) + "{}" + String(repeating: "}", count: 9)
        let deep11 = String(repeating: #"{"a":"#, count: 10) + "{}" + String(repeating: "}", count: 10)
        let base = #""workspace_id":"ws_1","source_id":"s","type":"track","event":"E","anonymous_id":"a1","timestamp":"2026-12-02T10:00:00Z""#
        return [
            #"{"message_id":"m1","# + base + "}",
            #"{"message_id":"m1","message_id":"m2","# + base + "}",
            #"{"message\u005fid":"m1","# + base + "}",
            #"{"message_id":"m\u00e9","# + base + #","properties":{"x":1,"x":2}}"#,
            #"{"message_id":"m1","# + base + #","context":{"user_agent":"bot","synthetic":true}}"#,
            #"{"message_id":"m1","# + base + #","context":"not an object"}"#,
            #"{"message_id":"m1","# + base + #","properties":"# + deep10 + "}",
            #"{"message_id":"m1","# + base + #","properties":"# + deep11 + "}",
            #"{"message_id":7,"# + base + "}",
            #"{"message_id":"m1", "# + base + "}",
            #"{"message_id":"m1","# + base + #","events_accepted_at":1}"#,
            #"{"message_id":"m1","workspace_id":"ws_2","type":"identify","customer_id":"  ","traits":{"t":"\/"}}"#,
            #"{"message_id":"m1","# + base + #","pad":""# + String(repeating: "x", count: 33_000) + #""}"#,
            #"{}"#,
        ]
    }()

    @Test(arguments: edgeValues.indices)
    func edgeValuesValidateAlike(_ index: Int) throws {
        let line = Array((#"{"topic":"raw-events","key":"ws_1","timestamp_ms":1,"value":"# + Self.edgeValues[index] + "}").utf8)
        let envelope = try line.withUnsafeBufferPointer { try JSONParser.scanMembers($0, fieldsOf: "value", names: EventValidator.fieldNames) }
        let scan = try #require(envelope?.nested)
        let member = try #require(envelope?.members.last { $0.key == "value" })
        let value = Array(line[member.range])
        #expect(EventValidator.validate(value: value, key: "ws_1", scanned: scan)
            == EventValidator.validate(value: value, key: "ws_1"))
        // The reader hands the scan on for compact values only (taken as they are);
        // the others it rewrites, and validation scans the rewritten bytes itself.
        var parser = RecordLineParser(now: { 0 }, valueFields: EventValidator.fieldNames)
        let record = try parser.parse(line, line: 1)
        #expect((record.valueFields != nil) == member.isCompact)
        if member.isCompact { #expect(record.value == value) }
    }

    @Test func everyFixtureLineValidatesAlike() throws {
        var scanned = 0
        for story in FixtureScenarioTests.stories {
            let path = FixtureScenarioTests.fixtures.appendingPathComponent(story + ".jsonl").path
            let reader = try RecordFileReader(path: path, now: { 0 }, valueFields: EventValidator.fieldNames)
            while let line = try reader.next() {
                guard line.topic == Topic.rawEvents else { continue }
                if line.valueFields != nil { scanned += 1 }
                #expect(EventValidator.validate(value: line.value, key: line.key, scanned: line.valueFields)
                    == EventValidator.validate(value: line.value, key: line.key), "\(story) line \(line.line)")
            }
        }
        #expect(scanned > 100)
    }

    /// A scan of other bytes, or for other names, is not taken for the value's.
    @Test func aScanOfOtherBytesIsIgnored() throws {
        let good = Array((#"{"message_id":"m1","workspace_id":"ws_1","source_id":"s","type":"track","event":"E","anonymous_id":"a"}"#).utf8)
        let other = Array((#"{"message_id":"m2","workspace_id":"ws_1","source_id":"s","type":"track","event":"E","anonymous_id":"a","x":1}"#).utf8)
        let otherScan = try other.withUnsafeBufferPointer { try JSONParser.scanFields($0, names: EventValidator.fieldNames) }
        let foreignNames = try good.withUnsafeBufferPointer { try JSONParser.scanFields($0, names: JSONFieldNames(["message_id"])) }
        let expected = EventValidator.validate(value: good, key: nil)
        #expect(EventValidator.validate(value: good, key: nil, scanned: otherScan) == expected)
        #expect(EventValidator.validate(value: good, key: nil, scanned: foreignNames) == expected)
        #expect(try expected.get().messageID == "m1")
    }
}
