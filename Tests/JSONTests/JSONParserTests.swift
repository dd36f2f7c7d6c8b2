import Foundation
import Testing
@testable import JSON

@Suite struct JSONParserTests {
    @Test func parsesNestedDocumentKeepingOrderAndNumberText() throws {
        let doc = try JSONParser.parse(#"{"b":1.50,"a":[true,false,null,"x"],"c":{"d":-0.5e3}}"#)
        #expect(doc.depth == 2)
        #expect(doc.value.objectValue?.keys == ["b", "a", "c"])
        #expect(doc.value["b"]?.numberValue?.text == "1.50")
        #expect(doc.value.serialized == #"{"b":1.50,"a":[true,false,null,"x"],"c":{"d":-0.5e3}}"#)
    }

    @Test func repeatedKeyKeepsFirstPositionAndLastValue() throws {
        let doc = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(doc.value.serialized == #"{"a":3,"b":2}"#)
    }

    @Test func repeatedKeysInLargeObjectsKeepFirstPositionAndLastValue() throws {
        // Past `linearKeyScanLimit` members, repeated keys are found through a hash index.
        let keys = (0..<40).map { "k\($0)" }
        let text = "{" + keys.map { "\"\($0)\":0" }.joined(separator: ",") + #","k3":1,"k39":2,"k20":3,"k3":4}"#
        let object = try #require(try JSONParser.parse(text).value.objectValue)
        #expect(object.keys == keys)
        #expect(object["k3"] == 4 && object["k39"] == 2 && object["k20"] == 3 && object["k0"] == 0)
    }

    @Test func manyDistinctKeysParseInOrder() throws {
        let keys = (0..<3_000).map { "key\($0)" }
        let text = "{" + keys.map { "\"\($0)\":true" }.joined(separator: ",") + "}"
        let object = try #require(try JSONParser.parse(text).value.objectValue)
        #expect(object.keys == keys)
    }

    @Test func decodesEscapesAndWritesNonASCIIAsUTF8() throws {
        let doc = try JSONParser.parse(#"{"s":"\u00e9\/\n\ud83d\ude00\"é"}"#)
        #expect(doc.value["s"]?.stringValue == "é/\n😀\"é")
        #expect(doc.value.serialized == "{\"s\":\"é/\\n😀\\\"é\"}")
    }

    @Test(arguments: [
        "", "{", "{\"a\"}", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "tru", "nul",
        "\"\\ud800\"", "\"\\udc00x\"", "\"a\u{01}\"", "{} x", "[1 2]", "\"\\x\"", "{'a':1}", "\u{FEFF}{}",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func reportsDepthWithTopLevelAsOne() throws {
        let ten = String(repeating: "[", count: 9) + String(repeating: "]", count: 9)
        #expect(try JSONParser.parse("{\"a\":\(ten)}").depth == 10)
        #expect(try JSONParser.parse("{\"a\":[\(ten)]}").depth == 11)
        #expect(try JSONParser.parse("1").depth == 0)
    }

    @Test func hugeNestingIsTooDeepWhenValidAndMalformedWhenNot() {
        let n = 100_000
        let valid = String(repeating: "[", count: n) + String(repeating: "]", count: n)
        #expect(throws: JSONParseError(kind: .tooDeep, message: "nested deeper than 128", offset: 128)) {
            try JSONParser.parse(valid)
        }
        let broken = String(repeating: "[", count: n) + String(repeating: "]", count: n - 1) + "}"
        do {
            _ = try JSONParser.parse(broken)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .malformed)
        }
        let deepObjects = String(repeating: "{\"k\":", count: n) + "1" + String(repeating: "}", count: n)
        do {
            _ = try JSONParser.parse(deepObjects)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .tooDeep)
        }
    }

    @Test func escapesControlCharactersWhenWriting() {
        let value: JSONValue = ["k": .string("a\u{01}b\tc\\")]
        #expect(value.serialized == #"{"k":"a\u0001b\tc\\"}"#)
    }

    /// The parser accepts and rejects what Foundation does on a corpus of
    /// generated documents, and decodes the same values.
    @Test func agreesWithFoundationOnGeneratedDocuments() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = randomDocument(&rng, depth: 0)
            let ours = try JSONParser.parse(text)
            let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            let reparsed = try JSONSerialization.jsonObject(with: Data(ours.value.serialized.utf8), options: [.fragmentsAllowed])
            let a = try JSONSerialization.data(withJSONObject: ["v": theirs], options: [.sortedKeys])
            let b = try JSONSerialization.data(withJSONObject: ["v": reparsed], options: [.sortedKeys])
            #expect(a == b, "\(text)")
        }
    }

    private func randomDocument(_ rng: inout SystemRandomNumberGenerator, depth: Int) -> String {
        let pick = depth > 4 ? Int.random(in: 0..<4, using: &rng) : Int.random(in: 0..<6, using: &rng)
        switch pick {
        case 0: return ["true", "false", "null"].randomElement(using: &rng)!
        case 1: return ["0", "-1", "12.5", "1e3", "-0.25E-2", "123456789"].randomElement(using: &rng)!
        case 2, 3:
            let pieces = ["a", "é", "\\n", "\\u0041", "\\ud83d\\ude00", "😀", " ", "\\\"", "\\\\", "\\/"]
            return "\"" + (0..<Int.random(in: 0..<5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() + "\""
        case 4:
            return "[" + (0..<Int.random(in: 0..<4, using: &rng)).map { _ in randomDocument(&rng, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            return "{" + (0..<Int.random(in: 0..<4, using: &rng)).map { i in "\"k\(i)\" : " + randomDocument(&rng, depth: depth + 1) }.joined(separator: ", ") + "}"
        }
    }
}
