import Foundation
import Governance
import JSON
import Kafka
import Review
import Testing

/// A hand-written `events-dlq` message in SPEC §12.2's shape.
func dlqMessage(
    partition: Int32 = 0, offset: Int64, scope: String = "event", reason: String, workspace: String?,
    messageID: String?, originTopic: String = "raw-events", originOffset: Int64 = 0, time: Int64,
    original: String? = nil, detail: String = "detail", headers: [(String, String)] = []
) -> KafkaMessage {
    var value = JSONObject()
    value.appendUnchecked("scope", .string(scope))
    value.appendUnchecked("reason", .string(reason))
    value.appendUnchecked("detail", .string(detail))
    value.appendUnchecked("workspace_id", .string(workspace))
    value.appendUnchecked("message_id", .string(messageID))
    let origin: JSONValue = ["topic": .string(originTopic), "partition": .int(Int64(partition)), "offset": .int(originOffset)]
    value.appendUnchecked("origin", origin)
    value.appendUnchecked("stream_time_ms", .int(time))
    value.appendUnchecked("dlq_at", .int(time + 5))
    if scope == "event" {
        value.appendUnchecked("original_value_b64", .string(original.map { Base64.encode(Array($0.utf8)) }))
        value.appendUnchecked("original_key", .string(workspace))
        value.appendUnchecked("original_headers", .array(headers.map { ["name": .string($0.0), "value_b64": .string(Base64.encode(Array($0.1.utf8)))] }))
    } else {
        value.appendUnchecked("trait_key", "$bad")
        value.appendUnchecked("normalized_key", "bad")
        value.appendUnchecked("action", "dropped")
    }
    return KafkaMessage(topic: Topic.eventsDLQ, partition: partition, offset: offset, key: workspace.map { Array($0.utf8) },
                        value: JSONValue.object(value).serializedBytes,
                        headers: [KafkaHeader(name: DLQHeaders.reason, value: Array(reason.utf8))], timestampMs: time)
}

@Suite struct ReviewIndexTests {
    let t0: Int64 = 1_795_000_000_000

    func sampleIndex() throws -> ReviewIndex {
        let index = try ReviewIndex(path: nil)
        try index.ingest([
            dlqMessage(offset: 0, reason: "unknown_workspace", workspace: "ws_a", messageID: "m1", time: t0,
                       original: #"{"message_id":"m1","workspace_id":"ws_a"}"#, headers: [("trace", "abc")]),
            dlqMessage(offset: 1, reason: "unknown_workspace", workspace: "ws_a", messageID: "m2", time: t0 + 1_000,
                       original: #"{"message_id":"m2","workspace_id":"ws_a","event":"Order Placed"}"#),
            dlqMessage(partition: 1, offset: 0, reason: "malformed_json", workspace: "ws_b", messageID: nil, time: t0 + 7_200_000,
                       original: "not json"),
            dlqMessage(partition: 1, offset: 1, scope: "trait", reason: "reserved_prefix", workspace: "ws_b", messageID: "m4",
                       time: t0 + 7_300_000),
            dlqMessage(partition: 1, offset: 2, reason: "unknown_workspace", workspace: "ws_b", messageID: "o1",
                       originTopic: "outbound-messages", time: t0 + 7_400_000, original: #"{"message_id":"o1"}"#),
        ])
        return index
    }

    /// Each filter narrows as `dlq list` documents; results are newest first.
    @Test func filtersSelectAndOrder() throws {
        let index = try sampleIndex()
        #expect(try index.list(DLQFilter()).map(\.locator) == ["1:2", "1:1", "1:0", "0:1", "0:0"])
        #expect(try index.list(DLQFilter(reason: "unknown_workspace")).map(\.locator) == ["1:2", "0:1", "0:0"])
        #expect(try index.list(DLQFilter(workspaceID: "ws_b")).count == 3)
        #expect(try index.list(DLQFilter(scope: .trait)).map(\.locator) == ["1:1"])
        #expect(try index.list(DLQFilter(scope: .outbound)).map(\.locator) == ["1:2"])
        #expect(try index.list(DLQFilter(scope: .event)).map(\.locator) == ["1:0", "0:1", "0:0"])
        #expect(try index.list(DLQFilter(since: t0 + 1_000, until: t0 + 7_300_000)).map(\.locator) == ["1:0", "0:1"])
        #expect(try index.list(DLQFilter(text: "ORDER placed")).map(\.locator) == ["0:1"])
        #expect(try index.count(DLQFilter(reason: "unknown_workspace", workspaceID: "ws_a")) == 2)
    }

    /// Keyset pages cover every record once, in order, whatever the page size.
    @Test func pagesCoverEverythingOnce() throws {
        let index = try sampleIndex()
        var seen: [String] = []
        var cursor: DLQCursor?
        while true {
            let page = try index.list(DLQFilter(), after: cursor, limit: 2)
            guard let last = page.last else { break }
            seen += page.map(\.locator)
            cursor = DLQCursor(last.cursor.text)
        }
        #expect(seen == ["1:2", "1:1", "1:0", "0:1", "0:0"])
        var ascending: [String] = []
        cursor = nil
        while true {
            let page = try index.pageAscending(DLQFilter(), after: cursor, limit: 3)
            guard let last = page.last else { break }
            ascending += page.map(\.locator)
            cursor = last.cursor
        }
        #expect(ascending == seen.reversed())
    }

    /// Indexing the same messages twice (a follower that restarts before its offsets
    /// were stored) changes neither the records nor the counts; offsets resume.
    @Test func reingestIsIdempotentAndOffsetsResume() throws {
        let index = try sampleIndex()
        try index.ingest([dlqMessage(offset: 1, reason: "unknown_workspace", workspace: "ws_a", messageID: "m2", time: t0 + 1_000)])
        #expect(try index.count(DLQFilter()) == 5)
        #expect(try index.facets().reasons.first { $0.name == "unknown_workspace" }?.count == 3)
        #expect(try index.nextOffsets(Topic.eventsDLQ) == [0: 2, 1: 3])
    }

    /// The original bytes, key and headers come back exactly; trait scope is not replayable.
    @Test func entriesKeepTheOriginal() throws {
        let index = try sampleIndex()
        let entry = try #require(try index.entry(partition: 0, offset: 0))
        #expect(entry.originalValue == Array(#"{"message_id":"m1","workspace_id":"ws_a"}"#.utf8))
        #expect(entry.originalKey == "ws_a")
        #expect(entry.originalHeaders == [Header(name: "trace", text: "abc")])
        #expect(entry.origin == Origin(topic: "raw-events", partition: 0, offset: 0))
        #expect(entry.isReplayable)
        #expect(try index.entry(partition: 1, offset: 1)?.isReplayable == false)
        #expect(try index.entries(matching: "m2").map(\.locator) == ["0:1"])
        #expect(try index.entries(matching: "2").map(\.locator) == ["1:2"])
        let destinations = try index.destinations(DLQFilter())
        #expect(destinations.byTopic == ["raw-events": 3, "outbound-messages": 1])
        #expect(destinations.refused == 1)
    }

    /// A value that is not a DLQ record is indexed as `unreadable`, never dropped or fatal.
    @Test func unreadableRecordsAreKept() throws {
        let index = try ReviewIndex(path: nil)
        try index.ingest([KafkaMessage(topic: Topic.eventsDLQ, partition: 2, offset: 9, key: nil, value: Array("garbage".utf8),
                                       headers: [KafkaHeader(name: DLQHeaders.reason, value: Array("malformed_json".utf8))],
                                       timestampMs: t0)])
        let entry = try #require(try index.entry(partition: 2, offset: 9))
        #expect(entry.scope == "unreadable")
        #expect(entry.reason == "malformed_json")
        #expect(!entry.isReplayable)
    }

    /// Hourly counts by reason, bucketed from the first to the last hour.
    @Test func histogramCountsByReasonPerHour() throws {
        let index = try sampleIndex()
        let histogram = try index.histogram(DLQFilter())
        #expect(histogram.bucketMs == 3_600_000)
        #expect(histogram.buckets.count == 3)
        let unknown = try #require(histogram.series.first { $0.reason == "unknown_workspace" })
        #expect(unknown.counts == [2, 0, 1])
        #expect(try index.histogram(DLQFilter(reason: "malformed_json")).series.map(\.reason) == ["malformed_json"])
    }

    /// Times as reviewers type them.
    @Test func timeArguments() {
        #expect(DLQTime.parse("1795000000000") == 1_795_000_000_000)
        #expect(DLQTime.parse("2026-11-18") == 1_794_960_000_000)
        #expect(DLQTime.parse("2026-11-18T10:00:00Z") == 1_794_996_000_000)
        #expect(DLQTime.parse("2026-11-18T10:00:00") == 1_794_996_000_000)
        #expect(DLQTime.parse("2026-11-18T12:00:00+02:00") == 1_794_996_000_000)
        #expect(DLQTime.parse("2026-11-18T10:00:00.250Z") == 1_794_996_000_250)
        #expect(DLQTime.parse("yesterday") == nil)
        #expect(DLQTime.iso8601(1_794_996_000_250) == "2026-11-18T10:00:00.250Z")
    }

    /// The usage tables keep the latest snapshot per workspace and month, joined with the plan.
    @Test func usageTables() throws {
        let index = try ReviewIndex(path: nil)
        func message(_ topic: String, _ offset: Int64, _ value: JSONValue, time: Int64, key: String) -> KafkaMessage {
            KafkaMessage(topic: topic, partition: 0, offset: offset, key: Array(key.utf8), value: value.serializedBytes, timestampMs: time)
        }
        let snapshot: (Int64, Int64) -> JSONValue = { mau, time in
            ["kind": "usage_snapshot", "workspace_id": "ws_a", "month": "2026-11", "mau_mode": "active_events", "mau": .int(mau),
             "connections_current": 0, "connections_peak": 0, "accepted_events_month": 12, "overage_packs": 0,
             "breakdown": ["accepted": 12, "duplicate": 1], "quality": [:]]
        }
        try index.ingest([
            message(Topic.workspaceConfig, 0, ["workspace_id": "ws_a", "org_id": "org_1", "plan": "trial", "limits": ["mau_included": 10]],
                    time: t0, key: "ws_a"),
            message(Topic.usage, 0, snapshot(9, t0), time: t0 + 60_000, key: "ws_a"),
            message(Topic.usage, 1, snapshot(7, t0), time: t0, key: "ws_a"),  // older, arrives later
        ])
        let rows = try index.workspaceUsage()
        #expect(rows.count == 1)
        #expect(rows.first?.mau == 9)
        #expect(rows.first?.mauIncluded == 10)
        #expect(rows.first?.plan == "trial")
        #expect(rows.first?.eventsPerMonth == 1_000_000)
    }
}
