import Foundation
import Testing
@testable import Governance

/// Checks the implementation against the pinned `bloom-test-vectors.json` at the repo root,
/// which `scripts/check-bloom-vectors.py` checks against PyPI mmh3.
@Suite struct BloomVectorTests {
    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("bloom-test-vectors.json")

    func vectors() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: Self.file)) as? [String: Any])
    }

    @Test func theHeaderIsTheSpecAlgorithm() throws {
        let v = try vectors()
        #expect(v["bloom_algo"] as? String == SDKHint.bloomAlgorithm)
        #expect(v["seed_a"] as? Int == Int(BloomFilter.seedA))
        #expect(v["seed_b"] as? Int == Int(BloomFilter.seedB))
        #expect(v["k"] as? Int == BloomFilter.hashCount)
    }

    @Test func everyNameHashesAndIndexesAsPinned() throws {
        let names = try #require(try vectors()["names"] as? [[String: Any]])
        #expect(names.count >= 15)
        for entry in names {
            let name = try #require(entry["name"] as? String)
            let hex = Array(name.utf8).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            #expect(hex == entry["utf8_hex"] as? String, "\(name)")
            #expect(Int(MurmurHash3.x86_32(name, seed: 0)) == entry["h1"] as? Int, "\(name)")
            #expect(Int(MurmurHash3.x86_32(name, seed: 1)) == entry["h2"] as? Int, "\(name)")
            let bits = try #require(entry["bits"] as? [String: [Int]])
            #expect(bits.count == 3)
            for (m, indices) in bits {
                #expect(BloomFilter.bitIndices(of: name, bitCount: try #require(Int(m))) == indices, "\(name) m=\(m)")
            }
        }
    }

    @Test func everyFilterIsBuiltAsPinned() throws {
        let filters = try #require(try vectors()["filters"] as? [[String: Any]])
        #expect(filters.contains { ($0["m"] as? Int ?? 0) > 1_024 })
        for entry in filters {
            let members = try #require(entry["members"] as? [String])
            let filter = BloomFilter(members: members)
            #expect(filter.bitCount == entry["m"] as? Int, "\(entry["label"] ?? "")")
            #expect(filter.base64 == entry["bloom_b64"] as? String, "\(entry["label"] ?? "")")
        }
    }
}
