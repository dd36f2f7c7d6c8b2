import Foundation
@testable import Governance
import Testing
@testable import Pipeline

/// The `BinaryStateEncodable` fast path writes the generic `Codable` path's bytes for
/// every conforming type, on its own, nested in containers and with NFC strings.
@Suite struct BinaryStateEncodableTests {
    let encoder = BinaryStateEncoder()
    let canonical = BinaryStateEncoder(userInfo: [.canonicalStrings: true])
    let decoder = BinaryStateDecoder()

    static let extremes: [Int64] = [0, 1, -1, 63, -64, 64, 1_795_000_000_000, -1_795_000_000_000, Int64.min, Int64.max]

    static var buckets: [TokenBucket] {
        var all = [TokenBucket(ratePerSecond: 5, at: 1_795_000_000_000), TokenBucket(ratePerSecond: 0, at: 0)]
        var taken = TokenBucket(ratePerSecond: 2, at: 1_795_000_000_000)
        taken.take(ratePerSecond: 2)
        all.append(taken)
        for tokens in extremes {
            for time in [Int64.min, -1, 0, 1_795_000_000_000, Int64.max] {
                let json = #"{"milliTokens":\#(tokens),"lastUpdate":\#(time)}"#
                all.append(try! JSONDecoder().decode(TokenBucket.self, from: Data(json.utf8)))
            }
        }
        return all
    }

    static var consents: [ContactConsent] {
        var all: [ContactConsent] = []
        let flags: [Bool?] = [nil, false, true]
        for analytics in flags {
            for marketing in flags {
                for functional in flags {
                    for recordedAt in [nil, 0, -1, 1_795_000_000_000, Int64.max] as [Int64?] {
                        all.append(ContactConsent(analytics: analytics, marketing: marketing, functional: functional, recordedAt: recordedAt))
                    }
                }
            }
        }
        return all
    }

    static var keys: [RateLimitKey] {
        // "é" precomposed and decomposed; a long id makes the slot header two bytes.
        let ids = ["", "c_1", "caf\u{E9}", "cafe\u{301}", "🎉 contact", String(repeating: "x", count: 127),
                   String(repeating: "y", count: 300), String(repeating: "z", count: 20_000)]
        return RateLimitLevel.allCases.flatMap { level in ids.map { RateLimitKey(level: level, id: $0) } } + [.workspace]
    }

    func expectSameBytes<T: BinaryStateEncodable & Codable & Equatable>(_ values: [T], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!values.isEmpty, sourceLocation: sourceLocation)
        for value in values {
            let generic = try value.genericBinaryState()
            let fast = try encoder.encode(value)
            #expect(fast == generic, "\(value)", sourceLocation: sourceLocation)
            #expect(try decoder.decode(T.self, from: fast) == value, sourceLocation: sourceLocation)
            let canonicalGeneric = try value.genericBinaryState(userInfo: [.canonicalStrings: true])
            #expect(try canonical.encode(value) == canonicalGeneric, "\(value)", sourceLocation: sourceLocation)
            // Appended after a prefix, as changelog keys are.
            var prefixed: [UInt8] = [7, 7, 7]
            try encoder.encode(value, into: &prefixed)
            #expect(prefixed == [7, 7, 7] + generic, sourceLocation: sourceLocation)
        }
    }

    /// Holds with and without a key, NFC and NFD keys and topics, values from empty to
    /// long enough for two- and three-byte slot headers, every category.
    static var heldEvents: [HeldEvents<HeldRecord>] {
        let keys: [String?] = [nil, "", "c_1", "caf\u{E9}", "cafe\u{301}"]
        let values: [[UInt8]] = [[], Array("{}".utf8), Array(repeating: 0x41, count: 100), (0..<20_000).map { UInt8($0 % 251) }]
        var all: [HeldEvents<HeldRecord>] = [HeldEvents()]
        var events = HeldEvents<HeldRecord>()
        var id: Int64 = 0
        for key in keys {
            for value in values {
                for category in ConsentCategory.allCases {
                    id += 1
                    let origin = Origin(topic: id % 2 == 0 ? "raw-events" : "t\u{E9}", partition: Int32(id % 3) - 1, offset: id * 1_000_003)
                    events.hold(HeldRecord(origin: origin, key: key, value: value, timestamp: 1_795_000_000_000 - id),
                                category: category, at: Self.extremes[Int(id) % Self.extremes.count], id: id)
                    all.append(events)
                }
            }
        }
        return all
    }

    @Test func heldEventsAsTheGenericPath() throws {
        let generic = BinaryStateEncoder(userInfo: [.genericBinaryState: true])
        let canonicalGeneric = BinaryStateEncoder(userInfo: [.canonicalStrings: true, .genericBinaryState: true])
        for events in Self.heldEvents {
            #expect(try encoder.encode(events) == generic.encode(events))
            #expect(try canonical.encode(events) == canonicalGeneric.encode(events))
            #expect(try decoder.decode(HeldEvents<HeldRecord>.self, from: encoder.encode(events)) == events)
        }
    }

    /// Time-bucket entries (hold and identified expiry): empty, one, and enough for a
    /// long slot header, with NFC and NFD contacts.
    @Test func timeBucketEntriesAsTheGenericPath() throws {
        let generic = BinaryStateEncoder(userInfo: [.genericBinaryState: true])
        let canonicalGeneric = BinaryStateEncoder(userInfo: [.canonicalStrings: true, .genericBinaryState: true])
        let contacts = ["", "c_1", "caf\u{E9}", "cafe\u{301}", String(repeating: "x", count: 300)]
        for count in [0, 1, 2, 20, 500] {
            let entries = (0..<count).map { TimeBucketQueue<String>.Entry(time: Self.extremes[$0 % Self.extremes.count], element: contacts[$0 % contacts.count]) }
            #expect(try encoder.encode(entries) == generic.encode(entries))
            #expect(try canonical.encode(entries) == canonicalGeneric.encode(entries))
            #expect(try decoder.decode([TimeBucketQueue<String>.Entry].self, from: encoder.encode(entries)) == entries)
        }
    }

    /// Dedup segments: empty-ish to full (a long slot header), NFC and NFD ids, extreme times.
    @Test func dedupSegmentsAsTheGenericPath() throws {
        let ids = ["", "m_1", "caf\u{E9}", "cafe\u{301}", String(repeating: "x", count: 300)]
        var window = DedupWindow(maxEntries: 10_000, allowedLateness: 0)
        for i in 0..<700 { window.record(ids[i % ids.count] + "\(i)", at: 1_795_000_000_000 + Int64(i / 600) * Millis.minute) }
        var extreme = DedupWindow(maxEntries: 10_000, allowedLateness: 0)
        for (i, t) in Self.extremes.enumerated() { extreme.record("e\(i)", at: t) }
        let segments = Array(window.segments.values) + Array(extreme.segments.values)
        #expect(segments.contains { $0.count == DedupWindow.segmentCapacity })
        try expectSameBytes(segments)
    }

    /// A segment of the largest ids a valid stream can make (512 ids of ~512 bytes: the
    /// longest `message_id` validation lets through is 128 characters of up to four bytes),
    /// at the most distant time, is one changelog value well under the producer's
    /// `message.max.bytes` (1,000,000).
    @Test func aFullSegmentOfTheLongestIDsFitsOneKafkaRecord() throws {
        var window = DedupWindow(maxEntries: 10_000, allowedLateness: 0)
        let longest = String(repeating: "\u{1F600}", count: 127)
        for i in 0..<DedupWindow.segmentCapacity { window.record(longest + "\(i % 10)\(i / 10 % 10)\(i / 100)", at: Int64.max - 1) }
        let segments = Array(window.segments.values)
        #expect(segments.map(\.count).max() == DedupWindow.segmentCapacity)
        for segment in segments { #expect(try encoder.encode(segment).count < 400_000) }
    }

    @Test func tokenBucketsAsTheGenericPath() throws { try expectSameBytes(Self.buckets) }

    @Test func consentsAsTheGenericPath() throws { try expectSameBytes(Self.consents) }

    @Test func rateLimitKeysAsTheGenericPath() throws { try expectSameBytes(Self.keys) }

    /// NFC and NFD spellings of one id encode to one key when strings are canonical,
    /// as the generic path's keyed container spells them.
    @Test func canonicalIDsAreOneKey() throws {
        let composed = RateLimitKey(level: .contact, id: "caf\u{E9}")
        let decomposed = RateLimitKey(level: .contact, id: "cafe\u{301}")
        #expect(try canonical.encode(composed) == canonical.encode(decomposed))
        #expect(try encoder.encode(composed) != encoder.encode(decomposed))
    }

    /// Nested in the containers the state maps use (optionals, arrays, a dictionary
    /// sorted by its entries' bytes): the same bytes as values whose own encoding is
    /// generic, and a round trip.
    @Test func nestedValuesAsTheGenericPath() throws {
        let buckets = Self.buckets
        let map = Dictionary(zip(Self.keys, buckets), uniquingKeysWith: { first, _ in first })
        let fastMap = try encoder.encode(map)
        let genericMap = try encoder.encode(Dictionary(uniqueKeysWithValues: map.map { (Generic($0.key), Generic($0.value)) }))
        #expect(fastMap == genericMap)
        #expect(try decoder.decode([RateLimitKey: TokenBucket].self, from: fastMap) == map)

        let consents = Self.consents.map { $0 as ContactConsent? } + [nil]
        #expect(try encoder.encode(consents) == encoder.encode(consents.map { $0.map { Generic($0) } }))
        #expect(try decoder.decode([ContactConsent?].self, from: encoder.encode(consents)) == consents)
    }
}

/// Encodes its value through the value's own `encode(to:)`: not `BinaryStateEncodable`,
/// so the encoder takes the generic path for it.
private struct Generic<Value: Codable & Equatable>: Codable, Equatable {
    let value: Value
    init(_ value: Value) { self.value = value }
    init(from decoder: any Decoder) throws { value = try Value(from: decoder) }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension Generic: Hashable where Value: Hashable {}

extension BinaryStateEncodable where Self: Encodable {
    /// The generic path's bytes: `encode(to:)` with the encoder's own `BinaryEncoding`.
    func genericBinaryState(userInfo: [CodingUserInfoKey: Any] = [:]) throws -> [UInt8] {
        let child = BinaryEncoding(parent: nil, key: nil, userInfo: userInfo)
        try self.encode(to: child)
        var out: [UInt8] = []
        child.finish(into: &out)
        return out
    }
}
