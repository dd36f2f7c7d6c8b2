import Testing
@testable import Governance

@Suite struct MeteredEventRoleTests {
    typealias Role = MeteredEvent.Role

    @Test func identifyEventsIdentify() {
        #expect(Role.of(type: "identify", event: "identify", connectionID: nil, isPassiveName: true) == .identify)
    }

    @Test func connectionEventsConnectOrDisconnectByExactName() {
        #expect(Role.of(type: "connection", event: "connect", connectionID: "k", isPassiveName: false)
            == .connect(connectionID: "k"))
        #expect(Role.of(type: "connection", event: "disconnect", connectionID: "k", isPassiveName: false)
            == .disconnect(connectionID: "k"))
        #expect(Role.of(type: "connection", event: "Connect", connectionID: "k", isPassiveName: false) == .passive)
        #expect(Role.of(type: "connection", event: "connect", connectionID: nil, isPassiveName: false) == .passive)
    }

    @Test func consentDeleteAndConnectionEventsAreNeverActive() {
        for type in ["consent", "delete", "connection"] {
            #expect(Role.of(type: type, event: type, connectionID: nil, isPassiveName: false) == .passive)
        }
    }

    @Test func passiveNamesArePassiveAndEverythingElseIsActive() {
        #expect(Role.of(type: "track", event: "session_start", connectionID: nil, isPassiveName: true) == .passive)
        #expect(Role.of(type: "track", event: "my_custom", connectionID: nil, isPassiveName: false) == .active)
        #expect(Role.of(type: "page", event: "page_view", connectionID: nil, isPassiveName: false) == .active)
    }
}
