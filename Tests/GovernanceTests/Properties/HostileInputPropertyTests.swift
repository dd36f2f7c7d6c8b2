import Governance
import JSON
import PropertyBased
import Testing

/// Property 8: hostile input never crashes the engine. Each value yields exactly one
/// verdict, `dlq` with a sensible reason or `accepted` when it is valid, and the
/// conservation law holds for it.
@Suite struct HostileInputPropertyTests {
    static let t0: StreamTime = 1_769_817_600_000
    /// A workspace with nothing that could refuse a valid event (no rate limits, no
    /// name cap, no consent), so a valid hostile value is `accepted`.
    static let config: [UInt8] = {
        let value: JSONValue = [
            "workspace_id": "ws_1", "org_id": "org_a", "plan": "enterprise",
            "limits": ["workspace_events_per_second": -1, "source_events_per_second": -1, "contact_events_per_second": -1],
        ]
        return value.serializedBytes
    }()

    static let dlqReasons = Set(DLQReason.allCases.map(\.rawValue))

    /// Feeds the config, then each value as a raw event keyed `ws_1`; checks one verdict
    /// per value and conservation, and returns the verdicts.
    @discardableResult
    static func feed(_ values: [[UInt8]?], topic: String = Topic.rawEvents,
                     sourceLocation: SourceLocation = #_sourceLocation) -> [Verdict] {
        var records = [StreamRecord(topic: Topic.workspaceConfig, key: "ws_1", value: config, timestamp: t0)]
        for (index, value) in values.enumerated() {
            records.append(StreamRecord(topic: topic, key: "ws_1", value: value, timestamp: t0 + Int64(index) * 1_000))
        }
        let run = StreamRun(records)
        #expect(run.lines.first?.result == .configApplied(workspaceID: "ws_1"), sourceLocation: sourceLocation)
        let verdicts = run.lines.dropFirst().compactMap(\.verdict)
        #expect(verdicts.count == values.count, sourceLocation: sourceLocation)
        for verdict in verdicts where verdict.kind == .dlq {
            #expect(dlqReasons.contains(verdict.reason ?? ""), "reason \(verdict.summaryKey)", sourceLocation: sourceLocation)
        }
        expectConservation(run, sourceLocation: sourceLocation)
        return verdicts
    }

    static func event(_ extra: String = "", messageID: String = "\"m1\"", name: String = "\"custom_1\"") -> [UInt8] {
        Array("{\"message_id\":\(messageID),\"workspace_id\":\"ws_1\",\"source_id\":\"web\",\"type\":\"track\",\"event\":\(name),\"customer_id\":\"c1\"\(extra)}".utf8)
    }

    /// Each case: a name, the bytes, and the verdicts (`summaryKey`) that are sensible for it.
    static let cases: [(name: String, value: [UInt8]?, sensible: Set<String>)] = {
        let deepArrays = "[" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "]"
        let deepObjects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        var cases: [(String, [UInt8]?, Set<String>)] = [
            ("10,000 nested arrays in properties", event(",\"properties\":{\"p\":\(deepArrays)}"), ["dlq/too_deeply_nested"]),
            // 10,000 levels of `{"a":` are 50 KB, so stage 1 decides first.
            ("10,000 nested objects", Array(deepObjects.utf8), ["dlq/payload_too_large"]),
            ("6,000 nested objects", Array((String(repeating: "{\"\":", count: 6_000) + "1"
                + String(repeating: "}", count: 6_000)).utf8), ["dlq/too_deeply_nested"]),
            ("10,000 nested arrays at top level", Array(deepArrays.utf8), ["dlq/malformed_json", "dlq/too_deeply_nested"]),
            ("10,000 unclosed arrays", Array(String(repeating: "[", count: 10_000).utf8),
             ["dlq/malformed_json", "dlq/too_deeply_nested"]),
            ("10,000 unclosed objects", Array(String(repeating: "{\"a\":", count: 10_000).utf8),
             ["dlq/payload_too_large"]),
            ("6,000 unclosed objects", Array(String(repeating: "{\"\":", count: 6_000).utf8),
             ["dlq/malformed_json", "dlq/too_deeply_nested"]),
            ("depth 10 passes", event(",\"properties\":" + String(repeating: "{\"a\":", count: 9) + "1"
                + String(repeating: "}", count: 9)), ["accepted"]),
            ("depth 11 is too deep", event(",\"properties\":" + String(repeating: "{\"a\":", count: 10) + "1"
                + String(repeating: "}", count: 10)), ["dlq/too_deeply_nested"]),
            ("40 KB value", event(",\"properties\":{\"blob\":\"" + String(repeating: "x", count: 40_000) + "\"}"),
             ["dlq/payload_too_large"]),
            ("40 KB of garbage", Array(repeating: 0xFF, count: 40_960), ["dlq/payload_too_large"]),
            ("invalid UTF-8 in a string", event(",\"properties\":{\"s\":\"a") + [0xC3, 0x28] + Array("\"}}".utf8),
             ["dlq/malformed_json"]),
            ("overlong UTF-8 encoding", Array("{\"message_id\":\"".utf8) + [0xC0, 0xAF] + Array("\"}".utf8),
             ["dlq/malformed_json"]),
            ("UTF-16 surrogate encoded as UTF-8", Array("{\"message_id\":\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"}".utf8),
             ["dlq/malformed_json"]),
            ("lone high surrogate escape in a property", event(",\"properties\":{\"s\":\"\\ud800\"}"),
             ["accepted", "dlq/malformed_json"]),
            ("lone low surrogate escape in the message id", event(messageID: "\"\\udc00x\""),
             ["accepted", "dlq/malformed_json"]),
            ("lone surrogate escape in the event name", event(name: "\"\\ud83d\""),
             ["accepted", "dlq/malformed_json"]),
            ("escaped surrogate pair", event(name: "\"party_\\ud83c\\udf89\""), ["accepted"]),
            ("raw NUL inside a string", event(",\"properties\":{\"s\":\"a\u{0}b\"}"), ["dlq/malformed_json"]),
            ("escaped NUL in the message id", event(messageID: "\"m\\u0000\""), ["accepted"]),
            ("NUL after the object", event() + [0], ["dlq/malformed_json"]),
            ("only NULs", Array(repeating: 0, count: 16), ["dlq/malformed_json"]),
            ("1e999 and -0 in properties", event(",\"properties\":{\"big\":1e999,\"neg\":-0,\"tiny\":-0.0e-0,\"e\":1E+2}"),
             ["accepted"]),
            ("1e999 as the message id", event(messageID: "1e999"), ["dlq/invalid_field"]),
            ("-0 as the message id", event(messageID: "-0"), ["dlq/invalid_field"]),
            ("5,000-digit number", event(",\"properties\":{\"n\":" + String(repeating: "9", count: 5_000) + "}"),
             ["accepted"]),
            ("bad numbers", event(",\"properties\":{\"n\":01}"), ["dlq/malformed_json"]),
            ("NaN", event(",\"properties\":{\"n\":NaN}"), ["dlq/malformed_json"]),
            ("emoji keys and values", event(",\"properties\":{\"🔥\":\"🚀\",\"👨‍👩‍👧\":{\"ü\":1}}"), ["accepted"]),
            ("emoji event name", event(name: "\"🎉 launched\""), ["accepted"]),
            ("emoji trait keys", Array(("{\"message_id\":\"m1\",\"workspace_id\":\"ws_1\",\"source_id\":\"web\","
                + "\"type\":\"identify\",\"customer_id\":\"c1\",\"traits\":{\"😀name\":\"x\",\"名前\":\"y\",\"😀\":1}}").utf8),
             ["accepted"]),
            ("byte order mark", [0xEF, 0xBB, 0xBF] + event(), ["accepted", "dlq/malformed_json"]),
            ("duplicate keys", event(",\"message_id\":\"m2\",\"customer_id\":\"c2\""), ["accepted"]),
            ("no value (tombstone)", nil, ["dlq/malformed_json"]),
            ("empty value", [], ["dlq/malformed_json"]),
            ("null", Array("null".utf8), ["dlq/malformed_json"]),
            ("array of events", Array("[".utf8) + event() + Array("]".utf8), ["dlq/malformed_json"]),
            ("two objects", event() + event(), ["dlq/malformed_json"]),
            ("unterminated string", Array("{\"message_id\":\"m1".utf8), ["dlq/malformed_json"]),
            ("control character in a key", event(",\"properties\":{\"a\u{1}\":1}"), ["dlq/malformed_json"]),
            ("bad escape", event(",\"properties\":{\"a\":\"\\x41\"}"), ["dlq/malformed_json"]),
            ("truncated \\u escape", event(",\"properties\":{\"a\":\"\\u12\"}"), ["dlq/malformed_json"]),
            ("whitespace around", Array(" \n\t".utf8) + event() + Array("\r\n ".utf8), ["accepted"]),
            ("129-character emoji name", event(name: "\"" + String(repeating: "🎉", count: 129) + "\""),
             ["dlq/name_too_long"]),
            ("128-character emoji name", event(name: "\"" + String(repeating: "🎉", count: 128) + "\""), ["accepted"]),
        ]
        // Exactly at the limit: 32,768 bytes pass stage 1.
        let base = event(",\"properties\":{\"blob\":\"\"}")
        let padded = event(",\"properties\":{\"blob\":\"" + String(repeating: "y", count: 32_768 - base.count) + "\"}")
        cases.append(("exactly 32,768 bytes", padded, ["accepted"]))
        cases.append(("32,769 bytes", event(",\"properties\":{\"blob\":\""
            + String(repeating: "y", count: 32_769 - base.count) + "\"}"), ["dlq/payload_too_large"]))
        return cases
    }()

    @Test(arguments: 0..<cases.count)
    func aHostileValueGetsOneSensibleVerdict(_ index: Int) {
        let (name, value, sensible) = Self.cases[index]
        let verdicts = Self.feed([value])
        guard let verdict = verdicts.first else { return }
        #expect(sensible.contains(verdict.summaryKey), "\(name): got \(verdict.summaryKey)")
    }

    @Test func hostileValuesAsOutboundMessagesGetOneVerdictEach() {
        let verdicts = Self.feed(Self.cases.map(\.value), topic: Topic.outboundMessages)
        for (verdict, hostile) in zip(verdicts, Self.cases) {
            #expect(verdict.kind == .dlq, "\(hostile.name): \(verdict.summaryKey)")
        }
    }

    @Test func allHostileValuesInOneStream() {
        // Distinct message ids would be nicer, but a repeated id only turns later valid
        // values into duplicates, which is still one verdict each.
        let verdicts = Self.feed(Self.cases.map(\.value))
        #expect(verdicts.count == Self.cases.count)
    }

    @Test func randomBytesGetOneVerdictEach() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...200)) { bytes in
            let verdicts = Self.feed([bytes])
            #expect(verdicts.first?.kind == .dlq)
        }
    }

    /// Random byte edits (flip, insert, delete, truncate) of a valid event.
    @Test func mutatedEventsGetOneSensibleVerdictEach() async {
        let original = Self.event(",\"properties\":{\"a\":[1,{\"b\":\"ü\"}],\"n\":-1.5e3},\"context\":{\"user_agent\":\"Mozilla\"}")
        let edits = zip(Gen.int(in: 0...3), Gen.int(in: 0...(original.count - 1)), Gen.uint8()).array(of: 1...6)
        await propertyCheck(count: 300, input: edits) { edits in
            var bytes = original
            for (kind, position, byte) in edits {
                let at = min(position, max(0, bytes.count - 1))
                switch kind {
                case 0 where !bytes.isEmpty: bytes[at] = byte
                case 1: bytes.insert(byte, at: min(position, bytes.count))
                case 2 where !bytes.isEmpty: bytes.remove(at: at)
                default: bytes = Array(bytes.prefix(position))
                }
            }
            let verdicts = Self.feed([bytes])
            guard let verdict = verdicts.first else { return }
            #expect(verdict.kind == .dlq || verdict.kind == .accepted, "\(verdict.summaryKey)")
            if verdict.kind == .accepted {
                #expect((try? JSONParser.parse(bytes)) != nil, "accepted a value that does not parse")
            }
        }
    }
}
