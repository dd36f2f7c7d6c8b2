import Foundation
import Governance
import RecordFile
import Testing
@testable import Pipeline

/// Not a timed assertion: prints how fast and how large the checkpoint of a
/// 20,000-record workload is with `JSONEncoder`/`JSONDecoder` and with the binary
/// coder. The checkpoint is every state entry: each workspace's scalars and every
/// map entry's key and value, as `StateCheckpoint.snapshot` writes them.
@Suite struct BinaryStateCoderBenchmark {
    protocol Codec {
        func encode<T: Encodable>(_ value: T, scalarsOnly: Bool) throws -> [UInt8]
        func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T
    }

    struct JSONCodec: Codec {
        let full = JSONEncoder()
        let core = JSONEncoder()
        let decoder = JSONDecoder()
        init() {
            full.outputFormatting = [.sortedKeys]
            core.outputFormatting = [.sortedKeys]
            core.userInfo[.omitTrackedMapContents] = true
        }
        func encode<T: Encodable>(_ value: T, scalarsOnly: Bool) throws -> [UInt8] {
            Array(try (scalarsOnly ? core : full).encode(value))
        }
        func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T { try decoder.decode(type, from: Data(bytes)) }
    }

    struct BinaryCodec: Codec {
        let full = BinaryStateEncoder()
        let core = BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true])
        let decoder = BinaryStateDecoder()
        func encode<T: Encodable>(_ value: T, scalarsOnly: Bool) throws -> [UInt8] {
            try (scalarsOnly ? core : full).encode(value)
        }
        func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T { try decoder.decode(type, from: bytes) }
    }

    /// Encodes, then decodes, every entry, adding up counts, bytes and times.
    struct Measure<C: Codec>: TrackedMapVisitor {
        let codec: C
        var entries = 0
        var bytes = 0
        var encoding = Duration.zero
        var decoding = Duration.zero
        var failure: (any Error)?

        mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) {
            do {
                let clock = ContinuousClock()
                var encoded: [([UInt8], [UInt8])] = []
                encoded.reserveCapacity(map.count)
                let start = clock.now
                for (key, value) in map.storage {
                    encoded.append((try codec.encode(key, scalarsOnly: false), try codec.encode(value, scalarsOnly: false)))
                }
                let middle = clock.now
                for (key, value) in encoded {
                    _ = try codec.decode(Key.self, from: key)
                    _ = try codec.decode(Value.self, from: value)
                }
                encoding += middle - start
                decoding += clock.now - middle
                entries += encoded.count
                bytes += encoded.reduce(0) { $0 + $1.0.count + $1.1.count }
            } catch { failure = error }
        }

        mutating func measure(_ states: [WorkspaceState]) throws {
            let clock = ContinuousClock()
            for var state in states {
                let start = clock.now
                let core = try codec.encode(state, scalarsOnly: true)
                let middle = clock.now
                _ = try codec.decode(WorkspaceState.self, from: core)
                encoding += middle - start
                decoding += clock.now - middle
                entries += 1
                bytes += core.count
                state.visitMaps(&self)
            }
            if let failure { throw failure }
        }
    }

    @Test func checkpointOfTwentyThousandRecords() throws {
        var driver = StateCheckpointTests.Driver()
        for line in DemoWorkload(events: 20_000, seed: 42) { _ = driver.feed(line) }
        let states = Array(driver.engine.workspaces.states.values)
        var json = Measure(codec: JSONCodec())
        var binary = Measure(codec: BinaryCodec())
        try json.measure(states)
        try binary.measure(states)
        let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        func line(_ name: String, _ m: Measure<some Codec>) -> String {
            "\(name): encode \(Int(Double(m.entries) / seconds(m.encoding))) entries/s (\(seconds(m.encoding)) s), "
                + "decode \(Int(Double(m.entries) / seconds(m.decoding))) entries/s, \(m.bytes) bytes"
        }
        print("""
            checkpoint of DemoWorkload(events: 20_000): \(binary.entries) entries
              \(line("JSON  ", json))
              \(line("binary", binary))
              encode speed-up \(seconds(json.encoding) / seconds(binary.encoding))x, \
            decode speed-up \(seconds(json.decoding) / seconds(binary.decoding))x, \
            size \(Double(binary.bytes) / Double(json.bytes)) of JSON
            """)
        #expect(binary.entries == json.entries)
    }
}
