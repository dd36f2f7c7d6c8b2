/// Member keys a scan meets on most documents (a record file's envelope members), given
/// back as these very strings when a key is spelled exactly so: no string is made for
/// it (parsing and making a key cost ~200 instructions, four per envelope line).
///
/// Each key is printable ASCII without `"` or `\`, so a key whose bytes between the
/// quotes are exactly a known key's parses to that string, and the scan ends where
/// `parseString` would.
public struct JSONKnownKeys: Sendable {
    public let keys: [String]
    /// The keys' bytes back to back; key `i` is `bytes[starts[i] ..< starts[i + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int]
    /// Per key, its length and its first 16 bytes then the closing quote, as two
    /// little-endian words (zero past them; a key of 16 bytes or more has length -1 here).
    private let words: [UInt64]

    public init(_ keys: [String]) {
        precondition(keys.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C } },
                     "known keys are printable ASCII without quotes or backslashes")
        self.keys = keys
        bytes = keys.flatMap { Array($0.utf8) }
        starts = keys.reduce(into: [0]) { $0.append($0.last! + $1.utf8.count) }
        words = ShortKeyWords.table(keys.map { Array($0.utf8) + [UInt8(ascii: "\"")] })
    }

    /// At a string's opening quote `quote` of `text`: the known key spelled there (its
    /// content exactly, then the closing quote), and the index after that quote.
    @inline(__always)
    func match(in text: UnsafeBufferPointer<UInt8>, at quote: Int) -> (key: String, end: Int)? {
        matchIndex(in: text, at: quote).map { (keys[$0.index], $0.end) }
    }

    /// `match`, giving the key's index in `keys`. With 16 bytes readable after the
    /// opening quote, each key is compared as two words holding it and its closing
    /// quote (the byte loop cost ~100 instructions a key); else byte by byte.
    @inline(__always)
    func matchIndex(in text: UnsafeBufferPointer<UInt8>, at quote: Int) -> (index: Int, end: Int)? {
        #if _endian(little)
        if quote &+ 17 <= text.count, let base = text.baseAddress {
            let raw = UnsafeRawPointer(base + (quote + 1))
            let low = raw.loadUnaligned(as: UInt64.self)
            let high = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            return words.withUnsafeBufferPointer { words -> (index: Int, end: Int)? in
                var index = 0
                var at = 0
                while at < words.count {
                    let count = words[at]
                    if count <= 16 {
                        // The text's first `count` bytes, the rest zero.
                        let lowMask: UInt64 = count >= 8 ? ~0 : (1 &<< (8 &* count)) &- 1
                        let highMask: UInt64 = count >= 16 ? ~0 : count <= 8 ? 0 : (1 &<< (8 &* (count &- 8))) &- 1
                        if low & lowMask == words[at &+ 1], high & highMask == words[at &+ 2] {
                            return (index, quote &+ 1 &+ Int(count))
                        }
                    } else if let found = matchBytes(index, in: text, at: quote) {
                        return (index, found)
                    }
                    index &+= 1
                    at &+= 3
                }
                return nil
            }
        }
        #endif
        return matchBytes(in: text, at: quote)
    }

    /// The end of key `index` spelled at `quote` of `text` (after its closing quote), if it is.
    private func matchBytes(_ index: Int, in text: UnsafeBufferPointer<UInt8>, at quote: Int) -> Int? {
        let start = starts[index], count = starts[index &+ 1] &- start
        let close = quote &+ 1 &+ count
        guard close < text.count, text[close] == UInt8(ascii: "\"") else { return nil }
        for i in 0..<count where text[quote &+ 1 &+ i] != bytes[start &+ i] { return nil }
        return close &+ 1
    }

    /// `matchIndex` byte by byte.
    func matchBytes(in text: UnsafeBufferPointer<UInt8>, at quote: Int) -> (index: Int, end: Int)? {
        bytes.withUnsafeBufferPointer { all in
            starts.withUnsafeBufferPointer { starts in
                for index in 0..<(starts.count &- 1) {
                    let start = starts[index], count = starts[index &+ 1] &- start
                    let close = quote &+ 1 &+ count
                    guard close < text.count, text[close] == UInt8(ascii: "\"") else { continue }
                    var i = 0
                    while i < count && text[quote &+ 1 &+ i] == all[start &+ i] { i &+= 1 }
                    if i == count { return (index, close &+ 1) }
                }
                return nil
            }
        }
    }
}
