import Testing
@testable import JSON

/// `scanMembers(_:fieldsOf:names:)` checks a document as `scanMembers` does and hands
/// on the named member's field scan exactly as `scanFields` over that value's bytes
/// gives it: a record file's envelope scan stands for validation's scan.
@Suite struct NestedFieldScanTests {
    static let names = JSONFieldNames(["a", "b", "é", "k\n", "missing"])

    @Test func nestedScanEqualsTheScanOfTheValueOnGeneratedEnvelopes() throws {
        var rng = SplitMix(seed: 11)
        var nestedSeen = 0
        for round in 0..<5_000 {
            let value = Self.randomObject(&rng, depth: 0)
            let text = Array((round % 7 == 0
                ? #"{"value":"# + value + #","topic":"t"}"#
                : #"{"topic":"t","key":null,"value":"# + value + "}").utf8)
            let plain = try? text.withUnsafeBufferPointer { try JSONParser.scanMembers($0) }
            let nested = try? text.withUnsafeBufferPointer { try JSONParser.scanMembers($0, fieldsOf: "value", names: Self.names) }
            #expect((plain == nil) == (nested == nil), "\(String(decoding: text, as: UTF8.self))")
            guard let members = plain ?? nil, let scan = nested ?? nil else { continue }
            #expect(scan.members.map(\.key) == members.map(\.key))
            #expect(scan.members.map(\.range) == members.map(\.range))
            guard let member = members.last(where: { $0.key == "value" }) else { continue }
            let bytes = Array(text[member.range])
            let alone = try bytes.withUnsafeBufferPointer { try JSONParser.scanFields($0, names: Self.names) }
            guard alone.kind == .object else {
                #expect(scan.nested == nil)
                continue
            }
            let inner = try #require(scan.nested)
            nestedSeen += 1
            #expect(inner.isScan(for: Self.names, of: bytes.count))
            #expect(!inner.isScan(for: JSONFieldNames(["a", "b", "é", "k\n", "missing"]), of: bytes.count))
            #expect(!inner.isScan(for: Self.names, of: bytes.count + 1))
            #expect(inner.depth == alone.depth && inner.isCompact == alone.isCompact)
            #expect(scan.members.last(where: { $0.key == "value" })?.isCompact == alone.isCompact)
            #expect(inner.fields.count == alone.fields.count)
            for (mine, theirs) in zip(inner.fields, alone.fields) {
                #expect(mine?.kind == theirs?.kind && mine?.range == theirs?.range && mine?.bool == theirs?.bool)
                #expect(mine?.string(in: bytes) == theirs?.string(in: bytes))
            }
        }
        #expect(nestedSeen > 1_000)
    }

    /// The envelope's own depth counts: a value nested 128 deep is one level too deep
    /// inside an envelope, as `scanMembers` finds; errors are at the envelope's offsets.
    @Test func depthAndErrorsAreTheEnvelopes() throws {
        func envelope(valueDepth: Int) -> [UInt8] {
            let open = String(repeating: #"{"a":"#, count: valueDepth - 1) + "{}"
            return Array((#"{"topic":"t","value":"# + open + String(repeating: "}", count: valueDepth - 1) + "}").utf8)
        }
        for depth in [127, 128, 129] {
            let text = envelope(valueDepth: depth)
            let plain = Self.outcome(text) { (buffer) throws(JSONParseError) in try JSONParser.scanMembers(buffer) }
            let nested = Self.outcome(text) { (buffer) throws(JSONParseError) in
                try JSONParser.scanMembers(buffer, fieldsOf: "value", names: Self.names)
            }
            switch (plain, nested) {
            case (.success, .success(let scan)): #expect(depth == 127 && scan?.nested?.depth == 127)
            case (.failure(let a), .failure(let b)): #expect(depth > 127 && a.kind == b.kind && a.kind == .tooDeep)
            default: Issue.record("depth \(depth): \(plain) against \(nested)")
            }
        }
        for text in [#"{"topic":"t","value":{"a":[1 2]}}"#, #"{"topic":"t","value":{"a":"\x"}}"#, #"{"topic":"t","value":{"a":1,}}"#,
                     #"{"topic":"t","value":{"a":1}"#, #"{"topic":"t","value":{"a":"\#u{01}"}}"#] {
            let bytes = Array(text.utf8)
            var parseError: JSONParseError?
            do { _ = try JSONParser.parse(bytes) } catch { parseError = error }
            var nestedError: JSONParseError?
            if case .failure(let error) = Self.outcome(bytes, { (buffer) throws(JSONParseError) in
                try JSONParser.scanMembers(buffer, fieldsOf: "value", names: Self.names)
            }) { nestedError = error }
            #expect(parseError != nil && nestedError?.offset == parseError?.offset, "\(text)")
        }
    }

    static let withNested = JSONFieldNames(["a", "b", "é", "k\n", "missing"], nestedFieldsOf: "a",
                                           names: JSONFieldNames(["b", "c", "é", "k\n", "missing"]))
    static let innerNames = JSONFieldNames(["b", "c", "é", "k\n", "missing"])

    /// Names with a nested member check a document exactly as names without (the same
    /// errors at the same offsets, depth, compactness, fields), and the nested fields
    /// are `scanFields` of the member's last occurrence, moved by where it starts.
    @Test func nestedMemberFieldsEqualTheScanOfTheMember() throws {
        var rng = SplitMix(seed: 23)
        var nestedSeen = 0
        var texts: [String] = (0..<12_000).map { _ in Self.randomObject(&rng, depth: 0) }
        let twenty = (0..<20).map { #""k\#($0)":1"# }.joined(separator: ",")
        texts += [#"{"a":{"# + twenty + #"}}"#, #"{"a":{"b":1,"# + twenty + #","b":2}}"#, #"{"a":{"b":"x"},"a":1}"#,
                  #"{"a":1,"a":{"b":"x"}}"#, #"{"a":{"b":"x"},"a":{"c":true}}"#, #"{"a":{"b":{"c":[1,{"d":2}]},"c":"\u00e9"}}"#,
                  #"{"a":{"\u0062":"esc","b":"last"}}"#, #"{"a":{"b":"x",}}"#, #"{"a":{"b" "x"}}"#, #"{"a":{"c":tru}}"#,
                  #"{"a":{"b":"\ud800"}}"#, #"{"a": {"b": 1}}"#, #"{"a":{}}"#, "{\"a\":{\"b\":\"\u{01}\"}}"]
        for depth in [125, 126, 127, 128, 129, 200] {
            texts.append(#"{"b":1,"a":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}")
            texts.append(#"{"a":{"c":"# + String(repeating: #"{"x":"#, count: depth) + "1" + String(repeating: "}", count: depth) + "}}")
            texts.append(#"{"a":{"c":"# + String(repeating: "[", count: depth) + "1 2" + String(repeating: "]", count: depth) + "}}")
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let plain = Self.outcome(bytes) { (buffer) throws(JSONParseError) in try JSONParser.scanFields(buffer, names: Self.names) }
            let nested = Self.outcome(bytes) { (buffer) throws(JSONParseError) in try JSONParser.scanFields(buffer, names: Self.withNested) }
            switch (plain, nested) {
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "\(text)")
            case (.success(let a), .success(let b)):
                #expect(a.kind == b.kind && a.depth == b.depth && a.isCompact == b.isCompact, "\(text)")
                #expect(a.fields.count == b.fields.count)
                for (x, y) in zip(a.fields, b.fields) {
                    #expect(x?.kind == y?.kind && x?.range == y?.range && x?.bool == y?.bool, "\(text)")
                    #expect(x?.string(in: bytes) == y?.string(in: bytes))
                }
                guard let member = a.field(0), member.kind == .object else {
                    #expect(b.nestedFields == nil && !b.hasNestedFields && b.nestedField(0) == nil, "\(text)")
                    continue
                }
                nestedSeen += 1
                let memberBytes = Array(bytes[member.range])
                let alone = try memberBytes.withUnsafeBufferPointer { try JSONParser.scanFields($0, names: Self.innerNames) }
                let mine = try #require(b.nestedFields, "\(text)")
                #expect(mine.count == alone.fields.count)
                for (x, y) in zip(mine, alone.fields) {
                    #expect(x?.kind == y?.kind && x?.bool == y?.bool, "\(text)")
                    #expect(x?.range == y.map { $0.range.lowerBound + member.range.lowerBound ..< $0.range.upperBound + member.range.lowerBound })
                    #expect(x?.string(in: bytes) == y?.string(in: memberBytes), "\(text)")
                }
            default:
                Issue.record("\(text): \(plain) against \(nested)")
            }
        }
        #expect(nestedSeen > 1_000)
    }

    private static func outcome<T>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> T)
        -> Result<T, JSONParseError> {
        bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONParseError) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
    }

    private static func randomObject(_ rng: inout SplitMix, depth: Int) -> String {
        let count = rng.below(depth == 0 ? 8 : 4)
        let keys = ["a", "b", "c", "k\\n", "é", "\\u00e9", "a", "missing", "b"]
        let members = (0..<count).map { _ in
            "\"" + keys[rng.below(keys.count)] + "\"" + space(&rng) + ":" + space(&rng) + randomValue(&rng, depth: depth + 1)
        }
        return "{" + members.joined(separator: "," + space(&rng)) + "}"
    }

    private static func randomValue(_ rng: inout SplitMix, depth: Int) -> String {
        switch rng.below(depth > 3 ? 3 : 6) {
        case 0: return ["true", "false", "null", "0", "-1.50", "1e3", "01", "tru"][rng.below(rng.below(20) == 0 ? 8 : 6)]
        case 1, 2:
            let pieces = ["a", "é", "\\n", "\\u0041", "\\u0001", "\\ud83d\\ude00", "😀", "\\\"", "\\/", "\\t", "\\ud83d"]
            return "\"" + (0..<rng.below(4)).map { _ in pieces[rng.below(pieces.count)] }.joined() + "\""
        case 3: return "[" + (0..<rng.below(3)).map { _ in randomValue(&rng, depth: depth + 1) }.joined(separator: ",") + "]"
        default: return randomObject(&rng, depth: depth)
        }
    }

    private static func space(_ rng: inout SplitMix) -> String { rng.below(12) == 0 ? [" ", "\n", "\t"][rng.below(3)] : "" }
}
