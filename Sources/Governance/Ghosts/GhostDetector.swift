/// Stage 12 of SPEC §6: events that are not real customer traffic.
/// Checks bot, then smoke; the engine checks `deleted_contact` last because it
/// needs workspace state.
public struct GhostDetector: Sendable, Equatable {
    /// Substrings of a user agent (compared case-insensitively) that mark a bot.
    public private(set) var botMarkers: [String]
    /// Prefixes (case-insensitive) of an identity key or source_id that mark a smoke test.
    public private(set) var smokePrefixes: [String]

    public static let defaultBotMarkers = [
        "bot", "crawler", "spider", "slurp", "headlesschrome", "phantomjs", "python-requests", "curl/", "wget/",
        "facebookexternalhit", "lighthouse",
    ]
    public static let defaultSmokePrefixes = ["smoke_", "synthetic_", "aegis_probe_"]

    /// For each (lowercase) byte, the markers starting with it, so one pass over the
    /// user agent tries only the markers its byte can start.
    private let markersByFirstByte: [[[UInt8]]]
    /// Per byte of a user agent (as is, not lowered): whether some marker can start
    /// with it. Most bytes cannot, and the flag is read without touching the marker
    /// lists (reading a list retained and released it: ~20 instructions per byte).
    private let startsMarker: [Bool]
    /// The smoke prefixes as bytes when every one is printable ASCII, nil otherwise.
    /// Then for an ASCII value, comparing bytes with ASCII case folding gives the answer
    /// of `lowercased().hasPrefix` (ASCII lowercases to ASCII, and the only ASCII
    /// grapheme of two scalars, CR LF, cannot end a printable prefix) without the
    /// lowercased copy and the grapheme-wise comparison.
    private let asciiSmokePrefixes: [[UInt8]]?

    public init(botMarkers: [String] = GhostDetector.defaultBotMarkers,
                smokePrefixes: [String] = GhostDetector.defaultSmokePrefixes) {
        self.botMarkers = botMarkers.map { $0.lowercased() }
        self.smokePrefixes = smokePrefixes.map { $0.lowercased() }
        var byFirst = [[[UInt8]]](repeating: [], count: 256)
        for marker in self.botMarkers.map({ Array($0.utf8) }) where !marker.isEmpty { byFirst[Int(marker[0])].append(marker) }
        markersByFirstByte = byFirst
        startsMarker = (0..<256).map { !byFirst[Int(Self.lower(UInt8($0)))].isEmpty }
        let prefixBytes = self.smokePrefixes.map { Array($0.utf8) }
        asciiSmokePrefixes = prefixBytes.allSatisfy { $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F } } ? prefixBytes : nil
    }

    /// True when the user agent contains a bot marker. Compared on UTF-8 bytes with
    /// ASCII case folding (every marker is ASCII), which is what "case-insensitively"
    /// means for user agents and is fast enough for every event.
    public func isBot(userAgent: String?) -> Bool {
        guard var agent = userAgent else { return false }
        return agent.withUTF8 { isBot(utf8: $0) }
    }

    /// `isBot(userAgent:)` of an event's context, on the user agent's bytes.
    func isBot(_ context: EventContext) -> Bool {
        context.withUserAgentUTF8 { isBot(utf8: $0) } ?? false
    }

    private func isBot(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        startsMarker.withUnsafeBufferPointer { starts in
            for i in 0..<bytes.count where starts[Int(bytes[i])] {
                for marker in markersByFirstByte[Int(Self.lower(bytes[i]))] where Self.matchesFolded(bytes, at: i, marker) {
                    return true
                }
            }
            return false
        }
    }

    /// Whether `haystack`, ASCII-lowercased, holds `needle` (already lowercase) at `start`.
    @inline(__always)
    private static func matchesFolded(_ haystack: UnsafeBufferPointer<UInt8>, at start: Int, _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count - start else { return false }
        var j = 1
        while j < needle.count && lower(haystack[start + j]) == needle[j] { j += 1 }
        return j == needle.count
    }

    @inline(__always)
    private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// True for smoke traffic: identity key or source_id with a smoke prefix, or `context.synthetic`.
    public func isSmoke(contactKey: String, sourceID: String, synthetic: Bool) -> Bool {
        if synthetic { return true }
        return hasSmokePrefix(contactKey) || hasSmokePrefix(sourceID)
    }

    private func hasSmokePrefix(_ value: String) -> Bool {
        if let prefixes = asciiSmokePrefixes {
            var value = value
            let answer: Bool? = value.withUTF8 { bytes in
                for byte in bytes where byte >= 0x80 { return nil }
                return prefixes.contains { prefix in
                    prefix.count <= bytes.count && prefix.indices.allSatisfy { Self.lower(bytes[$0]) == prefix[$0] }
                }
            }
            if let answer { return answer }
        }
        let lowered = value.lowercased()
        return smokePrefixes.contains { lowered.hasPrefix($0) }
    }
}
