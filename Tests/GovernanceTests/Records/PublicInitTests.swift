import JSON
import Testing
@testable import Governance

/// The public inits of `OutputRecord`, `Verdict` and `UsageEffects`, which call their
/// memberwise inits: each argument lands in its own property, the others take their defaults.
@Suite struct PublicInitTests {
    static let origin = Origin(topic: "raw-events", partition: 1, offset: 9)

    @Test func outputRecordInits() {
        let headers = [Header(name: "h", value: [7])]
        let byValue = OutputRecord(topic: "t1", key: "k1", value: .int(5), timestamp: 11, headers: headers)
        #expect(byValue.topic == "t1" && byValue.key == "k1" && byValue.value == Array("5".utf8))
        #expect(byValue.timestamp == 11 && byValue.headers == headers && byValue.origin == nil)
        let byBytes = OutputRecord(topic: "t2", key: nil, valueBytes: [1, 2], timestamp: 12, headers: headers)
        #expect(byBytes.topic == "t2" && byBytes.key == nil && byBytes.value == [1, 2])
        #expect(byBytes.timestamp == 12 && byBytes.headers == headers && byBytes.origin == nil)
        let byOrigin = OutputRecord(topic: "t3", key: "k3", valueBytes: [3], timestamp: 13, origin: Self.origin)
        #expect(byOrigin.topic == "t3" && byOrigin.key == "k3" && byOrigin.value == [3] && byOrigin.timestamp == 13)
        #expect(byOrigin.origin == Self.origin && byOrigin.extraHeaders.isEmpty)
        #expect(byOrigin.headers == OriginHeaders.headers(for: Self.origin))
        let plain = OutputRecord(topic: "t4", key: "k4", valueBytes: [4], timestamp: 14)
        #expect(plain.headers.isEmpty && plain.origin == nil)
    }

    @Test func verdictInit() {
        let extras = [JSONMember(key: "level", value: .string("contact"))]
        let verdict = Verdict(.rateLimited, reason: "rate_limit", messageID: "m1", workspaceID: "ws_1", extras: extras)
        #expect(verdict.kind == .rateLimited && verdict.reason == "rate_limit" && verdict.messageID == "m1")
        #expect(verdict.workspaceID == "ws_1" && verdict.extras == extras)
        let bare = Verdict(.accepted)
        #expect(bare.kind == .accepted && bare.reason == nil && bare.messageID == nil && bare.workspaceID == nil)
        #expect(bare.extras.isEmpty)
    }

    @Test func usageEffectsInit() {
        let empty = UsageEffects()
        #expect(empty.firstActive == nil && empty.peakRaise == nil && empty.connectionsReport == nil)
        #expect(empty.closedConnections == 0 && empty.alerts.isEmpty)
        let first = MAUFirstActive(workspaceID: "ws_1", month: "2026-12", contactKey: "c", event: "e", messageID: "m")
        let raise = UsageEffects.PeakRaise(month: "2026-12", peak: 3)
        let given = UsageEffects(firstActive: first, peakRaise: raise)
        #expect(given.firstActive == first && given.peakRaise == raise && given.connectionsReport == nil)
        #expect(given.closedConnections == 0 && given.alerts.isEmpty)
        let alert = UsageAlert(capType: .eventNameCap, level: 80, figure: 8, limit: 10, month: "2026-12")
        let alerted = UsageEffects(alerts: [alert])
        #expect(alerted.alerts == [alert] && alerted.firstActive == nil && alerted.peakRaise == nil)
    }
}
