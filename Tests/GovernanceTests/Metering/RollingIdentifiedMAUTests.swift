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
            for (_, entries) in mau.expiry.buckets {
                for entry in entries {
                    let index = mau.lastIdentified.storage.index(forKey: entry.element)!
                    #expect(Self.storage(mau.lastIdentified.storage[index].key) == Self.storage(entry.element))
                }
            }
        }
        expectShared(mau)
        _ = mau.lastIdentified.drainChanges()
        _ = mau.expiry.buckets.drainChanges()

        // A restore sets every entry from decoded bytes: copies of their own.
        var restored = RollingIdentifiedMAU()
        for (key, t) in mau.lastIdentified { restored.lastIdentified.restore(String(decoding: Array(key.utf8), as: UTF8.self), t) }
        for (bucket, entries) in mau.expiry.buckets {
            restored.expiry.buckets.restore(bucket, entries.map {
                .init(time: $0.time, element: String(decoding: Array($0.element.utf8), as: UTF8.self))
            })
        }
        restored.shareRestoredKeys()
        #expect(restored.lastIdentified == mau.lastIdentified)
        #expect(restored.expiry.buckets == mau.expiry.buckets)
        #expect(restored.lastIdentified.changedKeys.isEmpty && restored.expiry.buckets.changedKeys.isEmpty)
        expectShared(restored)
    }
}
