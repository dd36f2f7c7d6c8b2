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
    /// workspace and every changed map entry.
    func drainChanges(engine: inout GovernanceEngine, org: inout OrgStage) throws -> [Entry] {
        var entries: [Entry] = []
        let touched = engine.drainTouchedWorkspaces()
        for id in engine.workspaces.ids {
            let core: [UInt8]? = touched.contains(id)
                ? try engine.withWorkspace(id) { state throws in try coreEncoder.encode(state) } : nil
            if let core { entries.append((StateKey.core(workspace: id).bytes, core)) }
            var drain = DrainVisitor(encoder: encoder, keyEncoder: keyEncoder, prefix: { .mapEntry(workspace: id, path: $0, key: $1) })
            engine.withWorkspace(id) { $0.visitMaps(&drain) }
            try drain.check()
            entries += drain.entries
        }
        var orgDrain = DrainVisitor(encoder: encoder, keyEncoder: keyEncoder, prefix: { .orgEntry(path: $0, key: $1) })
        org.visitMaps(&orgDrain)
        try orgDrain.check()
        return entries + orgDrain.entries
    }

    /// Every live entry of the state (a snapshot), plus a tombstone for every entry
    /// deleted since the last checkpoint: a restore from the full log starts over at
    /// the snapshot, but on a compacted log the deleted entry's older value would
    /// otherwise be its newest record and come back. Also forgets pending changes.
    func snapshot(engine: inout GovernanceEngine, org: inout OrgStage) throws -> [Entry] {
        _ = engine.drainTouchedWorkspaces()
        var entries: [Entry] = []
        for id in engine.workspaces.ids {
            let core = try engine.withWorkspace(id) { state throws in try coreEncoder.encode(state) }
            if let core { entries.append((StateKey.core(workspace: id).bytes, core)) }
            var all = SnapshotVisitor(encoder: encoder, keyEncoder: keyEncoder, prefix: { .mapEntry(workspace: id, path: $0, key: $1) })
            engine.withWorkspace(id) { $0.visitMaps(&all) }
            try all.check()
            entries += all.entries
        }
        var orgAll = SnapshotVisitor(encoder: encoder, keyEncoder: keyEncoder, prefix: { .orgEntry(path: $0, key: $1) })
        org.visitMaps(&orgAll)
        try orgAll.check()
        return entries + orgAll.entries
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

private struct DrainVisitor: TrackedMapVisitor {
    let encoder: BinaryStateEncoder
    let keyEncoder: BinaryStateEncoder
    let prefix: (String, [UInt8]) -> StateKey
    var entries: [StateCheckpoint.Entry] = []
    var failure: (any Error)?

    mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) {
        guard !map.changedKeys.isEmpty else { return }
        do {
            for (key, value) in map.drainChanges() {
                let keyBytes = try keyEncoder.encode(key)
                entries.append((prefix(path, keyBytes).bytes, try value.map { try encoder.encode($0) }))
            }
        } catch { failure = error }
    }

    func check() throws { if let failure { throw failure } }
}

private struct SnapshotVisitor: TrackedMapVisitor {
    let encoder: BinaryStateEncoder
    let keyEncoder: BinaryStateEncoder
    let prefix: (String, [UInt8]) -> StateKey
    var entries: [StateCheckpoint.Entry] = []
    var failure: (any Error)?

    mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>) {
        do {
            for (key, value) in map.drainChanges() where value == nil {
                entries.append((prefix(path, try keyEncoder.encode(key)).bytes, nil))
            }
            for (key, value) in map.storage {
                entries.append((prefix(path, try keyEncoder.encode(key)).bytes, try encoder.encode(value)))
            }
        } catch { failure = error }
    }

    func check() throws { if let failure { throw failure } }
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
