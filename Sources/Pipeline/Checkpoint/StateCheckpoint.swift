import Governance

/// Turns a partition's governance state into changelog entries and back: the
/// changes since the last checkpoint, a full snapshot, and a restore.
struct StateCheckpoint {
    /// Binary, not JSON: encoding dominated commit time. Deterministic, so a map
    /// entry's key encodes to the same bytes every time.
    private let encoder = BinaryStateEncoder()
    /// Map keys in one canonical byte spelling (strings in NFC): Swift finds the NFC
    /// and NFD spellings of a contact equal, so they are one map entry and must be one
    /// changelog key, or a tombstone in one spelling would leave the other alive.
    private let keyEncoder = BinaryStateEncoder(userInfo: [.canonicalStrings: true])
    private let coreEncoder = BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true])
    private let decoder = BinaryStateDecoder()

    /// One changelog entry: a state key and its encoded value (nil deletes it).
    typealias Entry = (key: [UInt8], value: [UInt8]?)

    /// The entries changed since the last call: the scalars of every touched
    /// workspace and every changed map entry. Every key is the state key after
    /// `keyPrefix` (the changelog's, `ChangelogCodec.entryKeyPrefix`, so the cut builds
    /// each Kafka key once).
    func drainChanges(engine: inout GovernanceEngine, org: inout OrgStage, keyPrefix: [UInt8] = []) throws -> [Entry] {
        try entries(engine: &engine, org: &org, keyPrefix: keyPrefix, fullWorkspaces: { _ in false }, fullOrg: false)
    }

    /// Every live entry of the state (a snapshot), plus a tombstone for every entry
    /// deleted since the last checkpoint: a restore from the full log starts over at
    /// the snapshot, but on a compacted log the deleted entry's older value would
    /// otherwise be its newest record and come back. Also forgets pending changes.
    /// Keys as `drainChanges` writes them.
    func snapshot(engine: inout GovernanceEngine, org: inout OrgStage, keyPrefix: [UInt8] = []) throws -> [Entry] {
        try entries(engine: &engine, org: &org, keyPrefix: keyPrefix, fullWorkspaces: { _ in true }, fullOrg: true)
    }

    /// The entries of a cut that snapshots part of the state (one slice of a snapshot
    /// spread over attempts): those of `snapshot` for every workspace `fullWorkspaces`
    /// accepts (and the org stage when `fullOrg`), those of `drainChanges` for the
    /// rest, in the same order as either.
    func entries(engine: inout GovernanceEngine, org: inout OrgStage, keyPrefix: [UInt8],
                 fullWorkspaces: (String) -> Bool, fullOrg: Bool) throws -> [Entry] {
        var entries: [Entry] = []
        let touched = engine.drainTouchedWorkspaces()
        // Every workspace, not only the touched ones: the partition-wide dedup bound
        // evicts ids of workspaces that got no record.
        for id in engine.workspaces.ids {
            let full = fullWorkspaces(id)
            if full || touched.contains(id), let core = try engine.withWorkspace(id, { state throws in try coreEncoder.encode(state) }) {
                entries.append((keyPrefix + StateKey.core(workspace: id).bytes, core))
            }
            var visitor = EntryVisitor(checkpoint: self, owner: .workspace(id, keyPrefix), snapshot: full, entries: entries)
            entries = []
            engine.withWorkspace(id) { $0.visitMaps(&visitor) }
            try visitor.check()
            entries = visitor.entries
        }
        var orgVisitor = EntryVisitor(checkpoint: self, owner: .org(keyPrefix), snapshot: fullOrg, entries: entries)
        entries = []
        org.visitMaps(&orgVisitor)
        try orgVisitor.check()
        return orgVisitor.entries
    }

    /// Live map entries per workspace, to cut a spread snapshot into slices.
    func entryCounts(engine: inout GovernanceEngine) -> [(workspaceID: String, entries: Int)] {
        engine.workspaces.ids.map { id in
            var counter = EntryCounter()
            engine.withWorkspace(id) { $0.visitMaps(&counter) }
            return (id, counter.count + 1)
        }
    }

    /// Appends the entry of one map key to `entries`: its key after `mapPrefix`, its
    /// value (nil: a tombstone).
    fileprivate func append<Key: Encodable, Value: Encodable>(
        _ key: Key, _ value: Value?, mapPrefix: [UInt8], to entries: inout [Entry]
    ) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(mapPrefix.count + 32)
        bytes.append(contentsOf: mapPrefix)
        try keyEncoder.encode(key, into: &bytes)
        entries.append((bytes, try value.map { try encoder.encode($0) }))
    }

    /// Rebuilds the state from the entries a changelog replay left.
    func restore(_ state: [[UInt8]: [UInt8]], settings: EngineSettings) throws -> (GovernanceEngine, OrgStage) {
        var engine = GovernanceEngine(settings: settings)
        var org = OrgStage()
        var mapEntries: [String: [String: [([UInt8], [UInt8])]]] = [:]
        var orgEntries: [String: [([UInt8], [UInt8])]] = [:]
        for (key, value) in state {
            switch StateKey(bytes: key) {
            case .core(let ws)?:
                engine.restore(try decoder.decode(WorkspaceState.self, from: value))
                _ = ws
            case .mapEntry(let ws, let path, let entryKey)?:
                mapEntries[ws, default: [:]][path, default: []].append((entryKey, value))
            case .orgEntry(let path, let entryKey)?:
                orgEntries[path, default: []].append((entryKey, value))
            case nil:
                throw CheckpointError("unreadable state key \(key)")
            }
        }
        for (ws, paths) in mapEntries {
            guard engine.workspaces.contains(ws) else { throw CheckpointError("map entries for workspace \(ws) without its scalars") }
            var restore = RestoreVisitor(decoder: decoder, entries: paths)
            engine.withWorkspace(ws) { state in
                state.visitMaps(&restore)
                state.rebuildIndexes()
            }
            try restore.check()
        }
        var orgRestore = RestoreVisitor(decoder: decoder, entries: orgEntries)
        org.visitMaps(&orgRestore)
        try orgRestore.check()
        _ = engine.drainTouchedWorkspaces()
        return (engine, org)
    }
}

/// A checkpoint could not be written or read.
struct CheckpointError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes the entries of every map it visits: the changed ones (a drain), or all of
/// them after a tombstone per deleted key (a snapshot). Forgets the changes.
private struct EntryVisitor: TrackedMapVisitor {
    /// Whose maps: a workspace's or the org stage's, after the changelog key prefix.
    enum Owner {
        case workspace(String, [UInt8])
        case org([UInt8])
    }

    let checkpoint: StateCheckpoint
    let owner: Owner
    /// `m` + workspace or `o`, after the key prefix: built at the first map with
    /// entries to write (most workspaces have none at a cut).
    private var ownerBytes: [UInt8]?
    let snapshot: Bool
    var entries: [StateCheckpoint.Entry]
    var failure: (any Error)?

    init(checkpoint: StateCheckpoint, owner: Owner, snapshot: Bool, entries: [StateCheckpoint.Entry]) {
        self.checkpoint = checkpoint
        self.owner = owner
        self.snapshot = snapshot
        self.entries = entries
    }

    /// Specialized for the maps that take most entries (the generic body checks these
    /// types first and jumps to code where hashing and encoding are direct calls).
    @_specialize(where Key == String, Value == Int64)
    @_specialize(where Key == RateLimitKey, Value == TokenBucket)
    @_specialize(where Key == String, Value == HeldEvents<HeldRecord>)
    @_specialize(where Key == Int64, Value == [TimeBucketQueue<String>.Entry])
    @_specialize(where Key == String, Value == ContactConsent)
    @_specialize(where Key == String, Value == String)
    @_specialize(where Key == UInt64, Value == DedupSegment)
    mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) {
        guard snapshot || map.hasChanges else { return }
        if ownerBytes == nil {
            ownerBytes = switch owner {
            case .workspace(let id, let prefix): StateKey.mapOwner(workspace: id, after: prefix)
            case .org(let prefix): StateKey.mapOwner(workspace: nil, after: prefix)
            }
        }
        let prefix = StateKey.mapPrefix(owner: ownerBytes!, path: path)
        do {
            if snapshot {
                for (key, value) in map.drainChanges() where value == nil {
                    try checkpoint.append(key, Value?.none, mapPrefix: prefix, to: &entries)
                }
                entries.reserveCapacity(entries.count + map.count)
                for (key, value) in map.storage { try checkpoint.append(key, value, mapPrefix: prefix, to: &entries) }
            } else {
                let changes = map.drainChanges()
                entries.reserveCapacity(entries.count + changes.count)
                for (key, value) in changes { try checkpoint.append(key, value, mapPrefix: prefix, to: &entries) }
            }
        } catch { failure = error }
    }

    func check() throws { if let failure { throw failure } }
}

private struct EntryCounter: TrackedMapVisitor {
    var count = 0
    mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) { count += map.count }
}

private struct RestoreVisitor: TrackedMapVisitor {
    let decoder: BinaryStateDecoder
    let entries: [String: [([UInt8], [UInt8])]]
    var failure: (any Error)?

    mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) {
        guard let list = entries[path] else { return }
        do {
            map.reserveCapacity(map.count + list.count)
            for (key, value) in list {
                map.restore(try decoder.decode(Key.self, from: key), try decoder.decode(Value.self, from: value))
            }
        } catch { failure = error }
    }

    func check() throws { if let failure { throw failure } }
}
