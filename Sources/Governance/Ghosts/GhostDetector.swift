/// Stage 12 of SPEC §6: events that are not real customer traffic.
/// Checks bot, then smoke; the engine checks `deleted_contact` last because it
/// needs workspace state.
public struct GhostDetector: Sendable, Equatable {
    /// Substrings of a user agent (compared case-insensitively) that mark a bot.
    public var botMarkers: [String]
    /// Prefixes (case-insensitive) of an identity key or source_id that mark a smoke test.
    public var smokePrefixes: [String]

    public static let defaultBotMarkers = [
        "bot", "crawler", "spider", "slurp", "headlesschrome", "phantomjs", "python-requests", "curl/", "wget/",
        "facebookexternalhit", "lighthouse",
    ]
    public static let defaultSmokePrefixes = ["smoke_", "synthetic_", "aegis_probe_"]

    private let markerBytes: [[UInt8]]

    public init(botMarkers: [String] = GhostDetector.defaultBotMarkers,
                smokePrefixes: [String] = GhostDetector.defaultSmokePrefixes) {
        self.botMarkers = botMarkers.map { $0.lowercased() }
        self.smokePrefixes = smokePrefixes.map { $0.lowercased() }
        markerBytes = self.botMarkers.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// True when the user agent contains a bot marker. Compared on UTF-8 bytes with
    /// ASCII case folding (every marker is ASCII), which is what "case-insensitively"
    /// means for user agents and is fast enough for every event.
    public func isBot(userAgent: String?) -> Bool {
        guard let userAgent, !userAgent.isEmpty else { return false }
        var agent = userAgent
        return agent.withUTF8 { bytes in
            markerBytes.contains { Self.containsFolded(bytes, $0) }
        }
    }

    /// Whether `haystack`, ASCII-lowercased, contains `needle` (already lowercase).
    private static func containsFolded(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if lower(haystack[i]) == first {
                var j = 1
                while j < needle.count && lower(haystack[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    @inline(__always)
    private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// True for smoke traffic: identity key or source_id with a smoke prefix, or `context.synthetic`.
    public func isSmoke(contactKey: String, sourceID: String, synthetic: Bool) -> Bool {
        if synthetic { return true }
        return hasSmokePrefix(contactKey) || hasSmokePrefix(sourceID)
    }

    private func hasSmokePrefix(_ value: String) -> Bool {
        let lowered = value.lowercased()
        return smokePrefixes.contains { lowered.hasPrefix($0) }
    }
}
