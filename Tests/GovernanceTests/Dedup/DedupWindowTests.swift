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
        #expect(window.entryTime(of: "m1") == t0)
        #expect(window.isDuplicate("m1", at: t0 + Millis.day - 1))
        #expect(!window.isDuplicate("m1", at: t0 + Millis.day))
    }

    @Test func anExpiredIdIsEnteredAfresh() {
        var window = DedupWindow()
        window.record("m1", at: t0)
        window.record("m1", at: t0 + Millis.day)
        #expect(window.entryTime(of: "m1") == t0 + Millis.day)
        #expect(window.isDuplicate("m1", at: t0 + 2 * Millis.day - 1))
        #expect(!window.isDuplicate("m1", at: t0 + 2 * Millis.day))
    }

    @Test func expiredEntriesArePurgedAsStreamTimeAdvances() {
        var exact = DedupWindow(allowedLateness: 0)
        exact.record("old", at: t0)
        exact.record("x", at: t0 + Millis.day - 1)
        #expect(exact.entryTime(of: "old") == t0)
        exact.record("y", at: t0 + Millis.day)
        #expect(exact.entryTime(of: "old") == nil)
        #expect(exact.count == 2)

        var lenient = DedupWindow()
        lenient.record("old", at: t0)
        lenient.record("x", at: t0 + Millis.day + Millis.hour - 1)
        #expect(lenient.entryTime(of: "old") == t0)
        lenient.record("y", at: t0 + Millis.day + Millis.hour)
        #expect(lenient.entryTime(of: "old") == nil)
        // The purge emptied the segment of its entry minute: deleted; x and y share theirs.
        let changes = lenient.segments.drainChanges()
        #expect(changes.count == 2)
        #expect(changes.contains { $0.value == nil })
        #expect(changes.contains { $0.value?.ids == ["x", "y"] })
    }

    @Test func theSizeBoundEvictsTheOldestFirst() {
        var window = DedupWindow(maxEntries: 3)
        window.record("b", at: t0 + 2)
        window.record("a", at: t0 + 1)
        window.record("c", at: t0 + 3)
        window.record("d", at: t0 + 4)
        #expect(window.count == 3)
        #expect(window.entryTime(of: "a") == nil)
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
        #expect(window.entryTime(of: "a") == nil)
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

    @Test func restoresFromItsSegmentsAlone() throws {
        var window = DedupWindow(maxEntries: 10, allowedLateness: 0)
        window.record("a", at: t0)
        window.record("b", at: t0 + Millis.hour)
        var restored = DedupWindow(maxEntries: 10, allowedLateness: 0)
        for (number, segment) in window.segments.drainChanges() { restored.segments.restore(number, segment) }
        restored.rebuildIndex()
        #expect(restored == window)
        var decoded = try JSONDecoder().decode(DedupWindow.self, from: JSONEncoder().encode(window))
        #expect(decoded == window)
        #expect(!decoded.segments.hasChanges)
        // The rebuilt time index purges as the original would.
        window.record("c", at: t0 + Millis.day)
        restored.record("c", at: t0 + Millis.day)
        decoded.record("c", at: t0 + Millis.day)
        #expect(window.entryTime(of: "a") == nil)
        #expect(restored == window)
        #expect(decoded == window)
    }

    // MARK: segments (the changelog's unit)

    @Test func idsEnteredBetweenTwoCheckpointsShareOneSegmentAndAWrittenSegmentIsNotAppendedTo() {
        var window = DedupWindow()
        window.record("a", at: t0)
        window.record("b", at: t0 + 1)
        window.record("a", at: t0 + 2)  // a duplicate changes nothing
        let first = window.segments.drainChanges()
        #expect(first.count == 1)
        #expect(first.first?.value?.ids == ["a", "b"])
        #expect(first.first?.value?.times == [t0, t0 + 1])
        window.record("c", at: t0 + 3)
        let second = window.segments.drainChanges()
        #expect(second.count == 1)
        #expect(second.first?.value?.ids == ["c"])
        #expect(second.first?.key != first.first?.key)
        window.record("d", at: t0 + 4)
        #expect(!window.segments.drainChanges().contains { $0.key == first.first?.key })
    }

    @Test func idsOfAnotherEntryMinuteGoToTheirOwnSegment() {
        var window = DedupWindow()
        window.record("a", at: t0)
        window.record("late", at: t0 - 10 * Millis.minute)
        window.record("b", at: t0 + 1)
        window.record("later", at: t0 - 10 * Millis.minute + 1)
        let segments = window.segments.drainChanges().compactMap { $0.value?.ids }.sorted { $0[0] < $1[0] }
        #expect(segments == [["a", "b"], ["late", "later"]])
    }

    @Test func aFullSegmentOpensTheNext() {
        var window = DedupWindow()
        for i in 0...DedupWindow.segmentCapacity { window.record("m\(i)", at: t0 + Int64(i)) }
        let sizes = window.segments.drainChanges().compactMap { $0.value?.count }.sorted()
        #expect(sizes == [1, DedupWindow.segmentCapacity])
    }

    @Test func aSegmentWhoseIdsAllLeftIsDeletedAndAReenteredIdMoves() {
        var window = DedupWindow(maxEntries: 3, allowedLateness: 0)
        window.record("a", at: t0)
        window.record("b", at: t0 + 1)
        let first = window.segments.drainChanges()
        let old = first.first!.key
        window.record("a", at: t0 + Millis.day)  // expired: re-entered (and b purged? no: b's t0 + day > t)
        let moved = Dictionary(uniqueKeysWithValues: window.segments.drainChanges().map { ($0.key, $0.value) })
        #expect(moved[old]??.ids == ["b"])
        #expect(moved.contains { $0.key != old && $0.value?.ids == ["a"] })
        window.record("c", at: t0 + Millis.day + 1)  // purges b: its segment empties
        let gone = window.segments.drainChanges()
        #expect(gone.contains { $0.key == old && $0.value == nil })
        // Evicted by the size bound: its segment is rewritten without it.
        window.record("d", at: t0 + Millis.day + 2)
        window.record("e", at: t0 + Millis.day + 3)
        #expect(window.count == 3)
        #expect(window.entryTime(of: "a") == nil)
        let live = window.segments.storage.flatMap { $0.value.ids }.sorted()
        #expect(live == ["c", "d", "e"])
    }

    /// The changelog's contract: replaying every drain's changes onto an empty map (newest
    /// value per segment, deletions removing) and rebuilding gives the live window, at any
    /// drain, whatever happened in between (new ids, duplicates, expiry, re-entry, the size
    /// bound) — and the rebuilt window answers every later record as the live one does.
    @Test func replayingTheDrainedSegmentsRestoresTheWindowAtEveryDrain() async {
        let steps = zip(Gen.int(in: 0...40), Gen.int64(in: 0...(3 * Millis.hour)), Gen.int(in: 0...9))
            .array(of: 1...400)
        await propertyCheck(input: steps) { steps in
            var window = DedupWindow(maxEntries: 25, allowedLateness: Millis.hour)
            var log: [UInt64: DedupSegment] = [:]
            var t = t0
            for (id, advance, drainChance) in steps {
                t += advance
                window.record("m\(id)", at: t - (advance % 7 == 0 ? 2 * Millis.hour : 0))
                guard drainChance == 0 else { continue }
                for (number, segment) in window.segments.drainChanges() { log[number] = segment }
                var restored = DedupWindow(maxEntries: 25, allowedLateness: Millis.hour)
                for (number, segment) in log { restored.segments.restore(number, segment) }
                restored.rebuildIndex()
                #expect(restored == window)
                #expect(restored.segments == window.segments)
                var live = window
                for probe in 0...40 {
                    #expect(restored.isDuplicate("m\(probe)", at: t + 1) == live.isDuplicate("m\(probe)", at: t + 1))
                }
                restored.record("m0", at: t + Millis.day)
                live.record("m0", at: t + Millis.day)
                #expect(restored == live)
            }
        }
    }

    /// A changelog written before segments holds one entry per id under `dedup`: restored
    /// into `legacyEntries`, they move into segments, and their old keys are deleted.
    @Test func legacyEntriesMoveIntoSegmentsAndTheirKeysAreDeleted() {
        var window = DedupWindow()
        window.legacyEntries.restore("a", t0)
        window.legacyEntries.restore("b", t0 + 1)
        window.rebuildIndex()
        #expect(window.count == 2)
        #expect(window.isDuplicate("a", at: t0 + 5))
        #expect(window.entryTime(of: "b") == t0 + 1)
        let tombstones = window.legacyEntries.drainChanges()
        #expect(tombstones.count == 2 && tombstones.allSatisfy { $0.value == nil })
        #expect(window.segments.drainChanges().flatMap { $0.value?.ids ?? [] }.sorted() == ["a", "b"])
    }
}
