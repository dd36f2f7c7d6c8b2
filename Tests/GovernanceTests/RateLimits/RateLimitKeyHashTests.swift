import Testing
@testable import Governance

/// `RateLimitKey`'s dictionary hash: equal keys (canonically equivalent ids included)
/// hash equal under any seed, every byte, the length and the level count, and a map
/// keyed by it finds a bucket by any equal spelling.
@Suite struct RateLimitKeyHashTests {
    static let spellings = ["", "K", "\u{212A}", "user_K", "user_\u{212A}", ";", "\u{037E}", "a;b", "a\u{037E}b", "`",
                            "\u{1FEF}", "x`", "x\u{1FEF}", "caf\u{E9}", "cafe\u{301}", "\u{212B}ngstr\u{F6}m",
                            "\u{C5}ngstro\u{308}m", "A\u{30A}ngstr\u{F6}m", "K\u{301}", "\u{212A}\u{301}", "\u{1E30}",
                            "user_18", "user_18 ", "USER_18", "ws_chat", "android", "\u{212A}\u{212A}", "KK",
                            "a very long contact id over sixteen bytes", "a very long contact id over sixteen bytez"]

    static func hash(_ key: RateLimitKey, seed: Int) -> Int { key._rawHashValue(seed: seed) }

    @Test func equalKeysHashEqual() {
        var equivalentSpellings = 0
        for seed in [0, 1, -7, 0x5EED_5EED, Int.max] {
            for level in RateLimitLevel.allCases {
                for a in Self.spellings {
                    for b in Self.spellings {
                        let x = RateLimitKey(level: level, id: a), y = RateLimitKey(level: level, id: b)
                        if x == y {
                            #expect(Self.hash(x, seed: seed) == Self.hash(y, seed: seed), "\(a.unicodeScalars.map(\.value)) \(b.unicodeScalars.map(\.value))")
                            if !a.utf8.elementsEqual(b.utf8) { equivalentSpellings += 1 }
                        } else {
                            #expect(Self.hash(x, seed: seed) != Self.hash(y, seed: seed), "\(a) \(b) seed \(seed)")
                        }
                    }
                }
            }
        }
        #expect(equivalentSpellings >= 300)  // 26 ordered pairs of different bytes, 3 levels, 5 seeds
    }

    @Test func equivalentSpellingsFindTheSameBucket() {
        var map: [RateLimitKey: Int] = [:]
        map[RateLimitKey(level: .contact, id: "user_K")] = 1
        map[RateLimitKey(level: .contact, id: "caf\u{E9}")] = 2
        map[RateLimitKey(level: .source, id: "a;b")] = 3
        #expect(map[RateLimitKey(level: .contact, id: "user_\u{212A}")] == 1)
        #expect(map[RateLimitKey(level: .contact, id: "cafe\u{301}")] == 2)
        #expect(map[RateLimitKey(level: .source, id: "a\u{037E}b")] == 3)
        #expect(map[RateLimitKey(level: .contact, id: "a;b")] == nil)
        #expect(RateLimitKey.asciiEquivalent(of: "x\u{1FEF}\u{212A}") == Array("x`K".utf8))
        #expect(RateLimitKey.asciiEquivalent(of: "caf\u{E9}") == nil)
    }

    /// Each byte position, each length and the level change the hash: ids of 0–40 bytes,
    /// each with every position changed once, all distinct per seed.
    @Test func everyByteLengthAndLevelCount() {
        for seed in [3, -99] {
            var seen = Set<Int>()
            var made = 0
            for length in 0...40 {
                let base = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
                var ids = [base]
                for position in 0..<length {
                    var changed = base
                    changed[position] = UInt8(ascii: "0") + UInt8(position % 10)
                    ids.append(changed)
                }
                for id in ids {
                    for level in RateLimitLevel.allCases {
                        seen.insert(Self.hash(RateLimitKey(level: level, id: String(decoding: id, as: UTF8.self)), seed: seed))
                        made += 1
                    }
                }
            }
            #expect(seen.count == made)
        }
    }

    /// The seed changes every hash.
    @Test func theSeedCounts() {
        for id in Self.spellings {
            let key = RateLimitKey(level: .contact, id: id)
            #expect(Self.hash(key, seed: 1) != Self.hash(key, seed: 2), "\(id)")
        }
    }
}

/// The premise of the ASCII path: the only scalars whose one-scalar string equals an
/// ASCII one are the three `asciiEquivalent(of:)` maps.
@Suite struct ASCIIEquivalentScalarTests {
    @Test func onlyThreeScalarsEqualAnASCIICharacter() {
        let ascii = Set((0..<128).map { String(UnicodeScalar(UInt8($0))) })
        var found: [UInt32] = []
        for value in UInt32(0x80)...0x10FFFF {
            guard let scalar = UnicodeScalar(value) else { continue }
            if ascii.contains(String(scalar)) { found.append(value) }
        }
        #expect(found == [0x037E, 0x1FEF, 0x212A])
        for value in found {
            #expect(RateLimitKey.asciiEquivalent(of: String(UnicodeScalar(value)!)).map { String(decoding: $0, as: UTF8.self) }
                == String(UnicodeScalar(value)!))
        }
    }
}
