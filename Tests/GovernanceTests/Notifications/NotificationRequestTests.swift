import JSON
import Testing
@testable import Governance

@Suite struct NotificationRequestTests {
    @Test func jsonRoundTripsWithOnlyTheMembersSet() throws {
        let request = NotificationRequest(orgID: "org_1", workspaceID: "ws_1", capType: .mauThreshold, level: 80,
                                          streamTimeMs: 1_795_000_000_000, figure: 800, limit: 1_000, month: "2026-11")
        #expect(request.json.serialized
            == #"{"org_id":"org_1","workspace_id":"ws_1","cap_type":"mau_threshold","level":80,"stream_time_ms":1795000000000,"figure":800,"limit":1000,"month":"2026-11"}"#)
        #expect(try NotificationRequest(json: request.json) == request)
        let nameCap = NotificationRequest(orgID: "o", workspaceID: "w", capType: .eventNameCap, streamTimeMs: 5,
                                          event: "x_2")
        #expect(nameCap.json.serialized
            == #"{"org_id":"o","workspace_id":"w","cap_type":"event_name_cap","stream_time_ms":5,"event":"x_2"}"#)
        #expect(try NotificationRequest(json: nameCap.json) == nameCap)
    }

    @Test func aUsageAlertBecomesARequest() {
        let alert = UsageAlert(capType: .pccThreshold, level: 100, figure: 25, limit: 25, month: "2026-11")
        #expect(NotificationRequest(alert, orgID: "o", workspaceID: "w", at: 7)
            == NotificationRequest(orgID: "o", workspaceID: "w", capType: .pccThreshold, level: 100, streamTimeMs: 7,
                                   figure: 25, limit: 25, month: "2026-11"))
    }

    @Test func decodingNamesTheBadField() {
        func error(_ value: JSONValue) -> NotificationRequestError? {
            do {
                _ = try NotificationRequest(json: value)
                return nil
            } catch {
                return error
            }
        }
        #expect(error([1]) == .notAnObject)
        #expect(error(["workspace_id": "w", "cap_type": "grace_reminder", "stream_time_ms": 1]) == .invalidField("org_id"))
        #expect(error(["org_id": "o", "workspace_id": "w", "cap_type": "nope", "stream_time_ms": 1])
            == .invalidField("cap_type"))
        #expect(error(["org_id": "o", "workspace_id": "w", "cap_type": "grace_reminder", "stream_time_ms": "1"])
            == .invalidField("stream_time_ms"))
        #expect(error(["org_id": "o", "workspace_id": "w", "cap_type": "mau_threshold", "stream_time_ms": 1])
            == .invalidField("level"))
        #expect(error(["org_id": "o", "workspace_id": "w", "cap_type": "mau_threshold", "level": 90,
                       "stream_time_ms": 1]) == .invalidField("level"))
        #expect(error(["org_id": "o", "workspace_id": "w", "cap_type": "grace_reminder", "level": 80,
                       "stream_time_ms": 1]) == .invalidField("level"))
        #expect(error(["org_id": "o", "workspace_id": "w", "cap_type": "event_name_cap", "stream_time_ms": 1,
                       "event": 3]) == .invalidField("event"))
        // Outside the stream times the engine governs (anyone can write to the topic).
        for t: Int64 in [-1, .min, StreamTimeRange.highest + 1, .max] {
            #expect(error(["org_id": "o", "workspace_id": "w", "cap_type": "grace_reminder", "stream_time_ms": .int(t)])
                == .invalidField("stream_time_ms"))
        }
        #expect(error(["org_id": "o", "workspace_id": "w", "cap_type": "grace_reminder",
                       "stream_time_ms": .int(StreamTimeRange.highest)]) == nil)
    }

    /// A request or peak report stamped (Kafka timestamp) or dated (`stream_time_ms`)
    /// outside `StreamTimeRange` writes nothing and does not swallow the (org, cap type)
    /// key: the next good request is let through. Found by `HostilePipelineInputTests`.
    @Test func theOrgStageRefusesRecordsFromOutsideTime() throws {
        var org = OrgStage()
        var out: [OutputRecord] = []
        let t: Int64 = 1_795_000_000_000
        func request(_ streamTime: Int64) -> [UInt8] {
            NotificationRequest(orgID: "o", workspaceID: "w", capType: .eventNameCap, streamTimeMs: streamTime, event: "e")
                .json.serializedBytes
        }
        let report = WorkspacePeakReport(orgID: "o", workspaceID: "w", month: "2026-11", peak: 3, open: 1, streamTimeMs: t)
            .json.serializedBytes
        for stamp: Int64 in [-1, .min, StreamTimeRange.highest + 1, .max] {
            #expect(throws: NotificationRequestError.invalidTimestamp(stamp)) {
                try org.process(value: request(t), timestamp: stamp, into: &out)
            }
            #expect(throws: NotificationRequestError.invalidTimestamp(stamp)) {
                try org.process(value: report, timestamp: stamp, into: &out)
            }
            #expect(throws: NotificationRequestError.invalidField("stream_time_ms")) {
                try org.process(value: request(stamp), timestamp: t, into: &out)
            }
        }
        #expect(out.isEmpty)
        try org.process(value: request(t), timestamp: t, into: &out)
        #expect(out.count == 4 && out.allSatisfy { $0.topic == Topic.governanceNotifications && $0.timestamp == t })
    }
}
