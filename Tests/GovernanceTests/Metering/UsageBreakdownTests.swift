import Foundation
import Testing
@testable import Governance

/// `UsageBreakdown` keeps `accepted` beside the other reasons' dictionary; what it
/// answers, compares and encodes is that of one dictionary of every reason.
@Suite struct UsageBreakdownTests {
    static let reasons = ["accepted", "duplicate", "bot", "rate_limit", "malformed_json", "consent_expired", "accepted"]

    @Test func countsTotalsAndCodingEqualOneDictionary() throws {
        var state: UInt64 = 3
        func below(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for round in 0..<200 {
            var breakdown = UsageBreakdown()
            var counts: [String: Int64] = [:]
            var settlements: Int64 = 0
            for _ in 0..<below(12) {
                let reason = Self.reasons[below(Self.reasons.count)]
                let settlement = below(4) == 0
                if reason == "accepted" && below(2) == 0 {
                    breakdown.addAccepted(settlement: settlement)
                } else {
                    breakdown.add(reason, settlement: settlement)
                }
                counts[reason, default: 0] += 1
                if settlement { settlements += 1 }
            }
            #expect(breakdown.counts == counts, "round \(round)")
            #expect(breakdown.settlements == settlements)
            #expect(breakdown.rawEvents == counts.values.reduce(0, +) - settlements)
            for reasons in [UsageBreakdown.validationReasons, UsageBreakdown.ghostReasons, ["accepted", "bot"]] {
                #expect(breakdown.total(of: reasons) == counts.filter { reasons.contains($0.key) }.values.reduce(0, +))
            }
            // Coded as {"counts": every reason, "settlements": n}; decoded, equal.
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let bytes = try encoder.encode(breakdown)
            #expect(try encoder.encode(Reference(counts: counts, settlements: settlements)) == bytes)
            let decoded = try JSONDecoder().decode(UsageBreakdown.self, from: bytes)
            #expect(decoded == breakdown && decoded.counts == counts)
            #expect(try encoder.encode(decoded) == bytes)
        }
    }

    /// The synthesized coding of the one-dictionary breakdown.
    struct Reference: Codable {
        var counts: [String: Int64]
        var settlements: Int64
    }

    @Test func anAcceptedCountOnlyAfterTheFirstAccepted() {
        var breakdown = UsageBreakdown()
        breakdown.add("bot", settlement: false)
        #expect(breakdown.counts == ["bot": 1])
        var other = breakdown
        other.addAccepted(settlement: false)
        #expect(other != breakdown && other.counts == ["bot": 1, "accepted": 1])
        breakdown.add("accepted", settlement: false)
        #expect(other == breakdown)
    }
}
