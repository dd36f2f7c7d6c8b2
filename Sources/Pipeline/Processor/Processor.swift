import Foundation
import Governance
import Kafka
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// One member of the processor group (`governor run`), as an actor system
/// (docs/ARCHITECTURE.md has the diagram):
///
/// - the **poll thread**, a dedicated thread, is the only code that polls the
///   consumer; it routes each batch by partition number to that partition's
///   `PartitionActor` mailbox, pauses a partition whose mailbox is full and
///   resumes it once drained, and runs the rebalance callback;
/// - a **`PartitionActor`** per assigned partition governs its batches in offset
///   order, in parallel with the others on the cooperative pool;
/// - the **commit loop** asks every actor to cut its interval each commit interval
///   and hands the prepared commits to the **`Committer`** actor (its own thread),
///   while the actors go on governing the next interval; the next cut overlaps the
///   commit in flight (at most one), so encoding and writing run side by side.
///
/// On a failed commit the transaction is aborted and every actor is rebuilt from
/// its changelog, its inputs sought back to the checkpoint (on the poll thread,
/// between two polls, so no routed batch crosses the change); a fatal producer
/// error first replaces the producer (`recover(from:)`, `CommitFailurePolicy`).
public final class Processor: Service, Sendable {
    private let options: ProcessorOptions
    private let logger: Logger
    private let configs: ConfigTableReader
    private let restorer: ChangelogRestorer
    private let committer: Committer
    private let gaps: OffsetGapInspector
    private let actors = Mutex<[Int32: PartitionHandle]>([:])
    private let consumer = Mutex<KafkaConsumer?>(nil)
    private let inbox = PollInbox()
    private let requests: AsyncStream<CommitRequest>
    private let requestSink: AsyncStream<CommitRequest>.Continuation
    private let jumps: AsyncStream<[PartitionTask.OffsetJump]>
    private let jumpSink: AsyncStream<[PartitionTask.OffsetJump]>.Continuation
    private let tickPending = Atomic(false)
    /// Counts commit rounds: the partition whose turn it is may write a due snapshot.
    private let snapshotTurn = Atomic(0)
    private let stopping = Atomic(false)
    /// Bumped when partitions are lost: a commit cut before no longer owns its work and
    /// must not write its markers or offsets (`Committer.commit(stillOwned:)`).
    private let ownershipEpoch = Atomic(0)
    /// Set when the poll thread gives up: the rebalance callback must not commit.
    private let abandoning = Atomic(false)
    /// Partitions the poll thread paused because their mailbox was full.
    private let paused = Mutex<Set<Int32>>([])
    let board = ProgressBoard()
    private let failure = Mutex<String?>(nil)
    private let recordsCounter = Counter(label: "governor_records_total")
    private let commitTimer = Timer(label: "governor_commit_seconds")
    private let cutTimer = Timer(label: "governor_cut_seconds")
    private let commitFailures = Counter(label: "governor_commit_failures_total")
    private let assignedPartitions = Gauge(label: "governor_assigned_partitions")
    private let rebalances = Counter(label: "governor_rebalances_total")
    private let pauses = Counter(label: "governor_mailbox_pauses_total")
    /// Failed commits since the last successful one (only the commit loop changes it).
    private let consecutiveFailures = Mutex(0)
    private let consecutiveFailuresGauge = Gauge(label: "governor_commit_consecutive_failures")

    /// What the commit loop is asked to do, in order.
    private enum CommitRequest: Sendable {
        /// A commit interval passed, or an actor reached the commit cap.
        case tick
        /// Let these partitions' actors govern all they hold, commit everything,
        /// then complete the poll thread's token (revocation, stop).
        case drain([Int32], token: UInt64)
        /// Partitions were lost: let the commit in flight end (it aborts, see
        /// `ownershipEpoch`) and recover from it, then complete the poll thread's token.
        case settle(token: UInt64)
    }

    /// A partition's actor and the task that runs its mailbox loop.
    struct PartitionHandle: Sendable {
        let actor: PartitionActor
        let running: Task<Void, Never>
    }

    public init(options: ProcessorOptions, logger: Logger) throws {
        self.options = options
        self.logger = logger
        committer = try Committer(options: options, logger: logger)
        configs = try ConfigTableReader(config: options.kafka, maxVersionsPerWorkspace: options.configVersionsPerWorkspace,
                                            logger: logger)
        gaps = try OffsetGapInspector(config: options.kafka, logger: logger)
        restorer = ChangelogRestorer(config: options.kafka, changelogTopic: options.changelogTopic, namespace: options.group,
                                     inputTopics: ProcessorOptions.inputTopics, settings: options.engine, logger: logger)
        (requests, requestSink) = AsyncStream.makeStream(of: CommitRequest.self)
        (jumps, jumpSink) = AsyncStream.makeStream(of: [PartitionTask.OffsetJump].self)
    }

    /// The next offset committed per input partition (for progress and tests).
    public var progress: [TopicPartition: Int64] { board.offsets }
    /// True once the config table is loaded, the group assigned this member its
    /// partitions and every one of them is restored; false again during a rebalance.
    public var isReady: Bool { board.isReady }

    /// Asks `run()` to commit, leave the group and return.
    public func stop() {
        stopping.store(true, ordering: .releasing)
    }

    /// Processes until `stop()` or a graceful shutdown of its service group; throws
    /// when the processor cannot go on (a restore that finds the changelog
    /// incomplete, a fatal Kafka error).
    public func run() async throws {
        // The poll thread does not see task cancellation: both a graceful shutdown and
        // a cancellation (a sibling service failed) ask it to commit and stop.
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await runUntilStopped()
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
    }

    private func runUntilStopped() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.commitLoop() }
            group.addTask { await self.inspectJumps() }
            group.addTask { await self.tickEveryInterval() }
            let outcome: Result<Void, any Error> = await withCheckedContinuation { continuation in
                NamedThread.start("governor-poll") { [self] in continuation.resume(returning: Result { try pollThreadMain() }) }
            }
            stop()
            requestSink.finish()
            jumpSink.finish()
            group.cancelAll()
            try await group.waitForAll()
            await committer.shutdown()
            await gaps.shutdown()
            try outcome.get()
        }
    }

    // MARK: The poll thread

    private func pollThreadMain() throws {
        defer { inbox.close() }
        configs.start()
        defer { configs.stop() }
        guard configs.waitUntilCaughtUp(timeout: .seconds(120)) else {
            throw CheckpointError("workspace-config was not read to its end within 120 s")
        }
        logger.info("workspace-config loaded: \(configs.current.workspaceCount) workspaces")
        var settings = ConsumerSettings(groupID: options.group)
        settings.sessionTimeoutMs = options.sessionTimeoutMs
        settings.heartbeatIntervalMs = options.heartbeatIntervalMs
        if options.staticMembership { settings.groupInstanceID = options.instanceID }
        let consumer = try KafkaConsumer(config: options.kafka, settings: settings, logger: logger) { [unowned self] event in
            self.rebalanced(event)
        }
        try checkPartitionCounts(consumer)
        self.consumer.withLock { $0 = consumer }
        do {
            try consumer.subscribe(ProcessorOptions.inputTopics)
            var report = ProgressReport()
            while !stopping.load(ordering: .acquiring) {
                if let message = failure.withLock({ $0 }) { throw CheckpointError(message) }
                inbox.serve()
                applyFlowControl(consumer)
                let messages = try consumer.poll(maxMessages: options.maxPollMessages, timeout: .milliseconds(50))
                if !messages.isEmpty {
                    route(messages)
                    recordsCounter.increment(by: messages.count)
                    report.records += messages.count
                }
                if let line = report.lineIfDue(partitions: actors.withLock { $0.count }) { logger.info("\(line)") }
            }
            // The actors govern what they hold, the committer commits it, then the
            // member leaves the group (its revocation finds nothing left to commit).
            drainAndCommit(actors.withLock { Array($0.keys) }.sorted())
            if let message = failure.withLock({ $0 }) { throw CheckpointError(message) }
            try consumer.close()
            self.consumer.withLock { $0 = nil }
            logger.info("processor stopped")
        } catch {
            abandoning.store(true, ordering: .releasing)
            discard(actors.withLock { Array($0.keys) })
            // A member that gives up owns nothing: a commit still in flight aborts.
            ownershipEpoch.add(1, ordering: .acquiringAndReleasing)
            self.consumer.withLock { $0 = nil }
            consumer.abandon()
            throw error
        }
    }

    /// Raw-events, outbound-messages, notification-requests and the changelog must
    /// have one partition count (see `PartitionCountCheck`).
    private func checkPartitionCounts(_ consumer: KafkaConsumer) throws {
        var counts: [(topic: String, partitions: Int)] = []
        for topic in ProcessorOptions.inputTopics + [options.changelogTopic] {
            counts.append((topic, try consumer.partitionCount(of: topic)))
        }
        if let failure = PartitionCountCheck(counts: counts).failure { throw failure }
    }

    /// Posts each partition's share of a batch to its actor, in offset order.
    private func route(_ messages: [KafkaMessage]) {
        var batches: [Int32: [KafkaMessage]] = [:]
        for message in messages { batches[message.partition, default: []].append(message) }
        let handles = actors.withLock { $0 }
        for (p, batch) in batches {
            if let handle = handles[p] {
                handle.actor.mailbox.post(batch)
            } else {
                logger.warning("dropped \(batch.count) records of partition \(p), which has no actor (not assigned)")
            }
        }
    }

    /// Pauses the partitions whose mailbox is full and resumes those drained since.
    private func applyFlowControl(_ consumer: KafkaConsumer) {
        let handles = actors.withLock { $0 }
        var pause: [Int32] = []
        var resume: [Int32] = []
        paused.withLock { paused in
            for (p, handle) in handles {
                let mailbox = handle.actor.mailbox
                if !paused.contains(p), mailbox.isFull {
                    pause.append(p)
                } else if paused.contains(p), mailbox.canResume {
                    resume.append(p)
                }
            }
            paused.formUnion(pause)
            paused.subtract(resume)
            paused.formIntersection(handles.keys)
        }
        do {
            if !pause.isEmpty {
                pauses.increment(by: pause.count)
                try consumer.pause(Self.inputs(of: pause))
            }
            if !resume.isEmpty { try consumer.resume(Self.inputs(of: resume)) }
        } catch {
            logger.warning("flow control: \(error)")
        }
    }

    private static func inputs(of partitions: some Sequence<Int32>) -> [TopicPartition] {
        partitions.flatMap { p in ProcessorOptions.inputTopics.map { TopicPartition($0, p) } }
    }

    // MARK: Rebalances (on the poll thread, inside librdkafka's callback)

    /// Assignment: restores the new partitions in parallel (one thread per restore)
    /// while the poll thread waits in the callback, and returns the checkpointed
    /// offsets so the consumer starts exactly there: no record of a partition is
    /// fetched before its state is back. Revocation: the actors govern what their
    /// mailboxes hold and the committer commits it before the partitions go.
    private func rebalanced(_ event: RebalanceEvent) -> [TopicPartitionOffset] {
        let numbers = Set(event.partitions.map(\.partition)).sorted()
        rebalances.increment()
        defer { assignedPartitions.record(actors.withLock { $0.count }) }
        switch event.kind {
        case .assigned:
            board.setReady(false)
            let fresh = numbers.filter { p in actors.withLock { $0[p] == nil } }
            let offsets = startActors(fresh)
            board.setReady(failure.withLock { $0 } == nil)
            return event.partitions.compactMap { tp in
                offsets[tp.partition].map { TopicPartitionOffset(tp, offset: $0[tp.topic] ?? KafkaOffset.beginning) }
            }
        case .revoked:
            board.setReady(false)
            drainAndCommit(numbers)
            release(numbers)
            logger.info("revoked partitions \(numbers)")
            return []
        case .lost:
            board.setReady(false)
            // The group may already have given these partitions to another member, or
            // give them back to this one at the next join: nothing cut before may count
            // any more, and the commit in flight must have ended (aborted) before the
            // callback returns, so that no restore, here or elsewhere, reads a log it
            // is still writing to (a broker without transactional isolation shows it).
            // Dropped before the epoch moves: a cut that reads the new epoch cannot
            // still find these actors (`cutRound` reads the epoch before the actors).
            discard(numbers)
            ownershipEpoch.add(1, ordering: .acquiringAndReleasing)
            settleCommits()
            logger.warning("lost partitions \(numbers) without a commit")
            return []
        }
    }

    /// Restores these partitions in parallel and starts an actor for each; returns
    /// the input offsets each state covers.
    private func startActors(_ numbers: [Int32]) -> [Int32: [String: Int64]] {
        guard !numbers.isEmpty else { return [:] }
        var offsets: [Int32: [String: Int64]] = [:]
        for (p, result) in restoreInParallel(numbers).sorted(by: { $0.key < $1.key }) {
            switch result {
            case .success(let restored):
                Timer(label: "governor_restore_seconds", dimensions: [("partition", String(p))]).recordSeconds(restored.seconds)
                logger.info("restored partition \(p) from \(restored.records) changelog records in \(Int(restored.seconds * 1000)) ms; resuming at \(restored.task.nextOffsets)")
                offsets[p] = restored.task.nextOffsets
                install(restored.task)
            case .failure(let error):
                logger.critical("cannot restore partition \(p): \(error)")
                failure.withLock { $0 = $0 ?? "cannot restore partition \(p): \(error)" }
            }
        }
        return offsets
    }

    private func restoreInParallel(_ numbers: [Int32]) -> [Int32: Result<ChangelogRestorer.Restored, any Error>] {
        let results = Locked<[Int32: Result<ChangelogRestorer.Restored, any Error>]>([:])
        let group = DispatchGroup()
        for p in numbers {
            group.enter()
            // A thread per restore: each blocks on its own changelog consumer.
            NamedThread.start("restore-\(p)") { [restorer, configs] in
                let result = Result {
                    let restored = try restorer.restore(partition: p)
                    // Records replayed after a crash are governed with the config versions
                    // their first attempt saw: the table must have read that far.
                    let required = restored.task.requiredConfigs
                    guard configs.waitUntilRead(required, timeout: .seconds(120)) else {
                        throw CheckpointError("workspace-config not read up to \(required), the position partition \(p)'s unfinished attempts saw, within 120 s")
                    }
                    // Reported before a re-read, so no prune drops again what it needs.
                    let use = restored.task.configUse
                    configs.use.replace(partition: p, with: use)
                    if configs.current.needsReread(applied: use.applied, replaying: restored.task.configPins()) {
                        try configs.reread(timeout: .seconds(120))
                    }
                    return restored
                }
                results.withLock { $0[p] = result }
                group.leave()
            }
        }
        group.wait()
        return results.withLock { $0 }
    }

    private func install(_ task: PartitionTask) {
        let actor = PartitionActor(
            task: task, mailbox: Mailbox(capacity: options.mailboxCapacity),
            configs: { [configs] in configs.current },
            changelog: ChangelogTarget(topic: options.changelogTopic, namespace: options.group,
                                       snapshotEveryBytes: options.snapshotEveryBytes,
                                       snapshotSliceEntries: options.snapshotSliceEntries),
            caps: options.commitCaps,
            requestCommit: { [weak self] in self?.requestTick() },
            reportJumps: { [jumpSink] in jumpSink.yield($0) },
            reportConfigUse: { [configs, partition = task.partition] applied, pins in
                configs.use.update(partition: partition, applied: applied, pins: pins)
            })
        configs.use.replace(partition: task.partition, with: task.configUse)
        let running = Task { await actor.run() }
        actors.withLock { $0[task.partition] = PartitionHandle(actor: actor, running: running) }
    }

    /// Drops these partitions' actors after their work was committed.
    private func release(_ numbers: [Int32]) {
        let released = actors.withLock { all in numbers.compactMap { all.removeValue(forKey: $0) } }
        for p in numbers { configs.use.remove(partition: p) }
        for handle in released { handle.actor.mailbox.close() }
        unpause(numbers)
    }

    /// Drops these partitions' actors and what they hold, uncommitted.
    private func discard(_ numbers: [Int32]) {
        let dropped = actors.withLock { all in numbers.compactMap { all.removeValue(forKey: $0) } }
        for p in numbers { configs.use.remove(partition: p) }
        for handle in dropped {
            handle.actor.mailbox.discard()
            // An actor waiting on the commit cap would otherwise wait forever.
            Task { await handle.actor.drain() }
        }
        unpause(numbers)
    }

    private func unpause(_ numbers: [Int32]) {
        let wasPaused = paused.withLock { paused in numbers.filter { paused.remove($0) != nil } }
        guard !wasPaused.isEmpty, let consumer = consumer.withLock({ $0 }) else { return }
        try? consumer.resume(Self.inputs(of: wasPaused))
    }

    /// Has the commit loop drain these partitions' actors and commit, and waits for
    /// it, serving the poll thread's inbox meanwhile (a rebuild after a failed
    /// commit runs here). The poll thread is no cooperative-pool thread: it may block.
    private func drainAndCommit(_ numbers: [Int32]) {
        guard !abandoning.load(ordering: .acquiring) else { return }
        let token = inbox.makeToken()
        guard case .enqueued = requestSink.yield(.drain(numbers, token: token)) else { return }
        inbox.wait(for: token)
    }

    /// Waits until the commit loop has ended the commit in flight (and recovered from
    /// its failure), serving the poll thread's inbox meanwhile.
    private func settleCommits() {
        guard !abandoning.load(ordering: .acquiring) else { return }
        let token = inbox.makeToken()
        guard case .enqueued = requestSink.yield(.settle(token: token)) else { return }
        inbox.wait(for: token)
    }

    /// After a failed commit (on the poll thread): every actor is replaced by one
    /// restored from its changelog, and its inputs are sought back to the checkpoint.
    private func rebuildActors() {
        guard let consumer = consumer.withLock({ $0 }) else { return }
        let numbers = actors.withLock { Array($0.keys) }.sorted()
        // None left when the partitions of the failed commit were lost meanwhile.
        guard !numbers.isEmpty else { return }
        discard(numbers)
        let offsets = startActors(numbers)
        do {
            try consumer.seek(offsets.flatMap { p, next in
                ProcessorOptions.inputTopics.map { TopicPartitionOffset($0, p, offset: next[$0] ?? KafkaOffset.beginning) }
            })
        } catch {
            failure.withLock { $0 = $0 ?? "cannot seek back to the checkpoint after a failed commit: \(error)" }
        }
    }

    // MARK: Commits (the commit loop, one task)

    private func requestTick() {
        if !tickPending.exchange(true, ordering: .acquiringAndReleasing) { requestSink.yield(.tick) }
    }

    private func tickEveryInterval() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.commitInterval)
            requestTick()
        }
    }

    private func inspectJumps() async {
        for await batch in jumps { await gaps.inspect(batch) }
    }

    /// Runs the commit requests in order. A round's commit overlaps the next round's
    /// cut: while the committer waits on the broker for interval *n* (its flush and
    /// transaction commit), the actors cut interval *n+1* (encoding its changelog
    /// entries, in parallel on the cooperative pool), so a round costs the longer of
    /// the two instead of their sum. At most one commit is in flight, and
    /// transactions stay in interval order.
    ///
    /// The cut waits until the commit in flight has enqueued all its records: cut
    /// earlier (as soon as a tick came), a record governed just after the cut waited
    /// for the rest of that commit, a whole commit of its own interval's predecessor
    /// and then its own — about three commit durations at a rate where commits run
    /// back to back; cut at the flush, it waits about two.
    private func commitLoop() async {
        var inFlight: CommitInFlight?
        for await request in requests {
            switch request {
            case .tick:
                await inFlight?.waitUntilProduced()
                tickPending.store(false, ordering: .releasing)
                let cut = await cutRound()
                // The commit in flight ends before the next one starts; when it failed,
                // recovery replaces every actor, and this cut (of the replaced actors'
                // state, which ran ahead of the changelog) is dropped with them.
                if await finish(inFlight) {
                    inFlight = nil
                    continue
                }
                inFlight = await startCommit(of: cut)
            case .drain(let numbers, let token):
                await finish(inFlight)
                inFlight = nil
                let handles = actors.withLock { all in numbers.compactMap { all[$0] } }
                for handle in handles {
                    await handle.actor.drain()
                    handle.actor.mailbox.close()
                    await handle.running.value
                }
                await finish(await startCommit(of: await cutRound()))
                inbox.complete(token)
            case .settle(let token):
                await finish(inFlight)
                inFlight = nil
                inbox.complete(token)
            }
        }
        await finish(inFlight)
    }

    /// Waits for `commit` to end and, when it failed, recovers; true when it failed.
    @discardableResult
    private func finish(_ commit: CommitInFlight?) async -> Bool {
        guard let failure = await commit?.task.value else { return false }
        await recover(from: failure)
        return true
    }

    /// A commit running on the committer, and the signal that it has enqueued every
    /// record (it then only waits on the broker).
    private struct CommitInFlight {
        let task: Task<CommitFailure?, Never>
        let produced: AsyncStream<Void>

        /// Returns once the commit has enqueued its records, or has ended.
        func waitUntilProduced() async {
            for await _ in produced { return }
        }
    }

    /// Starts committing a cut: the commit in flight, or nil when there is nothing to
    /// commit or the cut failed (and has been recovered from).
    private func startCommit(of cut: Cut) async -> CommitInFlight? {
        switch cut {
        case .none:
            return nil
        case .failed(let failure):
            await recover(from: failure)
            return nil
        case .prepared(let prepared, let epoch):
            let (produced, signal) = AsyncStream<Void>.makeStream()
            let task = Task {
                defer { signal.finish() }
                return await self.commit(prepared, produced: { signal.yield() }, stillOwned: { [self] in
                    ownershipEpoch.load(ordering: .acquiring) == epoch
                })
            }
            return CommitInFlight(task: task, produced: produced)
        }
    }

    /// A cut of every actor's interval.
    private enum Cut {
        /// Nothing was governed since the last cut (or the processor gave up).
        case none
        /// With the `ownershipEpoch` it was cut in.
        case prepared([PreparedCommit], epoch: Int)
        /// An actor could not cut (its state is then behind its buffers): recover.
        case failed(CommitFailure)
    }

    /// Cuts every actor's interval, in parallel.
    private func cutRound() async -> Cut {
        // After giving up (`recover`) nothing more is committed: the poll thread ends.
        guard failure.withLock({ $0 }) == nil else { return .none }
        // Before the actors: a loss (`rebalanced`) drops its actors and then moves the
        // epoch, so a cut that finds lost actors carries an epoch that no longer holds.
        let epoch = ownershipEpoch.load(ordering: .acquiring)
        let handles = actors.withLock { Array($0.values) }.sorted { $0.actor.partition < $1.actor.partition }
        guard !handles.isEmpty, consumer.withLock({ $0 }) != nil else { return .none }
        let started = ContinuousClock.now
        // One partition a round may begin a due snapshot: several in one round made
        // that round, and every record waiting for it, several times longer (a large
        // one is spread over its next cuts: `PartitionTask.SpreadSnapshot`). Each
        // partition's turn comes every `handles.count` rounds.
        // Likewise a quarter of the partitions a round (at least one) may write the
        // next slice of a snapshot in progress, in turn: partitions restored together
        // come due together, and with every one of twelve writing a slice each round,
        // rounds at 30,000 events/s carried 35,000–45,000 changelog records instead of
        // ~5,000 and p99 rose to 420 ms (docs/BENCHMARKS.md, session 13).
        let round = Int(UInt(bitPattern: snapshotTurn.add(1, ordering: .relaxed).newValue) % UInt(handles.count))
        let turn = handles[round].actor.partition
        let sliceTurns = max(1, handles.count / 4)
        do {
            let prepared = try await withThrowingTaskGroup(of: PreparedCommit?.self) { group in
                for (index, handle) in handles.enumerated() {
                    let maySlice = (index - round + handles.count) % handles.count < sliceTurns
                    group.addTask {
                        try await handle.actor.prepareCommit(maySnapshot: handle.actor.partition == turn, maySlice: maySlice)
                    }
                }
                var all: [PreparedCommit] = []
                for try await part in group { if let part { all.append(part) } }
                return all.sorted { $0.partition < $1.partition }
            }
            guard !prepared.isEmpty else { return .none }
            cutTimer.recordSeconds((ContinuousClock.now - started).seconds)
            logger.debug("cut \(prepared.count) partitions in \(Int((ContinuousClock.now - started).seconds * 1000)) ms: \(prepared.reduce(0) { $0 + $1.changelog.count }) changelog records, \(prepared.filter(\.snapshot).count) snapshots, \(prepared.reduce(0) { $0 + $1.rewrittenKeys }) rewritten keys")
            return .prepared(prepared, epoch: epoch)
        } catch let error as CommitFailure {
            return .failed(error)
        } catch {
            return .failed(CommitFailure(needsNewProducer: false, underlying: error))
        }
    }

    /// Commits a cut; nil on success, else the failure to recover from.
    private func commit(_ prepared: [PreparedCommit], produced: @escaping @Sendable () -> Void,
                        stillOwned: @escaping @Sendable () -> Bool) async -> CommitFailure? {
        guard let consumer = consumer.withLock({ $0 }) else { return nil }
        let started = ContinuousClock.now
        do {
            try await committer.commit(prepared, consumer: consumer, produced: produced, stillOwned: stillOwned)
        } catch {
            return error
        }
        commitTimer.recordSeconds((ContinuousClock.now - started).seconds)
        board.committed(prepared.flatMap(\.consumerOffsets))
        commitSucceeded()
        for part in prepared { Self.report(part.verdicts) }
        return nil
    }

    /// After a failed commit: backs off, replaces the producer when it is unusable,
    /// and rebuilds every actor from its changelog (`rebuildActors`); `/readyz` says
    /// not ready meanwhile. Too many failures in a row end the processor with a
    /// message (`CommitFailurePolicy`) instead of looping silently.
    private func recover(from error: CommitFailure) async {
        commitFailures.increment()
        board.setRecovering(true)
        let policy = options.commitFailurePolicy
        var failures = countFailure()
        var replacing = error.needsNewProducer
        var last: any Error = error
        while true {
            if policy.givesUp(afterFailure: failures) {
                let message = "\(failures) commits failed in a row, the last with: \(last). Giving up so that the instance is restarted; "
                    + "check that the brokers are reachable and that no other instance runs with --instance-id \(options.instanceID) in group \(options.group)"
                logger.critical("\(message)")
                failure.withLock { $0 = $0 ?? message }
                return
            }
            let wait = policy.backoff(afterFailure: failures, replacingProducer: replacing)
            logger.error("commit failed (\(failures) in a row)\(replacing ? "; replacing the producer" : "") and rebuilding the partition actors from the changelog\(wait > .zero ? " in \(wait)" : ""): \(last)")
            await sleepUnlessStopping(wait)
            guard replacing else { break }
            do {
                try await committer.replaceProducer()
                break
            } catch {
                failures = countFailure()
                last = error
                replacing = true
            }
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let posted = inbox.post { [self] in
                rebuildActors()
                done.resume()
            }
            if !posted { done.resume() }
        }
        // After a few failures in a row, only a successful commit makes it ready again.
        if failures < Self.unreadyAfterFailures { board.setRecovering(false) }
    }

    /// Failures in a row from which `/readyz` waits for a successful commit.
    static let unreadyAfterFailures = 3

    private func countFailure() -> Int {
        let failures = consecutiveFailures.withLock { count in
            count += 1
            return count
        }
        consecutiveFailuresGauge.record(failures)
        return failures
    }

    private func commitSucceeded() {
        let hadFailed = consecutiveFailures.withLock { count in
            defer { count = 0 }
            return count > 0
        }
        guard hadFailed else { return }
        consecutiveFailuresGauge.record(0)
        board.setRecovering(false)
    }

    /// Waits `duration`, or less once the processor is asked to stop.
    private func sleepUnlessStopping(_ duration: Duration) async {
        let end = ContinuousClock.now + duration
        while !stopping.load(ordering: .acquiring), ContinuousClock.now < end {
            try? await Task.sleep(for: min(.milliseconds(200), end - ContinuousClock.now))
        }
    }

    /// Verdicts by verdict and reason as `governor_verdicts_total`.
    private static func report(_ verdicts: [String: Int]) {
        for (key, count) in verdicts {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            Counter(label: "governor_verdicts_total",
                    dimensions: [("verdict", parts[0]), ("reason", parts.count > 1 ? parts[1] : "none")])
                .increment(by: count)
        }
    }
}

/// A value behind a lock that closures on other threads can share.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
