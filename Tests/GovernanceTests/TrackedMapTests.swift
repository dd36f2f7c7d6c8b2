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

    /// Every way of writing reports each changed key exactly once at the next drain, with
    /// its value then (nil = gone), however often it was written, removed and re-entered.
    @Test func everyWriteReportsItsKeyOnceWithItsLatestValue() {
        var map = TrackedMap<String, Int>()
        map.restore("kept", 1)
        map.restore("moved", 2)
        map.restore("gone", 3)
        map["new"] = 4
        map["new"] = 5
        map.removeValue(forKey: "gone")
        map["back"] = 6
        map.removeValue(forKey: "back")
        map["back"] = 7
        map["never"] = nil
        let position = map.position(of: "moved")!
        #expect(map[position] == 2)
        map.set(20, at: position)
        map["moved", default: 0] += 1
        #expect(map.update("kept") { _ in false } == false)
        map.update("fresh") { $0 = 8 }
        map.update("fresh") { $0 = nil }
        #expect(map.changedKeys == ["new", "gone", "back", "never", "moved", "fresh"])
        let changes = map.drainChanges().sorted { $0.key < $1.key }
        #expect(changes.map(\.key) == ["back", "fresh", "gone", "moved", "never", "new"])
        #expect(changes.map(\.value) == [7, nil, nil, 21, nil, 5])
        #expect(map.changedKeys.isEmpty && map.drainChanges().isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: map.storage.map { ($0.key, $0.value) }) == ["kept": 1, "moved": 21, "new": 5, "back": 7])
        map.update("kept") { $0 = 1 }
        #expect(map.drainChanges().isEmpty)
        map.update("kept") { $0! += 1 }
        #expect(map.drainChanges().map(\.key) == ["kept"])
    }

    /// `insertAbsent` of an absent key leaves the map, its change set and its drain as
    /// `set(_:forKey:)` does: fresh keys, keys removed and entered again before and
    /// after a drain, over 3,000 generated operations.
    @Test func insertAbsentIsSetForAnAbsentKey() {
        var viaSet = TrackedMap<String, Int64>(), viaInsert = TrackedMap<String, Int64>()
        var seed: UInt64 = 7
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        for step in 0..<3_000 {
            let key = "k\(next(40))"
            let value = Int64(next(1_000))
            switch next(4) {
            case 0:
                viaSet.removeValue(forKey: key)
                viaInsert.removeValue(forKey: key)
            case 1 where step % 7 == 0:
                #expect(Self.drained(&viaSet) == Self.drained(&viaInsert))
            default:
                viaSet.set(value, forKey: key)
                if viaInsert.position(of: key) == nil {
                    viaInsert.insertAbsent(value, forKey: key)
                } else {
                    viaInsert.set(value, forKey: key)
                }
            }
            #expect(viaSet == viaInsert)
            #expect(viaSet.changedKeys == viaInsert.changedKeys)
        }
        #expect(Self.drained(&viaSet) == Self.drained(&viaInsert))
    }

    /// A drain as text: the changed entries in order, then the removed keys sorted (they
    /// come from a `Set`, whose order differs from one instance to another).
    static func drained(_ map: inout TrackedMap<String, Int64>) -> [String] {
        let changes = map.drainChanges()
        return changes.compactMap { change in change.value.map { "\(change.key)=\($0)" } }
            + changes.filter { $0.value == nil }.map { "\($0.key) removed" }.sorted()
    }
}
