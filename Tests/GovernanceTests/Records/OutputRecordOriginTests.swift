import Testing
@testable import Governance

/// An output record made with its origin (headers made when read) against one made with
/// the origin's headers: the same headers, equal records, and a difference in any one
/// field of the origin or the record seen by `==`.
@Suite struct OutputRecordOriginTests {
    static let origin = Origin(topic: "raw-events", partition: 3, offset: 1_234_567)

    static func byOrigin(_ origin: Origin = origin, topic: String = "events-accepted", key: String? = "ws_1",
                         value: [UInt8] = Array("{}".utf8), timestamp: StreamTime = 17) -> OutputRecord {
        OutputRecord(topic: topic, key: key, valueBytes: value, timestamp: timestamp, origin: origin)
    }

    static func byHeaders(_ origin: Origin = origin, topic: String = "events-accepted", key: String? = "ws_1",
                          value: [UInt8] = Array("{}".utf8), timestamp: StreamTime = 17) -> OutputRecord {
        OutputRecord(topic: topic, key: key, valueBytes: value, timestamp: timestamp,
                     headers: OriginHeaders.headers(for: origin))
    }

    @Test func headersAreTheOriginHeaders() {
        for origin in [Self.origin, Origin(topic: "outbound-messages", partition: 0, offset: 0),
                       Origin(topic: "other", partition: 1_500, offset: -3)] {
            #expect(Self.byOrigin(origin).headers == OriginHeaders.headers(for: origin))
            #expect(Self.byOrigin(origin) == Self.byHeaders(origin))
            #expect(Self.byHeaders(origin) == Self.byOrigin(origin))
        }
    }

    @Test func anyOneFieldDifferentIsUnequal() {
        let record = Self.byOrigin()
        let others: [OutputRecord] = [
            Self.byOrigin(Origin(topic: "raw-eventz", partition: 3, offset: 1_234_567)),
            Self.byOrigin(Origin(topic: "raw-events", partition: 4, offset: 1_234_567)),
            Self.byOrigin(Origin(topic: "raw-events", partition: 3, offset: 1_234_568)),
            Self.byOrigin(topic: "events-filtered"), Self.byOrigin(key: "ws_2"), Self.byOrigin(key: nil),
            Self.byOrigin(value: Array("[]".utf8)), Self.byOrigin(timestamp: 18),
        ]
        for other in others {
            #expect(record != other)
            #expect(record != Self.byHeaders(other.origin!, topic: other.topic, key: other.key, value: other.value,
                                             timestamp: other.timestamp))
        }
    }

    @Test func headersSetReplaceTheOrigin() {
        var record = Self.byOrigin()
        let extra = [Header(name: "x", text: "y"), Header(name: "n", value: nil)]
        record.headers = extra
        #expect(record.headers == extra)
        #expect(record.origin == nil)
        #expect(record != Self.byOrigin())
        record.headers = OriginHeaders.headers(for: Self.origin)
        #expect(record == Self.byOrigin())
    }

    /// What the engine writes for an event carries the origin headers of its input line.
    @Test func engineOutputsCarryTheOriginHeaders() {
        var run = OfflineRun(settings: EngineSettings(wallClock: { 1 }))
        var out: [OutputRecord] = []
        let config = #"{"workspace_id":"ws_1","org_id":"org_1","plan":"growth"}"#
        _ = run.feed(line: 1, topic: Topic.workspaceConfig, key: "ws_1", value: Array(config.utf8),
                     timestamp: 1_795_000_000_000, into: &out)
        out.removeAll()
        let event = #"{"message_id":"m1","workspace_id":"ws_1","source_id":"web","type":"track","event":"e","customer_id":"c"}"#
        for line in 2...3 {
            _ = run.feed(line: line, topic: Topic.rawEvents, key: "ws_1", value: Array(event.utf8),
                         timestamp: 1_795_000_000_001, into: &out)
        }
        let events = out.filter { $0.topic == Topic.eventsAccepted || $0.topic == Topic.eventsFiltered }
        #expect(events.map(\.topic) == [Topic.eventsAccepted, Topic.eventsFiltered])
        for (offset, record) in events.enumerated() {
            #expect(record.headers == OriginHeaders.headers(for: Origin(topic: Topic.rawEvents, partition: 0, offset: Int64(offset))))
        }
    }
}
