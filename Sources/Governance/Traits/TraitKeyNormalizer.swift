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
