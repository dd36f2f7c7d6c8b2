import Governance
import JSON
import Testing

/// Generated adversarial records (issue 14 item 4): 20 MB values, 100,000-deep
/// nesting, megabyte keys and headers, key/workspace mismatches. Each gets exactly one
/// verdict, conservation holds, and no output record could be refused by a producer
/// with the default `message.max.bytes` (1,000,000): what a DLQ record echoes is
/// bounded and the record says what it left out (`DLQEchoBounds`).
@Suite struct OversizedRecordTests {
    static let t0: StreamTime = 1_795_000_000_000
    static let producerLimit = 1_000_000

    static let config: StreamRecord = {
        let value: JSONValue = ["workspace_id": "ws_1", "org_id": "org_1", "plan": "enterprise", "consent_mode": true,
                                "consent_default": "denied"]
        return StreamRecord(topic: Topic.workspaceConfig, key: "ws_1", value: value.serializedBytes, timestamp: t0)
    }()

    static func event(_ id: String, extra: String = "", contact: String = "c1") -> [UInt8] {
        Array(("{\"message_id\":\"\(id)\",\"workspace_id\":\"ws_1\",\"source_id\":\"web\",\"type\":\"track\","
            + "\"event\":\"page_view\",\"customer_id\":\"\(contact)\"\(extra)}").utf8)
    }

    static let megabyte = 1_048_576

    static func run(_ records: [StreamRecord]) -> StreamRun {
        let run = StreamRun([config] + records)
        #expect(run.lines.dropFirst().compactMap(\.verdict).count == records.count)
        expectConservation(run)
        for output in run.outputs {
            let size = output.value.count + (output.key?.utf8.count ?? 0)
                + output.headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) }
            #expect(size < producerLimit, "\(output.topic) record of \(size) bytes")
        }
        return run
    }

    static func verdicts(_ run: StreamRun) -> [String] {
        run.lines.dropFirst().compactMap { $0.verdict?.summaryKey }
    }

    static func dlq(_ run: StreamRun) -> [JSONValue] {
        run.outputs.filter { $0.topic == Topic.eventsDLQ }.map { StreamRun.parse($0.value) }
    }

    @Test func aTwentyMegabyteValueIsDeadLetteredWithoutItsBytes() throws {
        let blob = Self.event("m1", extra: ",\"properties\":{\"blob\":\"" + String(repeating: "x", count: 20 * Self.megabyte) + "\"}")
        let run = Self.run([StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: blob, timestamp: Self.t0 + 1)])
        #expect(run.lines.last?.verdict?.summaryKey == "dlq/payload_too_large")
        let record = try #require(Self.dlq(run).first)
        #expect(record["original_value_b64"] == JSONValue.null)
        #expect(record["echo_omitted"]?["value"]?.int64 == Int64(blob.count))
        #expect(record["original_key"] == "ws_1")
        let dlq = try #require(run.outputs.first { $0.topic == Topic.eventsDLQ })
        #expect(dlq.headers.contains { $0.name == DLQHeaders.echoOmitted && $0.value == Array("value".utf8) })
    }

    @Test func aValueJustUnderTheEchoBoundIsEchoedInFull() throws {
        let value = [UInt8](repeating: 0x7B, count: DLQEchoBounds.maxValueBytes)
        let run = Self.run([StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: value, timestamp: Self.t0 + 1)])
        let record = try #require(Self.dlq(run).first)
        #expect(record["original_value_b64"]?.stringValue.flatMap(Base64.decode) == value)
        #expect(record["echo_omitted"] == nil)
    }

    @Test func oneHundredThousandLevelsOfNestingGetOneVerdict() {
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        let deepInside = Self.event("m1", extra: ",\"properties\":{\"p\":" + String(repeating: "[", count: 16_000)
            + String(repeating: "]", count: 16_000) + "}")
        let run = Self.run([
            StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: deep, timestamp: Self.t0 + 1),
            StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: deepInside, timestamp: Self.t0 + 2),
            StreamRecord(topic: Topic.outboundMessages, key: "ws_1", value: deep, timestamp: Self.t0 + 3),
        ])
        #expect(Self.verdicts(run)
            == ["dlq/payload_too_large", "dlq/too_deeply_nested", "dlq/payload_too_large"])
    }

    @Test func aMegabyteKeyIsCutInTheDLQRecordAndSaidSo() throws {
        let key = String(repeating: "é", count: Self.megabyte / 2)  // 1 MB of UTF-8, 2 bytes a character
        let run = Self.run([
            StreamRecord(topic: Topic.rawEvents, key: key, value: Self.event("m1"), timestamp: Self.t0 + 1),
            StreamRecord(topic: Topic.outboundMessages, key: key, value: Array("{}".utf8), timestamp: Self.t0 + 2),
        ])
        #expect(Self.verdicts(run)
            == ["dlq/workspace_mismatch", "dlq/missing_field"])
        for (record, output) in zip(Self.dlq(run), run.outputs.filter { $0.topic == Topic.eventsDLQ }) {
            #expect(record["original_key"] == JSONValue.null)
            #expect(record["echo_omitted"]?["key"]?.int64 == Int64(Self.megabyte))
            #expect(output.key == String(repeating: "é", count: DLQEchoBounds.maxRecordKeyBytes / 2))
            #expect(record["workspace_id"]?.stringValue == output.key)
        }
    }

    @Test func aSmallKeyWorkspaceMismatchKeepsItsKey() throws {
        let run = Self.run([StreamRecord(topic: Topic.rawEvents, key: "ws_2", value: Self.event("m1"), timestamp: Self.t0 + 1)])
        let record = try #require(Self.dlq(run).first)
        #expect(record["reason"] == "workspace_mismatch" && record["original_key"] == "ws_2" && record["echo_omitted"] == nil)
    }

    @Test func megabyteHeadersAreLeftOutOfTheDLQRecordAndIgnoredElsewhere() throws {
        let headers = (0..<3).map { Header(name: "h\($0)", value: [UInt8](repeating: 0xFF, count: Self.megabyte)) }
        let run = Self.run([
            StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: Array("nope".utf8), timestamp: Self.t0 + 1,
                         headers: headers),
            StreamRecord(topic: Topic.rawEvents, key: "ws_1", value: Self.event("m2", extra: ",\"context\":{\"consent_category\":\"functional\"}"),
                         timestamp: Self.t0 + 2, headers: headers),
        ])
        #expect(Self.verdicts(run) == ["dlq/malformed_json", "accepted"])
        let record = try #require(Self.dlq(run).first)
        #expect(record["original_headers"] == JSONValue.null)
        #expect(record["echo_omitted"]?["headers"]?.int64 == Int64(3 * (Self.megabyte + 2)))
    }

    /// 100 held events of 32 KB each would make one 4.4 MB changelog entry for the
    /// contact; the byte bound expires the oldest holds instead, as the 101st hold does.
    @Test func aContactsHeldEventsStayUnderTheByteBound() throws {
        var records: [StreamRecord] = []
        let padding = String(repeating: "z", count: 32_000)
        for index in 0..<40 {
            records.append(StreamRecord(topic: Topic.rawEvents, key: "ws_1",
                                        value: Self.event("m\(index)", extra: ",\"properties\":{\"pad\":\"\(padding)\"}"),
                                        timestamp: Self.t0 + Int64(index)))
        }
        let run = Self.run(records)
        let verdicts = Self.verdicts(run)
        #expect(verdicts == Array(repeating: "deferred/consent_denied", count: 40))
        let held = try #require(run.run.engine.workspaces.states["ws_1"]?.consent.holds["c1"])
        let bytes = held.holds.reduce(0) { $0 + $1.payload.heldBytes }
        #expect(bytes <= HeldEvents<HeldRecord>.maxBytes && held.holds.count == HeldEvents<HeldRecord>.maxBytes / 32_100)
        let expired = run.outputs.filter { $0.topic == Topic.eventsFiltered }.map { StreamRun.parse($0.value) }
        #expect(expired.count == 40 - held.holds.count)
        #expect(expired.allSatisfy { $0["reason"] == "consent_expired" && $0["expired_from_deferral"] == true })
    }
}
