/// The rate limiter's three lookups per event hashed its keys with the seeded SipHash
/// of `Hasher` (~560 instructions a lookup with the probe). Keys spelled in ASCII, which
/// is nearly all of them, are hashed here by a multiply-fold over their bytes instead,
/// keyed by the dictionary's per-instance seed (itself derived from the process's random
/// seed): still seeded, so ids chosen by senders cannot be aimed at one bucket chain
/// without the seed, but not a keyed PRF as SipHash is (a design choice: see
/// docs/BENCHMARKS.md, eighth round).
///
/// Equal keys hash equal: `String` equality is canonical equivalence, and the only
/// strings equivalent to an ASCII string are ASCII ones and those with the three
/// characters whose canonical decomposition is one ASCII character (KELVIN SIGN → K,
/// GREEK QUESTION MARK → ;, GREEK VARIA → `). Such a spelling is hashed as its ASCII
/// equivalent; any other non-ASCII id goes through `Hasher` as before.
extension RateLimitKey {
    public func _rawHashValue(seed: Int) -> Int {
        if let hash = FoldHash.ascii(of: id, seed: seed, tag: Self.tag(level)) { return hash }
        var hasher = Hasher()
        hasher.combine(seed)
        hasher.combine(level)
        hasher.combine(id)
        return hasher.finalize()
    }

    private static func tag(_ level: RateLimitLevel) -> UInt64 {
        switch level {
        case .contact: 1
        case .source: 2
        case .workspace: 3
        }
    }

    /// The ASCII string canonically equivalent to `text`, when there is one.
    static func asciiEquivalent(of text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x80: bytes.append(UInt8(scalar.value))
            case 0x212A: bytes.append(UInt8(ascii: "K"))
            case 0x037E: bytes.append(UInt8(ascii: ";"))
            case 0x1FEF: bytes.append(UInt8(ascii: "`"))
            default: return nil
            }
        }
        return bytes
    }
}

/// A seeded multiply-fold hash of short ASCII byte strings (after wyhash's folding).
enum FoldHash {
    /// The hash of an id spelled in ASCII, or canonically equivalent to an ASCII string
    /// (hashed as that string, so equal ids hash equal); nil for any other id, which the
    /// caller hashes with `Hasher`. Shared by `RateLimitKey` and `MessageKey`.
    @inline(__always)
    static func ascii(of id: String, seed: Int, tag: UInt64) -> Int? {
        let seed = UInt64(bitPattern: Int64(seed))
        if let hash = id.utf8.withContiguousStorageIfAvailable({ ascii($0, seed: seed, tag: tag) }) ?? nil {
            return Int(truncatingIfNeeded: hash)
        }
        if let equivalent = RateLimitKey.asciiEquivalent(of: id),
           let hash = equivalent.withUnsafeBufferPointer({ ascii($0, seed: seed, tag: tag) }) {
            return Int(truncatingIfNeeded: hash)
        }
        return nil
    }

    /// The hash of `bytes` under `seed` and `tag`, or nil when a byte is not ASCII.
    @inline(__always)
    static func ascii(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64, tag: UInt64) -> UInt64? {
        let count = bytes.count
        let secret = (seed ^ 0x2D35_8DCC_AA6C_78A5) | 1
        var hash = fold(seed ^ 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count), tag ^ 0x8BB8_4B93_962E_ACC9)
        var high: UInt64 = 0
        guard let base = bytes.baseAddress, count > 0 else { return fold(hash, secret) }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index &+ 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            high |= word
            hash = fold(hash ^ word ^ 0xA076_1D64_78BD_642F, secret)
            index &+= 8
        }
        if index < count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                word |= UInt64(base[index]) &<< shift
                shift &+= 8
                index &+= 1
            }
            high |= word
            hash = fold(hash ^ word ^ 0xE703_7ED1_A0B4_28DB, secret)
        }
        guard high & 0x8080_8080_8080_8080 == 0 else { return nil }
        return fold(hash ^ 0x589_965C_C753_74CC, secret)
    }

    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
