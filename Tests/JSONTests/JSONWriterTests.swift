import Foundation
import Testing
@testable import JSON

/// The writer's word-at-a-time string scan and its stack-buffer integers write
/// what the plain definitions say, wherever a special byte falls in a word.
@Suite struct JSONWriterTests {
    /// The escaping rules of `JSONWriter`, one byte at a time.
    static func reference(_ string: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for b in string.utf8 {
            switch b {
            case 0x22: out += Array(#"\""#.utf8)
            case 0x5C: out += Array(#"\\"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0x08: out += Array(#"\b"#.utf8)
            case 0x0C: out += Array(#"\f"#.utf8)
            case 0..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
            default: out.append(b)
            }
        }
        out.append(0x22)
        return out
    }

    @Test func stringsEscapeEverySpecialByteAtEveryPosition() {
        let specials: [String] = ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\t", "é", "\u{7F}", " ", "中", "\u{0C}"]
        for length in 0...20 {
            for position in 0..<max(length, 1) {
                for special in specials {
                    var scalars = Array(repeating: "a", count: length)
                    if length > 0 { scalars[position] = special }
                    let string = scalars.joined()
                    var writer = JSONWriter()
                    writer.writeString(string)
                    #expect(writer.bytes == Self.reference(string), "\(Array(string.utf8))")
                }
            }
        }
    }

    @Test func integersAreTheirDecimalText() {
        for value: Int64 in [0, 1, -1, 9, 10, -10, 99, 100, 1_795_000_000_000, .max, .min, .min + 1, -1_234_567_890_123] {
            var writer = JSONWriter()
            writer.writeInt(value)
            #expect(writer.bytes == Array(String(value).utf8))
        }
        // Two digits per division: every value near a power of ten, and -1000 … 1000.
        var values = Array(Int64(-1000)...1000)
        var power: Int64 = 1
        for _ in 0..<18 {  // 10 … 10^18 (10^19 is over Int64.max)
            power *= 10
            values += [power - 1, power, power + 1, -(power - 1), -power, -(power + 1)]
        }
        for value in values {
            var writer = JSONWriter()
            writer.writeInt(value)
            #expect(writer.bytes == Array(String(value).utf8))
        }
    }

    /// Strings written after other text, into a writer that must grow, with no special
    /// byte (the one-copy path), one or several (the run-by-run path), of 0 … 70 bytes,
    /// small and heap strings, ASCII and not.
    @Test func stringsAfterOtherTextAndThroughGrowthEqualTheReference() {
        var strings: [String] = []
        for length in 0...70 {
            let plain = String(repeating: "ab", count: length / 2 + 1).prefix(length)
            strings.append(String(plain))
            strings.append(String(plain) + "\"")
            strings.append("é" + String(plain))
            if length > 2 {
                var scalars = Array(plain).map(String.init)
                scalars[length / 2] = "\n"
                scalars[length - 1] = "\\"
                strings.append(scalars.joined())
                strings.append(String(plain.dropLast()) + "\u{1F}")
            }
        }
        var writer = JSONWriter(capacity: 16)
        var expected: [UInt8] = []
        for string in strings {
            writer.writeRaw("[")
            writer.writeString(string)
            expected.append(UInt8(ascii: "["))
            expected += Self.reference(string)
            var alone = JSONWriter(capacity: 1)
            alone.writeString(string)
            #expect(alone.bytes == Self.reference(string), "\(Array(string.utf8))")
        }
        #expect(writer.bytes == expected)
    }
}
