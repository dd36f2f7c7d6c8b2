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
    }
}
