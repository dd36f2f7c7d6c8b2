/// Short keys as machine words: a scanned key is compared with a set of names in two
/// 64-bit compares instead of a byte loop (`JSONFieldNames.slot(of:readable:)`,
/// `JSONKnownKeys.matchIndex`).
enum ShortKeyWords {
    /// Per name, three words: its length (-1 when it is longer than 16 bytes, so it is
    /// never matched as words) and its first 16 bytes as two little-endian words, zero
    /// past its end.
    static func table(_ names: [[UInt8]]) -> [UInt64] {
        var words: [UInt64] = []
        words.reserveCapacity(names.count * 3)
        for name in names {
            var padded = [UInt8](repeating: 0, count: 16)
            for (k, byte) in name.prefix(16).enumerated() { padded[k] = byte }
            words.append(UInt64(bitPattern: Int64(name.count <= 16 ? name.count : -1)))
            for half in 0..<2 {
                words.append((0..<8).reduce(UInt64(0)) { $0 | UInt64(padded[half * 8 + $1]) << (8 * $1) })
            }
        }
        return words
    }
}
