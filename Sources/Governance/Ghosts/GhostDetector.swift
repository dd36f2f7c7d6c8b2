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

    public init(botMarkers: [String] = GhostDetector.defaultBotMarkers,
                smokePrefixes: [String] = GhostDetector.defaultSmokePrefixes) {
        self.botMarkers = botMarkers.map { $0.lowercased() }
        self.smokePrefixes = smokePrefixes.map { $0.lowercased() }
    }

    /// True when the user agent contains a bot marker.
    public func isBot(userAgent: String?) -> Bool {
        guard let userAgent, !userAgent.isEmpty else { return false }
        let lowered = userAgent.lowercased()
        return botMarkers.contains { lowered.contains($0) }
    }

    /// True for smoke traffic: identity key or source_id with a smoke prefix, or `context.synthetic`.
    public func isSmoke(contactKey: String, sourceId: String, synthetic: Bool) -> Bool {
        if synthetic { return true }
        return hasSmokePrefix(contactKey) || hasSmokePrefix(sourceId)
    }

    private func hasSmokePrefix(_ value: String) -> Bool {
        let lowered = value.lowercased()
        return smokePrefixes.contains { lowered.hasPrefix($0) }
    }
}
