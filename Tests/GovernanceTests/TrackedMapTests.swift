import Testing
@testable import Governance

@Suite struct TrackedMapTests {
    @Test func writesAndRemovalsAreDrainedOnceAndRestoresAreNot() {
        var map = TrackedMap<String, Int>()
        map["a"] = 1
        map["b", default: 0] += 5
        map.restore("c", 9)
        _ = map["a"]
        let first = map.drainChanges().sorted { $0.key < $1.key }
        #expect(first.map(\.key) == ["a", "b"])
        #expect(first.map(\.value) == [1, 5])
        #expect(map.drainChanges().isEmpty)
        map.removeValue(forKey: "c")
        let second = map.drainChanges()
        #expect(second.count == 1 && second[0].key == "c" && second[0].value == nil)
        #expect(map.count == 2)
    }
}
