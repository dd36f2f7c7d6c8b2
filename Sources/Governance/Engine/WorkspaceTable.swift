/// The workspaces of a partition, each boxed so that reading a field of one does
/// not copy the whole state (a `WorkspaceState` holds many maps, and a dictionary
/// read would retain every one of them), with copy-on-write so the table keeps
/// value semantics.
///
/// One record makes some twenty accesses to its workspace; `focus(on:)` remembers
/// the slot of the workspace being processed so those accesses compare the id
/// instead of hashing it each time. Slots are stable: a workspace is never removed.
// @unchecked Sendable: `ManagedBuffer` is not Sendable, but a box is never mutated while
// shared (copy-on-write below), so tables sent to other tasks read immutable boxes.
public struct WorkspaceTable: @unchecked Sendable {
    private var slotOf: [String: Int] = [:]
    private var boxes: [Box] = []
    /// The workspace `focus(on:)` named last and its slot.
    private var focused: (id: String, slot: Int)?
    /// Per slot: changed since the last `drainTouched()`; and those slots, in order. A
    /// flag instead of a `Set<String>` so marking the focused workspace hashes nothing.
    private var touchedFlags: [Bool] = []
    private var touchedSlots: [Int] = []
    /// Per slot: what the engine derived from the workspace's state and keeps to skip
    /// per-record lookups keyed by the id. Not state: never checkpointed or compared,
    /// and reset when the slot's state is replaced (`set`), so it is rebuilt on demand.
    private var derived: [WorkspaceDerived] = []
    /// The ids of the first `listedCount` slots, in slot order: compared before `slotOf`
    /// is hashed (~400 instructions), since a partition of a few workspaces changes focus
    /// on most records. With every slot listed, an id not among them is unknown.
    private var listedIDs: [String] = []
    private static let listedCount = 8

    public init() {}

    /// A workspace's state in a heap block of its own, at an address that stays put
    /// while the box lives, so `subscript(existing:)` can hand out that address.
    /// Boxes are only mutated through `subscript(existing:)`'s mutable address, which
    /// first copies a box that is shared; a box is therefore never mutated while
    /// another table can see it.
    final class Box: ManagedBuffer<WorkspaceState, Void> {
        static func holding(_ state: WorkspaceState) -> Box {
            unsafeDowncast(Box.create(minimumCapacity: 0) { _ in state }, to: Box.self)
        }

        /// The state's address: valid while this box is alive.
        var address: UnsafeMutablePointer<WorkspaceState> { withUnsafeMutablePointerToHeader { $0 } }
    }

    public var count: Int { boxes.count }
    public var ids: [String] { Array(slotOf.keys) }

    /// The slot of `id`: without hashing when it is the focused workspace.
    @inline(__always)
    private func slot(of id: String) -> Int? {
        if let focused, focused.id == id { return focused.slot }
        return unfocusedSlot(of: id)
    }

    /// The slot of `id`: among the listed ids first, then (when not every slot is listed)
    /// by hashing. `==` as the dictionary's (canonical equivalence).
    private func unfocusedSlot(of id: String) -> Int? {
        for slot in listedIDs.indices where listedIDs[slot] == id { return slot }
        guard boxes.count > listedIDs.count else { return nil }
        return slotOf[id]
    }

    /// Makes `id` the focused workspace (nothing when it is unknown).
    public mutating func focus(on id: String) {
        if let focused, focused.id == id { return }
        focused = unfocusedSlot(of: id).map { (id, $0) }
    }

    public func contains(_ id: String) -> Bool { slot(of: id) != nil }

    /// A copy of a workspace's state, nil when unknown.
    public subscript(id: String) -> WorkspaceState? { slot(of: id).map { boxes[$0].header } }

    /// In-place access to a workspace that exists: reads and writes go to the box's
    /// state through its address, without copying the state or entering a coroutine.
    ///
    /// Not `_read`/`_modify`: Swift 6.3.1 at -Onone miscompiles a read of a large field
    /// through a `_read` that yields a copy (`workspaces[existing: ws].meter.f()`
    /// destroyed its copy of `meter` from the coroutine's freed frame: the SIGSEGV of
    /// sessions 4–5, docs/RELIABILITY.md §10), and a `get` copies the whole state (every
    /// map retained and released: +5 % instructions per record in release builds).
    /// The address is valid for the access: the table, borrowed or held exclusively by
    /// it, keeps the box alive; exclusivity is the table's (statically checked).
    public subscript(existing id: String) -> WorkspaceState {
        unsafeAddress { UnsafePointer(boxes[slot(of: id)!].address) }
        unsafeMutableAddress {
            let slot = slot(of: id)!
            if !isKnownUniquelyReferenced(&boxes[slot]) { boxes[slot] = Box.holding(boxes[slot].header) }
            return boxes[slot].address
        }
    }

    /// The derived values kept for a workspace that exists (see `WorkspaceDerived`).
    subscript(derived id: String) -> WorkspaceDerived {
        get { derived[slot(of: id)!] }
        set { derived[slot(of: id)!] = newValue }
    }

    /// Marks a workspace that exists as changed (for the changelog).
    public mutating func markTouched(_ id: String) {
        let slot = slot(of: id)!
        if !touchedFlags[slot] {
            touchedFlags[slot] = true
            touchedSlots.append(slot)
        }
    }

    /// The workspaces marked since the last `drainTouched()`.
    public var touched: Set<String> { Set(touchedSlots.map { boxes[$0].header.workspaceID }) }

    /// The workspaces marked since the last call; unmarks them.
    public mutating func drainTouched() -> Set<String> {
        defer {
            for slot in touchedSlots { touchedFlags[slot] = false }
            touchedSlots.removeAll(keepingCapacity: true)
        }
        return touched
    }

    /// Every workspace's state by id (copies).
    public var states: [String: WorkspaceState] { slotOf.mapValues { boxes[$0].header } }

    /// Adds or replaces a workspace.
    public mutating func set(_ state: WorkspaceState) {
        if let slot = slotOf[state.workspaceID] {
            boxes[slot] = Box.holding(state)
            derived[slot] = WorkspaceDerived()
        } else {
            slotOf[state.workspaceID] = boxes.count
            if listedIDs.count == boxes.count, listedIDs.count < Self.listedCount { listedIDs.append(state.workspaceID) }
            boxes.append(Box.holding(state))
            touchedFlags.append(false)
            derived.append(WorkspaceDerived())
        }
    }
}

/// What the engine keeps per workspace to answer per-record questions without a
/// lookup keyed by the workspace id; derived from the state and the config source,
/// never part of the state.
struct WorkspaceDerived {
    /// The parsed `schemas` of the config applied at `sequence`.
    var schemas: (sequence: Int64, schemas: EventSchemas)?
    /// The config source's `versionsGeneration` when the workspace's versions were
    /// last asked for and applied: until it changes there are none newer.
    var configsCheckedAt: Int?
}

extension WorkspaceTable: Equatable {
    public static func == (lhs: WorkspaceTable, rhs: WorkspaceTable) -> Bool { lhs.states == rhs.states }
}
