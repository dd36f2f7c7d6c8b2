import Testing
@testable import Governance

/// `Text.scalarCount` and `Text.prefix`, which read eight bytes at a time, against the
/// byte loop they replaced: strings of 0–40 scalars of one to four bytes, each width at
/// every position, cut at every count.
@Suite struct TextWordsTests {
    static func countByBytes(_ s: String) -> Int { s.utf8.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) } }

    static func prefixByBytes(_ s: String, _ count: Int) -> String {
        let bytes = Array(s.utf8)
        var starts = 0
        for index in bytes.indices where bytes[index] & 0xC0 != 0x80 {
            if starts == count { return String(decoding: bytes[..<index], as: UTF8.self) }
            starts += 1
        }
        return s
    }

    static let strings: [String] = {
        var strings: [String] = []
        let widths = ["a", "é", "€", "😀"]
        for length in 0...40 {
            for other in widths {
                for position in 0..<max(length, 1) {
                    strings.append(String((0..<length).map { $0 == position ? Character(other) : "b" }))
                }
                strings.append(String(repeating: other, count: length))
            }
        }
        strings.append("e\u{301}\u{301}x" + String(repeating: "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}", count: 5))
        return strings
    }()

    @Test func scalarCountEqualsTheByteLoop() {
        for s in Self.strings {
            #expect(Text.scalarCount(s) == Self.countByBytes(s), "\(s.debugDescription)")
            #expect(Text.scalarCount(s) == s.unicodeScalars.count)
        }
    }

    @Test func prefixEqualsTheByteLoop() {
        for s in Self.strings {
            for count in 0...(s.unicodeScalars.count + 1) {
                #expect(Text.prefix(s, scalars: count) == Self.prefixByBytes(s, count), "\(s.debugDescription) \(count)")
                #expect(Array(Text.prefix(s, scalars: count).utf8) == Array(String(s.unicodeScalars.prefix(count)).utf8))
            }
        }
    }
}
