import Governance
import RecordFile
import Testing
@testable import Pipeline

/// The real governance state round-trips through the binary coder, whole and as a
/// checkpoint's "scalars only" encoding.
@Suite struct BinaryStateCoderStateTests {
    let encoder = BinaryStateEncoder()
    let decoder = BinaryStateDecoder()

    func drive(_ events: Int, seed: UInt64) -> StateCheckpointTests.Driver {
        var driver = StateCheckpointTests.Driver()
        for line in DemoWorkload(events: events, seed: seed) { _ = driver.feed(line) }
        return driver
    }

    /// Counts the entries of every map of a state.
    struct MapSizes: TrackedMapVisitor {
        var total = 0
        mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) { total += map.count }
    }

    /// Removes every entry of every map of a state.
    struct EmptyMaps: TrackedMapVisitor {
        mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) {
            for key in Array(map.keys) { map.removeValue(forKey: key) }
        }
    }

    @Test func workspaceStatesRoundTrip() throws {
        let driver = drive(4_000, seed: 3)
        let omitting = BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true])
        #expect(driver.engine.workspaces.count > 1)
        for (id, state) in driver.engine.workspaces.states {
            var sizes = MapSizes()
            var original = state
            original.visitMaps(&sizes)
            #expect(sizes.total > 0, "workspace \(id) has map entries")

            let bytes = try encoder.encode(state)
            #expect(try decoder.decode(WorkspaceState.self, from: bytes) == state, "workspace \(id)")
            #expect(try encoder.encode(decoder.decode(WorkspaceState.self, from: bytes)) == bytes)

            var scalars = try decoder.decode(WorkspaceState.self, from: omitting.encode(state))
            var empty = MapSizes()
            scalars.visitMaps(&empty)
            #expect(empty.total == 0, "workspace \(id): scalars-only decoding has map entries")
            var emptied = state
            var emptyMaps = EmptyMaps()
            emptied.visitMaps(&emptyMaps)
            #expect(scalars == emptied, "workspace \(id): scalars differ")
        }
        #expect(try decoder.decode(OrgStage.self, from: encoder.encode(driver.org)) == driver.org)
    }
}
