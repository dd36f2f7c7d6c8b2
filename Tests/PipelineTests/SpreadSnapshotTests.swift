import Governance
import Kafka
import Testing
@testable import Pipeline

/// A snapshot spread over attempts (`PartitionTask.SpreadSnapshot`): each cut writes
/// one slice of workspaces besides its changes, and the state is complete at the last
/// slice's marker, from a log that starts at the snapshot's begin just as from the
/// whole log; a log that starts after the begin is never called complete by it.
@Suite struct SpreadSnapshotTests {
    /// Small thresholds: the demo workload's six workspaces (all on partition 0 here)
    /// snapshot every few cuts, in slices of one or two workspaces.
    static let changelog = ChangelogTarget(topic: "governor-changelog", namespace: "tests", snapshotEveryBytes: 4_000,
                                           snapshotSliceEntries: 60)

    /// One cut as the committer writes it, decoded: `attemptBegin`, entries, marker.
    static func decoded(_ prepared: PreparedCommit) throws -> [ChangelogRecord] {
        try ([prepared.attemptBegin] + prepared.changelog + [prepared.marker]).map { record in
            try #require(try ChangelogCodec.decode(key: record.key, value: record.value,
                                                   headers: record.headers.map { ($0.name, $0.value) }, offset: 0,
                                                   namespace: "tests"))
        }
    }

    /// The state as a snapshot of it would write it, without disturbing the task.
    static func liveState(of task: PartitionTask) throws -> [[UInt8]: [UInt8]] {
        var copy = task
        let entries = try StateCheckpoint().snapshot(engine: &copy.engine, org: &copy.org)
        return Dictionary(entries.compactMap { entry in entry.value.map { (entry.key, $0) } }, uniquingKeysWith: { $1 })
    }

    static func replay(_ log: ArraySlice<ChangelogRecord>, truncated: Bool) -> ChangelogReplay {
        var replay = ChangelogReplay(logStartOffset: truncated ? Int64(log.startIndex) + 1 : 0)
        for record in log { replay.apply(record, size: 1) }
        return replay
    }

    /// `sliceEvery`: the commit loop lets this partition write a slice every n-th cut
    /// (`maySlice`, as `Processor.cutRound` rotates it over the partitions; 0: never,
    /// so a slice is written only after `maxSkipped` cuts without one); the cuts
    /// between write only their changes, and the state is still complete at the last
    /// slice's marker.
    @Test(arguments: [1, 3, 0])
    func aSpreadSnapshotCompletesTheStateAtItsLastMarker(sliceEvery: Int) throws {
        let (messages, configs) = PartitionActorTests.workload(events: 2_000)
        var task = PartitionActorTests.freshTask()
        let checkpoint = StateCheckpoint()
        var log: [ChangelogRecord] = []
        /// Per completing marker: its index in `log`, where its snapshot began, and the state then.
        var completions: [(marker: Int, begin: Int, state: [[UInt8]: [UInt8]])] = []
        var begins: [UInt64: Int] = [:]
        var slicesPerSnapshot: [UInt64: Int] = [:]
        var cutsWithoutSlice = 0
        var cut = 0
        for start in stride(from: 0, to: messages.count, by: 40) {
            for message in messages[start..<min(start + 40, messages.count)] { task.process(message, configs: configs) }
            let inProgress = task.spreadSnapshot
            let maySlice = sliceEvery > 0 && cut % sliceEvery == 0
            cut += 1
            guard let prepared = try task.prepareCommit(checkpoint: checkpoint, changelog: Self.changelog,
                                                        maySlice: maySlice) else { continue }
            if let inProgress, !maySlice {
                if inProgress.skipped < PartitionTask.SpreadSnapshot.maxSkipped {
                    #expect(!prepared.snapshot && task.spreadSnapshot?.slices == inProgress.slices, "no slice written, none taken")
                    cutsWithoutSlice += 1
                } else {
                    #expect(prepared.snapshot, "a slice after \(inProgress.skipped) cuts without one")
                }
            }
            for record in try Self.decoded(prepared) {
                switch record {
                case .snapshotBegin(let attempt): begins[attempt] = log.count
                case .commit(let marker) where marker.snapshot:
                    let from = marker.snapshotFrom ?? marker.attempt
                    completions.append((log.count, try #require(begins[from]), try Self.liveState(of: task)))
                default: break
                }
                log.append(record)
            }
            if prepared.snapshot, let from = task.spreadSnapshot?.from ?? begins.keys.max() {
                slicesPerSnapshot[from, default: 0] += 1
            }
        }
        let spread = completions.filter { completion in
            if case .commit(let marker) = log[completion.marker] { return marker.snapshotFrom != nil }
            return false
        }
        #expect(spread.count >= (sliceEvery == 0 ? 1 : 2), "snapshots were spread over attempts (\(completions.count) snapshots)")
        #expect(slicesPerSnapshot.values.contains { $0 >= 3 }, "a snapshot took three or more cuts: \(slicesPerSnapshot)")
        if sliceEvery > 1 { #expect(cutsWithoutSlice >= 3, "cuts in a snapshot without a slice: \(cutsWithoutSlice)") }

        for completion in completions {
            let whole = Self.replay(log[...completion.marker], truncated: false)
            #expect(try whole.finish() == completion.state, "the whole log restores the state at the marker")
            // Retention dropped everything before the snapshot's begin: still complete, same state.
            let fromBegin = Self.replay(log[completion.begin...completion.marker], truncated: true)
            #expect(try fromBegin.finish() == completion.state, "the log from the begin restores the same state")
            #expect(fromBegin.offsets == whole.offsets)
            // Retention dropped the begin too: that snapshot cannot make the state complete.
            let pastBegin = Self.replay(log[(completion.begin + 1)...completion.marker], truncated: true)
            #expect(throws: RestoreError.self, "a log without the begin is incomplete") { try pastBegin.finish() }
        }
    }

    /// A spread snapshot cut off by a crash (its later slices never written) leaves a
    /// begin without a completing marker: a log that starts there is incomplete, and a
    /// restored task starts its own snapshot with a begin of its own.
    @Test func aSnapshotCutOffMidwayNeverCompletesTheState() throws {
        let (messages, configs) = PartitionActorTests.workload(events: 2_000)
        var task = PartitionActorTests.freshTask()
        let checkpoint = StateCheckpoint()
        var log: [ChangelogRecord] = []
        var beginIndex: Int?
        var next = 0
        // Cut until a snapshot has begun and written one slice of several.
        while next < messages.count {
            for message in messages[next..<min(next + 40, messages.count)] { task.process(message, configs: configs) }
            next += 40
            guard let prepared = try task.prepareCommit(checkpoint: checkpoint, changelog: Self.changelog) else { continue }
            let records = try Self.decoded(prepared)
            if beginIndex == nil, let at = records.firstIndex(of: .snapshotBegin(attempt: prepared.attempt)) { beginIndex = log.count + at }
            log += records
            if beginIndex != nil, task.spreadSnapshot != nil { break }
        }
        let begin = try #require(beginIndex, "a snapshot began")
        #expect(task.spreadSnapshot != nil, "and has slices left")
        let cutOff = Self.replay(log[begin...], truncated: true)
        #expect(throws: RestoreError.self) { try cutOff.finish() }
        #expect(try Self.replay(log[...], truncated: false).finish() == Self.liveState(of: task))
    }

    @Test func slicesKeepWorkspacesWholeAndInOrder() {
        let counts = [("a", 30), ("b", 30), ("c", 100), ("d", 10), ("e", 10)]
        #expect(PartitionTask.SpreadSnapshot.slices(counts, maxEntries: 60) == [["a", "b"], ["c"], ["d", "e"]])
        #expect(PartitionTask.SpreadSnapshot.slices(counts, maxEntries: .max) == [["a", "b", "c", "d", "e"]])
        #expect(PartitionTask.SpreadSnapshot.slices([], maxEntries: 60) == [[]])
    }
}
