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

    public init(_ keys: [String]) {
        precondition(keys.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C } },
                     "known keys are printable ASCII without quotes or backslashes")
        self.keys = keys
        bytes = keys.flatMap { Array($0.utf8) }
        starts = keys.reduce(into: [0]) { $0.append($0.last! + $1.utf8.count) }
    }

    /// At a string's opening quote `quote` of `text`: the known key spelled there (its
    /// content exactly, then the closing quote), and the index after that quote.
    @inline(__always)
    func match(in text: UnsafeBufferPointer<UInt8>, at quote: Int) -> (key: String, end: Int)? {
        matchIndex(in: text, at: quote).map { (keys[$0.index], $0.end) }
    }

    /// `match`, giving the key's index in `keys`.
    @inline(__always)
    func matchIndex(in text: UnsafeBufferPointer<UInt8>, at quote: Int) -> (index: Int, end: Int)? {
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
