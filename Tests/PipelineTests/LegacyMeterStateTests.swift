import Governance
import Testing
@testable import Pipeline

/// State written before the month and day slots (one month / day on the clock)
/// restores into slot 0, whose maps keep their changelog paths (`active`, `connected`,
/// `messages`), so a checkpoint from before the change is read, not rejected.
@Suite struct LegacyMeterStateTests {
    /// The scalar layout of `UsageMeter` before the slots (map contents are changelog entries).
    struct LegacyMeter: Encodable {
        struct Connections: Encodable {
            var open: [String: String] = [:]
            var openedAt: [String: Int64] = [:]
            var monthContacts: [String: Int64] = [:]
            var peak: Int64
            var mauReachedAt: Int64?
        }
        struct Levels: Encodable { var reached: [Int] }
        struct Breakdown: Encodable {
            var counts: [String: Int64]
            var settlements: Int64
        }
        struct Hours: Encodable {
            var counts: [Int64: Int64] = [:]
            var latestHour: Int64?
        }
        var workspaceID = "ws"
        var clock: Int64? = 1_795_000_000_000
        var month: Int64? = UTCCalendar.monthIndex(1_795_000_000_000)
        var acceptedEventsMonth: Int64 = 7
        var breakdown = Breakdown(counts: ["accepted": 7, "bot": 2], settlements: 0)
        var activeContacts: [String: Int64] = [:]
        var rolling = RollingIdentifiedMAU()
        var connections = Connections(peak: 3, mauReachedAt: 1_794_999_000_000)
        var mauLevels = Levels(reached: [80])
        var pccLevels = Levels(reached: [])
        var quotaExceededRequested = true
        var capHits = Hours()
        var lastSnapshotAt: Int64? = 1_794_999_990_000
        var lastSnapshotMonth: Int64? = UTCCalendar.monthIndex(1_795_000_000_000)
        var changedSinceSnapshotCheck = false
    }

    struct LegacyCaps: Encodable {
        var day: Int64? = UTCCalendar.dayIndex(1_795_000_000_000)
        var counts: [String: Int64] = [:]
    }

    @Test func aMeterWrittenBeforeTheMonthSlotsRestoresIntoSlotZero() throws {
        let bytes = try BinaryStateEncoder().encode(LegacyMeter())
        let meter = try BinaryStateDecoder().decode(UsageMeter.self, from: bytes)
        let month = try #require(meter.usage(ofMonth: UTCCalendar.monthIndex(1_795_000_000_000)))
        #expect(meter.months.second == UsageMonth())
        #expect(meter.clock == 1_795_000_000_000 && month.clock == 1_795_000_000_000)
        #expect(month.acceptedEvents == 7 && month.breakdown.counts == ["accepted": 7, "bot": 2])
        #expect(month.peak == 3 && month.mauReachedAt == 1_794_999_000_000)
        // The levels, quota flag and snapshot time came along: nothing is requested or due again.
        var restored = meter
        let plan = UsagePlan(mode: .activeEvents, mauIncluded: 1, eventsPerMonth: 1, peakConcurrentConnections: -1)
        let effects = restored.recordAccepted(
            MeteredEvent(contactKey: "c1", event: "login", messageID: "m", role: .active), at: 1_795_000_000_001, plan: plan)
        #expect(effects.alerts.map(\.level) == [100])
        #expect(restored.snapshotIfDue(at: 1_795_000_000_001, plan: plan, uniqueNamesUsed: 0, uniqueNamesCap: -1) == nil)
        #expect(try BinaryStateDecoder().decode(UsageMeter.self, from: BinaryStateEncoder().encode(restored)) == restored)
    }

    @Test func capsWrittenBeforeTheDaySlotsRestoreIntoSlotZero() throws {
        let caps = try BinaryStateDecoder().decode(MessagingCaps.self, from: BinaryStateEncoder().encode(LegacyCaps()))
        #expect(caps.days.first.day == UTCCalendar.dayIndex(1_795_000_000_000) && caps.days.second.day == nil)
        #expect(try BinaryStateDecoder().decode(MessagingCaps.self, from: BinaryStateEncoder().encode(caps)) == caps)
    }
}
