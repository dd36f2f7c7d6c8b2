import Testing
@testable import Governance

/// The ASCII byte path of `normalize` gives the scalar path's answer for every ASCII
/// key, and `Text`'s byte-level scalar count and prefix equal the scalar views'.
@Suite struct TraitKeyNormalizerASCIITests {
    @Test func asciiPathEqualsTheScalarPath() {
        let pieces = ["a", "B", "z", "Z", "0", "9", "_", "-", " ", ".", "$", "\t", "HTTP", "Server", "iOS", "ID", "x1", "1X",
                      "aB", "ABc", "__", "\u{7F}", "\u{0}"]
        var generator = SystemRandomNumberGenerator()
        var keys = ["firstName", "HTTPServerURL", "user_ID2go", "ABC", "A", "", "a__b", "__a__", "version2Beta", "X-Forwarded-For",
                    "already_snake", "a1B2c3", "ÀB", "camelCaseÉ"]
        for _ in 0..<20_000 {
            keys.append((0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for key in keys {
            #expect(TraitKeyNormalizer.normalize(key) == TraitKeyNormalizer.normalizeScalars(key), "\(key)")
            let ascii = key.utf8.withContiguousStorageIfAvailable(TraitKeyNormalizer.normalizeASCII) ?? nil
            if key.utf8.allSatisfy({ $0 < 0x80 }) {
                #expect(ascii == TraitKeyNormalizer.normalizeScalars(key), "\(key)")
            } else {
                #expect(ascii == nil)
            }
        }
    }

    @Test func byteLevelCountAndPrefixEqualTheScalarViews() {
        let texts = ["", "a", "é", "e\u{301}", "日本語テキスト", "😀x", String(repeating: "ab", count: 300),
                     String(repeating: "é", count: 300), String(repeating: "😀a", count: 200), "a\u{0}b"]
        for text in texts {
            #expect(Text.scalarCount(text) == text.unicodeScalars.count)
            for count in [0, 1, 2, 5, 256, 1_000] {
                #expect(Text.prefix(text, scalars: count) == String(text.unicodeScalars.prefix(count)))
                #expect(Array(Text.prefix(text, scalars: count).utf8) == Array(String(text.unicodeScalars.prefix(count)).utf8))
            }
        }
    }
}
