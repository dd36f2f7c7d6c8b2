import Testing
@testable import JSON

/// A known key matched by words (`JSONKnownKeys.matchIndex`) against the byte by byte
/// match (`matchBytes`): the same key and end for every key spelled exactly, with any
/// one byte changed, cut short, made longer or without its closing quote, and with the
/// text after it from 0 to 20 bytes (so compared by words and by bytes).
@Suite struct KnownKeyWordsTests {
    static let names = ["topic", "key", "timestamp_ms", "value", "value_b64", "", "a", "abcdefg", "abcdefgh",
                        "fifteen_bytes_x", "sixteen_bytes_xx", "seventeen_bytes_x"]

    @Test func wordsMatchWhatBytesMatch() {
        let keys = JSONKnownKeys(Self.names)
        var spellings: [[UInt8]] = []
        for name in Self.names {
            let bytes = Array(name.utf8)
            spellings.append(bytes + [0x22])
            spellings.append(bytes)  // no closing quote
            spellings.append(bytes + [UInt8(ascii: "x"), 0x22])
            if !bytes.isEmpty { spellings.append(bytes.dropLast() + [0x22]) }
            for position in bytes.indices {
                var changed = bytes
                changed[position] ^= 0x20
                spellings.append(changed + [0x22])
            }
        }
        var matched = 0
        for spelling in spellings {
            for after in 0...20 {
                let text = [0x22] + spelling + [UInt8](repeating: UInt8(ascii: ":"), count: after)
                let words = text.withUnsafeBufferPointer { keys.matchIndex(in: $0, at: 0) }
                let bytes = text.withUnsafeBufferPointer { keys.matchBytes(in: $0, at: 0) }
                #expect(words?.index == bytes?.index && words?.end == bytes?.end, "\(text)")
                if bytes != nil { matched += 1 }
            }
        }
        #expect(matched >= Self.names.count * 21)
        // Each name spelled exactly is its own index, ending after its closing quote.
        for (index, name) in Self.names.enumerated() {
            for after in [0, 20] {
                let text = [0x22] + Array(name.utf8) + [0x22] + [UInt8](repeating: 0, count: after)
                let found = text.withUnsafeBufferPointer { keys.matchIndex(in: $0, at: 0) }
                #expect(found?.index == index && found?.end == name.utf8.count + 2, "\(name) \(after)")
            }
        }
    }
}
