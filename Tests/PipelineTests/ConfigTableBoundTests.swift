import Foundation
import Governance
import Kafka
import Testing
@testable import Pipeline

/// The config-version table stays bounded (issue 14 item 5) without changing what
/// any attempt sees (issue 11 item 4): `PositionedConfigTable.prune` drops only what
/// no engine of the instance can ask for again, a restore that may need dropped
/// versions reads the topic again, and a per-workspace cap is the safety net.
@Suite(.serialized) struct ConfigTableBoundTests {
    static let t0: Int64 = 1_795_000_000_000

    static func version(_ workspace: String, limit: Int64, sequence: Int64, at timestamp: Int64 = t0) -> ConfigVersion {
        var limits = Plan.trial.defaultLimits
        limits.messagesPerContactPerDay = limit
        return ConfigVersion(sequence: sequence, timestamp: timestamp,
                             config: WorkspaceConfig(workspaceID: workspace, orgID: "org_\(workspace)", plan: .trial, limits: limits))
    }

    static func outbound(_ workspace: String, offset: Int64, at timestamp: Int64) -> KafkaMessage {
        let json = #"{"message_id":"m\#(offset)","workspace_id":"\#(workspace)","contact_key":"c1","channel":"email"}"#
        return KafkaMessage(topic: Topic.outboundMessages, partition: 0, offset: offset, key: Array(workspace.utf8),
                            value: Array(json.utf8), timestampMs: timestamp)
    }

    static func task(replaying clocks: [AttemptClock] = []) -> PartitionTask {
        PartitionTask(partition: 0, engine: GovernanceEngine(settings: EngineSettings(wallClock: { 5 })), org: OrgStage(),
                      nextOffsets: [:], nextAttempt: 1, discarded: [], bytesSinceSnapshot: 0, replayClocks: clocks)
    }

    @Test func pruningKeepsTheNewestVersionEveryHolderAppliedBeforeTheFloor() {
        var table = PositionedConfigTable()
        for s in Int64(0)..<5 { table.add(Self.version("ws_a", limit: s, sequence: s), partition: 0) }
        table.add(Self.version("ws_b", limit: 1, sequence: 5), partition: 0)
        table.add(Self.version("ws_b", limit: 2, sequence: 6), partition: 0)
        table.advance(partition: 0, to: 7)

        // An attempt pinned at 2 may still ask for version 1 and later.
        var floorLow = table
        #expect(floorLow.prune(ConfigUse(applied: ["ws_a": 3], pins: [[0: 2]])) == 1)
        #expect(floorLow.heldSequences(of: "ws_a") == [1, 2, 3, 4])
        // Every holder applied 3, every attempt is pinned past it.
        var pruned = table
        #expect(pruned.prune(ConfigUse(applied: ["ws_a": 3], pins: [[0: 7]])) == 3)
        #expect(pruned.heldSequences(of: "ws_a") == [3, 4])
        #expect(pruned.heldSequences(of: "ws_b") == [5, 6], "no engine holds ws_b: it keeps its versions")
        #expect(pruned.pruned == 3 && pruned.evicted == 0 && pruned.versionCount == 4)
        #expect(pruned.heldFrom == ["ws_a": 3])
        // An engine holding ws_a without its config keeps everything.
        var unapplied = table
        #expect(unapplied.prune(ConfigUse(applied: ["ws_a": -1], pins: [])) == 0)
        // What a restore needs.
        #expect(!pruned.needsReread(applied: ["ws_a": 3, "ws_b": -1], replaying: []))
        #expect(pruned.needsReread(applied: ["ws_a": 2], replaying: []))
        #expect(pruned.needsReread(applied: [:], replaying: [[0: 7]]))
        #expect(!table.needsReread(applied: ["ws_a": -1], replaying: [[0: 1]]), "nothing was dropped")
    }

    @Test func theCapDropsTheOldestVersionsOfAWorkspace() {
        var table = PositionedConfigTable(maxVersionsPerWorkspace: 1_000)
        for s in Int64(0)..<2_500 { table.add(Self.version("ws_a", limit: s, sequence: s), partition: 0) }
        table.advance(partition: 0, to: 2_500)
        #expect(table.versionCount == 1_000 && table.evicted == 1_500)
        #expect(table.heldSequences(of: "ws_a") == Array(1_500..<2_500))
        #expect(table.versions(of: "ws_a", after: -1, at: Self.t0).first?.sequence == 1_500)
        // A re-read brings nothing back past the cap, and counts nothing twice.
        var full = PositionedConfigTable(maxVersionsPerWorkspace: .max)
        for s in Int64(0)..<2_500 { full.add(Self.version("ws_a", limit: s, sequence: s), partition: 0) }
        table.merge(full)
        #expect(table.versionCount == 1_000 && table.evicted == 1_500)
        #expect(table.heldSequences(of: "ws_a") == Array(1_500..<2_500))
    }

    /// Two tasks govern the same records, one with a table pruned at every cut by what
    /// it reported, one with every version: the outputs are the same, including the
    /// hints of every version and a plan change scheduled ahead of the records.
    @Test func aPrunedTableGovernsLikeTheFullOne() throws {
        var full = PositionedConfigTable()
        var prunedTable = PositionedConfigTable()
        var withFull = Self.task()
        var withPruned = Self.task()
        var outputsFull: [OutputRecord] = []
        var outputsPruned: [OutputRecord] = []
        var sequence: Int64 = 0
        var offset: Int64 = 0
        let workspaces = (0..<6).map { "ws_\($0)" }
        for round in Int64(0)..<30 {
            let t = Self.t0 + round * 1_000
            for (index, workspace) in workspaces.enumerated() {
                // ws_0 gets its versions stamped 5 rounds ahead (plan changes scheduled ahead).
                let stamped = index == 0 ? t + 5_000 : t
                let version = Self.version(workspace, limit: 1 + (round + Int64(index)) % 4, sequence: sequence, at: stamped)
                full.add(version, partition: 0)
                prunedTable.add(version, partition: 0)
                sequence += 1
            }
            full.advance(partition: 0, to: sequence)
            prunedTable.advance(partition: 0, to: sequence)
            for workspace in workspaces where round % 3 != 1 || workspace != "ws_1" {
                for _ in 0..<2 {
                    withFull.process(Self.outbound(workspace, offset: offset, at: t + 10), configs: full)
                    withPruned.process(Self.outbound(workspace, offset: offset, at: t + 10), configs: prunedTable)
                    offset += 1
                }
            }
            let touched = withPruned.engine.touched
            let pin = withPruned.intervalConfigs
            outputsFull += withFull.outputs
            outputsPruned += withPruned.outputs
            _ = try withFull.prepareCommit(checkpoint: StateCheckpoint(), changelog: PartitionActorTests.changelog)
            _ = try withPruned.prepareCommit(checkpoint: StateCheckpoint(), changelog: PartitionActorTests.changelog)
            let use = ConfigUse(applied: ConfigUse.applied(by: withPruned.engine, of: touched),
                                pins: withPruned.configPins(cut: pin))
            prunedTable.prune(use)
        }
        // Compared record by record, so a failure names the first difference, not 300 records.
        let firstDifference = outputsPruned.indices.first { $0 < outputsFull.count && outputsPruned[$0] != outputsFull[$0] }
        #expect(outputsPruned.count == outputsFull.count)
        #expect(firstDifference == nil, "first differing output: \(firstDifference.map { String(decoding: outputsPruned[$0].value, as: UTF8.self) } ?? "")")
        print("ConfigTableBoundTests: \(outputsFull.count) outputs the same; held \(prunedTable.versionCount) of \(full.versionCount) versions")
        #expect(outputsFull.count > 200)
        #expect(full.versionCount == 180)
        #expect(prunedTable.versionCount <= 6 * 7, "held \(prunedTable.versionCount)")
        // ws_0's versions apply 5 rounds late: the ones not applied yet stay.
        #expect(prunedTable.heldSequences(of: "ws_0").count >= 5)
    }

    /// A partition actor reports, at each cut, what the workspaces it touched applied
    /// and the pin of the interval just cut (its commit may still fail): the input
    /// of the reader's prune.
    @Test func anActorReportsWhatItAppliedAtEachCut() async throws {
        var table = PositionedConfigTable()
        table.add(Self.version("ws_a", limit: 1, sequence: 0), partition: 2)
        table.add(Self.version("ws_a", limit: 2, sequence: 1), partition: 2)
        table.add(Self.version("ws_b", limit: 2, sequence: 2, at: Self.t0 + 1_000_000), partition: 2)
        table.advance(partition: 2, to: 3)
        let registry = ConfigUseRegistry()
        let configs = table
        let actor = PartitionActor(task: Self.task(), mailbox: Mailbox(capacity: 4), configs: { configs },
                                   changelog: PartitionActorTests.changelog, caps: CommitCaps(), requestCommit: {},
                                   reportJumps: { _ in },
                                   reportConfigUse: { registry.update(partition: 0, applied: $0, pins: $1) })
        await actor.govern([Self.outbound("ws_a", offset: 0, at: Self.t0 + 10), Self.outbound("ws_b", offset: 1, at: Self.t0 + 10)])
        #expect(registry.combined == ConfigUse(), "nothing is reported before a cut")
        #expect(try await actor.prepareCommit() != nil)
        // ws_b's only version applies later than its record: the engine does not hold
        // ws_b yet, so it is not reported and keeps its versions.
        #expect(registry.combined == ConfigUse(applied: ["ws_a": 1], pins: [[2: 3]]))
        var pruned = table
        #expect(pruned.prune(registry.combined) == 1)
        #expect(pruned.heldSequences(of: "ws_a") == [1] && pruned.heldSequences(of: "ws_b") == [2])
        #expect(try await actor.prepareCommit() == nil)
        registry.remove(partition: 0)
        #expect(registry.combined == ConfigUse())
    }

    /// A restored task whose cut-off attempt (of another instance) was pinned below
    /// what this instance pruned: the processor's restore path reads
    /// `workspace-config` again, and the replay delivers the same bytes.
    @Test func aRestoreWhosePinsLieBelowThePrunedVersionsReadsTheTopicAgain() throws {
        let cluster = try MockCluster(brokers: 1, logger: pipelineTestLogger)
        defer { cluster.close() }
        try cluster.createTopic(Topic.workspaceConfig, partitions: 1)
        let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let producer = try KafkaProducer(config: kafka, logger: pipelineTestLogger)
        let limits: [Int64] = [1, 5, 2, 7]
        for limit in limits {
            let json = #"{"workspace_id":"ws_o","org_id":"org_o","plan":"trial","limits":{"messages_per_contact_per_day":\#(limit)}}"#
            try producer.send(ProducerRecord(topic: Topic.workspaceConfig, key: Array("ws_o".utf8), value: Array(json.utf8),
                                             timestampMs: Self.t0))
        }
        try producer.flush(timeout: .seconds(60)).throwIfFailed()

        let reader = try ConfigTableReader(config: kafka, logger: pipelineTestLogger)
        reader.start()
        defer { reader.stop() }
        #expect(reader.waitUntilCaughtUp(timeout: .seconds(60)))
        #expect(reader.current.heldSequences(of: "ws_o") == [0, 1, 2, 3])

        // The first attempt (another instance) governed when its reader had read one version.
        let early = try ConfigTableReader.read(topic: Topic.workspaceConfig, config: kafka, upTo: [0: 1],
                                               timeout: .seconds(60), logger: pipelineTestLogger)
        #expect(early.heldSequences(of: "ws_o") == [0] && early.position == [0: 1])
        var first = Self.task()
        for offset in Int64(0)..<3 {
            first.process(Self.outbound("ws_o", offset: offset, at: Self.t0 + 10 + offset), configs: early)
        }
        guard case .attemptBegin(let clock, _) = first.attemptBegin(defaultClock: 0) else {
            Issue.record("not an attempt record")
            return
        }
        #expect(clock.configs == [0: 1])

        // Here a task applied the newest version: the reader prunes the rest.
        reader.use.replace(partition: 7, with: ConfigUse(applied: ["ws_o": 3], pins: []))
        let deadline = ContinuousClock.now + .seconds(60)
        while reader.current.versionCount > 1, ContinuousClock.now < deadline {
            try pollPause()
        }
        #expect(reader.current.heldSequences(of: "ws_o") == [3])

        // The partition is restored here, replaying the cut-off attempt.
        var replayed = Self.task(replaying: [clock])
        let use = replayed.configUse
        reader.use.replace(partition: 0, with: use)
        #expect(reader.current.needsReread(applied: use.applied, replaying: replayed.configPins()))
        try reader.reread(timeout: .seconds(60))
        #expect(reader.current.heldSequences(of: "ws_o") == [0, 1, 2, 3])
        for offset in Int64(0)..<3 {
            replayed.process(Self.outbound("ws_o", offset: offset, at: Self.t0 + 10 + offset), configs: reader.current)
        }
        #expect(replayed.outputs == first.outputs, "a re-delivery differs from the first delivery")
        #expect(first.outputs.contains { String(decoding: $0.value, as: UTF8.self).contains(#""verdict":"capped""#) },
                "the first attempt governed with limit 1")

        // The replay's pin keeps the versions it needs while it lasts.
        let floor = reader.use.combined.floor(reader.current.position)
        #expect(floor == [0: 1])
    }

    /// 1,000,000 config versions over 4,000 workspaces, pruned as the reader does
    /// (amortised, by what engines applied): the table holds a few versions per
    /// workspace; RSS growth is in docs/RELIABILITY.md §3. Then 1,000,000 versions of
    /// 250 workspaces no engine holds: the cap keeps 1,000 each.
    @Test func aFloodOfConfigVersionsKeepsTheTableAtItsBound() {
        let workspaces = (0..<4_000).map { "ws_flood_\($0)" }
        let before = MemoryMeter.start()
        var table = PositionedConfigTable()
        var schedule = PruneSchedule()
        var applied: [String: Int64] = [:]
        var peak = 0
        for sequence in Int64(0)..<1_000_000 {
            let workspace = workspaces[Int(sequence) % workspaces.count]
            table.add(Self.version(workspace, limit: sequence, sequence: sequence), partition: 0)
            table.advance(partition: 0, to: sequence + 1)
            // The engines keep up, a thousand versions behind the reader.
            if sequence >= 1_000 {
                let behind = sequence - 1_000
                applied[workspaces[Int(behind) % workspaces.count]] = behind
            }
            if schedule.due(versions: table.versionCount, useChanged: 0) {
                table.prune(ConfigUse(applied: applied, pins: [[0: sequence - 500]]))
                schedule.pruned(leaving: table.versionCount)
            }
            peak = max(peak, table.versionCount)
        }
        #expect(peak <= 20_000, "peak \(peak) versions held")
        #expect(table.versionCount <= 20_000 && table.evicted == 0 && table.pruned >= 1_000_000 - 20_000)
        MemoryMeter.expectGrowth(since: before, under: 128 * 1024, "1,000,000 config versions, 4,000 workspaces, pruned")

        let unheld = MemoryMeter.start()
        var capped = PositionedConfigTable(maxVersionsPerWorkspace: 1_000)
        for sequence in Int64(0)..<1_000_000 {
            capped.add(Self.version("ws_quiet_\(sequence % 250)", limit: sequence, sequence: sequence), partition: 0)
        }
        #expect(capped.versionCount == 250_000 && capped.evicted == 750_000)
        MemoryMeter.expectGrowth(since: unheld, under: 256 * 1024, "1,000,000 config versions, 250 workspaces no engine holds, cap 1,000")
    }
}

/// Resident memory of this process (/proc/self/status), for the flood test.
enum MemoryMeter {
    static func statusKB(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("\(field):") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Resets the peak (VmHWM) and returns VmRSS in kB.
    static func start() -> Int {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return statusKB("VmRSS")
    }

    static func expectGrowth(since before: Int, under limitKB: Int, _ what: String) {
        let growth = statusKB("VmRSS") - before
        let peak = statusKB("VmHWM") - before
        print("ConfigTableBoundTests: \(what): RSS grew by \(growth / 1024) MB, peak \(peak / 1024) MB above the start")
        #expect(growth < limitKB, "\(what): RSS grew by \(growth) kB")
    }
}

private func pollPause() throws {
    try Task.checkCancellation()
    usleep(50_000)
}
