import Testing
@testable import JSON

/// A scan given `JSONKnownKeys` gives back the same members (keys, ranges,
/// compactness), nested scan and errors as one without: a known key spelled exactly
/// is the shared string, any other spelling is parsed as before.
@Suite struct KnownKeysScanTests {
    static let keys = JSONKnownKeys(["topic", "key", "timestamp_ms", "value", "value_b64"])
    static let names = JSONFieldNames(["a", "b"])

    static func outcome(_ text: [UInt8], keys: JSONKnownKeys?) -> Result<JSONMemberScan?, JSONParseError> {
        text.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in try JSONParser.scanMembers(buffer, fieldsOf: "value", names: names, keys: keys) }
        }
    }

    @Test func aScanWithKnownKeysEqualsOneWithout() {
        let spellings = [#""topic""#, #""key""#, #""timestamp_ms""#, #""value""#, #""value_b64""#, #""valu""#, #""values""#,
                         #""value_b6""#, #""\u0076alue""#, #""to\"pic""#, #""topi\u0063""#, #""keyx""#, #""ke""#, #""""#,
                         #""tópic""#, #""value"#, #""key\#u{01}""#, #""value_b64\"""#]
        let values = [#""t""#, "null", "1", #"{"a":1,"b":"x"}"#, #"{"a":[1,2],"a":2}"#, "[1,", #""x"#, "{}"]
        var rng = SplitMix(seed: 7)
        var compared = 0
        for _ in 0..<4_000 {
            let count = rng.below(5)
            var members: [String] = []
            for _ in 0..<count {
                let key = spellings[rng.below(spellings.count)]
                let value = values[rng.below(values.count)]
                members.append(key + ":" + value)
            }
            let text = Array(("{" + members.joined(separator: ",") + "}").utf8)
            let plain = Self.outcome(text, keys: nil), known = Self.outcome(text, keys: Self.keys)
            switch (plain, known) {
            case (.success(let a), .success(let b)):
                #expect(a?.members == b?.members, "\(String(decoding: text, as: UTF8.self))")
                #expect(a?.nested?.fields.map { $0?.range } == b?.nested?.fields.map { $0?.range })
                #expect(a?.nested?.isCompact == b?.nested?.isCompact && a?.nested?.depth == b?.nested?.depth)
                compared += 1
            case (.failure(let a), .failure(let b)):
                #expect(a.kind == b.kind && a.offset == b.offset && a.message == b.message)
            default:
                Issue.record("\(String(decoding: text, as: UTF8.self)): \(plain) against \(known)")
            }
        }
        #expect(compared > 500)
    }
}
