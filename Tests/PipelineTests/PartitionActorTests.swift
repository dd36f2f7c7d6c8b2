import Foundation
import Governance
import Kafka
import RecordFile
import Testing
@testable import Pipeline

/// The actor and committer pieces without a broker: a cut covers exactly the
/// offsets its state has seen while the next interval goes on, jumps are recorded,
/// commits are split within their caps, and mismatched partition counts are refused.
@Suite struct PartitionActorTests {
    static let changelog = ChangelogTarget(topic: "governor-changelog", namespace: "tests", snapshotEveryBytes: 1 << 20)

    /// The demo workload's records of one partition as consumed messages (offsets
    /// counted per topic), and its configs as a table.
    static func workload(events: Int = 600) -> (messages: [KafkaMessage], configs: PositionedConfigTable) {
        var table = PositionedConfigTable()
        var next: [String: Int64] = [:]
        var messages: [KafkaMessage] = []
        for line in DemoWorkload(events: events, seed: 3) {
            if line.topic == Topic.workspaceConfig {
                if let value = line.value, case .success(let config) = WorkspaceConfig.parse(value, key: line.key) {
                    table.add(ConfigVersion(sequence: Int64(line.line), timestamp: line.timestampMs, config: config), partition: 0)
                    table.advance(partition: 0, to: Int64(line.line) + 1)
                }
                continue
            }
            guard ProcessorOptions.inputTopics.contains(line.topic) else { continue }
            let offset = next[line.topic, default: 0]
            next[line.topic] = offset + 1
            messages.append(KafkaMessage(topic: line.topic, partition: 0, offset: offset, key: line.key.map { Array($0.utf8) },
                                         value: line.value, timestampMs: line.timestampMs))
        }
        return (messages, table)
    }

    static func freshTask() -> PartitionTask {
        PartitionTask(partition: 0, engine: GovernanceEngine(settings: EngineSettings(wallClock: { 11 })), org: OrgStage(),
                      nextOffsets: [:], nextAttempt: 1, discarded: [], bytesSinceSnapshot: 0, replayClocks: [])
    }

    /// An actor over a fresh task, reporting jumps nowhere.
    static func actor(_ mailbox: Mailbox, configs: PositionedConfigTable, caps: CommitCaps = CommitCaps(),
                      requestCommit: @escaping @Sendable () -> Void = {}) -> PartitionActor {
        PartitionActor(task: freshTask(), mailbox: mailbox, configs: { configs }, changelog: changelog,
                       caps: caps, requestCommit: requestCommit, reportJumps: { _ in })
    }

    /// `messages` in order, in batches of `size` (the last may be shorter).
    static func batches(_ messages: [KafkaMessage], of size: Int) -> [[KafkaMessage]] {
        stride(from: 0, to: messages.count, by: size).map { Array(messages[$0..<min($0 + size, messages.count)]) }
    }

    static func nextOffsets(after messages: some Sequence<KafkaMessage>) -> [String: Int64] {
        var offsets: [String: Int64] = [:]
        for message in messages { offsets[message.topic] = message.offset + 1 }
        return offsets
    }

    @Test func aCutCoversExactlyTheRecordsGovernedBeforeIt() throws {
        let (messages, configs) = Self.workload()
        var task = Self.freshTask()
        let checkpoint = StateCheckpoint()
        #expect(try task.prepareCommit(checkpoint: checkpoint, changelog: Self.changelog) == nil, "nothing governed, nothing to cut")
        let cut = messages.count / 3
        for message in messages[..<cut] { task.process(message, configs: configs) }
        let first = try #require(try task.prepareCommit(checkpoint: checkpoint, changelog: Self.changelog))
        #expect(first.offsets == Self.nextOffsets(after: messages[..<cut]))
        #expect(first.governed == cut)
        #expect(first.attempt == 1)
        #expect(!first.changelog.isEmpty, "the state changed, so the cut carries entries")
        #expect(first.outputs.count + first.requests.count > 0)
        #expect(task.outputs.isEmpty && !task.dirty, "the task goes on with empty buffers")

        // The next interval proceeds into fresh buffers and is cut on its own.
        for message in messages[cut...] { task.process(message, configs: configs) }
        let second = try #require(try task.prepareCommit(checkpoint: checkpoint, changelog: Self.changelog))
        #expect(second.attempt == 2)
        #expect(second.governed == messages.count - cut)
        #expect(second.offsets == Self.nextOffsets(after: messages))
        #expect(second.consumerOffsets.allSatisfy { $0.partition == 0 })

        // Together the two cuts hold exactly the outputs of one uninterrupted run.
        var whole = Self.freshTask()
        for message in messages { whole.process(message, configs: configs) }
        let once = try #require(try whole.prepareCommit(checkpoint: checkpoint, changelog: Self.changelog))
        #expect((first.outputs + second.outputs).map(\.value) == once.outputs.map(\.value))
        #expect((first.requests + second.requests) == once.requests)
    }

    /// A due snapshot waits for a cut that may take it (the commit loop gives one
    /// partition a round the turn), unless twice the threshold has passed; a deferred
    /// cut writes the interval's changes as usual.
    @Test func aDueSnapshotWaitsForItsTurnUnlessOverdue() throws {
        let (messages, configs) = Self.workload()
        let small = ChangelogTarget(topic: "governor-changelog", namespace: "tests", snapshotEveryBytes: 2_000)
        let checkpoint = StateCheckpoint()
        var task = Self.freshTask()
        for message in messages[..<100] { task.process(message, configs: configs) }
        let first = try #require(try task.prepareCommit(checkpoint: checkpoint, changelog: small, maySnapshot: false))
        #expect(!first.snapshot, "nothing written yet: no snapshot due")
        #expect(task.bytesSinceSnapshot >= 2_000, "the first cut's entries pass the threshold (\(task.bytesSinceSnapshot) bytes)")

        // Due, not its turn, and (after lowering the count) not yet overdue: a plain cut.
        task.bytesSinceSnapshot = 3_000
        for message in messages[100..<200] { task.process(message, configs: configs) }
        let deferred = try #require(try task.prepareCommit(checkpoint: checkpoint, changelog: small, maySnapshot: false))
        #expect(!deferred.snapshot)
        #expect(deferred.changelog.count < first.changelog.count + 200, "only the interval's changes")
        #expect(task.bytesSinceSnapshot > 3_000, "the deferred cut's entries still count toward the snapshot")

        // Its turn: the snapshot is written and the count starts over.
        for message in messages[200..<300] { task.process(message, configs: configs) }
        let taken = try #require(try task.prepareCommit(checkpoint: checkpoint, changelog: small, maySnapshot: true))
        #expect(taken.snapshot)
        #expect(task.bytesSinceSnapshot == 0)

        // Proportional: the next one is due only after as many bytes as this snapshot wrote.
        let snapshotBytes = task.lastSnapshotBytes
        #expect(snapshotBytes > 2_000, "the snapshot's entries pass the configured threshold (\(snapshotBytes) bytes)")
        #expect(snapshotBytes == taken.changelog.dropFirst().reduce(0) { $0 + ($1.key?.count ?? 0) + ($1.value?.count ?? 0) })
        task.bytesSinceSnapshot = snapshotBytes - 1
        for message in messages[300..<350] { task.process(message, configs: configs) }
        let notYet = try #require(try task.prepareCommit(checkpoint: checkpoint, changelog: small, maySnapshot: true))
        #expect(!notYet.snapshot, "past the configured threshold, below the last snapshot's size")

        // Twice the threshold behind: written without a turn.
        task.bytesSinceSnapshot = 2 * snapshotBytes
        for message in messages[350..<400] { task.process(message, configs: configs) }
        let overdue = try #require(try task.prepareCommit(checkpoint: checkpoint, changelog: small, maySnapshot: false))
        #expect(overdue.snapshot)
    }

    @Test func anActorCutsOnBatchBoundariesWhileItGovernsTheNextBatches() async throws {
        let (messages, configs) = Self.workload()
        let mailbox = Mailbox(capacity: 1_000)
        let actor = Self.actor(mailbox, configs: configs)
        let batches = Self.batches(messages, of: 37)
        let boundaries = Set(batches.map { Self.nextOffsets(after: messages[..<(messages.firstIndex(of: $0.last!)! + 1)]) })
        let running = Task { await actor.run() }
        var cuts: [PreparedCommit] = []
        for (index, batch) in batches.enumerated() {
            mailbox.post(batch)
            // Every third batch, cut as soon as the actor governed something, most
            // often while the batches posted after it are still queued.
            guard index % 3 == 2 else { continue }
            while true {
                if let cut = try await actor.prepareCommit() {
                    cuts.append(cut)
                    break
                }
                await Task.yield()
            }
        }
        mailbox.close()
        await running.value
        if let last = try await actor.prepareCommit() { cuts.append(last) }
        #expect(cuts.count > 1, "some cuts fell while batches were still queued")
        for cut in cuts { #expect(boundaries.contains(cut.offsets), "a cut at \(cut.offsets) is not on a batch boundary") }
        #expect(cuts.map(\.attempt) == Array(1...UInt64(cuts.count)))
        #expect(cuts.reduce(0) { $0 + $1.governed } == messages.count)
        #expect(cuts.last?.offsets == Self.nextOffsets(after: messages))
        for (earlier, later) in zip(cuts, cuts.dropFirst()) {
            #expect(earlier.offsets.allSatisfy { later.offsets[$0.key, default: 0] >= $0.value })
        }
    }

    /// With a deep mailbox (a partition catching up: every batch already fetched) a
    /// cut still comes between two batches, not after the backlog: the commit interval
    /// holds while an actor is busy. (Session 17 measured that this passes without the
    /// yield after each batch too, 7 runs of 7; `backloggedActorsLeaveThePoolToOtherTasks`
    /// is the test that fails without it.)
    @Test func aCutDoesNotWaitForABackloggedMailbox() async throws {
        // Enough records that half of them take the actor ~0.5 s (debug build): a
        // loaded machine that deschedules the test's own task must not fail it.
        let (messages, configs) = Self.workload(events: 12_000)
        let mailbox = Mailbox(capacity: 10_000)
        let actor = Self.actor(mailbox, configs: configs)
        let batches = Self.batches(messages, of: 10)
        for batch in batches { mailbox.post(batch) }
        mailbox.close()
        let running = Task { await actor.run() }
        while mailbox.count == batches.count { await Task.yield() }
        let cut = try #require(try await actor.prepareCommit(), "the actor has governed a batch")
        #expect(cut.governed < messages.count / 2,
                "the cut took \(cut.governed) of \(messages.count) records: it waited for the backlog")
        await running.value
        let rest = try #require(try await actor.prepareCommit())
        #expect(cut.governed + rest.governed == messages.count)
        #expect(rest.offsets == Self.nextOffsets(after: messages))
    }

    /// Actors with backlogs (partitions catching up) share the cooperative pool with
    /// the commit loop and its ticker: an actor gives its thread up after every batch.
    /// Without that, `await` on a mailbox with batches queued did not suspend, each
    /// actor kept its thread until its backlog was governed, and on the 2-core machine
    /// the commit ticker slept 2.3 s instead of 100 ms while 200,000 records were
    /// caught up (docs/BENCHMARKS.md, session 16).
    @Test func backloggedActorsLeaveThePoolToOtherTasks() async throws {
        let (messages, configs) = Self.workload(events: 3_000)
        let batches = Self.batches(messages, of: 10)
        // More actors than the pool has threads, whatever the machine.
        let mailboxes = (0..<(2 * ProcessInfo.processInfo.activeProcessorCount + 4)).map { _ in Mailbox(capacity: 10_000) }
        for mailbox in mailboxes {
            for batch in batches { mailbox.post(batch) }
            mailbox.close()
        }
        let total = mailboxes.count * batches.count
        let runs = mailboxes.map { mailbox in
            let actor = Self.actor(mailbox, configs: configs)
            return Task { await actor.run() }
        }
        // What the commit ticker does: sleep briefly, then run.
        try await Task.sleep(for: .milliseconds(5))
        let left = mailboxes.reduce(0) { $0 + $1.count }
        for run in runs { await run.value }
        #expect(left > total / 2, "the sleeping task ran only when \(total - left) of \(total) batches were governed")
    }

    @Test func anActorAtItsCommitCapWaitsForACut() async throws {
        let (messages, configs) = Self.workload()
        let mailbox = Mailbox(capacity: 1_000)
        let asked = Locked(0)
        let actor = Self.actor(mailbox, configs: configs, caps: CommitCaps(maxRecords: 1, maxBytes: 1 << 30),
                               requestCommit: { asked.withLock { $0 += 1 } })
        let running = Task { await actor.run() }
        mailbox.post(Array(messages[0..<50]))
        mailbox.post(Array(messages[50..<100]))
        mailbox.close()
        // The actor asks for a commit after the first batch and waits for the cut.
        var cuts: [PreparedCommit] = []
        while cuts.reduce(0, { $0 + $1.governed }) < 100 {
            if let cut = try await actor.prepareCommit() { cuts.append(cut) } else { await Task.yield() }
        }
        await running.value
        #expect(cuts.map(\.governed) == [50, 50], "each batch was cut before the next was governed")
        #expect(asked.withLock { $0 } >= 1)
    }

    @Test func aJumpOverOffsetsIsRecorded() {
        let (messages, configs) = Self.workload(events: 50)
        var task = Self.freshTask()
        let raw = messages.filter { $0.topic == Topic.rawEvents }
        var skipped = raw[5]
        skipped.offset = 9
        for message in raw[0..<5] + [skipped] { task.process(message, configs: configs) }
        #expect(task.takeJumps() == [PartitionTask.OffsetJump(topic: Topic.rawEvents, partition: 0, expected: 5, got: 9)])
        #expect(task.takeJumps().isEmpty)
        #expect(task.nextOffsets[Topic.rawEvents] == 10)
    }

    @Test func aJumpBelowTheLogStartIsAGapAndOneAboveItIsNot() {
        let jump = PartitionTask.OffsetJump(topic: Topic.rawEvents, partition: 2, expected: 100, got: 500)
        #expect(OffsetGapInspector.classify(jump, logStart: 400) == .gap(lost: 300))
        #expect(OffsetGapInspector.classify(jump, logStart: 900) == .gap(lost: 400))
        #expect(OffsetGapInspector.classify(jump, logStart: 100) == .skip, "control records or aborted transactions")
        #expect(OffsetGapInspector.classify(jump, logStart: 0) == .skip)
    }

    @Test func commitsAreSplitIntoTransactionsWithinTheCaps() throws {
        let (messages, configs) = Self.workload()
        var parts: [PreparedCommit] = []
        for p in Int32(0)..<4 {
            var task = Self.freshTask()
            for var message in messages.prefix(100) {
                message.partition = p
                task.process(message, configs: configs)
            }
            parts.append(try #require(try task.prepareCommit(checkpoint: StateCheckpoint(), changelog: Self.changelog)))
        }
        let one = parts[0].recordCount
        let chunks = Committer.transactions(of: parts, caps: CommitCaps(maxRecords: one * 2, maxBytes: 1 << 30))
        #expect(chunks.flatMap { $0 }.map(\.partition) == parts.map(\.partition), "every part once, in order")
        for chunk in chunks where chunk.count > 1 {
            #expect(chunk.reduce(0) { $0 + $1.recordCount } <= one * 2)
        }
        #expect(Committer.transactions(of: parts, caps: CommitCaps(maxRecords: 1, maxBytes: 1)).count == 4,
                "a part larger than the caps is a transaction of its own")
        #expect(Committer.transactions(of: parts, caps: CommitCaps()).count == 1)
    }

    @Test func mismatchedPartitionCountsAreRefusedNamingTopicsAndFix() throws {
        #expect(PartitionCountCheck(counts: [("raw-events", 8), ("outbound-messages", 8)]).failure == nil)
        let failure = try #require(PartitionCountCheck(counts: [
            ("raw-events", 8), ("outbound-messages", 8), ("notification-requests", 4), ("governor-changelog", 8),
        ]).failure)
        #expect(failure.description.contains("notification-requests has 4"))
        #expect(failure.description.contains("raw-events has 8"))
        #expect(failure.description.contains("--partitions 8"))
    }

    @Test func aFullMailboxAsksForAPauseUntilHalfDrained() {
        let mailbox = Mailbox(capacity: 4)
        for _ in 0..<4 { mailbox.post([]) }
        #expect(mailbox.isFull && !mailbox.canResume)
        mailbox.took()
        #expect(!mailbox.isFull && !mailbox.canResume, "no flapping right below the capacity")
        mailbox.took()
        #expect(mailbox.canResume)
    }
}
