import Testing
@testable import Governance

/// A plain ASCII `context.user_agent` is kept as the value's bytes (no string made):
/// it reads, compares, hashes and is checked for bots exactly as the text would be.
@Suite struct UserAgentBytesTests {
    static func event(userAgent: String) throws -> RawEvent {
        let text = #"{"message_id":"m1","workspace_id":"ws","source_id":"web","type":"track","event":"e","customer_id":"u","#
            + #""context":{"user_agent":"# + userAgent + "}}"
        return try EventValidator.validate(value: Array(text.utf8), key: nil).get()
    }

    @Test(arguments: [
        (#""Mozilla/5.0 (compatible; Googlebot/2.1)""#, "Mozilla/5.0 (compatible; Googlebot/2.1)", true),
        (#""Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0""#, "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", false),
        (#""CURL/8.0""#, "CURL/8.0", true),
        (#""Caf\u00e9 Crawler""#, "Café Crawler", true),  // escaped: decoded as before
        (#""Café""#, "Café", false),  // non-ASCII: a string as before
        (#""""#, "", false),
    ])
    func readsComparesAndChecksAsText(json: String, text: String, bot: Bool) throws {
        let event = try Self.event(userAgent: json)
        #expect(event.context.userAgent == text)
        let asText = EventContext(userAgent: text)
        #expect(event.context == asText)
        #expect(event.context.hashValue == asText.hashValue)
        #expect(event.context != EventContext(userAgent: text + "x"))
        let ghosts = GhostDetector()
        #expect(ghosts.isBot(event.context) == bot)
        #expect(ghosts.isBot(asText) == bot)
        #expect(ghosts.isBot(userAgent: text) == bot)
    }

    @Test func anAbsentOrNullUserAgentIsNone() throws {
        let ghosts = GhostDetector()
        let event = try Self.event(userAgent: "null")
        #expect(event.context.userAgent == nil && !ghosts.isBot(event.context))
        var context = EventContext(userAgent: "bot")
        context.userAgent = nil
        #expect(context == EventContext() && !ghosts.isBot(context))
    }
}
