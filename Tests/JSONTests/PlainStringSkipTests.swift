import Testing
@testable import JSON

/// The eight-byte skip of plain string bytes stops exactly at the first quote,
/// backslash, control character or non-ASCII byte wherever it falls in the word:
/// strings decode, and errors are reported at the same offsets, for every position.
@Suite struct PlainStringSkipTests {
    @Test func everyPositionOfASpecialByte() throws {
        for length in 0..<24 {
            let plain = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
            for (special, decoded) in [("\\n", "\n"), ("\\\"", "\""), ("é", "é"), ("😀", "😀"), ("\\u0041", "A"), ("", "")] {
                for cut in 0...length {
                    let head = String(plain.prefix(cut)), tail = String(plain.dropFirst(cut))
                    let text = #"{"k":""# + head + special + tail + #"","n":1}"#
                    let object = try #require(JSONParser.parse(Array(text.utf8)).value.objectValue, "\(text)")
                    #expect(object["k"]?.stringValue == head + decoded + tail, "\(text)")
                    let scan = try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.scanFields($0, names: JSONFieldNames(["k", "n"])) }
                    #expect(scan.field(0)?.string(in: Array(text.utf8)) == head + decoded + tail, "\(text)")
                }
            }
            for cut in 0...length {
                let head = String(plain.prefix(cut)), tail = String(plain.dropFirst(cut))
                let text = Array((#"{"k":""# + head).utf8) + [0x01] + Array((tail + #""}"#).utf8)
                var offset: Int?
                do { _ = try JSONParser.parse(text) } catch { offset = error.offset }
                #expect(offset == 6 + cut, "control byte after \(cut) of \(length)")
            }
        }
    }
}
