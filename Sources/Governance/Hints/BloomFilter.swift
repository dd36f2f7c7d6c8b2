import JSON
/// The Bloom filter of the SDK hint (SPEC §7), bit for bit, so an SDK can tell locally
/// whether a name is (probably) registered.
///
/// - `k` = 7 bits per name: bit `i` is `(h1 + i·h2) mod m` with `h1`, `h2` the unsigned
///   MurmurHash3 x86_32 of the name's UTF-8 bytes under seeds 0 and 1. The sum is taken
///   without wrapping (as Python ints in mmh3-based references); since `m` is a power of
///   two ≤ 2^32 it divides 2^32, so wrapping 32-bit arithmetic gives the same bits.
/// - `m` = the smallest power of two ≥ max(1024, ⌈9.6 · members⌉), with the ceiling taken
///   exactly as `⌈48·n / 5⌉` in integers.
/// - Bit `j` is bit `j & 7` (least significant first) of byte `j >> 3`.
public struct BloomFilter: Sendable, Equatable {
    /// Bits set per name.
    public static let hashCount = 7
    /// The MurmurHash3 seeds of `h1` and `h2`.
    public static let seedA: UInt32 = 0
    public static let seedB: UInt32 = 1
    /// The smallest filter.
    public static let minimumBitCount = 1_024

    /// `m`, a power of two.
    public let bitCount: Int
    /// The `m / 8` bytes of the filter.
    public private(set) var bytes: [UInt8]

    /// An empty filter sized for `memberCount` names.
    public init(sizedFor memberCount: Int) {
        bitCount = Self.bitCount(forMemberCount: memberCount)
        bytes = [UInt8](repeating: 0, count: bitCount / 8)
    }

    /// The filter of exactly `members`, sized for their count.
    public init(members: some Collection<String>) {
        self.init(sizedFor: members.count)
        for member in members { insert(member) }
    }

    /// `m` for `n` members: the smallest power of two ≥ max(1024, ⌈48·n / 5⌉).
    public static func bitCount(forMemberCount n: Int) -> Int {
        let target = max(minimumBitCount, (48 * max(0, n) + 4) / 5)
        var m = minimumBitCount
        while m < target { m <<= 1 }
        return m
    }

    /// The `k` bit indices of `name` in a filter of `bitCount` bits, in order `i = 0..<k`.
    public static func bitIndices(of name: String, bitCount: Int) -> [Int] {
        let bytes = Array(name.utf8)
        let h1 = UInt64(MurmurHash3.x86_32(bytes, seed: seedA))
        let h2 = UInt64(MurmurHash3.x86_32(bytes, seed: seedB))
        return (0..<UInt64(hashCount)).map { i in Int((h1 + i * h2) % UInt64(bitCount)) }
    }

    /// Sets the bits of `name`.
    public mutating func insert(_ name: String) {
        for j in Self.bitIndices(of: name, bitCount: bitCount) {
            bytes[j >> 3] |= 1 << UInt8(j & 7)
        }
    }

    /// False when `name` was certainly not inserted.
    public func mightContain(_ name: String) -> Bool {
        Self.bitIndices(of: name, bitCount: bitCount).allSatisfy { bytes[$0 >> 3] & (1 << UInt8($0 & 7)) != 0 }
    }

    /// `bloom_b64`: standard padded base64 of the bytes.
    public var base64: String { Base64.encode(bytes) }
}
