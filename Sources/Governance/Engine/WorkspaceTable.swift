/// The workspaces of a partition, each boxed so that reading a field of one does
/// not copy the whole state (a `WorkspaceState` holds many maps, and a dictionary
/// read would retain every one of them), with copy-on-write so the table keeps
/// value semantics.
///
/// One record makes some twenty accesses to its workspace; `focus(on:)` remembers
/// the slot of the workspace being processed so those accesses compare the id
/// instead of hashing it each time. Slots are stable: a workspace is never removed.
public struct WorkspaceTable: Sendable {
    private var slotOf: [String: Int] = [:]
    private var boxes: [Box] = []
    /// The workspace `focus(on:)` named last and its slot.
    private var focused: (id: String, slot: Int)?
    /// Per slot: changed since the last `drainTouched()`; and those slots, in order. A
    /// flag instead of a `Set<String>` so marking the focused workspace hashes nothing.
    private var touchedFlags: [Bool] = []
    private var touchedSlots: [Int] = []

    public init() {}

    /// Boxes are only mutated through `subscript(existing:)`'s modify accessor, which
    /// first copies a box that is shared; a box is therefore never mutated while
    /// another table can see it.
    final class Box: @unchecked Sendable {
        var state: WorkspaceState
        init(_ state: WorkspaceState) { self.state = state }
    }

    public var count: Int { boxes.count }
    public var ids: [String] { Array(slotOf.keys) }

    /// The slot of `id`: without hashing when it is the focused workspace.
    @inline(__always)
    private func slot(of id: String) -> Int? {
        if let focused, focused.id == id { return focused.slot }
        return slotOf[id]
    }

    /// Makes `id` the focused workspace (nothing when it is unknown).
    public mutating func focus(on id: String) {
        if let focused, focused.id == id { return }
        focused = slotOf[id].map { (id, $0) }
    }

    public func contains(_ id: String) -> Bool { slot(of: id) != nil }

    /// A copy of a workspace's state, nil when unknown.
    public subscript(id: String) -> WorkspaceState? { slot(of: id).map { boxes[$0].state } }

    /// Access to a workspace that exists: in place for writes; reads get the state.
    ///
    /// No `_read` coroutine here: Swift 6.3.1 at -Onone miscompiles a read of a large
    /// field through one (`workspaces[existing: ws].meter.f()` destroyed its copy of
    /// `meter` from the coroutine's frame after freeing it — a use-after-free that
    /// crashed `governor run` now and then; docs/RELIABILITY.md §10). Optimized builds
    /// inline the getter and copy only the field read.
    public subscript(existing id: String) -> WorkspaceState {
        get { boxes[slot(of: id)!].state }
        _modify {
            let slot = slot(of: id)!
            if !isKnownUniquelyReferenced(&boxes[slot]) { boxes[slot] = Box(boxes[slot].state) }
            yield &boxes[slot].state
        }
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
    public var touched: Set<String> { Set(touchedSlots.map { boxes[$0].state.workspaceID }) }

    /// The workspaces marked since the last call; unmarks them.
    public mutating func drainTouched() -> Set<String> {
        defer {
            for slot in touchedSlots { touchedFlags[slot] = false }
            touchedSlots.removeAll(keepingCapacity: true)
        }
        return touched
    }

    /// Every workspace's state by id (copies).
    public var states: [String: WorkspaceState] { slotOf.mapValues { boxes[$0].state } }

    /// Adds or replaces a workspace.
    public mutating func set(_ state: WorkspaceState) {
        if let slot = slotOf[state.workspaceID] {
            boxes[slot] = Box(state)
        } else {
            slotOf[state.workspaceID] = boxes.count
            boxes.append(Box(state))
            touchedFlags.append(false)
        }
    }
}

extension WorkspaceTable: Equatable {
    public static func == (lhs: WorkspaceTable, rhs: WorkspaceTable) -> Bool { lhs.states == rhs.states }
}
