import Testing
@testable import Governance

@Suite struct MurmurHash3Tests {
    /// Published MurmurHash3_x86_32 vectors (SMHasher and widely cited test suites).
    @Test func matchesPublishedVectors() {
        #expect(MurmurHash3.x86_32([], seed: 0) == 0)
        #expect(MurmurHash3.x86_32([], seed: 1) == 0x514e_28b7)
        #expect(MurmurHash3.x86_32([], seed: 0xffff_ffff) == 0x81f1_6f39)
        #expect(MurmurHash3.x86_32([0xff, 0xff, 0xff, 0xff], seed: 0) == 0x7629_3b50)
        #expect(MurmurHash3.x86_32([0x21, 0x43, 0x65, 0x87], seed: 0) == 0xf55b_516b)
        #expect(MurmurHash3.x86_32([0x21, 0x43, 0x65], seed: 0) == 0x7e4a_8634)
        #expect(MurmurHash3.x86_32([0x21, 0x43], seed: 0) == 0xa0f7_b07a)
        #expect(MurmurHash3.x86_32([0x21], seed: 0) == 0x7266_1cf4)
        #expect(MurmurHash3.x86_32([0x21, 0x43, 0x65, 0x87], seed: 0x5082_edee) == 0x2362_f9de)
        #expect(MurmurHash3.x86_32("The quick brown fox jumps over the lazy dog", seed: 0x9747_b28c) == 0x2fa8_26cd)
        #expect(MurmurHash3.x86_32("hello", seed: 0) == 0x248b_fa47)
    }

    @Test func hashesTheUTF8BytesOfAString() {
        #expect(MurmurHash3.x86_32("日本", seed: 1) == MurmurHash3.x86_32(Array("日本".utf8), seed: 1))
    }
}
