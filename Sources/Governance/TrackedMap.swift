/// A dictionary that remembers which keys changed since the last `drainChanges()`,
/// so the pipeline can write just those entries to the changelog instead of the
/// whole state. Every map of governance state that grows with contacts, sources,
/// message ids, names or connections is a `TrackedMap`.
///
/// The change set costs no extra hash on the hot path: each entry carries a dirty flag,
/// and a key goes onto `pending` (an array) only when its entry turns dirty, so writing
/// an entry that is already dirty finds it once. Removed keys, which have no entry left
/// to flag, are kept in `removed` until the drain.
///
/// Equality and `Codable` see only the contents, never the change set.
public struct TrackedMap<Key: Hashable & Codable & Sendable, Value: Codable & Sendable & Equatable>: Sendable {
    /// A value and whether it changed since the last drain.
    public struct Slot: Sendable {
        @usableFromInline var value: Value
        @usableFromInline var dirty: Bool
    }

    /// A position of a present key, valid until the map's next insertion or removal.
    public struct Position {
        fileprivate let index: Dictionary<Key, Slot>.Index
    }

    @usableFromInline var table: [Key: Slot]
    /// Keys whose entry turned dirty since the last drain, in that order; a key may be
    /// here more than once (removed and entered again), or with its entry gone.
    @usableFromInline var pending: [Key]
    /// Keys removed since the last drain (some may have been entered again since).
    @usableFromInline var removed: Set<Key>

    public init() {
        table = [:]
        pending = []
        removed = []
    }

    @inlinable public var count: Int { table.count }
    public var isEmpty: Bool { table.isEmpty }
    public var keys: Dictionary<Key, Slot>.Keys { table.keys }
    public var values: LazyMapCollection<Dictionary<Key, Slot>.Values, Value> { table.values.lazy.map(\.value) }
    /// The contents as a read-only dictionary view.
    @inlinable public var storage: Contents { Contents(table: table) }

    /// Whether anything may have changed since the last drain (a key written back to
    /// its old value still counts): a cut skips the maps where this is false without
    /// building `changedKeys`.
    @inlinable public var hasChanges: Bool { !pending.isEmpty || !removed.isEmpty }

    /// The keys changed since the last drain (built on demand; empty without work when
    /// nothing changed).
    public var changedKeys: Set<Key> {
        if pending.isEmpty && removed.isEmpty { return [] }
        var keys = Set<Key>()
        for key in pending where table[key]?.dirty == true { keys.insert(key) }
        for key in removed where table[key] == nil { keys.insert(key) }
        return keys
    }

    /// Reading never marks; writing (including removal with `nil`) marks the key changed.
    public subscript(key: Key) -> Value? {
        get { table[key]?.value }
        set {
            if let newValue { set(newValue, forKey: key) } else { removeValue(forKey: key) }
        }
    }

    /// In-place access with a default; marks the key changed. One lookup for a present key.
    public subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get { table[key]?.value ?? defaultValue() }
        _modify {
            if let index = table.index(forKey: key) {
                if !table.values[index].dirty {
                    table.values[index].dirty = true
                    pending.append(key)
                }
                yield &table.values[index].value
            } else {
                var value = defaultValue()
                yield &value
                table[key] = Slot(value: value, dirty: true)
                pending.append(key)
            }
        }
    }

    /// Where a present key is and whether its value changed since the last drain (so
    /// will be written by the next one anyway); nil when the key is absent.
    func lookup(_ key: Key) -> (position: Position, changed: Bool)? {
        guard let index = table.index(forKey: key) else { return nil }
        return (Position(index: index), table.values[index].dirty)
    }

    /// In-place access, without hashing, to the value at a position of `lookup` (no
    /// insertion or removal since) of a key changed since the last drain: it stays marked.
    mutating func modifyChanged<R>(at position: Position, _ body: (inout Value) -> R) -> R {
        assert(table.values[position.index].dirty, "modifyChanged of an unchanged key")
        return body(&table.values[position.index].value)
    }

    /// Where `key` is, for a read and a later write without a second lookup.
    public func position(of key: Key) -> Position? {
        table.index(forKey: key).map(Position.init)
    }

    /// The value at a position of `position(of:)`.
    public subscript(position: Position) -> Value { table.values[position.index].value }

    /// Replaces the value at a position of `position(of:)` (no insertion or removal since)
    /// and marks its key changed, without hashing it.
    public mutating func set(_ value: Value, at position: Position) {
        table.values[position.index].value = value
        if !table.values[position.index].dirty {
            table.values[position.index].dirty = true
            pending.append(table.keys[position.index])
        }
    }

    /// Sets `value` for `key` and marks it changed; one lookup for a present key.
    public mutating func set(_ value: Value, forKey key: Key) {
        if let index = table.index(forKey: key) {
            set(value, at: Position(index: index))
        } else {
            insertAbsent(value, forKey: key)
        }
    }

    /// Enters `value` for a key that `position(of:)` found absent, with no insertion
    /// since (debug builds check): `set(_:forKey:)` looked the key up again before
    /// inserting it, two hashes where this makes one.
    public mutating func insertAbsent(_ value: Value, forKey key: Key) {
        assert(table.index(forKey: key) == nil, "insertAbsent of a present key")
        table[key] = Slot(value: value, dirty: true)
        pending.append(key)
    }

    /// Reads and maybe rewrites `key`'s value in one lookup: `body` gets the value (nil =
    /// absent) and may change it; the key is marked changed when the value after differs
    /// from the value before (nil = removal).
    @discardableResult
    public mutating func update<R>(_ key: Key, _ body: (inout Value?) -> R) -> R {
        var change = SlotChange.none
        let result = Self.update(&table[key], body, &change)
        switch change {
        case .none: break
        case .dirtied: pending.append(key)
        case .removed: removed.insert(key)
        }
        return result
    }

    private enum SlotChange { case none, dirtied, removed }

    private static func update<R>(_ slot: inout Slot?, _ body: (inout Value?) -> R, _ change: inout SlotChange) -> R {
        let before = slot?.value
        var value = before
        let result = body(&value)
        guard value != before else { return result }
        if let value {
            if slot == nil {
                slot = Slot(value: value, dirty: true)
                change = .dirtied
            } else {
                slot!.value = value
                if !slot!.dirty {
                    slot!.dirty = true
                    change = .dirtied
                }
            }
        } else {
            slot = nil
            change = .removed
        }
        return result
    }

    /// Removes `key` (present or not) and marks it changed.
    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        removed.insert(key)
        return table.removeValue(forKey: key)?.value
    }

    /// The entries changed since the last drain (`nil` value = removed), and forgets them.
    /// Inlinable, like `Contents`' iteration, so the checkpoint's cut specializes it for
    /// the map's key and value types instead of hashing through witness tables.
    @inlinable public mutating func drainChanges() -> [(key: Key, value: Value?)] {
        var changes: [(key: Key, value: Value?)] = []
        changes.reserveCapacity(pending.count + removed.count)
        for key in pending {
            guard let index = table.index(forKey: key), table.values[index].dirty else { continue }
            table.values[index].dirty = false
            changes.append((key, table.values[index].value))
        }
        for key in removed where table.index(forKey: key) == nil {
            changes.append((key, nil))
        }
        pending.removeAll(keepingCapacity: true)
        removed.removeAll(keepingCapacity: true)
        return changes
    }

    /// Makes room for `count` entries before a restore sets them, so the table is not
    /// rehashed on the way.
    public mutating func reserveCapacity(_ count: Int) {
        table.reserveCapacity(count)
    }

    /// Sets an entry while restoring from a checkpoint, without marking it changed.
    public mutating func restore(_ key: Key, _ value: Value?) {
        if let value {
            if let index = table.index(forKey: key) {
                table.values[index].value = value
            } else {
                table[key] = Slot(value: value, dirty: false)
            }
        } else {
            table.removeValue(forKey: key)
        }
    }

    /// The contents of a `TrackedMap` as a read-only dictionary (`index(forKey:)`,
    /// subscripts by key and by index, iteration).
    public struct Contents: Sequence {
        @usableFromInline let table: [Key: Slot]

        @inlinable init(table: [Key: Slot]) { self.table = table }

        @inlinable public var count: Int { table.count }
        public var isEmpty: Bool { table.isEmpty }
        public func index(forKey key: Key) -> Dictionary<Key, Slot>.Index? { table.index(forKey: key) }
        public subscript(index: Dictionary<Key, Slot>.Index) -> (key: Key, value: Value) {
            let (key, slot) = table[index]
            return (key, slot.value)
        }
        public subscript(key: Key) -> Value? { table[key]?.value }
        public var first: (key: Key, value: Value)? { table.first.map { ($0.key, $0.value.value) } }

        @inlinable public func makeIterator() -> Iterator { Iterator(base: table.makeIterator()) }

        public struct Iterator: IteratorProtocol {
            @usableFromInline var base: Dictionary<Key, Slot>.Iterator
            @inlinable init(base: Dictionary<Key, Slot>.Iterator) { self.base = base }
            @inlinable public mutating func next() -> (key: Key, value: Value)? {
                base.next().map { ($0.key, $0.value.value) }
            }
        }
    }
}

extension TrackedMap: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.table.count == rhs.table.count else { return false }
        for (key, slot) in lhs.table {
            guard let other = rhs.table[key], other.value == slot.value else { return false }
        }
        return true
    }
}

extension TrackedMap: Codable {
    public init(from decoder: any Decoder) throws {
        let contents = try decoder.singleValueContainer().decode([Key: Value].self)
        table = contents.mapValues { Slot(value: $0, dirty: false) }
        pending = []
        removed = []
    }

    /// Encodes the contents, or nothing when the encoder's `userInfo` asks for a
    /// state's scalars only (`omitTrackedMapContents`): the changelog writes map
    /// entries as records of their own. The dictionary goes through a container (same
    /// output as `storage.encode(to:)`) so an encoder sees it is a `Dictionary` and can
    /// put its entries in a canonical order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if encoder.userInfo[.omitTrackedMapContents] as? Bool == true {
            try container.encode([Key: Value]())
        } else {
            try container.encode(table.mapValues(\.value))
        }
    }
}

extension TrackedMap: Sequence {
    public func makeIterator() -> Contents.Iterator { storage.makeIterator() }
}

extension CodingUserInfoKey {
    /// Set to `true` to encode states without the contents of their `TrackedMap`s.
    public static let omitTrackedMapContents = CodingUserInfoKey(rawValue: "governor.omitTrackedMapContents")!
}

/// Visits every `TrackedMap` of a state with a stable path, so the changelog can
/// drain, snapshot and restore map entries one by one.
public protocol TrackedMapVisitor {
    mutating func visit<Key, Value>(_ path: String, _ map: inout TrackedMap<Key, Value>)
}
