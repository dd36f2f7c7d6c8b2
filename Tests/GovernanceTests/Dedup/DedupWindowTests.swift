import Foundation
import PropertyBased
import Testing
@testable import Governance

@Suite struct DedupWindowTests {
    let t0: StreamTime = 1_795_000_000_000

    @Test func aDuplicateIsAnOccurrenceLessThanTwentyFourHoursAfterTheFirst() {
        var window = DedupWindow()
        #expect(!window.isDuplicate("m1", at: t0))
        window.record("m1", at: t0)
        #expect(window.isDuplicate("m1", at: t0))
        #expect(window.isDuplicate("m1", at: t0 + Millis.day - 1))
        #expect(!window.isDuplicate("m1", at: t0 + Millis.day))
        #expect(!window.isDuplicate("m2", at: t0))
    }

    @Test func anOutOfOrderEarlierOccurrenceIsADuplicate() {
        var window = DedupWindow()
        window.record("m1", at: t0)
        #expect(window.isDuplicate("m1", at: t0 - 1))
        #expect(window.isDuplicate("m1", at: t0 - 3 * Millis.day))
    }

    @Test func aDuplicateNeverRefreshesTheWindow() {
        var window = DedupWindow()
        window.record("m1", at: t0)
        window.record("m1", at: t0 + 23 * Millis.hour)
        #expect(window.entries["m1"] == t0)
        #expect(window.isDuplicate("m1", at: t0 + Millis.day - 1))
        #expect(!window.isDuplicate("m1", at: t0 + Millis.day))
    }

    @Test func anExpiredIdIsEnteredAfresh() {
        var window = DedupWindow()
        window.record("m1", at: t0)
        window.record("m1", at: t0 + Millis.day)
        #expect(window.entries["m1"] == t0 + Millis.day)
        #expect(window.isDuplicate("m1", at: t0 + 2 * Millis.day - 1))
        #expect(!window.isDuplicate("m1", at: t0 + 2 * Millis.day))
    }

    @Test func expiredEntriesArePurgedAsStreamTimeAdvances() {
        var exact = DedupWindow(allowedLateness: 0)
        exact.record("old", at: t0)
        exact.record("x", at: t0 + Millis.day - 1)
        #expect(exact.entries["old"] == t0)
        exact.record("y", at: t0 + Millis.day)
        #expect(exact.entries["old"] == nil)
        #expect(exact.count == 2)

        var lenient = DedupWindow()
        lenient.record("old", at: t0)
        lenient.record("x", at: t0 + Millis.day + Millis.hour - 1)
        #expect(lenient.entries["old"] == t0)
        lenient.record("y", at: t0 + Millis.day + Millis.hour)
        #expect(lenient.entries["old"] == nil)
        let changes = lenient.drainChanges()
        #expect(changes.contains { $0.key == "old" && $0.value == nil })
    }

    @Test func theSizeBoundEvictsTheOldestFirst() {
        var window = DedupWindow(maxEntries: 3)
        window.record("b", at: t0 + 2)
        window.record("a", at: t0 + 1)
        window.record("c", at: t0 + 3)
        window.record("d", at: t0 + 4)
        #expect(window.count == 3)
        #expect(window.entries["a"] == nil)
        // The documented cost of the bound: an evicted id's duplicate gets through.
        #expect(!window.isDuplicate("a", at: t0 + 5))
        #expect(window.isDuplicate("b", at: t0 + 5))
    }

    @Test func aReenteredIdIsEvictedByItsNewTime() {
        var window = DedupWindow(maxEntries: 2, allowedLateness: Millis.day)
        window.record("a", at: t0)
        window.record("a", at: t0 + Millis.day)  // expired: re-entered
        window.record("b", at: t0 + Millis.day + 1)
        window.record("c", at: t0 + Millis.day + 2)
        #expect(window.entries["a"] == nil)
        #expect(window.count == 2)
    }

    /// Against a model that never forgets: every answer agrees for records that are at most
    /// `allowedLateness` behind the newest one.
    @Test func purgingChangesNoAnswerWithinTheAllowedLateness() async {
        let records = zip(Gen.int(in: 0...8), Gen.int64(in: 0...(2 * Millis.hour)), Gen.int64(in: 0...Millis.hour))
            .array(of: 1...300)
        await propertyCheck(input: records) { records in
            var window = DedupWindow()
            var model: [String: StreamTime] = [:]
            var highWater = t0
            for (id, advance, late) in records {
                highWater += advance
                let t = highWater - late
                let messageID = "m\(id)"
                let modelSays = model[messageID].map { t - $0 < Millis.day } ?? false
                #expect(window.isDuplicate(messageID, at: t) == modelSays)
                if !modelSays { model[messageID] = t }
                window.record(messageID, at: t)
            }
        }
    }

    @Test func restoresFromItsEntriesAlone() throws {
        var window = DedupWindow(maxEntries: 10, allowedLateness: 0)
        window.record("a", at: t0)
        window.record("b", at: t0 + Millis.hour)
        var restored = DedupWindow(maxEntries: 10, allowedLateness: 0)
        for (id, t) in window.drainChanges() { restored.restore(id, t) }
        #expect(restored == window)
        var decoded = try JSONDecoder().decode(DedupWindow.self, from: JSONEncoder().encode(window))
        #expect(decoded == window)
        // The rebuilt time index purges as the original would.
        window.record("c", at: t0 + Millis.day)
        restored.record("c", at: t0 + Millis.day)
        decoded.record("c", at: t0 + Millis.day)
        #expect(window.entries["a"] == nil)
        #expect(restored == window)
        #expect(decoded == window)
    }
}
