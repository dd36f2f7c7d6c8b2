import Testing
@testable import RecordFile

/// The envelope fast path (value bytes taken as they are) gives exactly the record,
/// or the problem, that the full parse gives.
@Suite struct CompactEnvelopeTests {
    static let lines: [String] = [
        #"{"topic":"raw-events","key":"ws_1","timestamp_ms":1795000000000,"value":{"message_id":"m1","n":[1,2.50]}}"#,
        #"{"topic":"raw-events","key":null,"value":{"a":"\u0001\n"}}"#,
        #"{"value":{"a":1},"timestamp_ms":0,"topic":"t"}"#,
        #"{"topic":"raw-events","key":"ws_1","timestamp_ms":5,"value":{ "a" : 1 }}"#,
        #"{"topic":"raw-events","value":{"a":1,"a":2}}"#,
        #"{"topic":"raw-events","value":"\/x"}"#,
        #"{"topic":"raw-events","value":null}"#,
        #"{"topic":"raw-events","value":{"a":1},"value":{"b":2}}"#,
        #"{"topic":"raw-events","topic":"other","value":{"a":1}}"#,
        #"{"topic":"raw-events","value_b64":"bm90IGpzb24="}"#,
        #"{"topic":"raw-events","value":{"a":1},"value_b64":"bm90"}"#,
        #"{"topic":"","value":1}"#,
        #"{"topic":"raw-events","timestamp_ms":-0,"value":1}"#,
        #"{"topic":"raw-events","timestamp_ms":99999999999999999999,"value":1}"#,
        #"{"topic":"raw-events","timestamp_ms":1.5,"value":1}"#,
        #"{"topic":"raw-events","key":7,"value":1}"#,
        #"{"topic":"raw-events","key":"w\u0073","value":1}"#,
        #"{"topic":"caf\u00e9","key":"é","value":[]}"#,
        #"{"topic":"raw-events","value":1,"extra":true}"#,
        #"{"topic":"raw-events","value":{"a":1}} "#,
        #"  {"topic":"raw-events","value":{"a":1}}"#,
        #"{"topic":"raw-events","value":{"a":1}"#,
        #"{"topic":7,"value":1}"#,
        #"{"workspace_id":"ws_1","type":"track"}"#,
        "{\"topic\":\"raw-events\",\"value\":" + String(repeating: "[", count: 130) + String(repeating: "]", count: 130) + "}",
    ]

    @Test(arguments: lines)
    func fastPathAgreesWithTheFullParse(_ line: String) {
        var fast = RecordLineParser(now: { 42 })
        var full = RecordLineParser(now: { 42 })
        let bytes = Array(line.utf8)
        #expect(Self.outcome { () throws(RecordLineProblem) in try fast.parse(bytes, line: 3) }
            == Self.outcome { () throws(RecordLineProblem) in try full.parseInFull(bytes, line: 3) })
    }

    @Test func compactValuesAreTakenAsTheyAre() throws {
        var parser = RecordLineParser(now: { 42 })
        let record = try parser.parse(Array(Self.lines[0].utf8), line: 1)
        #expect(record.value == Array(#"{"message_id":"m1","n":[1,2.50]}"#.utf8))
        #expect(record.key == "ws_1" && record.timestampMs == 1_795_000_000_000)
    }

    private static func outcome(_ body: () throws(RecordLineProblem) -> RecordLine) -> Result<RecordLine, RecordLineProblem> {
        do throws(RecordLineProblem) { return .success(try body()) } catch { return .failure(error) }
    }
}
