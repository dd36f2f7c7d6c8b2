import PropertyBased
import Testing
@testable import Governance

@Suite struct TimeBucketQueueTests {
    @Test func popThroughReturnsEntriesAtOrBeforeTheCutoffInTimeThenInsertionOrder() {
        var queue = TimeBucketQueue<String>()
        queue.insert("b", at: 2 * Millis.hour + 5)
        queue.insert("a", at: 10)
        queue.insert("c", at: 2 * Millis.hour + 5)
        queue.insert("late", at: 9)
        #expect(queue.popThrough(9).map(\.element) == ["late"])
        #expect(queue.popThrough(2 * Millis.hour + 4).map(\.element) == ["a"])
        #expect(queue.popThrough(2 * Millis.hour + 5).map(\.element) == ["b", "c"])
        #expect(queue.isEmpty)
        #expect(queue.lowestBucket == nil)
    }

    @Test func aCutoffFarAheadOfSparseBucketsWalksTheBucketsNotTheHours() {
        var queue = TimeBucketQueue<Int>()
        queue.insert(1, at: 0)
        queue.insert(2, at: 400 * Millis.day)
        #expect(queue.popThrough(100_000 * Millis.day).map(\.element) == [1, 2])
    }

    @Test func negativeTimesUseFlooredBuckets() {
        var queue = TimeBucketQueue<Int>()
        queue.insert(1, at: -1)
        queue.insert(2, at: 0)
        #expect(TimeBucketQueue<Int>.bucket(of: -1) == -1)
        #expect(queue.popThrough(-1).map(\.element) == [1])
        #expect(queue.popThrough(0).map(\.element) == [2])
    }

    @Test func popThroughMatchesASortedListModel() async {
        await propertyCheck(input: Gen.int64(in: 0...(5 * Millis.hour)).array(of: 0...40),
                            Gen.int64(in: 0...(5 * Millis.hour)).array(of: 1...4))
        { times, cutoffs in
            var queue = TimeBucketQueue<Int>()
            for (index, time) in times.enumerated() { queue.insert(index, at: time) }
            var model = times.enumerated().map { (time: $0.element, element: $0.offset) }
            for cutoff in cutoffs.sorted() {
                let expected = model.filter { $0.time <= cutoff }.sorted { ($0.time, $0.element) < ($1.time, $1.element) }
                model.removeAll { $0.time <= cutoff }
                #expect(queue.popThrough(cutoff).map(\.element) == expected.map(\.element))
            }
        }
    }
}
