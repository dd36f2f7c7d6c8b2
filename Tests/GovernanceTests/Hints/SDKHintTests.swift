import JSON
import Testing
@testable import Governance

@Suite struct SDKHintTests {
    let t0: StreamTime = 1_795_000_000_000

    @Test func theJSONHasTheSpecKeysInSpecOrder() {
        var registry = NameRegistry()
        _ = registry.admit("video_watched", cap: 3, at: t0)
        let hint = SDKHint(workspaceID: "ws_1", organizationID: "org_1", registry: registry, cap: 3, at: t0)
        let expectedFilter = BloomFilter(members: ["video_watched"]).base64
        #expect(hint.json.serialized == #"{"propertyId":"ws_1","organizationId":"org_1","eventGovernance":{"bloom_algo":"mmh3_x86_32_km","seed_a":0,"seed_b":1,"k":7,"m":1024,"bloom_b64":""# + expectedFilter + #"","remaining_new_names":2,"grace_active":false,"ttl_seconds":300}}"#)
    }

    @Test func membersAreTheRegisteredNamesOnly() {
        var registry = NameRegistry()
        _ = registry.admit("registered", cap: 1, at: t0)
        _ = registry.admit("in_grace", cap: 1, at: t0)
        let hint = SDKHint(workspaceID: "ws_1", organizationID: "org_1", registry: registry, cap: 1, at: t0)
        #expect(hint.filter == BloomFilter(members: ["registered"]))
        #expect(hint.graceActive)
        #expect(hint.remainingNewNames == 0)
        let later = SDKHint(workspaceID: "ws_1", organizationID: "org_1", registry: registry, cap: 1, at: t0 + 7 * Millis.day)
        #expect(!later.graceActive)
    }

    @Test func unlimitedHasMinusOneRemaining() {
        let hint = SDKHint(workspaceID: "w", organizationID: "o", registry: NameRegistry(), cap: nil, at: t0)
        #expect(hint.json["eventGovernance"]?["remaining_new_names"] == .int(-1))
    }
}
