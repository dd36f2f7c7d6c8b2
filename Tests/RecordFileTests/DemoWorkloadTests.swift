import JSON
import Testing
@testable import RecordFile

/// The demo workload's defaults never change (`governor demo`, `workload` and every
/// test built on them depend on its exact lines), and `workspaces`/`contacts`
/// spread it as documented.
struct DemoWorkloadTests {
    /// FNV-1a (64 bit) of the `governor workload` envelopes, one per line.
    private func digest(_ workload: DemoWorkload) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for line in workload {
            for byte in RecordLineWriter.envelope(line) + [UInt8(ascii: "\n")] {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        return hash
    }

    @Test func defaultsGiveTheSameLinesAsBefore() {
        // `governor workload --events 5000 --seed 9` of commit fd17b20, hashed the same way.
        #expect(digest(DemoWorkload(events: 5_000, seed: 9)) == 0xc9e1_fcdb_2381_810e)
    }

    @Test func workspacesSpreadTheLoadOverCopiesOfTheSixKinds() throws {
        let workload = DemoWorkload(events: 20_000, seed: 3, workspaces: 48)
        let configs = workload.workspaceConfigs
        #expect(configs.count == 48)
        let ids = configs.compactMap { $0["workspace_id"]?.stringValue }
        #expect(Set(ids).count == 48)
        #expect(configs[6]["workspace_id"]?.stringValue == "ws_acme_1" && configs[6]["org_id"]?.stringValue == "org_acme_1")
        #expect(configs[47]["plan"] == DemoWorkload.configs[5]["plan"])
        let lines = Array(workload)
        #expect(lines.prefix(48).allSatisfy { $0.topic == "workspace-config" })
        let inputs = lines.dropFirst(48)
        #expect(inputs.count == 20_000)
        var used: [String: Int] = [:]
        for line in inputs { used[line.key ?? "", default: 0] += 1 }
        let known = Set(ids + ["ws_unknown"])
        #expect(used.keys.allSatisfy(known.contains), "\(used.keys.filter { !known.contains($0) })")
        #expect(used.keys.filter { $0 != "ws_unknown" }.count == 48, "every workspace gets records")
        // Every record names the workspace it is keyed by (the key partitions it).
        for line in inputs.prefix(2_000) {
            guard let value = line.value, let parsed = try? JSONParser.parse(value),
                  let ws = parsed.value["workspace_id"]?.stringValue else { continue }
            #expect(ws == line.key)
        }
    }

    @Test func contactsScaleThePools() {
        func distinctContacts(_ workload: DemoWorkload) -> Int {
            var contacts = Set<String>()
            for line in workload {
                guard let value = line.value, let parsed = try? JSONParser.parse(value),
                      let contact = parsed.value["customer_id"]?.stringValue else { continue }
                contacts.insert(contact)
            }
            return contacts.count
        }
        let small = distinctContacts(DemoWorkload(events: 20_000, seed: 5, contacts: 50))
        let large = distinctContacts(DemoWorkload(events: 20_000, seed: 5, contacts: 50_000))
        #expect(small <= 60, "\(small)")
        #expect(large > 5_000, "\(large)")
    }
}
