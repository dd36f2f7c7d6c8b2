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
