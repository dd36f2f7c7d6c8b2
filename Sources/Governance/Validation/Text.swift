/// The two ways validation and the trait governor look at text, kept in one
/// place so that every rule counts and trims the same way:
/// - lengths are counted in Unicode scalars (code points), not bytes, UTF-16
///   units or grapheme clusters, so `"é"` precomposed is 1 and decomposed is 2;
/// - trimming removes scalars with the Unicode `White_Space` property from both
///   ends (ASCII space, tab, CR, LF, VT, FF, NEL, NBSP, U+2000–U+200A, U+2028,
///   U+2029, U+202F, U+205F, U+3000, U+1680), but not U+200B or U+FEFF.
enum Text {
    /// Whether two strings have the same UTF-8 bytes (not canonical equivalence, which `==` uses).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let same = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                guard x.count == y.count else { return false }
                for i in 0..<x.count where x[i] != y[i] { return false }
                return true
            }
        }
        if let same = same ?? nil { return same }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// The length in Unicode scalars: the UTF-8 bytes that are not continuation bytes.
    @inline(__always)
    static func scalarCount(_ s: String) -> Int {
        // Over the contiguous bytes: the view's iterator cost ~8 instructions a byte.
        let counted = s.utf8.withContiguousStorageIfAvailable(scalarCount)
        if let counted { return counted }
        var count = 0
        for byte in s.utf8 where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// `scalarCount` of UTF-8 bytes, eight at a time: a continuation byte (`10xxxxxx`) has
    /// bit 7 set and bit 6 clear, so `word & ~(word << 1)` keeps bit 7 of exactly those
    /// bytes (~1 instruction a byte where the byte loop took ~4; long trait strings).
    static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index &+ 8 <= bytes.count {
                count &+= scalarStarts(inWordAt: index, of: raw)
                index &+= 8
            }
        }
        while index < bytes.count {
            if bytes[index] & 0xC0 != 0x80 { count &+= 1 }
            index &+= 1
        }
        return count
    }

    /// How many of the eight bytes at `index` start a scalar (are not continuation bytes).
    @inline(__always)
    private static func scalarStarts(inWordAt index: Int, of raw: UnsafeRawPointer) -> Int {
        let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        return 8 &- (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
    }

    /// Whether the scalar count is above `limit`, counting only when the byte
    /// count does not settle it.
    @inline(__always)
    static func isLonger(_ s: String, than limit: Int) -> Bool {
        let bytes = s.utf8.count
        // UTF-8 needs at least one byte per scalar.
        if bytes <= limit { return false }
        return scalarCount(s) > limit
    }

    /// `s` without leading and trailing Unicode white space.
    static func trimmed(_ s: String) -> String {
        let utf8 = s.utf8
        guard let first = utf8.first, let last = utf8.last else { return s }
        // Fast path: a printable ASCII first and last byte cannot start or end white space.
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return s }
        let scalars = s.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }

    /// The first `count` scalars of `s`.
    static func prefix(_ s: String, scalars count: Int) -> String {
        // Cut at the byte where scalar `count` starts (valid UTF-8: scalars start at
        // the bytes that are not continuation bytes).
        let cut = s.utf8.withContiguousStorageIfAvailable { bytes -> String in
            var starts = 0
            var index = 0
            // Whole words whose scalars all come before the cut are counted eight bytes
            // at a time (as `scalarCount`); the word holding the cut byte by byte.
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                while index &+ 8 <= bytes.count {
                    let wordStarts = scalarStarts(inWordAt: index, of: raw)
                    guard starts &+ wordStarts <= count else { break }
                    starts &+= wordStarts
                    index &+= 8
                }
            }
            while index < bytes.count {
                if bytes[index] & 0xC0 != 0x80 {
                    if starts == count { return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<index]), as: UTF8.self) }
                    starts &+= 1
                }
                index &+= 1
            }
            return s
        }
        return cut ?? String(s.unicodeScalars.prefix(count))
    }
}
