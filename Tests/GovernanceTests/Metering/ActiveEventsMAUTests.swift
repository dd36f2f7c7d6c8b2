import JSON
import Testing
@testable import Governance

@Suite struct ActiveEventsMAUTests {
    typealias F = MeteringFixtures
    let plan = F.plan(.activeEvents, mau: 5)

    @Test func aContactCountsAtItsFirstAcceptedActiveEventOfTheMonth() {
        var meter = UsageMeter(workspaceID: "ws_m")
        let first = meter.recordAccepted(F.event("c1", "login", "a1"), at: F.t0, plan: plan)
        #expect(first.firstActive == MAUFirstActive(workspaceID: "ws_m", month: "2026-11", contactKey: "c1",
                                                    event: "login", messageID: "a1"))
        #expect(meter.recordAccepted(F.event("c1", "login", "a6"), at: F.t0 + 9, plan: plan).firstActive == nil)
        #expect(meter.mau(.activeEvents) == 1)
        #expect(meter.acceptedEventsMonth == 2)
    }

    @Test func passiveAndIdentifyEventsDoNotCount() {
        var meter = UsageMeter(workspaceID: "ws_m")
        #expect(meter.recordAccepted(F.event("c6", "session_start", role: .passive), at: F.t0, plan: plan)
            .firstActive == nil)
        #expect(meter.recordAccepted(F.event("c7", "identify", role: .identify), at: F.t0, plan: plan)
            .firstActive == nil)
        #expect(meter.mau(.activeEvents) == 0)
        #expect(meter.acceptedEventsMonth == 2)
    }

    @Test func aContactCountsAgainInTheNextCalendarMonth() {
        var meter = UsageMeter(workspaceID: "ws_m")
        #expect(meter.recordAccepted(F.event("c9"), at: F.december - 1, plan: plan).firstActive?.month == "2026-11")
        let december = meter.recordAccepted(F.event("c9"), at: F.december, plan: plan)
        #expect(december.firstActive?.month == "2026-12")
        #expect(meter.mau(.activeEvents) == 1)
        #expect(meter.acceptedEventsMonth == 1)
        #expect(meter.activeContacts.count == 1)
    }

    /// SPEC §6.3: months of the record's timestamp. A late active event of November,
    /// processed after December started, counts toward November.
    @Test func aLateRecordFromAnEarlierMonthCountsTowardItsOwnMonth() {
        var meter = UsageMeter(workspaceID: "ws_m")
        _ = meter.recordAccepted(F.event("c1"), at: F.december - 2 * Millis.day, plan: plan)
        _ = meter.recordAccepted(F.event("c1"), at: F.december, plan: plan)
        let late = meter.recordAccepted(F.event("c2", "login", "late"), at: F.december - Millis.day, plan: plan)
        #expect(late.firstActive == MAUFirstActive(workspaceID: "ws_m", month: "2026-11", contactKey: "c2",
                                                   event: "login", messageID: "late"))
        #expect(meter.recordAccepted(F.event("c1"), at: F.december - 1, plan: plan).firstActive == nil)
        #expect(meter.monthKey == "2026-12")
        #expect(meter.mau(.activeEvents) == 1 && meter.acceptedEventsMonth == 1)
        let november = meter.usage(ofMonth: UTCCalendar.monthIndex(F.december - 1))
        #expect(november?.activeContacts.count == 2 && november?.acceptedEvents == 3)
    }

    @Test func firstActiveJSONHasTheFieldNamesOfSpec12_2() {
        let record = MAUFirstActive(workspaceID: "ws_m", month: "2026-11", contactKey: "c1", event: "login",
                                    messageID: "a1")
        #expect(record.json.serialized
            == #"{"kind":"mau_first_active","workspace_id":"ws_m","month":"2026-11","contact_key":"c1","event":"login","message_id":"a1"}"#)
    }
}
