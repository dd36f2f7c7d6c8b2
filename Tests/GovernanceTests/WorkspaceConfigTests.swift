import JSON
import Testing
@testable import Governance

@Suite struct WorkspaceConfigTests {
    private func parse(_ text: String, key: String? = nil) -> Result<WorkspaceConfig, ConfigError> {
        WorkspaceConfig.parse(Array(text.utf8), key: key)
    }

    @Test func planFiguresWithOverridesAndDefaults() throws {
        let config = try parse(#"{"workspace_id":"ws_1","org_id":"org_1","plan":"trial","limits":{"unique_event_names":3,"events_per_month":-1}}"#).get()
        #expect(config.limits.uniqueEventNames == 3)
        #expect(config.limits.eventsPerMonth == -1)
        #expect(config.limits.contactEventsPerSecond == 10)
        #expect(config.mauMode == .activeEvents && !config.consentMode && config.consentDefaultGranted)
        #expect(Plan.enterprise.defaultLimits.nameCap == nil)
        #expect(Plan.scale.defaultLimits.peakConcurrentConnections == 5_000)
    }

    @Test(arguments: [
        #"{"workspace_id":"ws_1","org_id":"org_1","plan":"trial","limits":{"unique_names":3}}"#,
        #"{"workspace_id":"ws_1","org_id":"org_1","plan":"trial","limits":{"mau_included":-2}}"#,
        #"{"workspace_id":"ws_1","org_id":"org_1","plan":"trial","limits":{"mau_included":1.5}}"#,
        #"{"workspace_id":"ws_1","org_id":"org_1","plan":"gold"}"#,
        #"{"workspace_id":"ws_1","plan":"trial"}"#,
        #"{"workspace_id":"ws_1","org_id":"org_1","plan":"trial","mau_mode":"weekly"}"#,
        #"{"workspace_id":"ws_1","org_id":"org_1","plan":"trial","consent_default":"maybe"}"#,
        #"{"workspace_id":"ws_1","org_id":"org_1","plan":"trial","schemas":{"x":{"properties":{"a":"text"}}}}"#,
        #"[1]"#, "not json",
    ])
    func invalidConfigsAreRejectedAsAWhole(_ text: String) {
        #expect(throws: ConfigError.self) { try parse(text).get() }
    }

    @Test func keyMustMatchWorkspaceID() {
        #expect(throws: ConfigError.self) {
            try parse(#"{"workspace_id":"ws_1","org_id":"o","plan":"trial"}"#, key: "ws_2").get()
        }
    }

    /// A rejected config leaves the previous one in force (SPEC §5).
    @Test func rejectedConfigKeepsThePreviousOne() {
        var run = OfflineRun(settings: EngineSettings(wallClock: { 0 }))
        var out: [OutputRecord] = []
        _ = run.feed(line: 1, topic: Topic.workspaceConfig, key: "ws_1",
                     value: Array(#"{"workspace_id":"ws_1","org_id":"o","plan":"trial","limits":{"unique_event_names":1}}"#.utf8),
                     timestamp: 1_000, into: &out)
        let rejected = run.feed(line: 2, topic: Topic.workspaceConfig, key: "ws_1",
                                value: Array(#"{"workspace_id":"ws_1","org_id":"o","plan":"growth","limits":{"bogus":1}}"#.utf8),
                                timestamp: 2_000, into: &out)
        guard case .configRejected = rejected else { Issue.record("expected a rejection"); return }
        #expect(run.engine.workspaces["ws_1"]?.config?.limits.uniqueEventNames == 1)
    }
}
