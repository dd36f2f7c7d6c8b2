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
            emptied.rebuildIndexes()  // maps written directly, as a restore does
            #expect(scalars == emptied, "workspace \(id): scalars differ")
        }
        #expect(try decoder.decode(OrgStage.self, from: encoder.encode(driver.org)) == driver.org)
    }

    /// Encodes every entry of every map with the fast paths and with every value through
    /// its `encode(to:)`, and records the entries whose bytes differ.
    struct FastEqualsGeneric: TrackedMapVisitor {
        let fast: BinaryStateEncoder
        let generic: BinaryStateEncoder
        var compared = 0
        var differing: [String] = []
        mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) {
            for (key, value) in map.storage {
                compared += 1
                if (try? fast.encode(key)) != (try? generic.encode(key)) { differing.append("\(path) key \(key)") }
                if (try? fast.encode(value)) != (try? generic.encode(value)) { differing.append("\(path) value of \(key)") }
            }
        }
    }

    /// The fast paths (`BinaryStateEncodable`, the core's empty maps) write the generic
    /// path's bytes for the real state: every map entry, as a value and as a canonical
    /// key; every workspace's core and whole state; the org stage.
    @Test func fastPathsWriteTheGenericBytes() throws {
        let driver = drive(6_000, seed: 5)
        let pairs: [(BinaryStateEncoder, BinaryStateEncoder)] = [
            (encoder, BinaryStateEncoder(userInfo: [.genericBinaryState: true])),
            (BinaryStateEncoder(userInfo: [.canonicalStrings: true]),
             BinaryStateEncoder(userInfo: [.canonicalStrings: true, .genericBinaryState: true])),
            (BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true]),
             BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true, .genericBinaryState: true])),
        ]
        var kinds = Set<String>()
        for (fast, generic) in pairs {
            for (id, state) in driver.engine.workspaces.states {
                #expect(try fast.encode(state) == generic.encode(state), "workspace \(id)")
                var visitor = FastEqualsGeneric(fast: fast, generic: generic)
                var copy = state
                copy.visitMaps(&visitor)
                #expect(visitor.compared > 0)
                let differing = visitor.differing.count
                #expect(differing == 0, "workspace \(id): \(visitor.differing.prefix(5))")
                kinds.insert(String(describing: type(of: state.consent.holds.storage.first?.value)))
                if !state.consent.holds.isEmpty { kinds.insert("holds") }
                if !state.consent.expiryIndex.buckets.isEmpty { kinds.insert("holdExpiry") }
            }
            #expect(try fast.encode(driver.org) == generic.encode(driver.org))
        }
        // The workload holds events, so the fast paths of holds and their index ran.
        #expect(kinds.isSuperset(of: ["holds", "holdExpiry"]))
    }
}
