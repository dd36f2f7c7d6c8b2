import Governance
import Kafka
import Testing
@testable import Pipeline

/// Records processed again after a crash see the `workspace-config` versions the cut-off
/// attempt saw, not the versions the config reader has reached since (issue 11).
@Suite struct ConfigPinningTests {
    private let t0: Int64 = 1_795_000_000_000

    private func config(_ limit: Int, offset: Int64) -> ConfigVersion {
        let json = #"{"workspace_id":"ws_o","org_id":"org_o","plan":"trial","limits":{"messages_per_contact_per_day":\#(limit)}}"#
        guard case .success(let config) = WorkspaceConfig.parse(Array(json.utf8), key: "ws_o") else { fatalError("bad config") }
        return ConfigVersion(sequence: offset, timestamp: t0, config: config)
    }

    private func outbound(_ offset: Int64) -> KafkaMessage {
        let json = #"{"message_id":"m\#(offset)","workspace_id":"ws_o","contact_key":"c1","channel":"email"}"#
        return KafkaMessage(topic: Topic.outboundMessages, partition: 0, offset: offset, key: Array("ws_o".utf8),
                            value: Array(json.utf8), timestampMs: t0 + 10 + offset)
    }

    private func task(replaying clocks: [AttemptClock] = []) -> PartitionTask {
        PartitionTask(partition: 0, engine: GovernanceEngine(settings: EngineSettings(wallClock: { 5 })), org: OrgStage(),
                      nextOffsets: [:], nextAttempt: 1, discarded: [], bytesSinceSnapshot: 0, replayClocks: clocks)
    }

    @Test func aReplayedAttemptSeesTheConfigVersionsOfTheFirstAttempt() throws {
        // The first attempt ran while the reader had read one config (limit 1) on
        // config partition 3; then a second version (unlimited, same timestamp) was read.
        var before = PositionedConfigTable()
        before.add(config(1, offset: 0), partition: 3)
        before.advance(partition: 3, to: 1)
        var after = before
        after.add(config(-1, offset: 1), partition: 3)
        after.advance(partition: 3, to: 2)

        var first = task()
        for offset in 0..<3 { first.process(outbound(Int64(offset)), configs: before) }
        guard case .attemptBegin(let clock, _) = first.attemptBegin(defaultClock: 0) else {
            Issue.record("not an attempt record")
            return
        }
        #expect(clock.configs == [3: 1])
        #expect(clock.upTo == [Topic.outboundMessages: 3])
        let capped = first.outputs.filter { String(decoding: $0.value, as: UTF8.self).contains(#""verdict":"capped""#) }
        #expect(capped.count == 2, "the first attempt governed with limit 1")

        // Cut off: the next instance replays the attempt's range with the newer table.
        var replayed = task(replaying: [clock])
        #expect(replayed.requiredConfigs == [3: 1])
        for offset in 0..<3 { replayed.process(outbound(Int64(offset)), configs: after) }
        #expect(replayed.outputs == first.outputs, "a re-delivery differs from the first delivery")

        // Without the pin the newer version would have changed the verdicts.
        var unpinned = task()
        for offset in 0..<3 { unpinned.process(outbound(Int64(offset)), configs: after) }
        #expect(unpinned.outputs != first.outputs)
        // Past the replayed range, records see the current table.
        _ = try replayed.prepareCommit(checkpoint: StateCheckpoint(), changelog: PartitionActorTests.changelog)
        replayed.process(outbound(3), configs: after)
        #expect(String(decoding: replayed.outputs.last!.value, as: UTF8.self).contains(#""verdict":"allowed""#))
    }

    @Test func aViewLimitedToAPositionHoldsOnlyWhatWasReadBeforeIt() {
        var table = PositionedConfigTable()
        table.add(config(1, offset: 4), partition: 0)
        table.add(config(3, offset: 9), partition: 0)
        table.advance(partition: 0, to: 10)
        table.advance(partition: 5, to: 2)
        #expect(table.versions(of: "ws_o", after: -1, at: t0).map(\.sequence) == [4, 9])
        #expect(table.limited(to: [0: 9]).versions(of: "ws_o", after: -1, at: t0).map(\.sequence) == [4])
        #expect(table.limited(to: [:]).versions(of: "ws_o", after: -1, at: t0).isEmpty)
        #expect(table.covers([0: 10, 5: 2]) && !table.covers([0: 11]) && !table.covers([1: 1]))
    }
}
