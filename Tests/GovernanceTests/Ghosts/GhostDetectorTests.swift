import Testing
@testable import Governance

/// Stage 12's smoke rule: an identity key or source_id starts with a smoke prefix,
/// compared case-insensitively (`lowercased().hasPrefix`, the definition the byte-wise
/// path for ASCII values must agree with).
@Suite struct GhostDetectorTests {
    static let values = [
        "", "s", "smoke", "smoke_", "SMOKE_1", "Smoke_x", "smokE_é", "synthetic_", "Synthetic_user", "synthetic",
        "AEGIS_PROBE_7", "aegis_probe", "xsmoke_", " smoke_", "smoke-1", "smoke_\r\n", "\r\nsmoke_", "ſmoke_",
        "SMOKE_İ", "\u{212A}", "smoke\u{301}_", "smoke_\u{301}", "sm\u{0}oke_", "synthetic_😀", "aegis_probe_\u{7F}",
    ]

    static func reference(_ value: String, _ prefixes: [String]) -> Bool {
        let lowered = value.lowercased()
        return prefixes.map { $0.lowercased() }.contains { lowered.hasPrefix($0) }
    }

    @Test(arguments: [GhostDetector.defaultSmokePrefixes, ["", "x"], ["Smoke_", "K"], ["\u{212A}", "smoke_"],
                      ["ab\r", "smoke_"], ["é_"]])
    func smokePrefixesAgreeWithLowercasedHasPrefix(prefixes: [String]) {
        let detector = GhostDetector(smokePrefixes: prefixes)
        for key in Self.values {
            for source in ["web", "Smoke_web", key] {
                #expect(detector.isSmoke(contactKey: key, sourceID: source, synthetic: false)
                    == (Self.reference(key, prefixes) || Self.reference(source, prefixes)),
                    "key \(key.debugDescription) source \(source.debugDescription) prefixes \(prefixes)")
            }
            #expect(detector.isSmoke(contactKey: key, sourceID: "web", synthetic: true))
        }
    }
}
