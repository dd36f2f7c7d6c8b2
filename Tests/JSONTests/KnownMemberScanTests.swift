import Testing
@testable import JSON

/// `scanKnownMembers` gives, key by key, what `scanMembers` lists: each known key's
/// count and last occurrence (range, compactness, whatever the key's spelling), the
/// number of other members, the same nested scan, and the same errors.
@Suite struct KnownMemberScanTests {
    static let keys = JSONKnownKeys(["topic", "key", "timestamp_ms", "value", "value_b64"])
    static let names = JSONFieldNames(["a", "b"])

    static func reference(_ text: [UInt8], names: JSONFieldNames?) -> Result<JSONMemberScan?, JSONParseError> {
        text.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> JSONMemberScan? in
                if let names { return try JSONParser.scanMembers(buffer, fieldsOf: "value", names: names) }
                return try JSONParser.scanMembers(buffer).map { JSONMemberScan(members: $0, nested: nil) }
            }
        }
    }

    @Test(arguments: [true, false])
    func slotsEqualTheMemberList(scanningFields: Bool) {
        let names = scanningFields ? Self.names : nil
        let spellings = [#""topic""#, #""key""#, #""timestamp_ms""#, #""value""#, #""value_b64""#, #""valu""#, #""values""#,
                         #""value_b6""#, #""\u0076alue""#, #""to\"pic""#, #""topi\u0063""#, #""keyx""#, #""ke""#, #""""#,
                         #""tópic""#, #""value"#, #""key\#u{01}""#, #""value_b64\"""#, #""\u006bey""#]
        let values = [#""t""#, "null", "1", #"{"a":1,"b":"x"}"#, #"{"a":[1,2],"a":2}"#, "[1,", #""x"#, "{}", #"{ "a":1}"#,
                      #""\u0041""#, "[]"]
        var rng = SplitMix(seed: 11)
        var slots: [JSONKnownMember] = []
        var compared = 0
        for _ in 0..<6_000 {
            var members: [String] = []
            for _ in 0..<rng.below(6) {
                members.append(spellings[rng.below(spellings.count)] + ":" + values[rng.below(values.count)])
            }
            let text = Array(("{" + members.joined(separator: ",") + "}").utf8)
            let known = text.withUnsafeBufferPointer { buffer in
                Result { () throws(JSONParseError) in
                    try JSONParser.scanKnownMembers(buffer, keys: Self.keys, into: &slots, fieldsOf: 3, names: names)
                }
            }
            let line = String(decoding: text, as: UTF8.self)
            switch (Self.reference(text, names: names), known) {
            case (.success(let list?), .success(let scan?)):
                var expected = Array(repeating: JSONKnownMember(), count: Self.keys.keys.count)
                var others = 0
                for member in list.members {
                    guard let index = Self.keys.keys.firstIndex(of: member.key) else { others += 1; continue }
                    expected[index].count += 1
                    expected[index].range = member.range
                    expected[index].isCompact = member.isCompact
                }
                #expect(slots == expected, "\(line)")
                #expect(scan.otherCount == others, "\(line)")
                #expect(list.nested?.fields.map { $0?.range } == scan.nested?.fields.map { $0?.range }, "\(line)")
                #expect(list.nested?.isCompact == scan.nested?.isCompact && list.nested?.depth == scan.nested?.depth)
                compared += 1
            case (.failure(let a), .failure(let b)):
                #expect(a.kind == b.kind && a.offset == b.offset && a.message == b.message, "\(line)")
            default:
                Issue.record("\(line): disagree")
            }
        }
        #expect(compared > 1_000)
    }

    @Test func aDocumentThatIsNotAnObjectIsNil() throws {
        var slots: [JSONKnownMember] = []
        let scan = try Array("[1]".utf8).withUnsafeBufferPointer {
            try JSONParser.scanKnownMembers($0, keys: Self.keys, into: &slots, fieldsOf: 3, names: nil)
        }
        #expect(scan == nil)
    }
}
