/// MurmurHash3 (Austin Appleby, public domain), the hash of the SDK hint's Bloom filter
/// (SPEC §7): what PyPI `mmh3.hash(key, seed, signed=False)` and the SDKs compute.
public enum MurmurHash3 {
    /// The 32-bit x86 variant over `bytes` with `seed`.
    public static func x86_32(_ bytes: some Collection<UInt8>, seed: UInt32) -> UInt32 {
        let c1: UInt32 = 0xcc9e_2d51
        let c2: UInt32 = 0x1b87_3593
        var h = seed
        var block: UInt32 = 0
        var filled = 0
        for byte in bytes {
            block |= UInt32(byte) << (8 * UInt32(filled))
            filled += 1
            if filled == 4 {
                h ^= mixed(block, c1, c2)
                h = rotl(h, 13) &* 5 &+ 0xe654_6b64
                block = 0
                filled = 0
            }
        }
        if filled > 0 { h ^= mixed(block, c1, c2) }
        h ^= UInt32(truncatingIfNeeded: bytes.count)
        h ^= h >> 16
        h = h &* 0x85eb_ca6b
        h ^= h >> 13
        h = h &* 0xc2b2_ae35
        h ^= h >> 16
        return h
    }

    /// The 32-bit variant over the UTF-8 bytes of `string`.
    public static func x86_32(_ string: String, seed: UInt32) -> UInt32 {
        x86_32(Array(string.utf8), seed: seed)
    }

    private static func mixed(_ k: UInt32, _ c1: UInt32, _ c2: UInt32) -> UInt32 {
        rotl(k &* c1, 15) &* c2
    }

    private static func rotl(_ x: UInt32, _ r: UInt32) -> UInt32 {
        (x << r) | (x >> (32 - r))
    }
}
