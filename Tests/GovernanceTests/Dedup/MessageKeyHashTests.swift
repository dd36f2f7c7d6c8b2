import Testing
@testable import Governance

/// `MessageKey`'s dictionary hash: equal ids (canonically equivalent spellings included)
/// hash equal under any seed, different ids differ, and the dedup window finds an id by
/// any equivalent spelling.
@Suite struct MessageKeyHashTests {
    @Test func equalKeysHashEqualAndOthersDiffer() {
        var equivalentSpellings = 0
        for seed in [0, 1, -7, 0x5EED_5EED, Int.max] {
            for a in RateLimitKeyHashTests.spellings {
                for b in RateLimitKeyHashTests.spellings {
                    let x = MessageKey(a), y = MessageKey(b)
                    if x == y {
                        #expect(x._rawHashValue(seed: seed) == y._rawHashValue(seed: seed), "\(a.unicodeScalars.map(\.value)) \(b.unicodeScalars.map(\.value))")
                        if !a.utf8.elementsEqual(b.utf8) { equivalentSpellings += 1 }
                    } else {
                        #expect(x._rawHashValue(seed: seed) != y._rawHashValue(seed: seed), "\(a) \(b) seed \(seed)")
                    }
                }
            }
        }
        #expect(equivalentSpellings >= 100)
    }

    @Test func theWindowFindsAnIdByAnyEquivalentSpelling() {
        var window = DedupWindow()
        window.record("msg_K", at: 1_795_000_000_000)
        window.record("caf\u{E9}", at: 1_795_000_000_000)
        #expect(window.isDuplicate("msg_\u{212A}", at: 1_795_000_000_001))
        #expect(window.isDuplicate("cafe\u{301}", at: 1_795_000_000_001))
        #expect(!window.isDuplicate("msg_k", at: 1_795_000_000_001))
        window.record("msg_\u{212A}", at: 1_795_000_000_002)  // a duplicate: not entered again
        #expect(window.count == 2)
    }
}
