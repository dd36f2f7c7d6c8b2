import JSON
import Testing
@testable import Governance

@Suite struct NotificationFanOutTests {
    @Test func capAndThresholdTypesGoToEverySurface() {
        for capType in [NotificationCapType.eventNameCap, .mauThreshold, .pccThreshold] {
            let request = NotificationRequest(orgID: "o", workspaceID: "w", capType: capType,
                                              level: capType.isThreshold ? 80 : nil, streamTimeMs: 1)
            #expect(request.fanOut().map { $0["surface"] }
                == ["activity_feed", "in_app_admin", "email_admin", "ops"])
        }
    }

    @Test func graceReminderGoesToEmailAdminOnly() {
        let records = NotificationRequest(orgID: "o", workspaceID: "w", capType: .graceReminder, streamTimeMs: 1).fanOut()
        #expect(records.map { $0["surface"] } == ["email_admin"])
    }

    @Test func eventsQuotaExceededGoesToOpsOnly() {
        let records = NotificationRequest(orgID: "o", workspaceID: "w", capType: .eventsQuotaExceeded,
                                          streamTimeMs: 1).fanOut()
        #expect(records.map { $0["surface"] } == ["ops"])
    }

    @Test func recordsCarryTheFieldsOfSpec12_2() {
        let request = NotificationRequest(orgID: "org_1", workspaceID: "ws 1/é", capType: .mauThreshold, level: 100,
                                          streamTimeMs: 42, figure: 10, limit: 10, month: "2026-11")
        #expect(request.fanOut().map(\.serialized) == [
            #"{"org_id":"org_1","workspace_id":"ws 1/é","cap_type":"mau_threshold","level":100,"surface":"activity_feed","card_type":"system","event_id":"governance.cap_exceeded","figure":10,"limit":10,"month":"2026-11","stream_time_ms":42}"#,
            #"{"org_id":"org_1","workspace_id":"ws 1/é","cap_type":"mau_threshold","level":100,"surface":"in_app_admin","figure":10,"limit":10,"month":"2026-11","stream_time_ms":42}"#,
            #"{"org_id":"org_1","workspace_id":"ws 1/é","cap_type":"mau_threshold","level":100,"surface":"email_admin","template":"tenant_quota_cap_exceeded","link":"/workspaces/ws%201%2F%C3%A9/governance/events?cap_type=mau_threshold&level=100","figure":10,"limit":10,"month":"2026-11","stream_time_ms":42}"#,
            #"{"org_id":"org_1","workspace_id":"ws 1/é","cap_type":"mau_threshold","level":100,"surface":"ops","figure":10,"limit":10,"month":"2026-11","stream_time_ms":42}"#,
        ])
    }

    @Test func nonThresholdRecordsHaveNoLevel() {
        let records = NotificationRequest(orgID: "o", workspaceID: "w", capType: .eventNameCap, streamTimeMs: 3,
                                          event: "x_2").fanOut()
        #expect(records[2].serialized
            == #"{"org_id":"o","workspace_id":"w","cap_type":"event_name_cap","surface":"email_admin","template":"tenant_quota_cap_exceeded","link":"/workspaces/w/governance/events?cap_type=event_name_cap","event":"x_2","stream_time_ms":3}"#)
    }
}
