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
}
