import Testing
@testable import JSON

/// `isCompact` lets writers copy input bytes instead of serializing: it must never
/// be true for bytes that serialize differently, and `scanMembers` must accept
/// and reject exactly what `parse` does.
@Suite struct JSONCompactnessTests {
    @Test(arguments: [
        #"{"a":1,"b":[true,null,"x"],"c":{"d":-0.5e3}}"#, #""a\"b\\c\n\r\t\b\f""#, #""\u0001\u001f""#, "[]", "{}", #""é😀""#,
    ])
    func writerOutputIsCompact(_ text: String) throws {
        let document = try JSONParser.parse(text)
        #expect(document.isCompact)
        #expect(document.value.serializedBytes == Array(text.utf8))
    }

    @Test(arguments: [
        #"{"a":1,"a":2}"#, #" {}"#, #"{"a": 1}"#, "[1 ,2]", #""\/""#, #""\u0041""#, #""\u001F""#, #""\u000a""#,
        #""\ud83d\ude00""#, "{}\n",
    ])
    func otherSpellingsAreNotCompact(_ text: String) throws {
        let document = try JSONParser.parse(text)
        #expect(!document.isCompact)
        #expect(document.value.serializedBytes != Array(text.utf8))
    }

    /// On generated documents with random spacing, repeated keys and escapes:
    /// compact means the bytes are the serialization; the serialization is always
    /// compact; `scanMembers` agrees with `parse` on validity, keys and compactness.
    @Test func compactnessAndMemberScanAgreeWithParseOnGeneratedDocuments() throws {
        var rng = SplitMix(seed: 7)
        var compactSeen = 0
        for _ in 0..<5_000 {
            let text = Array(randomObject(&rng, depth: 0).utf8)
            let parsed = try? JSONParser.parse(text)
            let scanned = try? text.withUnsafeBufferPointer { try JSONParser.scanMembers($0) }
            #expect((parsed == nil) == (scanned == nil), "\(String(decoding: text, as: UTF8.self))")
            guard let parsed, let members = scanned ?? nil else { continue }
            if parsed.isCompact {
                compactSeen += 1
                #expect(parsed.value.serializedBytes == text)
            }
            let serialized = parsed.value.serializedBytes
            #expect(try JSONParser.parse(serialized).isCompact)
            var distinct: [String] = []
            for member in members where !distinct.contains(member.key) { distinct.append(member.key) }
            #expect(parsed.value.objectValue?.keys == distinct)
            for member in members {
                let slice = Array(text[member.range])
                let value = try JSONParser.parse(slice)
                #expect(member.isCompact == value.isCompact, "\(String(decoding: slice, as: UTF8.self))")
            }
        }
        #expect(compactSeen > 100)
    }

    @Test func scanRejectsWhatParseRejects() throws {
        for text in [#"{"a":1,}"#, #"{"a":"\x"}"#, #"{"a":[1 2]}"#, #"{"a":1} x"#, #"{"a":"\u{01}"}"#,
                     "{\"a\":" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"] {
            let bytes = Array(text.utf8)
            #expect(throws: JSONParseError.self) { try bytes.withUnsafeBufferPointer { try JSONParser.scanMembers($0) } }
            #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        }
        #expect(try Array("[1]".utf8).withUnsafeBufferPointer { try JSONParser.scanMembers($0) } == nil)
    }

    private func randomObject(_ rng: inout SplitMix, depth: Int) -> String {
        let count = rng.below(depth == 0 ? 6 : 4)
        let keys = ["a", "b", "c", "k\\n", "é", "a"]
        let members = (0..<count).map { _ in
            "\"" + keys[rng.below(keys.count)] + "\"" + space(&rng) + ":" + space(&rng) + randomValue(&rng, depth: depth + 1)
        }
        return space(&rng) + "{" + members.joined(separator: "," + space(&rng)) + "}" + space(&rng)
    }

    private func randomValue(_ rng: inout SplitMix, depth: Int) -> String {
        switch rng.below(depth > 3 ? 3 : 6) {
        case 0: return ["true", "false", "null", "0", "-1.50", "1e3"][rng.below(6)]
        case 1, 2:
            let pieces = ["a", "é", "\\n", "\\u0041", "\\u0001", "\\u001F", "\\ud83d\\ude00", "😀", "\\\"", "\\\\", "\\/", "\\t"]
            return "\"" + (0..<rng.below(4)).map { _ in pieces[rng.below(pieces.count)] }.joined() + "\""
        case 3: return "[" + (0..<rng.below(3)).map { _ in randomValue(&rng, depth: depth + 1) }.joined(separator: "," + space(&rng)) + "]"
        default: return randomObject(&rng, depth: depth)
        }
    }

    /// Mostly nothing, sometimes whitespace, so that a good share of documents are compact.
    private func space(_ rng: inout SplitMix) -> String { rng.below(12) == 0 ? [" ", "\n", "\t"][rng.below(3)] : "" }
}

/// A seeded generator, so a failure reproduces.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func below(_ n: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(n))
    }
}
