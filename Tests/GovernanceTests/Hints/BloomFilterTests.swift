import Testing
@testable import Governance

@Suite struct BloomFilterTests {
    @Test func mIsTheSmallestPowerOfTwoAtLeast1024AndNinePointSixPerMember() {
        #expect(BloomFilter.bitCount(forMemberCount: 0) == 1_024)
        #expect(BloomFilter.bitCount(forMemberCount: 106) == 1_024)  // ⌈1017.6⌉ = 1018
        #expect(BloomFilter.bitCount(forMemberCount: 107) == 2_048)  // ⌈1027.2⌉ = 1028
        #expect(BloomFilter.bitCount(forMemberCount: 213) == 2_048)  // ⌈2044.8⌉ = 2045
        #expect(BloomFilter.bitCount(forMemberCount: 214) == 4_096)  // ⌈2054.4⌉ = 2055
        #expect(BloomFilter.bitCount(forMemberCount: 10_000) == 131_072)  // 96,000
    }

    @Test func theCeilingOfNinePointSixTimesMembersIsExact() {
        // Where 9.6·n is an integer no rounding up happens; just past a power of two it doubles.
        #expect(BloomFilter.bitCount(forMemberCount: 640) == 8_192)  // 6,144 exactly
        #expect(BloomFilter.bitCount(forMemberCount: 3_413) == 32_768)  // ⌈32,764.8⌉ = 32,765
        #expect(BloomFilter.bitCount(forMemberCount: 3_414) == 65_536)  // ⌈32,774.4⌉ = 32,775
        for n in 0...5_000 {
            let m = BloomFilter.bitCount(forMemberCount: n)
            #expect(m.nonzeroBitCount == 1 && m >= 1_024 && 5 * m >= 48 * n)
            #expect(m == 1_024 || 5 * (m / 2) < 48 * n)
        }
    }

    @Test func bitsAreLSBFirstWithinEachByte() {
        var filter = BloomFilter(sizedFor: 0)
        filter.insert("")  // h1 = 0, h2 = 0x514e28b7: bits 0, 183, 366, 549, 732, 915, 74
        #expect(BloomFilter.bitIndices(of: "", bitCount: 1_024) == [0, 183, 366, 549, 732, 915, 74])
        #expect(filter.bytes[0] == 0b0000_0001)
        #expect(filter.bytes[183 >> 3] == 1 << (183 & 7))
        #expect(filter.bytes[74 >> 3] == 1 << (74 & 7))
        #expect(filter.bytes.filter { $0 != 0 }.count == 7)
    }

    @Test func noWrapAndWrappingAgreeBecauseMDivides2To32() {
        // (h1 + i·h2) exceeds 2^32 for this name; taken mod any power of two ≤ 2^32 the
        // wrapped UInt32 sum gives the same bit.
        let h1 = MurmurHash3.x86_32("ab", seed: 0)
        let h2 = MurmurHash3.x86_32("ab", seed: 1)
        for m in [1_024, 65_536, 1 << 32] {
            let wrapped = (0..<7).map { i in Int(UInt64(h1 &+ UInt32(i) &* h2) % UInt64(m)) }
            #expect(BloomFilter.bitIndices(of: "ab", bitCount: m) == wrapped)
        }
    }

    @Test func membersAreFoundAndTheEmptyFilterIsAllZeros() {
        let filter = BloomFilter(members: ["video_watched", "plan_upgraded", "日本語"])
        #expect(filter.mightContain("video_watched"))
        #expect(filter.mightContain("日本語"))
        #expect(!filter.mightContain("never_registered"))
        let empty = BloomFilter(members: [String]())
        #expect(empty.bytes == [UInt8](repeating: 0, count: 128))
        #expect(empty.base64 == String(repeating: "A", count: 171) + "=")
    }
}
