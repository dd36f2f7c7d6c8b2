import Governance

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12 item 3, measured: one workspace holding `contacts` MAU contacts in one
/// MAU mode, built through `UsageMeter.recordAccepted` (the rules' own path) and
/// checkpointed by the real `StateCheckpoint` drain / snapshot code into a changelog
/// file of `ChangelogCodec` records, then restored from that file through
/// `ChangelogReplay` and `StateCheckpoint.restore` (what `ChangelogRestorer` does
/// after its Kafka read).
///
/// Resident bytes are VmRSS of this process after freed pages went back to the system
/// (jemalloc's purge, glibc's `malloc_trim(0)`), before and after
/// building (and restoring) the state, so they are measured, not estimated; run one
/// scenario per fresh process (`governor bench memory` does) so that one scenario's
/// freed memory cannot hide in the next one's figures.
@_spi(Benchmarks) public struct StateScaleBenchmark: Sendable {
    public enum Scenario: String, CaseIterable, Sendable {
        /// `active_events`: every contact active once this month.
        case activeEvents = "active-events"
        /// `identified_rolling_30d`: every contact identified within the last 30 days,
        /// plus `names` registered event names.
        case identifiedRolling30d = "identified-rolling-30d"
    }

    public struct Figures: Sendable {
        public var scenario: Scenario
        public var contacts: Int
        public var names: Int
        public var buildSeconds: Double
        /// VmRSS growth from building the state (engine + workspace), per contact.
        public var residentBytesPerContact: Double
        /// VmRSS growth from restoring the state from the changelog, per contact.
        public var restoredResidentBytesPerContact: Double
        /// Every record of the changelog file (deltas of each commit, then a snapshot).
        public var changelogRecords: Int
        public var changelogBytes: Int
        /// The final snapshot's entries and their key + value bytes (what a compacted
        /// changelog keeps for the workspace).
        public var snapshotEntries: Int
        public var snapshotBytes: Int
        public var restoreRecords: Int
        /// Reading, decoding and replaying the changelog (`ChangelogReplay`).
        public var replaySeconds: Double
        /// `StateCheckpoint.restore` of the replayed entries.
        public var rebuildSeconds: Double
        public var restoreSeconds: Double { replaySeconds + rebuildSeconds }
        /// CPU time of the restore (this process): wall time depends on what else runs.
        public var restoreCPUSeconds: Double
        /// identified-rolling-30d: the restored state's first `expire` whose cut-off
        /// reaches an hour holding contacts (one scan of every contact; 0 otherwise).
        public var expiryHourSeconds: Double
        /// VmHWM of the process.
        public var peakResidentBytes: Int
    }

    public static let workspaceID = "ws_scale"
    /// 2026-03-01T00:00:00Z: the build's events all fall in March 2026.
    static let start: StreamTime = 1_772_323_200_000

    public var scenario: Scenario
    public var contacts: Int
    /// Registered names (identified-rolling-30d only).
    public var names: Int
    /// Contacts per checkpoint (one changelog attempt, as a commit interval would write).
    public var contactsPerCommit: Int

    public init(scenario: Scenario, contacts: Int, names: Int = 200, contactsPerCommit: Int = 10_000) {
        self.scenario = scenario
        self.contacts = contacts
        self.names = scenario == .identifiedRolling30d ? names : 0
        self.contactsPerCommit = max(1, contactsPerCommit)
    }

    /// A contact key of 24 bytes, `contact-` and 16 digits: longer than Swift's
    /// 15-byte inline strings, as real customer or anonymous ids are.
    public static func contactKey(_ i: Int) -> String {
        var digits = Array(repeating: UInt8(ascii: "0"), count: 16)
        var n = i
        var index = 15
        while n > 0, index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(n % 10)
            n /= 10
            index -= 1
        }
        return "contact-" + String(decoding: digits, as: UTF8.self)
    }

    public func run(changelogPath: String, progress: (String) -> Void) throws -> Figures {
        let settings = EngineSettings(wallClock: { 0 })
        let checkpoint = StateCheckpoint()
        let log = try ChangelogFileWriter(path: changelogPath)
        let base = Self.residentBytes()

        // Build, checkpointing every `contactsPerCommit` contacts like a commit interval.
        var engine: GovernanceEngine? = GovernanceEngine(settings: settings)
        var org = OrgStage()
        engine!.restore(WorkspaceState(workspaceID: Self.workspaceID, dedupMaxEntries: settings.dedupMaxEntries))
        var attempt: UInt64 = 1
        try log.attempt(attempt, offset: 0, entries: checkpoint.snapshot(engine: &engine!, org: &org), snapshot: true)
        let built = ContinuousClock.now
        let mode: MAUMode = scenario == .activeEvents ? .activeEvents : .identifiedRolling30d
        let plan = UsagePlan(mode: mode, mauIncluded: -1, eventsPerMonth: -1, peakConcurrentConnections: -1)
        // Spread over 27 days: one month, and every identify still inside its 30-day window.
        let step = 27 * Millis.day / Int64(max(contacts, 1))
        var next = 0
        while next < contacts {
            let end = min(contacts, next + contactsPerCommit)
            engine!.withWorkspace(Self.workspaceID) { state in
                for i in next..<end {
                    let t = Self.start + Int64(i) * step
                    if i < names { _ = state.registry.admit("feature_\(i)", cap: nil, at: t) }
                    let event = MeteredEvent(contactKey: Self.contactKey(i), event: mode == .activeEvents ? "page_view" : "identify",
                                             messageID: "m\(i)", role: mode == .activeEvents ? .active : .identify)
                    _ = state.meter.recordAccepted(event, at: t, plan: plan)
                }
            }
            next = end
            attempt += 1
            try log.attempt(attempt, offset: Int64(next), entries: checkpoint.drainChanges(engine: &engine!, org: &org), snapshot: false)
            if next % 100_000 == 0 { progress("bench memory: \(scenario.rawValue) built \(next) contacts") }
        }
        let buildSeconds = (ContinuousClock.now - built).seconds
        let builtResident = Self.residentBytes() - base
        let expected = Digest(engine!.workspaces[existing: Self.workspaceID])
        guard expected.contacts == contacts, expected.names == names else {
            throw CheckpointError("bench memory: built \(expected.contacts) contacts and \(expected.names) names, not \(contacts) and \(names)")
        }
        attempt += 1
        let snapshot = try checkpoint.snapshot(engine: &engine!, org: &org)
        try log.attempt(attempt, offset: Int64(contacts), entries: snapshot, snapshot: true)
        try log.close()
        engine = nil

        // Restore from the file.
        progress("bench memory: \(scenario.rawValue) restoring \(log.records) changelog records")
        let restoreBase = Self.residentBytes()
        let replayStarted = ContinuousClock.now
        let cpuStarted = Self.cpuSeconds()
        var replay = ChangelogReplay(logStartOffset: 0)
        try ChangelogFileReader.read(path: changelogPath) { record, size in replay.apply(record, size: size) }
        let replayed = try replay.finish()
        let rebuildStarted = ContinuousClock.now
        var restored: GovernanceEngine? = try checkpoint.restore(replayed, settings: settings).0
        let rebuildSeconds = (ContinuousClock.now - rebuildStarted).seconds
        let restoreCPUSeconds = Self.cpuSeconds() - cpuStarted
        let replaySeconds = (rebuildStarted - replayStarted).seconds
        let restoreRecords = replay.recordsRead
        replay = ChangelogReplay(logStartOffset: 0)
        _ = consume replayed
        let restoredResident = Self.residentBytes() - restoreBase
        guard let state = restored?.workspaces[Self.workspaceID], Digest(state) == expected else {
            throw CheckpointError("bench memory: the restored state differs from the built one")
        }
        // One hour of rolling expiry at the window's edge: the cut-off reaches the build's
        // second hour, so one scan of every contact drops the first hour's.
        var expiryHourSeconds = 0.0
        if scenario == .identifiedRolling30d {
            let now = Self.start + RollingIdentifiedMAU.window + Millis.hour
            let due = (0..<contacts).count(where: { Self.start + Int64($0) * step <= now - RollingIdentifiedMAU.window })
            let started = ContinuousClock.now
            restored!.withWorkspace(Self.workspaceID) { $0.meter.rolling.expire(at: now) }
            expiryHourSeconds = (ContinuousClock.now - started).seconds
            guard restored!.workspaces[existing: Self.workspaceID].meter.rolling.count == Int64(contacts - due) else {
                throw CheckpointError("bench memory: expiry at the window's edge left the wrong contacts")
            }
        }
        restored = nil

        return Figures(
            scenario: scenario, contacts: contacts, names: names, buildSeconds: buildSeconds,
            residentBytesPerContact: Double(builtResident) / Double(max(contacts, 1)),
            restoredResidentBytesPerContact: Double(restoredResident) / Double(max(contacts, 1)),
            changelogRecords: log.records, changelogBytes: log.bytes,
            snapshotEntries: snapshot.count,
            snapshotBytes: snapshot.reduce(0) { $0 + $1.key.count + ($1.value?.count ?? 0) },
            restoreRecords: restoreRecords, replaySeconds: replaySeconds, rebuildSeconds: rebuildSeconds,
            restoreCPUSeconds: restoreCPUSeconds, expiryHourSeconds: expiryHourSeconds,
            peakResidentBytes: ProcessStatus.field("VmHWM:"))
    }

    /// VmRSS after giving freed heap memory back to the system, so only live memory counts.
    static func residentBytes() -> Int {
        let process = dlopen(nil, RTLD_NOW)
        // jemalloc, the `governor` executable's allocator: purge every arena's unused
        // pages (MALLCTL_ARENAS_ALL = 4096) after flushing this thread's cache.
        if let symbol = dlsym(process, "mallctl") {
            typealias MallCtl = @convention(c) (UnsafePointer<CChar>, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?,
                                                UnsafeMutableRawPointer?, Int) -> Int32
            let mallctl = unsafeBitCast(symbol, to: MallCtl.self)
            _ = mallctl("thread.tcache.flush", nil, nil, nil, 0)
            _ = mallctl("arena.4096.purge", nil, nil, nil, 0)
        }
        // glibc's `malloc_trim`, which Swift's Glibc module does not import.
        if let symbol = dlsym(process, "malloc_trim") {
            _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        return ProcessStatus.field("VmRSS:")
    }

    /// CPU time of this process so far.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// What must survive a restore: the MAU contacts with their times, the registered
    /// names, as an order-independent checksum and counts. (The rolling mode's expiry
    /// queue is derived from its contacts and rebuilt on restore, not checkpointed.)
    struct Digest: Equatable {
        var contacts = 0
        var names = 0
        var sum: UInt64 = 0

        init(_ state: WorkspaceState) {
            for (key, t) in state.meter.activeContacts { add(key, t) }
            for (key, t) in state.meter.rolling.lastIdentified { add(key, t) }
            contacts = Int(state.meter.mau(.activeEvents) + state.meter.mau(.identifiedRolling30d))
            for (name, t) in state.registry.names { add(name, t) }
            names = state.registry.size
        }

        private mutating func add(_ key: String, _ t: StreamTime) {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in key.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            sum &+= h ^ UInt64(bitPattern: t)
        }
    }
}
