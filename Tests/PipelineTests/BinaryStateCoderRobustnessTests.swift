import Governance
import RecordFile
import Testing
@testable import Pipeline

/// Equal values encode to equal bytes however their dictionaries were built, and
/// malformed input throws instead of crashing or allocating without bound.
@Suite struct BinaryStateCoderRobustnessTests {
    let encoder = BinaryStateEncoder()
    let decoder = BinaryStateDecoder()

    /// Every kind of dictionary the state holds: String-, Int64- and struct-keyed, a
    /// set, and a `TrackedMap`.
    struct Bag: Codable, Equatable {
        var byName: [String: Int64] = [:]
        var byNumber: [Int64: [String]] = [:]
        var byKey: [RateLimitKey: Int64] = [:]
        var names: Set<String> = []
        var tracked = TrackedMap<RateLimitKey, Int64>()
    }

    func bag(count: Int, reversed: Bool) -> Bag {
        var bag = Bag()
        if reversed { bag.byName.reserveCapacity(count * 4) }
        let order = reversed ? Array((0..<count).reversed()) : Array(0..<count)
        for i in order {
            bag.byName["name-\(i)"] = Int64(i)
            bag.byNumber[Int64(i) * 3_600_000] = ["a\(i)", "b\(i)"]
            bag.byKey[RateLimitKey(level: i % 2 == 0 ? .contact : .source, id: "id-\(i)")] = Int64(-i)
            bag.names.insert("n\(i)")
            bag.tracked[RateLimitKey(level: .contact, id: "t\(i)")] = Int64(i)
        }
        return bag
    }

    @Test func equalValuesEncodeToEqualBytes() throws {
        let forward = bag(count: 2_000, reversed: false)
        let backward = bag(count: 2_000, reversed: true)
        #expect(forward == backward)
        // The test means something only if the two iterate differently.
        #expect(Array(forward.byName.keys) != Array(backward.byName.keys))
        let bytes = try encoder.encode(forward)
        #expect(try encoder.encode(backward) == bytes)
        #expect(try decoder.decode(Bag.self, from: bytes) == forward)
    }

    @Test func everyTruncationThrows() throws {
        let bytes = try encoder.encode(bag(count: 20, reversed: false))
        for length in 0..<bytes.count {
            #expect(throws: DecodingError.self) { try decoder.decode(Bag.self, from: Array(bytes.prefix(length))) }
        }
        #expect(throws: DecodingError.self) { try decoder.decode(Bag.self, from: bytes + [0]) }
    }

    @Test func randomBytesNeverCrash() {
        var random = SplitMix64(seed: 99)
        var thrown = 0
        for _ in 0..<5_000 {
            let bytes = (0..<random.below(64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            do { _ = try decoder.decode(Bag.self, from: bytes) } catch is DecodingError { thrown += 1 } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(thrown > 4_900)
    }

    @Test func corruptedBytesOfRealValuesNeverCrash() throws {
        let bytes = try encoder.encode(bag(count: 10, reversed: false))
        var random = SplitMix64(seed: 5)
        for _ in 0..<5_000 {
            var broken = bytes
            for _ in 0...random.below(4) { broken[random.below(broken.count)] = UInt8(truncatingIfNeeded: random.next()) }
            _ = try? decoder.decode(Bag.self, from: broken)
        }
    }

    @Test func hugeLengthsThrowWithoutAllocating() {
        let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
        // A string claiming 2^63 bytes.
        #expect(throws: DecodingError.self) { try decoder.decode(String.self, from: huge + [1, 2]) }
        // A container payload claiming 2^63 entries (Dictionary reserves its count).
        #expect(throws: DecodingError.self) { try decoder.decode([Int: Int].self, from: [10] + huge) }
        #expect(throws: DecodingError.self) { try decoder.decode([RateLimitKey: Int].self, from: [10] + huge) }
        #expect(throws: DecodingError.self) { try decoder.decode([Int].self, from: [10] + huge) }
        // A varint longer than 64 bits.
        #expect(throws: DecodingError.self) { try decoder.decode(UInt64.self, from: [12] + Array(repeating: 0xFF, count: 10) + [0x01]) }
        // Values out of their type's range, invalid UTF-8 and Bool.
        #expect(throws: DecodingError.self) { try decoder.decode(UInt8.self, from: try encoder.encode(UInt64(256))) }
        #expect(throws: DecodingError.self) { try decoder.decode(Int8.self, from: try encoder.encode(-129)) }
        #expect(throws: DecodingError.self) { try decoder.decode(String.self, from: [3, 0xC3, 0x28]) }
        #expect(throws: DecodingError.self) { try decoder.decode(Bool.self, from: [2, 2]) }
        #expect(throws: DecodingError.self) { try decoder.decode(Int.self, from: [0]) }
        #expect(throws: DecodingError.self) { try decoder.decode(Int.self, from: []) }
    }
}
