/// The workspaces of a partition, each boxed so that reading a field of one does
/// not copy the whole state (a `WorkspaceState` holds many maps, and a dictionary
/// read would retain every one of them), with copy-on-write so the table keeps
/// value semantics.
public struct WorkspaceTable: Sendable {
    private var boxes: [String: Box] = [:]

    public init() {}

    /// Boxes are only mutated through `subscript(existing:)`'s modify accessor, which
    /// first copies a box that is shared; a box is therefore never mutated while
    /// another table can see it.
    final class Box: @unchecked Sendable {
        var state: WorkspaceState
        init(_ state: WorkspaceState) { self.state = state }
    }

    public var count: Int { boxes.count }
    public var ids: [String] { Array(boxes.keys) }

    public func contains(_ id: String) -> Bool { boxes[id] != nil }

    /// A copy of a workspace's state, nil when unknown.
    public subscript(id: String) -> WorkspaceState? { boxes[id]?.state }

    /// In-place access to a workspace that exists.
    public subscript(existing id: String) -> WorkspaceState {
        _read { yield boxes[id]!.state }
        _modify {
            if !isKnownUniquelyReferenced(&boxes[id]!) { boxes[id] = Box(boxes[id]!.state) }
            yield &boxes[id]!.state
        }
    }

    /// Every workspace's state by id (copies).
    public var states: [String: WorkspaceState] { boxes.mapValues(\.state) }

    /// Adds or replaces a workspace.
    public mutating func set(_ state: WorkspaceState) {
        boxes[state.workspaceID] = Box(state)
    }
}

extension WorkspaceTable: Equatable {
    public static func == (lhs: WorkspaceTable, rhs: WorkspaceTable) -> Bool { lhs.states == rhs.states }
}
