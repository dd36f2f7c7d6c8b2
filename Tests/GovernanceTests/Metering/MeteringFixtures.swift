@testable import Governance

/// Shared stream times and builders for the metering tests.
enum MeteringFixtures {
    /// 2026-11-18T08:26:40Z.
    static let t0: StreamTime = 1_795_000_000_000
    /// 2026-12-01T00:00:00Z.
    static let december: StreamTime = 1_796_083_200_000

    static func plan(_ mode: MAUMode, mau: Int64 = 1_000, events: Int64 = 1_000_000, pcc: Int64 = 25) -> UsagePlan {
        UsagePlan(mode: mode, mauIncluded: mau, eventsPerMonth: events, peakConcurrentConnections: pcc)
    }

    static func event(_ contact: String, _ name: String = "login", _ id: String = "m",
                      role: MeteredEvent.Role = .active) -> MeteredEvent
    {
        MeteredEvent(contactKey: contact, event: name, messageID: id, role: role)
    }

    static func connect(_ contact: String, _ connection: String) -> MeteredEvent {
        event(contact, "connect", role: .connect(connectionID: connection))
    }

    static func disconnect(_ contact: String, _ connection: String) -> MeteredEvent {
        event(contact, "disconnect", role: .disconnect(connectionID: connection))
    }
}
