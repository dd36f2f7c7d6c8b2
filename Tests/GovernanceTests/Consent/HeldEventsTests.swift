import Testing
@testable import Governance

@Suite struct HeldEventsTests {
    @Test func the101stHoldOverflowsTheOldest() {
        var held = HeldEvents<Int>()
        for i in 0..<100 { #expect(held.hold(i, category: .analytics, at: Int64(i), id: Int64(i)).isEmpty) }
        let overflow = held.hold(100, category: .analytics, at: 100, id: 100)
        #expect(overflow.map(\.payload) == [0])
        #expect(held.holds.count == 100)
        #expect(held.holds.first?.payload == 1)
    }

    @Test func expiryIsAtThirtyDaysOrMore() {
        var held = HeldEvents<String>()
        held.hold("a", category: .analytics, at: 0, id: 0)
        held.hold("b", category: .marketing, at: 1, id: 1)
        #expect(held.expire(at: 30 * Millis.day - 1).isEmpty)
        #expect(held.expire(at: 30 * Millis.day).map(\.payload) == ["a"])
        #expect(held.expire(at: 30 * Millis.day + 1).map(\.payload) == ["b"])
        #expect(held.isEmpty)
    }

    @Test func expiryReturnsHoldsInHoldOrderEvenWhenHeldOutOfTimeOrder() {
        var held = HeldEvents<String>()
        held.hold("first", category: .analytics, at: 10, id: 0)
        held.hold("older", category: .analytics, at: 5, id: 1)
        #expect(held.expire(at: 40 * Millis.day).map(\.payload) == ["first", "older"])
    }

    @Test func releaseReturnsGrantedCategoriesInOrderAndKeepsTheRest() {
        var held = HeldEvents<String>()
        held.hold("a1", category: .analytics, at: 0, id: 0)
        held.hold("m1", category: .marketing, at: 1, id: 1)
        held.hold("a2", category: .analytics, at: 2, id: 2)
        held.hold("f1", category: .functional, at: 3, id: 3)
        #expect(held.release([.analytics, .functional]).map(\.payload) == ["a1", "a2", "f1"])
        #expect(held.holds.map(\.payload) == ["m1"])
        #expect(held.release([.analytics]).isEmpty)
    }
}
