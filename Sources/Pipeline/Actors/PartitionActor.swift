import Governance
import Kafka
import Metrics

/// The caps on one commit: an actor whose interval reaches either asks for a
/// commit and waits for its cut before governing more (bounded memory), and the
/// committer splits a commit that would pass them into several transactions.
public struct CommitCaps: Sendable, Equatable {
    /// Output and changelog records per commit.
    public var maxRecords: Int
    /// Key, value and header bytes per commit.
    public var maxBytes: Int

    /// Defaults: a transaction is a fixed cost of broker round trips (its begin, the
    /// attempt markers' flush, offsets, commit), so a round is split only when it is
    /// large; `OutputProducer` sizes librdkafka's queue to hold a whole transaction.
    public init(maxRecords: Int = 200_000, maxBytes: Int = 32 << 20) {
        self.maxRecords = maxRecords
        self.maxBytes = maxBytes
    }
}

/// One assigned partition number: owns its `PartitionTask` (the governance engine of
/// the partition's workspaces and the org stage of its orgs), governs the batches
/// the poll thread posts to its mailbox in offset order, and cuts a
/// `PreparedCommit` when the committer asks, then keeps governing the next interval
/// into fresh buffers while that one is written (double buffering).
///
/// Reentrancy is what makes the cut cheap and exact: `run()` yields between
/// batches, `prepareCommit()` runs there, so a cut always falls on a batch boundary
/// and covers exactly the offsets the state has seen.
actor PartitionActor {
    nonisolated let partition: Int32
    nonisolated let mailbox: Mailbox
    private var task: PartitionTask
    /// The workspace-config table as of now (read once per batch).
    private let configs: @Sendable () -> PositionedConfigTable
    private let checkpoint = StateCheckpoint()
    private let changelog: ChangelogTarget
    private let caps: CommitCaps
    /// Asks the committer for a commit now (the interval reached a cap).
    private let requestCommit: @Sendable () -> Void
    /// Receives offset jumps for inspection (see `OffsetGapInspector`).
    private let reportJumps: @Sendable ([PartitionTask.OffsetJump]) -> Void
    /// `run()` waiting for its interval to be cut before governing more.
    private var capWaiter: CheckedContinuation<Void, Never>?
    /// Set by `drain()`: govern what is queued without waiting on the cap.
    private var draining = false
    private let idleTimer: Timer
    private let capWaitTimer: Timer
    private let mailboxDepth: Recorder
    private var evictions = EvictionMetrics()
    /// Receives, at each cut, the config sequences the workspaces touched in the
    /// interval applied and the task's pins (`ConfigUseRegistry.update`).
    private let reportConfigUse: @Sendable (_ applied: [String: Int64], _ pins: [ConfigPosition]) -> Void

    init(task: PartitionTask, mailbox: Mailbox, configs: @escaping @Sendable () -> PositionedConfigTable, changelog: ChangelogTarget, caps: CommitCaps,
         requestCommit: @escaping @Sendable () -> Void,
         reportJumps: @escaping @Sendable ([PartitionTask.OffsetJump]) -> Void,
         reportConfigUse: @escaping @Sendable (_ applied: [String: Int64], _ pins: [ConfigPosition]) -> Void = { _, _ in }) {
        self.reportConfigUse = reportConfigUse
        partition = task.partition
        self.task = task
        self.mailbox = mailbox
        self.configs = configs
        self.changelog = changelog
        self.caps = caps
        self.requestCommit = requestCommit
        self.reportJumps = reportJumps
        let dimensions = [("partition", String(task.partition))]
        idleTimer = Timer(label: "governor_actor_wait_seconds", dimensions: dimensions + [("reason", "mailbox_empty")])
        capWaitTimer = Timer(label: "governor_actor_wait_seconds", dimensions: dimensions + [("reason", "commit_cap")])
        mailboxDepth = Recorder(label: "governor_mailbox_depth", dimensions: dimensions)
    }

    /// The next input offsets the state covers (what a restore found, until governed).
    var nextOffsets: [String: Int64] { task.nextOffsets }

    /// Governs the mailbox's batches until it is closed (or discarded).
    func run() async {
        var batches = mailbox.batches.makeAsyncIterator()
        while true {
            let waiting = ContinuousClock.now
            guard let batch = await batches.next() else { break }
            idleTimer.recordSeconds((ContinuousClock.now - waiting).seconds)
            mailbox.took()
            mailboxDepth.record(mailbox.count)
            if mailbox.isDiscarded { break }
            govern(batch)
            if !draining, task.outputs.count >= caps.maxRecords || task.pendingBytes >= caps.maxBytes {
                let blocked = ContinuousClock.now
                requestCommit()
                await withCheckedContinuation { capWaiter = $0 }
                capWaitTimer.recordSeconds((ContinuousClock.now - blocked).seconds)
            } else {
                // `next()` does not suspend while batches are queued: without this an
                // actor with a backlog kept its pool thread (and its isolation) until
                // the backlog was governed, so cuts and the commit ticker waited
                // seconds on a catch-up. Here a waiting `prepareCommit` and the other
                // actors get their turn, once per batch.
                await Task.yield()
            }
        }
        capWaiter?.resume()
        capWaiter = nil
    }

    /// Before the mailbox is closed for a final commit (revocation, stop): `run()`
    /// governs the rest of its mailbox without waiting for a cut.
    func drain() {
        draining = true
        capWaiter?.resume()
        capWaiter = nil
    }

    /// Governs one batch (also the entry point of unit tests).
    func govern(_ batch: [KafkaMessage]) {
        let table = configs()
        for message in batch where message.partition == partition {
            task.process(message, configs: table)
        }
        let jumps = task.takeJumps()
        if !jumps.isEmpty { reportJumps(jumps) }
        evictions.report(task.engine.evictions)
    }

    /// Cuts the interval governed so far (nil when there is none) and lets a run
    /// blocked on the commit cap go on. `maySnapshot`, `maySlice`: see `PartitionTask.prepareCommit`.
    func prepareCommit(maySnapshot: Bool = true, maySlice: Bool = true) throws -> PreparedCommit? {
        defer {
            capWaiter?.resume()
            capWaiter = nil
        }
        let touched = task.engine.touched
        let pin = task.intervalConfigs
        let prepared = try task.prepareCommit(checkpoint: checkpoint, changelog: changelog, maySnapshot: maySnapshot,
                                            maySlice: maySlice)
        if prepared != nil {
            reportConfigUse(ConfigUse.applied(by: task.engine, of: touched), task.configPins(cut: pin))
        }
        return prepared
    }
}
