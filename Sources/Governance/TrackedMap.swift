/// A dictionary that remembers which keys changed since the last `drainChanges()`,
/// so the pipeline can write just those entries to the changelog instead of the
/// whole state. Every map of governance state that grows with contacts, sources,
/// message ids, names or connections is a `TrackedMap`.
///
/// Equality and `Codable` see only the contents, never the change set.
public struct TrackedMap<Key: Hashable & Codable & Sendable, Value: Codable & Sendable & Equatable>: Sendable {
    public private(set) var storage: [Key: Value]
    public private(set) var changedKeys: Set<Key>

    public init() {
        storage = [:]
        changedKeys = []
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }
    public var keys: Dictionary<Key, Value>.Keys { storage.keys }
    public var values: Dictionary<Key, Value>.Values { storage.values }

    /// Reading never marks; writing (including removal with `nil`) marks the key changed.
    public subscript(key: Key) -> Value? {
        get { storage[key] }
        set {
            storage[key] = newValue
            changedKeys.insert(key)
        }
    }

    /// In-place access with a default; marks the key changed.
    public subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get { storage[key] ?? defaultValue() }
        _modify {
            changedKeys.insert(key)
            yield &storage[key, default: defaultValue()]
        }
    }

    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        changedKeys.insert(key)
        return storage.removeValue(forKey: key)
    }

    /// The entries changed since the last drain (`nil` value = removed), and forgets them.
    public mutating func drainChanges() -> [(key: Key, value: Value?)] {
        defer { changedKeys.removeAll(keepingCapacity: true) }
        return changedKeys.map { ($0, storage[$0]) }
    }

    /// Makes room for `count` entries before a restore sets them, so the table is not
    /// rehashed on the way.
    public mutating func reserveCapacity(_ count: Int) {
        storage.reserveCapacity(count)
    }

    /// Sets an entry while restoring from a checkpoint, without marking it changed.
    public mutating func restore(_ key: Key, _ value: Value?) {
        storage[key] = value
    }
}

extension TrackedMap: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.storage == rhs.storage }
}

extension TrackedMap: Codable {
    public init(from decoder: any Decoder) throws {
        storage = try decoder.singleValueContainer().decode([Key: Value].self)
        changedKeys = []
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
            try container.encode(storage)
        }
    }
}

extension TrackedMap: Sequence {
    public func makeIterator() -> Dictionary<Key, Value>.Iterator { storage.makeIterator() }
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
