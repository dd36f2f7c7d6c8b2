import Governance
import Testing
@testable import Pipeline

/// The binary state coder round-trips every kind of value and container, encodes
/// equal values to equal bytes, and rejects malformed input by throwing.
@Suite struct BinaryStateCoderTests {
    let encoder = BinaryStateEncoder()
    let decoder = BinaryStateDecoder()

    func roundTrip<T: Codable & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = try encoder.encode(value)
        #expect(try decoder.decode(T.self, from: bytes) == value, sourceLocation: sourceLocation)
        #expect(try encoder.encode(decoder.decode(T.self, from: bytes)) == bytes, sourceLocation: sourceLocation)
    }

    @Test func primitives() throws {
        for value in [true, false] { try roundTrip(value) }
        for value in [0, 1, -1, 63, -64, 64, Int.min, Int.max] { try roundTrip(value) }
        for value in [Int8.min, 0, Int8.max] { try roundTrip(value) }
        for value in [Int16.min, -1, Int16.max] { try roundTrip(value) }
        for value in [Int32.min, 300, Int32.max] { try roundTrip(value) }
        for value in [Int64.min, -1_795_000_000_000, 0, Int64.max] { try roundTrip(value) }
        for value in [UInt.min, 127, 128, UInt.max] { try roundTrip(value) }
        for value in [UInt8.min, UInt8.max] { try roundTrip(value) }
        for value in [UInt16.min, UInt16.max] { try roundTrip(value) }
        for value in [UInt32.min, UInt32.max] { try roundTrip(value) }
        for value in [UInt64.min, 1 << 63, UInt64.max] { try roundTrip(value) }
        for value in [0.0, -0.0, 1.5, -.pi, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude] {
            let decoded = try decoder.decode(Double.self, from: try encoder.encode(value))
            #expect(decoded.bitPattern == value.bitPattern)
        }
        #expect(try decoder.decode(Double.self, from: try encoder.encode(Double.nan)).isNaN)
        for value: Float in [0, -0.0, 3.25, .infinity] {
            #expect(try decoder.decode(Float.self, from: try encoder.encode(value)).bitPattern == value.bitPattern)
        }
        for value in ["", "a", "héllo wörld ✓ 🎉", String(repeating: "x", count: 100_000), "nul\u{0}inside"] {
            try roundTrip(value)
        }
    }

    @Test func integersAreVarints() throws {
        #expect(try encoder.encode(Int64(0)) == [2, 0])
        #expect(try encoder.encode(Int64(-1)) == [2, 1])
        #expect(try encoder.encode(Int64(1)) == [2, 2])
        #expect(try encoder.encode(UInt64(300)) == [3, 0xAC, 0x02])
        #expect(try encoder.encode(Int64.min).count == 11)
        #expect(try encoder.encode("ab") == [3, 0x61, 0x62])
        #expect(try encoder.encode(Int?.none) == [0])
    }

    @Test func optionals() throws {
        try roundTrip(Int?.none)
        try roundTrip(Int?.some(5))
        try roundTrip(String?.some(""))
        try roundTrip([1, nil, 3] as [Int?])
        try roundTrip(["a": nil, "b": 2] as [String: Int?])
        try roundTrip(Sample?.none)
        try roundTrip(Sample?.some(.example))
    }

    @Test func collections() throws {
        try roundTrip([Int]())
        try roundTrip([[1, 2], [], [3]])
        try roundTrip(["x": [1.5], "": []] as [String: [Double]])
        try roundTrip([7: "seven", -1: "minus one"] as [Int: String])
        try roundTrip([Int64(1) << 40: Int64(3), -5: 0] as [Int64: Int64])
        try roundTrip([RateLimitKey(level: .contact, id: "c1"): 1, RateLimitKey.workspace: 2])
        try roundTrip(Set(["a", "b", "c"]))
        try roundTrip([[String: Int]]())
    }

    @Test func structsEnumsAndCustomContainers() throws {
        try roundTrip(Sample.example)
        try roundTrip([GraceState.neverOpened, .open(since: 5, lastReminder: nil), .open(since: -5, lastReminder: 9),
                       .expired(at: 1), .cleared(at: 2)])
        try roundTrip(Containers.example)
    }

    @Test func keyedContainersDecodeInAnyOrderAndKnowTheirKeys() throws {
        let bytes = try encoder.encode(Sample.example)
        let probe = try decoder.decode(KeyProbe.self, from: bytes)
        #expect(probe.keys == ["flag", "list", "name", "nothing", "number"])
        #expect(probe.containsMissing == false)
        #expect(probe.nothingIsNil)
        #expect(probe.numberFirst == Sample.example.number)
    }

    @Test func userInfoReachesEveryLevel() throws {
        var map = TrackedMap<String, Int64>()
        map["a"] = 1
        let nested = [["m": map]]
        let omitting = BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true])
        let decoded = try decoder.decode([[String: TrackedMap<String, Int64>]].self, from: omitting.encode(nested))
        #expect(decoded[0]["m"]?.isEmpty == true)
        #expect(try decoder.decode([[String: TrackedMap<String, Int64>]].self, from: encoder.encode(nested)) == nested)
    }

    @Test func codingPathsNameTheFailingValue() throws {
        let bytes = try encoder.encode(["outer": ["inner": "text"]])
        do {
            _ = try decoder.decode([String: [String: Int]].self, from: bytes)
            Issue.record("decoded text as an Int")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.map(\.stringValue) == ["outer", "inner"])
        }
    }
}
