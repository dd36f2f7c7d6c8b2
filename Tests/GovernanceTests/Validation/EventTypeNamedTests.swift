import Testing
@testable import Governance

/// The fast type lookup answers as `EventType(rawValue:)`, and `Text.sameBytes`
/// compares bytes, not canonical equivalence.
@Suite struct EventTypeNamedTests {
    @Test func namedEqualsRawValueLookup() {
        var texts = EventType.allCases.map(\.rawValue)
        texts += ["", "Track", "TRACK", "tracks", "trac", "pag", "pages", "Page", "screem", "scree", "deletf", "delet", "aliaz",
                  "alia", "grou", "groups", "gaias", "consenT", "consen", "identifY", "identif", "connectioN", "connections",
                  "tr\u{0430}ck", "pagé", "group\u{0}", " page", "page ", "ident\u{0301}", "xxxxx", "sxxxxx", "zzzzzzzzzz"]
        for text in texts {
            #expect(EventType.named(text) == EventType(rawValue: text), "\(text)")
        }
    }

    @Test func sameBytesIsByteEquality() {
        #expect(Text.sameBytes("ws_acme", "ws_acme"))
        #expect(Text.sameBytes("", ""))
        #expect(!Text.sameBytes("ws_acme", "ws_acmf"))
        #expect(!Text.sameBytes("ws_acme", "ws_acme "))
        #expect(!Text.sameBytes("caf\u{E9}", "cafe\u{301}"))  // equal as Strings, not as bytes
        #expect("caf\u{E9}" == "cafe\u{301}")
        let long = String(repeating: "w", count: 40)
        #expect(Text.sameBytes(long + "é", long + "é"))
        #expect(!Text.sameBytes(long + "\u{E9}", long + "e\u{301}"))
    }

    /// The lookup on a string's bytes answers as the lookup on the string, for every
    /// name, every one-byte change of each name, and lengths around them; and an event
    /// whose type is spelled plainly or with escapes validates to the same type.
    @Test func namedOnBytesEqualsNamedOnText() throws {
        var texts = EventType.allCases.map(\.rawValue) + ["", "x", "Track", "tracks", "trac", "pagé", " page", "zzzzzzzzzz"]
        for name in EventType.allCases.map(\.rawValue) {
            let bytes = Array(name.utf8)
            for index in bytes.indices {
                for replacement in [UInt8(ascii: "a"), UInt8(ascii: "z"), bytes[index] ^ 0x20, bytes[index] &+ 1] {
                    var changed = bytes
                    changed[index] = replacement
                    texts.append(String(decoding: changed, as: UTF8.self))
                }
            }
            texts.append(String(name.dropLast()))
            texts.append(name + "s")
        }
        for text in texts {
            let onBytes = Array(text.utf8).withUnsafeBufferPointer { EventType.named(utf8: $0) }
            #expect(onBytes == EventType.named(text), "\(text)")
        }
        for type in EventType.allCases {
            let escaped = String(type.rawValue.dropFirst())
            for spelling in [type.rawValue, "\\u00\(String(type.rawValue.utf8.first!, radix: 16))" + escaped] {
                let text = #"{"message_id":"m","workspace_id":"w","source_id":"s","type":"\#(spelling)","event":"e","#
                    + #""customer_id":"c","context":{"connection_id":"k"}}"#
                let event = try EventValidator.validate(value: Array(text.utf8), key: nil).get()
                #expect(event.type == type, "\(spelling)")
            }
        }
    }
}
