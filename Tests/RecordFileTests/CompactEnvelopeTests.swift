import Testing
import JSON
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

    /// Generated envelopes (members in any order, repeated, escaped, spaced; values of
    /// every kind), read by parsers with and without a field scan: the record (value
    /// bytes moved to the front of the line's array) or problem of the full parse, and
    /// the same inherited timestamps line after line.
    @Test(arguments: [true, false])
    func generatedEnvelopesAgreeWithTheFullParse(scanningFields: Bool) {
        let members = [#""topic":"raw-events""#, #""topic":"t""#, #""topic":"""#, #""topic":7"#, #""t\u006fpic":"x""#,
                       #""key":"ws_1""#, #""key":null"#, #""key":"\u0041""#, #""key":1"#, #""timestamp_ms":5"#,
                       #""timestamp_ms":1795000000000"#, #""timestamp_ms":-1"#, #""timestamp_ms":1e3"#,
                       #""timestamp_ms":0123"#, #""value":{"message_id":"m1","type":"track"}"#, #""value":[1,2]"#,
                       #""value":"x""#, #""value":null"#, #""value":{"a":1,"a":2}"#, #""value":{ "a":1}"#, #""value":7"#,
                       #""value_b64":"eA==""#, #""other":1"#, #""v\u0061lue":{"b":2}"#]
        let fields = scanningFields ? JSONFieldNames(["message_id", "type"]) : nil
        var fast = RecordLineParser(now: { 42 }, valueFields: fields)
        var full = RecordLineParser(now: { 42 }, valueFields: fields)
        var state: UInt64 = 5
        func below(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var fastRecords = 0
        for line in 0..<3_000 {
            var chosen: [String] = []
            if below(3) > 0 { chosen.append(members[below(2)]) }
            if below(3) > 0 { chosen.append(members[14 + below(3)]) }
            for _ in 0..<below(4) { chosen.append(members[below(members.count)]) }
            for i in chosen.indices.reversed() where i > 0 {
                chosen.swapAt(i, below(i + 1))
            }
            let space = below(8) == 0 ? " " : ""
            let text = Array((space + "{" + chosen.joined(separator: "," + space) + "}" + space).utf8)
            let a = Self.outcome { () throws(RecordLineProblem) in try fast.parse(text, line: line) }
            let b = Self.outcome { () throws(RecordLineProblem) in try full.parseInFull(text, line: line) }
            #expect(a == b, "\(String(decoding: text, as: UTF8.self))")
            if case .success(let record) = a, record.valueFields != nil { fastRecords += 1 }
        }
        if scanningFields { #expect(fastRecords > 100) }
    }

    /// Topics and keys of 0–40 characters with an escape or a non-ASCII character at each
    /// position (the fast path's check reads eight bytes at a time): the full parse's record.
    @Test func escapesAndNonASCIIAtEveryPositionAgreeWithTheFullParse() {
        var fast = RecordLineParser(now: { 42 })
        var full = RecordLineParser(now: { 42 })
        var compared = 0
        for length in 0...40 {
            let plain = (0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) }
            var spellings = [String(plain)]
            for position in 0..<length {
                for odd in [#"\u0041"#, #"\\"#, #"\""#, "é", #"\u00e9"#, "~"] {
                    var text = plain.map(String.init)
                    text[position] = odd
                    spellings.append(text.joined())
                }
            }
            for spelling in spellings {
                for line in [#"{"topic":"t"# + spelling + #"","key":"k","value":1}"#,
                             #"{"topic":"raw-events","key":""# + spelling + #"","value":{"a":1}}"#] {
                    let bytes = Array(line.utf8)
                    #expect(Self.outcome { () throws(RecordLineProblem) in try fast.parse(bytes, line: 1) }
                        == Self.outcome { () throws(RecordLineProblem) in try full.parseInFull(bytes, line: 1) }, "\(line)")
                    compared += 1
                }
            }
        }
        #expect(compared > 9_000)
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

/// `RecordLine`'s public init calls its memberwise one (the timestamp before the key):
/// each argument in its own property.
@Suite struct RecordLineInitTests {
    @Test func publicInitAndMemberwise() {
        let line = RecordLine(line: 3, topic: "raw-events", key: "ws_1", timestampMs: 1_700, value: [1, 2])
        #expect(line.line == 3 && line.topic == "raw-events" && line.key == "ws_1" && line.timestampMs == 1_700)
        #expect(line.value == [1, 2] && line.valueFields == nil)
        let memberwise = RecordLine(line: 3, topic: "raw-events", timestampMs: 1_700, key: "ws_1", value: [1, 2])
        #expect(memberwise == line)
        let tombstone = RecordLine(line: 4, topic: "t", key: nil, timestampMs: 0, value: nil)
        #expect(tombstone.key == nil && tombstone.value == nil && tombstone.timestampMs == 0 && tombstone.line == 4)
    }
}
