import Testing
@testable import Governance

/// A workspace's config versions are asked for again only when the source's
/// `versionsGeneration` changed (`WorkspaceDerived`): a version added later, for the
/// workspace or another, still applies before the workspace's next record.
@Suite struct ConfigGenerationTests {
    static let t: StreamTime = 1_795_000_000_000

    static func config(_ workspaceID: String, schema: Bool) throws -> WorkspaceConfig {
        let schemas = schema ? #","schemas":{"order_completed":{"required":["order_id"]}}"# : ""
        let text = #"{"workspace_id":""# + workspaceID + #"","org_id":"org","plan":"growth""# + schemas + "}"
        return try WorkspaceConfig.parse(Array(text.utf8), key: workspaceID).get()
    }

    static func order(_ id: Int, workspace: String) -> InputRecord {
        let text = #"{"message_id":"m\#(id)","workspace_id":""# + workspace
            + #"","source_id":"web","type":"track","event":"order_completed","customer_id":"u1"}"#
        return InputRecord(origin: Origin(topic: Topic.rawEvents, partition: 0, offset: Int64(id)), key: workspace,
                           value: Array(text.utf8), timestamp: t + Int64(id))
    }

    @Test func versionsAddedLaterApplyBeforeTheNextRecord() throws {
        var engine = GovernanceEngine(settings: EngineSettings(wallClock: { 0 }))
        var configs = InOrderConfigTable()
        var out: [OutputRecord] = []
        func verdict(_ id: Int, _ workspace: String) -> Verdict {
            engine.process(Self.order(id, workspace: workspace), configs: configs, into: &out)
        }
        configs.add(ConfigVersion(sequence: 1, timestamp: Self.t, config: try Self.config("ws_a", schema: false)))
        configs.add(ConfigVersion(sequence: 2, timestamp: Self.t, config: try Self.config("ws_b", schema: false)))
        #expect(verdict(1, "ws_a").kind == .accepted)
        #expect(verdict(2, "ws_b").kind == .accepted)
        #expect(verdict(3, "ws_a").kind == .accepted)  // nothing new: answered from the slot
        // A version of ws_a: its schema requires `order_id`, which the orders lack.
        configs.add(ConfigVersion(sequence: 3, timestamp: Self.t, config: try Self.config("ws_a", schema: true)))
        #expect(verdict(4, "ws_a").reason == "schema_mismatch")
        #expect(verdict(5, "ws_b").kind == .accepted)
        // A version of another workspace: ws_a asks again, finds nothing newer, keeps its own.
        configs.add(ConfigVersion(sequence: 4, timestamp: Self.t, config: try Self.config("ws_b", schema: true)))
        #expect(verdict(6, "ws_a").reason == "schema_mismatch")
        #expect(verdict(7, "ws_b").reason == "schema_mismatch")
        // A restored state (an older config) drops what was derived from the one it replaces.
        var restored = WorkspaceState(workspaceID: "ws_a", dedupMaxEntries: 1000)
        restored.applied = ConfigVersion(sequence: 1, timestamp: Self.t, config: try Self.config("ws_a", schema: false))
        engine.restore(restored)
        #expect(verdict(8, "ws_a").reason == "schema_mismatch")  // version 3 applied again
        #expect(engine.workspaces[existing: "ws_a"].applied?.sequence == 3)
    }
}
