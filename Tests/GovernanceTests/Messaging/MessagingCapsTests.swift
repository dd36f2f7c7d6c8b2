import PropertyBased
import Testing
@testable import Governance

@Suite struct MessagingCapsTests {
    /// 2026-11-18T08:26:40Z; the next UTC midnight is 1_795_046_400_000.
    let t0: StreamTime = 1_795_000_000_000
    let midnight: StreamTime = 1_795_046_400_000

    @Test func allowedWhileTheCountIsUnderTheLimitThenCappedWithTheCountOfToday() {
        var caps = MessagingCaps()
        #expect(caps.decide(contact: "c1", at: t0, limit: 2)
            == MessagingDecision(verdict: .allowed, limit: 2, count: 1, resetsAt: "2026-11-19T00:00:00Z"))
        #expect(caps.decide(contact: "c1", at: t0 + 1, limit: 2).count == 2)
        let capped = caps.decide(contact: "c1", at: t0 + 2, limit: 2)
        #expect(capped == MessagingDecision(verdict: .capped, limit: 2, count: 2, resetsAt: "2026-11-19T00:00:00Z"))
        #expect(capped.reason == "messaging_cap")
        #expect(caps.decide(contact: "c2", at: t0 + 3, limit: 2).count == 1)
    }

    @Test func theCountStartsAgainAtUTCMidnight() {
        var caps = MessagingCaps()
        _ = caps.decide(contact: "c1", at: t0, limit: 2)
        _ = caps.decide(contact: "c1", at: t0 + 1, limit: 2)
        #expect(caps.decide(contact: "c1", at: midnight - 1, limit: 2).verdict == .capped)
        let next = caps.decide(contact: "c1", at: midnight, limit: 2)
        #expect(next == MessagingDecision(verdict: .allowed, limit: 2, count: 1, resetsAt: "2026-11-20T00:00:00Z"))
    }

    @Test func oldDaysAreDropped() {
        var caps = MessagingCaps()
        _ = caps.decide(contact: "c1", at: t0, limit: 2)
        _ = caps.decide(contact: "c2", at: t0, limit: 2)
        _ = caps.decide(contact: "c3", at: midnight, limit: 2)
        #expect(caps.latestDayCounts.keys.sorted() == ["c3"])
    }

    /// SPEC §6.3: days are UTC days of the record's timestamp. A send stamped 23:59:59.999
    /// processed after a send of the next day counts toward its own day, with that day's
    /// earlier sends; the next day's count is untouched.
    @Test func aLateSendFromYesterdayCountsTowardItsOwnDay() {
        var caps = MessagingCaps()
        _ = caps.decide(contact: "c1", at: midnight - 2, limit: 2)
        _ = caps.decide(contact: "c1", at: midnight, limit: 2)
        let late = caps.decide(contact: "c1", at: midnight - 1, limit: 2)
        #expect(late == MessagingDecision(verdict: .allowed, limit: 2, count: 2, resetsAt: "2026-11-19T00:00:00Z"))
        #expect(caps.decide(contact: "c1", at: midnight - 1, limit: 2).verdict == .capped)
        #expect(caps.decide(contact: "c1", at: midnight + 1, limit: 2)
            == MessagingDecision(verdict: .allowed, limit: 2, count: 2, resetsAt: "2026-11-20T00:00:00Z"))
    }

    /// Two day slots: a day without a slot takes the older day's slot, whose counts go.
    @Test func aDayWithoutASlotTakesTheOlderDaysSlot() {
        var caps = MessagingCaps()
        let day = Millis.day
        _ = caps.decide(contact: "c1", at: midnight - 1, limit: 5)  // D
        _ = caps.decide(contact: "c1", at: midnight, limit: 5)  // D+1
        _ = caps.decide(contact: "c1", at: midnight + 1, limit: 5)  // D+1: 2
        _ = caps.decide(contact: "c1", at: midnight + day, limit: 5)  // D+2 takes D's slot
        #expect(caps.days.first.day == UTCCalendar.dayIndex(midnight + day))
        // D again: no slot, so it takes D+1's (the older) and starts at 0.
        #expect(caps.decide(contact: "c1", at: midnight - 2, limit: 5)
            == MessagingDecision(verdict: .allowed, limit: 5, count: 1, resetsAt: "2026-11-19T00:00:00Z"))
        #expect(caps.decide(contact: "c1", at: midnight + day + 1, limit: 5).count == 2)
        // D+1 lost its counts to D: it starts again (and takes D's slot, the older).
        #expect(caps.decide(contact: "c1", at: midnight + 2, limit: 5).count == 1)
        #expect(caps.latestDayCounts.keys.sorted() == ["c1"] && caps.latestDayCounts["c1"] == 2)
    }

    @Test func unlimitedIsAlwaysAllowedWithLimitMinusOneAndTodaysCount() {
        var caps = MessagingCaps()
        #expect(caps.decide(contact: "c1", at: t0, limit: -1)
            == MessagingDecision(verdict: .allowed, limit: -1, count: 1, resetsAt: "2026-11-19T00:00:00Z"))
        #expect(caps.decide(contact: "c1", at: t0, limit: -1).count == 2)
    }

    @Test func aZeroLimitCapsEverySend() {
        var caps = MessagingCaps()
        #expect(caps.decide(contact: "c1", at: t0, limit: 0)
            == MessagingDecision(verdict: .capped, limit: 0, count: 0, resetsAt: "2026-11-19T00:00:00Z"))
    }

    @Test func allowedSendsPerDayNeverExceedTheLimit() async {
        await propertyCheck(input: Gen.int64(in: 0...(3 * Millis.hour)).array(of: 1...60), Gen.int64(in: 0...5))
        { steps, limit in
            var caps = MessagingCaps()
            var t = midnight - 5 * Millis.hour
            var allowed: [Int64: Int64] = [:]
            for step in steps {
                t += step
                let decision = caps.decide(contact: "c", at: t, limit: limit)
                if decision.verdict == .allowed { allowed[UTCCalendar.dayIndex(t), default: 0] += 1 }
                #expect(decision.count == allowed[UTCCalendar.dayIndex(t)] ?? 0)
            }
            #expect(allowed.values.allSatisfy { $0 <= limit })
        }
    }

    /// A counted send marks its contact changed for the changelog (first send and later
    /// ones); a capped send changes nothing and marks nothing.
    @Test func countedSendsAreMarkedChangedAndCappedOnesAreNot() {
        var caps = MessagingCaps()
        _ = caps.decide(contact: "c1", at: t0, limit: 2)
        _ = caps.decide(contact: "c2", at: t0, limit: 2)
        let slot = caps.days.index(of: UTCCalendar.dayIndex(t0))!
        var day = slot == 0 ? caps.days.first : caps.days.second
        #expect(day.counts.drainChanges().map { "\($0.key)=\($0.value!)" }.sorted() == ["c1=1", "c2=1"])
        caps = MessagingCaps()
        _ = caps.decide(contact: "c1", at: t0, limit: 1)
        day = slot == 0 ? caps.days.first : caps.days.second
        _ = day.counts.drainChanges()
        if slot == 0 { caps.days.first = day } else { caps.days.second = day }
        #expect(caps.decide(contact: "c1", at: t0, limit: 1).verdict == .capped)
        day = slot == 0 ? caps.days.first : caps.days.second
        #expect(day.counts.drainChanges().isEmpty)
        #expect(caps.decide(contact: "c1", at: t0, limit: 2) == MessagingDecision(verdict: .allowed, limit: 2, count: 2,
                                                                                 resetsAt: "2026-11-19T00:00:00Z"))
        day = slot == 0 ? caps.days.first : caps.days.second
        #expect(day.counts.drainChanges().map { "\($0.key)=\($0.value!)" } == ["c1=2"])
    }
}

extension MessagingCaps {
    /// The counts of the latest day counted (empty before the first send): what the
    /// tests read; the engine only asks `decide`.
    var latestDayCounts: TrackedMap<String, Int64> {
        switch (days.first.period, days.second.period) {
        case (nil, nil): TrackedMap()
        case (.some, nil): days.first.counts
        case (nil, .some): days.second.counts
        case (let a?, let b?): a >= b ? days.first.counts : days.second.counts
        }
    }
}
