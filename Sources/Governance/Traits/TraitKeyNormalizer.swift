/// Trait keys to snake_case (SPEC §6.2), on Unicode scalars.
///
/// Scalars are classified by Unicode general category: uppercase (`Lu`, `Lt`),
/// lowercase (`Ll`), caseless letters (`Lo`, `Lm`: letters of any script),
/// digits (`Nd`, any script), combining marks (`Mn`, `Mc`, `Me`) and everything
/// else, which separates words. A mark continues the current word and takes the
/// class of the scalar it follows, so a decomposed `é` behaves as `é` and Indic
/// vowel signs do not split words; a mark with no letter or digit before it
/// (e.g. U+FE0F after an emoji) separates. Words split:
/// - at every separator (dropped);
/// - before an uppercase letter that follows a lowercase letter or digit;
/// - before an uppercase letter that follows an uppercase letter and is followed
///   by a lowercase one (the last capital of a run: `HTTPServer` → `HTTP`, `Server`).
/// A caseless letter followed by an uppercase one does not split. Words are
/// lowercased with Unicode's default (context-free) mapping and joined with `_`.
/// No Unicode normalization (NFC) is applied.
public enum TraitKeyNormalizer {
    enum Class: Equatable {
        case upper, lower, caseless, digit, mark, separator
    }

    /// The snake_case form of `key`; empty when it has no letter or digit. White
    /// space separates words, so trimming the key first changes nothing.
    public static func normalize(_ key: String) -> String {
        if isSnakeCase(key) { return key }
        if let ascii = key.utf8.withContiguousStorageIfAvailable(normalizeASCII), let ascii { return ascii }
        return normalizeScalars(key)
    }

    /// `normalize` on the key's Unicode scalars: the rules as stated, for any key.
    static func normalizeScalars(_ key: String) -> String {
        let scalars = Array(key.unicodeScalars)
        let classes = scalars.map(classify)
        var words: [String] = []
        var word = String.UnicodeScalarView()
        var previous = Class.separator
        for index in scalars.indices {
            var current = classes[index]
            switch current {
            case .separator:
                flush(&word, into: &words)
                previous = .separator
                continue
            case .mark:
                // A mark continues its base; without one (e.g. a variation
                // selector after an emoji) it separates like the emoji.
                if previous == .separator { continue }
                current = previous
            case .upper:
                if previous == .lower || previous == .digit {
                    flush(&word, into: &words)
                } else if previous == .upper, nextBase(after: index, classes) == .lower {
                    flush(&word, into: &words)
                }
            case .lower, .caseless, .digit:
                break
            }
            word.append(scalars[index])
            previous = current
        }
        flush(&word, into: &words)
        return words.joined(separator: "_")
    }

    /// `normalize` of an ASCII key, on its bytes (the rules above with ASCII's
    /// classes: no marks, no caseless letters; lowercasing is ASCII's); nil when
    /// a byte is not ASCII. The general path built a scalar array, a class array
    /// and a `String` per word (~3,500 instructions for a camelCase key).
    static func normalizeASCII(_ key: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(key.count + 4)
        var wordLength = 0
        var previous = Class.separator
        func asciiClass(_ byte: UInt8) -> Class {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): .upper
            case UInt8(ascii: "a")...UInt8(ascii: "z"): .lower
            case UInt8(ascii: "0")...UInt8(ascii: "9"): .digit
            default: .separator
            }
        }
        for index in 0..<key.count {
            let byte = key[index]
            guard byte < 0x80 else { return nil }
            let current = asciiClass(byte)
            switch current {
            case .separator:
                wordLength = 0
                previous = .separator
                continue
            case .upper:
                let next = index + 1 < key.count ? asciiClass(key[index + 1]) : .separator
                if previous == .lower || previous == .digit || (previous == .upper && next == .lower) {
                    wordLength = 0
                }
            default:
                break
            }
            if wordLength == 0, !out.isEmpty { out.append(UInt8(ascii: "_")) }
            out.append(current == .upper ? byte &+ 0x20 : byte)
            wordLength &+= 1
            previous = current
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `key` is already its own snake_case form: ASCII lowercase letters and
    /// digits in runs joined by single underscores (the common key, which the rules
    /// above leave as it is).
    static func isSnakeCase(_ key: String) -> Bool {
        var previous: UInt8 = UInt8(ascii: "_")
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "_") where previous != UInt8(ascii: "_"): break
            default: return false
            }
            previous = byte
        }
        return previous != UInt8(ascii: "_")
    }

    /// The class of the next scalar that is not a mark, or `.separator` at the end.
    private static func nextBase(after index: Int, _ classes: [Class]) -> Class {
        var next = index + 1
        while next < classes.count, classes[next] == .mark { next += 1 }
        return next < classes.count ? classes[next] : .separator
    }

    private static func flush(_ word: inout String.UnicodeScalarView, into words: inout [String]) {
        guard !word.isEmpty else { return }
        words.append(String(word).lowercased())
        word = String.UnicodeScalarView()
    }

    static func classify(_ scalar: Unicode.Scalar) -> Class {
        if scalar.isASCII {
            switch scalar.value {
            case 0x41...0x5A: return .upper
            case 0x61...0x7A: return .lower
            case 0x30...0x39: return .digit
            default: return .separator
            }
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter: return .upper
        case .lowercaseLetter: return .lower
        case .otherLetter, .modifierLetter: return .caseless
        case .decimalNumber: return .digit
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        default: return .separator
        }
    }
}
