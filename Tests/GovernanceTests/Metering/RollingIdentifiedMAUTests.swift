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

    @Test func aContactsKeyBytesAreHeldOnceOnIdentifyAndAfterARestore() {
        // Longer than 15 bytes: a heap string of its own, not an inline one.
        let contacts = (0..<50).map { "contact-00000000000\($0)" }
        var mau = RollingIdentifiedMAU()
        for (i, contact) in contacts.enumerated() {
            // Each identify gets a fresh copy of the key, as a parsed event does.
            mau.identify(String(decoding: Array(contact.utf8), as: UTF8.self), at: Int64(i), now: Int64(i))
            mau.identify(String(decoding: Array(contact.utf8), as: UTF8.self), at: Millis.hour + Int64(i), now: Millis.hour + Int64(i))
        }
        func expectShared(_ mau: RollingIdentifiedMAU) {
            let keys = mau.expiry.buckets.values.flatMap { $0 } + (mau.expiry.frontier?.entries.map(\.key) ?? [])
            #expect(!keys.isEmpty)
            for key in keys {
                let index = mau.lastIdentified.storage.index(forKey: key)!
                #expect(Self.storage(mau.lastIdentified.storage[index].key) == Self.storage(key))
            }
        }
        expectShared(mau)
        _ = mau.lastIdentified.drainChanges()

        // A restore sets every entry from decoded bytes (copies of their own), then
        // rebuilds the queue from them: one entry per contact, no stale ones.
        var restored = RollingIdentifiedMAU()
        for (key, t) in mau.lastIdentified { restored.lastIdentified.restore(String(decoding: Array(key.utf8), as: UTF8.self), t) }
        restored.rebuildIndexes()
        #expect(restored == mau)
        #expect(restored.expiry.entryCount == contacts.count)
        #expect(restored.lastIdentified.changedKeys.isEmpty)
        expectShared(restored)
        restored.expire(at: 30 * Millis.day + Millis.hour + 24)
        #expect(restored.count == 25)
    }

    @Test func theQueueHoldsNoTimesAndOneEntryPerContactAndHour() {
        var mau = RollingIdentifiedMAU()
        let h = Millis.hour
        for minute in 0..<60 {
            let t = 10 * h + Int64(minute) * Millis.minute
            mau.identify("c1", at: t, now: t)
            mau.identify("c2", at: t, now: t)
        }
        // Re-identifies within the hour queue nothing more.
        #expect(mau.expiry.entryCount == 2)
        // One in a later hour queues a second entry; the first goes stale.
        mau.identify("c1", at: 12 * h, now: 12 * h)
        #expect(mau.expiry.entryCount == 3)
        // The cut-off reaches hour 10: c2 (t0 10:59) is due at 10:59 + 30 d, c1 is not.
        mau.expire(at: 10 * h + 30 * Millis.day + 58 * Millis.minute)
        #expect(mau.count == 2)
        mau.expire(at: 10 * h + 30 * Millis.day + 59 * Millis.minute)
        #expect(mau.count == 1 && mau.lastIdentified["c1"] == 12 * h)
        mau.expire(at: 12 * h + 30 * Millis.day - 1)
        #expect(mau.count == 1)
        mau.expire(at: 12 * h + 30 * Millis.day)
        #expect(mau.count == 0 && mau.expiry.isEmpty)
    }

    @Test func aClosedHoursBucketKeepsNoGrowthSlack() {
        var mau = RollingIdentifiedMAU()
        for i in 0..<600 { mau.identify("contact-\(i)", at: Int64(i), now: Int64(i)) }
        let open = mau.expiry.buckets[0]!
        #expect(open.count == 600)
        // Appends move on to the next hour: the closed hour's array is reallocated at its size.
        mau.identify("next-hour", at: Millis.hour, now: Millis.hour)
        let closed = mau.expiry.buckets[0]!
        #expect(closed == open && closed.capacity < 608 && closed.capacity < open.capacity)
    }

    @Test func aLegacyQueueFromAnOldCheckpointIsDeletedOnRestore() {
        var mau = RollingIdentifiedMAU()
        mau.lastIdentified.restore("c1", 5)
        mau.legacyExpiry.restore(0, [.init(time: 5, element: "c1")])
        mau.rebuildIndexes()
        #expect(mau.legacyExpiry.isEmpty)
        let changes = mau.legacyExpiry.drainChanges()
        #expect(changes.count == 1 && changes[0].key == 0 && changes[0].value == nil)
        #expect(mau.expiry.entryCount == 1)
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
