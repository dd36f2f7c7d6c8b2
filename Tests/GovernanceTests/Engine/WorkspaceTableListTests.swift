import Testing
@testable import Governance

/// `WorkspaceTable` finds a workspace among its first slots by comparing ids before it
/// hashes: with up to 8 and more than 8 workspaces, canonically equivalent spellings
/// (NFC / NFD), unknown ids and focus changes, it answers as a dictionary keyed by id.
@Suite struct WorkspaceTableListTests {
    @Test func findsAsTheDictionaryDoes() {
        let ids = ["ws_a", "ws_b", "caf\u{E9}", "ws_\u{212B}", "a_much_longer_workspace_identifier_0", "ws_f", "ws_g", "ws_h",
                   "ws_i", "ws_j", "re\u{301}sum\u{E9}"]
        let probes = ids + ["cafe\u{301}", "ws_\u{C5}", "ws_A\u{30A}", "r\u{E9}sume\u{301}", "ws_z", "", "ws_", "ws_aa",
                            "a_much_longer_workspace_identifier_1"]
        for count in [0, 1, 3, 8, 9, 11] {
            var table = WorkspaceTable()
            var reference: [String: String] = [:]
            for id in ids.prefix(count) {
                table.set(WorkspaceState(workspaceID: id, dedupMaxEntries: 10))
                reference[id] = id
            }
            for (round, probe) in (probes + probes.reversed()).enumerated() {
                if round % 3 == 0 { table.focus(on: probe) }
                #expect(table.contains(probe) == (reference[probe] != nil), "\(count) \(Array(probe.unicodeScalars))")
                #expect(table[probe]?.workspaceID == reference[probe], "\(count) \(Array(probe.unicodeScalars))")
            }
        }
    }
}
