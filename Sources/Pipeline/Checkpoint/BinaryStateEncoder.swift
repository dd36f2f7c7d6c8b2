import Governance

/// Encodes `Encodable` values into the compact, deterministic binary format of
/// `BinaryWire`: the changelog compares map-entry keys by their bytes, so equal
/// values must encode to equal bytes whatever order their dictionaries iterate in.
/// Keyed containers are sorted by key; a `Dictionary` or `Set` that encodes as an
/// array has its entries sorted by their bytes.
struct BinaryStateEncoder: Sendable {
    /// Handed to every `encode(to:)` (e.g. `.omitTrackedMapContents`).
    let userInfo: [CodingUserInfoKey: any Sendable]
    /// `.canonicalStrings`, read once: most map keys and values are strings and times,
    /// written without a `userInfo` copy or an encoder object.
    private let canonicalStrings: Bool
    private let genericOnly: Bool
    /// `.omitTrackedMapContents`: `BinaryCoreEncodable` values are written directly.
    private let omitsMapContents: Bool

    init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
        canonicalStrings = userInfo[.canonicalStrings] as? Bool == true
        genericOnly = userInfo[.genericBinaryState] as? Bool == true
        omitsMapContents = userInfo[.omitTrackedMapContents] as? Bool == true
    }

    func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        try encode(value, into: &out)
        return out
    }

    /// Appends `value`'s encoding to `out` (e.g. a changelog key after its prefix).
    func encode<T: Encodable>(_ value: T, into out: inout [UInt8]) throws {
        if BinaryEncoding.writeDirectly(value, canonicalStrings: canonicalStrings, omitsMapContents: omitsMapContents,
                                        genericOnly: genericOnly, into: &out) { return }
        try BinaryEncoding.encode(value, parent: nil, key: nil, userInfo: userInfo.mapValues { $0 as Any }, into: &out)
    }
}

/// Types whose `encode(to:)` writes their elements in hash order, so the encoder sorts
/// what they write: `entryWidth` consecutive array elements form one entry.
protocol UnorderedEncodable { static var entryWidth: Int { get } }
extension Dictionary: UnorderedEncodable { static var entryWidth: Int { 2 } }
extension Set: UnorderedEncodable { static var entryWidth: Int { 1 } }

/// The encoder handed to one value's `encode(to:)`, and the container it opens (a
/// nested container is an encoding of its own). Every entry's slot is written into
/// `buffer` as it comes — a nested value by a child encoding that finishes when its
/// `encode(to:)` returns — except nested containers and super encoders, which may be
/// written to later and are copied in by `finish`.
final class BinaryEncoding: Encoder {
    enum Shape { case none, single, keyed, unkeyed }
    /// A key (empty in unkeyed containers) and where its value's slot is in `buffer`.
    struct Entry {
        var key: String
        var slot: Range<Int>
    }

    /// The encoding whose container holds this one; `codingPath` is built from it only
    /// when asked for. Unowned: a parent outlives the children it encodes.
    private unowned let parent: BinaryEncoding?
    private let key: (any CodingKey)?
    let userInfo: [CodingUserInfoKey: Any]
    /// Strings are written in NFC (`.canonicalStrings`).
    let canonicalStrings: Bool
    /// A `TrackedMap` is written empty without its `encode(to:)` (`.omitTrackedMapContents`).
    let omitsMapContents: Bool
    /// Every value goes through its `encode(to:)` (`.genericBinaryState`).
    let genericOnly: Bool
    /// Non-zero for an unordered collection (see `UnorderedEncodable`).
    private let entryWidth: Int

    private var shape = Shape.none
    private var buffer: [UInt8] = []
    private(set) var entries: [Entry] = []
    /// Deferred children and the entries whose slots they fill in `finish`.
    private var children: [(entry: Int, encoding: BinaryEncoding)] = []

    init(parent: BinaryEncoding?, key: (any CodingKey)?, userInfo: [CodingUserInfoKey: Any], entryWidth: Int = 0) {
        self.parent = parent
        self.key = key
        self.userInfo = userInfo
        // A child inherits its parent's flags instead of looking them up again.
        canonicalStrings = parent?.canonicalStrings ?? (userInfo[.canonicalStrings] as? Bool == true)
        omitsMapContents = parent?.omitsMapContents ?? (userInfo[.omitTrackedMapContents] as? Bool == true)
        genericOnly = parent?.genericOnly ?? (userInfo[.genericBinaryState] as? Bool == true)
        self.entryWidth = entryWidth
    }

    /// `value` as this encoding writes strings.
    func spelling(_ value: String) -> String { canonicalStrings ? value.canonicalSpelling : value }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: BinaryEncoding? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        become(.keyed)
        return KeyedEncodingContainer(BinaryKeyedEncodingContainer<Key>(encoding: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        become(.unkeyed)
        return BinaryUnkeyedEncodingContainer(encoding: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        become(.single)
        return BinarySingleValueEncodingContainer(encoding: self)
    }

    private func become(_ wanted: Shape) {
        precondition(shape == .none || shape == wanted, "an encoder was asked for two kinds of container")
        if shape == .none, wanted != .single {
            buffer.reserveCapacity(64)
            entries.reserveCapacity(8)
        }
        shape = wanted
    }

    /// Encodes `value` as one slot appended to `out`: primitives and `BinaryStateEncodable`
    /// values directly, anything else through its `encode(to:)` with a child encoding.
    static func encode<T: Encodable>(
        _ value: T, parent: BinaryEncoding?, key: (any CodingKey)?, userInfo: [CodingUserInfoKey: Any],
        into out: inout [UInt8]
    ) throws {
        if writeDirectly(
            value, canonicalStrings: parent?.canonicalStrings ?? (userInfo[.canonicalStrings] as? Bool == true),
            omitsMapContents: parent?.omitsMapContents ?? (userInfo[.omitTrackedMapContents] as? Bool == true),
            genericOnly: parent?.genericOnly ?? (userInfo[.genericBinaryState] as? Bool == true), into: &out
        ) { return }
        let width = (T.self as? any UnorderedEncodable.Type)?.entryWidth ?? 0
        let child = BinaryEncoding(parent: parent, key: key, userInfo: userInfo, entryWidth: width)
        try value.encode(to: child)
        child.finish(into: &out)
    }

    /// Writes `value` without its `encode(to:)` where a direct path exists — a primitive,
    /// a `BinaryStateEncodable`, and under `.omitTrackedMapContents` a map (as the empty
    /// container it encodes to, keyed or unkeyed: `[2, 0]`) or a `BinaryCoreEncodable`;
    /// false otherwise. With `genericOnly` only primitives. One dispatch for the
    /// top-level encoder and every nested value.
    static func writeDirectly<T: Encodable>(
        _ value: T, canonicalStrings: Bool, omitsMapContents: Bool, genericOnly: Bool, into out: inout [UInt8]
    ) -> Bool {
        if encodePrimitive(value, canonicalStrings: canonicalStrings, into: &out) { return true }
        guard !genericOnly else { return false }
        if let value = value as? any BinaryStateEncodable {
            value.writeBinaryState(canonicalStrings: canonicalStrings, into: &out)
            return true
        }
        guard omitsMapContents else { return false }
        if value is any CheckpointedMap {
            BinaryWire.writeEmptyContainer(into: &out)
            return true
        }
        if let value = value as? any BinaryCoreEncodable {
            value.writeBinaryCore(canonicalStrings: canonicalStrings, into: &out)
            return true
        }
        return false
    }

    /// Writes a string, integer, flag or double directly; false for any other type.
    @inline(__always)
    static func encodePrimitive<T: Encodable>(_ value: T, canonicalStrings: Bool, into out: inout [UInt8]) -> Bool {
        if T.self == String.self {
            let string = value as! String
            BinaryWire.writeString(canonicalStrings ? string.canonicalSpelling : string, into: &out)
        } else if T.self == Int64.self {
            BinaryWire.writeSigned(value as! Int64, into: &out)
        } else if T.self == Int.self {
            BinaryWire.writeSigned(Int64(value as! Int), into: &out)
        } else if T.self == Bool.self {
            BinaryWire.writeBool(value as! Bool, into: &out)
        } else if T.self == Double.self {
            BinaryWire.writeFixed((value as! Double).bitPattern, into: &out)
        } else {
            return false
        }
        return true
    }

    /// Adds an entry whose slot `write` appends to `buffer` (a single value replaces the
    /// one before).
    func append(_ key: String, _ write: (inout [UInt8]) throws -> Void) rethrows {
        if shape == .single { entries.removeAll(keepingCapacity: true) }
        let start = buffer.count
        try write(&buffer)
        entries.append(Entry(key: key, slot: start..<buffer.count))
    }

    /// Adds an entry holding `value`, coded under `codingKey` (nil: this encoding's own
    /// path, for a single value).
    func append<T: Encodable>(_ key: String, _ value: T, codingKey: (any CodingKey)?) throws {
        try append(key) { try Self.encode(value, parent: self, key: codingKey, userInfo: userInfo, into: &$0) }
    }

    /// Adds an entry for a nested container or super encoder, filled in by `finish`.
    func appendChild(_ key: String, codingKey: any CodingKey) -> BinaryEncoding {
        let child = BinaryEncoding(parent: self, key: codingKey, userInfo: userInfo)
        children.append((entries.count, child))
        entries.append(Entry(key: key, slot: 0..<0))
        return child
    }

    /// Writes this encoding's slot to `out`, its entries in canonical order.
    func finish(into out: inout [UInt8]) {
        for (entry, child) in children {
            let start = buffer.count
            child.finish(into: &buffer)
            entries[entry].slot = start..<buffer.count
        }
        switch shape {
        case .single:
            if let entry = entries.last { out.append(contentsOf: buffer[entry.slot]) } else { BinaryWire.writeNil(into: &out) }
        case .none:
            BinaryWire.writeUnsigned(0, into: &out)
        case .keyed:
            writeKeyed(into: &out)
        case .unkeyed:
            writeUnkeyed(into: &out)
        }
    }

    /// Entries sorted by key bytes; of a key encoded twice the last value wins. The
    /// order is sorted on the stack (a stable insertion sort: a struct has a handful
    /// of keys), not in an array per value.
    private func writeKeyed(into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: entries.count) { order in
            for index in entries.indices {
                var position = index
                while position > 0, entries[index].key.utf8.lexicographicallyPrecedes(entries[order[position - 1]].key.utf8) {
                    order[position] = order[position - 1]
                    position -= 1
                }
                order[position] = index
            }
            writeKeyed(order: UnsafeBufferPointer(order), into: &out)
        }
    }

    private func writeKeyed(order: UnsafeBufferPointer<Int>, into out: inout [UInt8]) {
        /// An entry is written unless the next in order has the same key.
        func kept(_ position: Int) -> Bool {
            position + 1 == order.count || !entries[order[position]].key.utf8.elementsEqual(entries[order[position + 1]].key.utf8)
        }
        var count = 0
        var size = 0
        for position in order.indices where kept(position) {
            let entry = entries[order[position]]
            let keyCount = entry.key.utf8.count
            size += BinaryWire.varintSize(UInt64(keyCount)) + keyCount + entry.slot.count
            count += 1
        }
        BinaryWire.writeHeader(payload: BinaryWire.varintSize(UInt64(count)) + size, into: &out)
        BinaryWire.writeVarint(UInt64(count), into: &out)
        for position in order.indices where kept(position) {
            let entry = entries[order[position]]
            BinaryWire.writeVarint(UInt64(entry.key.utf8.count), into: &out)
            out.append(contentsOf: entry.key.utf8)
            out.append(contentsOf: buffer[entry.slot])
        }
    }

    /// Elements in order; the entries of an unordered collection sorted by their bytes.
    private func writeUnkeyed(into out: inout [UInt8]) {
        let size = BinaryWire.varintSize(UInt64(entries.count)) + entries.reduce(0) { $0 + $1.slot.count }
        BinaryWire.writeHeader(payload: size, into: &out)
        BinaryWire.writeVarint(UInt64(entries.count), into: &out)
        guard entryWidth > 0, entries.count % entryWidth == 0 else {
            for entry in entries { out.append(contentsOf: buffer[entry.slot]) }
            return
        }
        let width = entryWidth
        let starts = Swift.stride(from: 0, to: entries.count, by: width).sorted { a, b in
            for offset in 0..<width {
                let (x, y) = (buffer[entries[a + offset].slot], buffer[entries[b + offset].slot])
                if x != y { return x.lexicographicallyPrecedes(y) }
            }
            return false
        }
        for start in starts {
            for entry in entries[start..<start + width] { out.append(contentsOf: buffer[entry.slot]) }
        }
    }
}

/// The coding key of an unkeyed container's element.
struct BinaryIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// The coding key of `superEncoder()` / `superDecoder()` and of string-keyed lookups.
struct BinaryStringKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
