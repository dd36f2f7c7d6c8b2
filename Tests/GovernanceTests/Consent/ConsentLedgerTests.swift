import Foundation
import JSON
import PropertyBased
import Testing
@testable import Governance

@Suite struct ConsentLedgerTests {
    let t0: StreamTime = 1_795_000_001_000

    @Test func isGrantedUsesTheContactsConsentThenTheDefault() {
        var ledger = ConsentLedger<String>()
        #expect(!ledger.isGranted(.analytics, contact: "u1", defaultGranted: false))
        #expect(ledger.isGranted(.analytics, contact: "u1", defaultGranted: true))
        #expect(ledger.recordConsent(contact: "u1", properties: props(["analytics": true]), defaultGranted: false, at: 0).isEmpty)
        #expect(ledger.isGranted(.analytics, contact: "u1", defaultGranted: false))
        #expect(!ledger.isGranted(.marketing, contact: "u1", defaultGranted: false))
    }

    @Test func aConsentEventReleasesTheContactsGrantedHoldsInOrder() {
        var ledger = ConsentLedger<String>()
        ledger.hold("c1", category: .analytics, contact: "u1", at: t0)
        ledger.hold("c2", category: .marketing, contact: "u1", at: t0 + 1)
        ledger.hold("x1", category: .analytics, contact: "u2", at: t0 + 2)
        ledger.hold("c3", category: .marketing, contact: "u1", at: t0 + 3)
        ledger.hold("c6", category: .analytics, contact: "u1", at: t0 + 5)
        let first = ledger.recordConsent(contact: "u1", properties: props(["analytics": true]), defaultGranted: false, at: 0)
        #expect(first.map(\.payload) == ["c1", "c6"])
        let second = ledger.recordConsent(contact: "u1", properties: props(["marketing": true, "functional": false]),
                                          defaultGranted: false, at: 0)
        #expect(second.map(\.payload) == ["c2", "c3"])
        #expect(ledger.holds["u1"] == nil)
        #expect(ledger.holds["u2"]?.holds.map(\.payload) == ["x1"])
        #expect(!ledger.isGranted(.functional, contact: "u1", defaultGranted: false))
    }

    @Test func aConsentEventReleasesWhatTheDefaultNowGrants() {
        var ledger = ConsentLedger<String>()
        ledger.hold("a", category: .analytics, contact: "u1", at: t0)
        let released = ledger.recordConsent(contact: "u1", properties: props(["marketing": false]), defaultGranted: true, at: 0)
        #expect(released.map(\.payload) == ["a"])
    }

    @Test func settleExpiredTakesHoldsThirtyDaysOrMoreBeforeTheRecord() {
        var ledger = ConsentLedger<String>()
        ledger.hold("u2-hold", category: .analytics, contact: "u2", at: t0 + 11)
        #expect(ledger.settleExpired(at: t0 + 11 + 30 * Millis.day - 1).isEmpty)
        let expired = ledger.settleExpired(at: t0 + 11 + 30 * Millis.day)
        #expect(expired.map(\.payload) == ["u2-hold"])
        #expect(expired.first?.heldAt == t0 + 11)
        #expect(ledger.holds.isEmpty)
        #expect(ledger.expiryIndex.isEmpty)
    }

    @Test func settleExpiredOrdersAcrossContactsByHoldOrder() {
        var ledger = ConsentLedger<String>()
        ledger.hold("a1", category: .analytics, contact: "a", at: t0)
        ledger.hold("b1", category: .analytics, contact: "b", at: t0)
        ledger.hold("a2", category: .analytics, contact: "a", at: t0 + 1)
        ledger.hold("b-late", category: .analytics, contact: "b", at: t0 - 1)
        ledger.hold("a-new", category: .analytics, contact: "a", at: t0 + Millis.day)
        let expired = ledger.settleExpired(at: t0 + 30 * Millis.day + 1)
        #expect(expired.map(\.payload) == ["a1", "b1", "a2", "b-late"])
        #expect(ledger.holds["a"]?.holds.map(\.payload) == ["a-new"])
    }

    @Test func releasedAndOverflowedHoldsLeaveOnlyStaleIndexEntries() {
        var ledger = ConsentLedger<Int>()
        for i in 0...100 {
            let overflow = ledger.hold(i, category: .analytics, contact: "u9", at: t0 + Int64(i))
            #expect(overflow.map(\.payload) == (i == 100 ? [0] : []))
        }
        let released = ledger.recordConsent(contact: "u9", properties: props(["analytics": true]), defaultGranted: false, at: 0)
        #expect(released.map(\.payload) == Array(1...100))
        #expect(ledger.settleExpired(at: t0 + 31 * Millis.day).isEmpty)
        #expect(ledger.expiryIndex.isEmpty)
    }

    @Test func stateRoundTripsThroughCodable() throws {
        var ledger = ConsentLedger<String>()
        ledger.hold("a", category: .marketing, contact: "u1", at: t0)
        _ = ledger.recordConsent(contact: "u2", properties: props(["analytics": false]), defaultGranted: true, at: 0)
        let decoded = try JSONDecoder().decode(ConsentLedger<String>.self, from: JSONEncoder().encode(ledger))
        #expect(decoded == ledger)
    }

    @Test func settleExpiredMatchesScanningEveryContact() async {
        await propertyCheck(input: Gen.int64(in: 0...(40 * Millis.day)).array(of: 0...30),
                            Gen.int(in: 0...3).array(of: 30),
                            Gen.int64(in: 0...(80 * Millis.day)).array(of: 1...5))
        { times, contacts, settles in
            var ledger = ConsentLedger<Int>()
            var model: [(contact: Int, time: StreamTime, payload: Int)] = []
            for (index, time) in times.enumerated() {
                ledger.hold(index, category: .analytics, contact: "c\(contacts[index])", at: time)
                model.append((contacts[index], time, index))
            }
            for t in settles.sorted() {
                let expected = model.filter { t - $0.time >= 30 * Millis.day }.map(\.payload)
                model.removeAll { t - $0.time >= 30 * Millis.day }
                #expect(ledger.settleExpired(at: t).map(\.payload) == expected)
            }
        }
    }
}

/// A consent event's `properties` object.
private func props(_ value: JSONValue) -> JSONObject { value.objectValue ?? JSONObject() }
