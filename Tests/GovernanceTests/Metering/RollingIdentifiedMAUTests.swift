import PropertyBased
import Testing
@testable import Governance

@Suite struct RollingIdentifiedMAUTests {
    typealias F = MeteringFixtures
    let plan = F.plan(.identifiedRolling30d)

    @Test func aContactIdentifiedAtT0CountsWhileTMinusT0IsUnder30Days() {
        var meter = UsageMeter(workspaceID: "ws_i")
        _ = meter.recordAccepted(F.event("c1", "identify", role: .identify), at: F.t0, plan: plan)
        _ = meter.recordAccepted(F.event("anon1", "identify", role: .identify), at: F.t0 + 1_000, plan: plan)
        _ = meter.recordAccepted(F.event("c2", "login"), at: F.t0 + 2_000, plan: plan)
        #expect(meter.mau(.identifiedRolling30d) == 2)
        _ = meter.recordAccepted(F.event("c3", "ping"), at: F.t0 + 30 * Millis.day - 1, plan: plan)
        #expect(meter.mau(.identifiedRolling30d) == 2)
        _ = meter.recordAccepted(F.event("c3", "ping"), at: F.t0 + 30 * Millis.day, plan: plan)
        #expect(meter.mau(.identifiedRolling30d) == 1)
        _ = meter.recordVerdict(reason: "bot", at: F.t0 + 1_000 + 30 * Millis.day, plan: plan)
        #expect(meter.mau(.identifiedRolling30d) == 0)
    }

    @Test func aLaterIdentifyExtendsTheWindowAndAnOlderOneNeverMovesT0Back() {
        var mau = RollingIdentifiedMAU()
        mau.identify("c1", at: 10 * Millis.day, now: 10 * Millis.day)
        mau.identify("c1", at: 5 * Millis.day, now: 10 * Millis.day)
        #expect(mau.lastIdentified["c1"] == 10 * Millis.day)
        mau.expire(at: 40 * Millis.day - 1)
        #expect(mau.count == 1)
        mau.expire(at: 40 * Millis.day)
        #expect(mau.count == 0)
        #expect(mau.expiry.isEmpty)
    }

    @Test func anIdentifyAlready30DaysBehindTheClockCountsForNothing() {
        var mau = RollingIdentifiedMAU()
        mau.identify("c1", at: 0, now: 30 * Millis.day)
        #expect(mau.count == 0)
        mau.identify("c1", at: 1, now: 30 * Millis.day)
        #expect(mau.count == 1)
    }

    @Test func countMatchesANaiveScanOfLatestIdentifies() async {
        await propertyCheck(input: Gen.int64(in: 0...(2 * Millis.day)).array(of: 1...40),
                            Gen.int(in: 0...5).array(of: 40))
        { steps, contacts in
            var mau = RollingIdentifiedMAU()
            var latest: [Int: StreamTime] = [:]
            var now: StreamTime = 0
            for (index, step) in steps.enumerated() {
                now += step * 10
                mau.expire(at: now)
                mau.identify("c\(contacts[index])", at: now, now: now)
                latest[contacts[index]] = now
                let expected = latest.values.filter { now - $0 < 30 * Millis.day }.count
                #expect(mau.count == Int64(expected))
            }
        }
    }

    /// The address of a string's UTF-8 storage: equal for two strings that share it.
    static func storage(_ s: String) -> UInt? {
        var s = s
        return s.withUTF8 { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }

    @Test func frontierEntriesShareTheKeyStorageBeforeAndAfterARestore() {
        // Longer than 15 bytes: a heap string of its own, not an inline one.
        let contacts = (0..<50).map { "contact-00000000000\($0)" }
        var mau = RollingIdentifiedMAU()
        for (i, contact) in contacts.enumerated() {
            // Each identify gets a fresh copy of the key, as a parsed event does.
            mau.identify(String(decoding: Array(contact.utf8), as: UTF8.self), at: Int64(i), now: Int64(i))
            mau.identify(String(decoding: Array(contact.utf8), as: UTF8.self), at: Millis.hour + Int64(i), now: Millis.hour + Int64(i))
        }
        _ = mau.lastIdentified.drainChanges()
        // A restore sets every entry from decoded bytes (copies of their own) and rebuilds the index.
        var restored = RollingIdentifiedMAU()
        for (key, t) in mau.lastIdentified { restored.lastIdentified.restore(String(decoding: Array(key.utf8), as: UTF8.self), t) }
        restored.rebuildIndexes()
        #expect(restored == mau)
        #expect(restored.expiry.counts == [1: 50])
        #expect(restored.lastIdentified.changedKeys.isEmpty)
        for var state in [mau, restored] {
            // The cut-off reaches hour 1: its contacts become the frontier, 25 of them due.
            state.expire(at: 30 * Millis.day + Millis.hour + 24)
            #expect(state.count == 25)
            let frontier = state.expiry.frontier!
            #expect(frontier.bucket == 1 && frontier.entries.count == 25 && state.expiry.counts.isEmpty)
            for entry in frontier.entries {
                let index = state.lastIdentified.storage.index(forKey: entry.key)!
                #expect(Self.storage(state.lastIdentified.storage[index].key) == Self.storage(entry.key))
                #expect(state.lastIdentified.storage[index].value == entry.time)
            }
        }
    }

    @Test func theIndexCountsContactsPerHourAndKeepsTimesForTheCutOffsHourOnly() {
        var mau = RollingIdentifiedMAU()
        let h = Millis.hour
        for minute in 0..<60 {
            let t = 10 * h + Int64(minute) * Millis.minute
            mau.identify("c1", at: t, now: t)
            mau.identify("c2", at: t, now: t)
        }
        #expect(mau.expiry.counts == [10: 2] && mau.expiry.frontier == nil)
        // A re-identify in a later hour moves the contact's count.
        mau.identify("c1", at: 12 * h, now: 12 * h)
        #expect(mau.expiry.counts == [10: 1, 12: 1])
        // The cut-off reaches hour 10: c2 (t0 10:59) is due at 10:59 + 30 d, c1 is not.
        mau.expire(at: 10 * h + 30 * Millis.day + 58 * Millis.minute)
        #expect(mau.count == 2 && mau.expiry.frontier?.bucket == 10 && mau.expiry.counts == [12: 1])
        // An identify landing in the frontier's hour (late) goes to the frontier with its time.
        mau.identify("c3", at: 10 * h + 59 * Millis.minute + 30_000, now: 10 * h + 30 * Millis.day + 58 * Millis.minute)
        #expect(mau.count == 3 && mau.expiry.frontier?.entries.count == 2)
        mau.expire(at: 10 * h + 30 * Millis.day + 59 * Millis.minute)
        #expect(mau.count == 2 && mau.lastIdentified["c1"] == 12 * h)
        // The cut-off leaves hour 10: the frontier's live contacts are all due.
        mau.expire(at: 11 * h + 30 * Millis.day)
        #expect(mau.count == 1 && mau.expiry.frontier?.bucket == 11)
        mau.expire(at: 12 * h + 30 * Millis.day - 1)
        #expect(mau.count == 1 && mau.expiry.frontier?.bucket == 11 && mau.expiry.counts == [12: 1])
        mau.expire(at: 12 * h + 30 * Millis.day)
        #expect(mau.count == 0 && mau.expiry.isEmpty)
    }

    @Test func aLegacyQueueFromAnOldCheckpointIsDeletedOnRestore() {
        var mau = RollingIdentifiedMAU()
        mau.lastIdentified.restore("c1", 5)
        mau.legacyExpiry.restore(0, [.init(time: 5, element: "c1")])
        mau.rebuildIndexes()
        #expect(mau.legacyExpiry.isEmpty)
        let changes = mau.legacyExpiry.drainChanges()
        #expect(changes.count == 1 && changes[0].key == 0 && changes[0].value == nil)
        #expect(mau.expiry.counts == [0: 1])
        #expect(mau.lastIdentified.changedKeys.isEmpty)
    }

    /// Late identifies (up to 31 days behind the clock), re-identifies within and
    /// across hours, expiry at every step and a restore (queue rebuilt) midway: the
    /// count always matches a naive scan of each contact's latest identify.
    @Test func countMatchesANaiveScanWithLateIdentifiesAndARestore() async {
        await propertyCheck(input: Gen.int64(in: 0...(3 * Millis.hour)).array(of: 1...120),
                            Gen.int64(in: 0...(31 * Millis.day)).array(of: 120),
                            Gen.int(in: 0...7).array(of: 120))
        { steps, lags, contacts in
            var mau = RollingIdentifiedMAU()
            var latest: [Int: StreamTime] = [:]
            var now: StreamTime = 0
            for (index, step) in steps.enumerated() {
                now += step * 12
                mau.expire(at: now)
                // Half the identifies are late, some too late to count.
                let t = index % 2 == 0 ? now : now - lags[index]
                mau.identify("contact-key-longer-than-15-\(contacts[index])", at: t, now: now)
                if now - t < 30 * Millis.day { latest[contacts[index]] = max(latest[contacts[index]] ?? t, t) }
                let expected = latest.values.filter { now - $0 < 30 * Millis.day }.count
                #expect(mau.count == Int64(expected))
                if index == steps.count / 2 {
                    var restored = RollingIdentifiedMAU()
                    for (key, t0) in mau.lastIdentified { restored.lastIdentified.restore(key, t0) }
                    restored.rebuildIndexes()
                    mau = restored
                }
            }
        }
    }
}
