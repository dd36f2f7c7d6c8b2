import Testing
@testable import JSON

/// `String(checkedASCII:)` (scanned strings without a second UTF-8 validation) gives
/// the text `String(decoding:as:)` gives, across the small-string bound (15 bytes).
@Suite struct CheckedASCIITests {
    @Test func equalsDecodingForEveryLengthAroundTheSmallStringBound() {
        var rng = SplitMix(seed: 5)
        for length in 0...48 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8(rng.below(128)) }
                let text = bytes.withUnsafeBufferPointer { String(checkedASCII: $0) }
                #expect(text == String(decoding: bytes, as: UTF8.self))
                #expect(Array(text.utf8) == bytes)
                #expect(text.utf8.count == length)
            }
        }
    }

    @Test func scannedStringsAreTheParsersStrings() throws {
        let texts = [#"{"a":"plain","b":"a-longer-plain-string-of-forty-bytes-xx","c":"é","d":"tab\there","e":""}"#]
        for text in texts {
            let bytes = Array(text.utf8)
            let object = try #require(JSONParser.parse(bytes).value.objectValue)
            let scan = try bytes.withUnsafeBufferPointer {
                try JSONParser.scanFields($0, names: JSONFieldNames(["a", "b", "c", "d", "e"]))
            }
            for (slot, key) in ["a", "b", "c", "d", "e"].enumerated() {
                #expect(scan.field(slot)?.string(in: bytes) == object[key]?.stringValue, "\(key)")
            }
        }
    }
}
