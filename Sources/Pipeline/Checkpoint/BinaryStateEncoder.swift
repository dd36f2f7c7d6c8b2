/// Encodes `Encodable` values into the compact, deterministic binary format of
/// `BinaryWire`: the changelog compares map-entry keys by their bytes, so equal
/// values must encode to equal bytes whatever order their dictionaries iterate in.
/// Keyed containers are sorted by key; a `Dictionary` or `Set` that encodes as an
/// array has its entries sorted by their bytes.
struct BinaryStateEncoder: Sendable {
    /// Handed to every `encode(to:)` (e.g. `.omitTrackedMapContents`).
    var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        try BinaryEncoding.encode(value, parent: nil, key: nil, userInfo: userInfo.mapValues { $0 as Any }, into: &out)
        return out
    }
}

/// Types whose `encode(to:)` writes their elements in hash order, so the encoder sorts
/// what they write: `entryWidth` consecutive array elements form one entry.
protocol UnorderedEncodable { static var entryWidth: Int { get } }
extension Dictionary: UnorderedEncodable { static var entryWidth: Int { 2 } }
extension Set: UnorderedEncodable { static var entryWidth: Int { 1 } }

/// The encoder handed to one value's `encode(to:)`, and the container it opens (a
/// nested container is an encoding of its own). Slots of primitive values are written
/// straight into `buffer`; a nested value is encoded by a child and copied in when it
/// returns; nested containers and super encoders stay `.child` until `finish`.
final class BinaryEncoding: Encoder {
    enum Shape { case none, single, keyed, unkeyed }
    enum Part {
        case inline(Range<Int>)
        case child(BinaryEncoding)
    }

    /// The encoding whose container holds this one; `codingPath` is built from it only
    /// when asked for. Unowned: a parent outlives the children it encodes.
    private unowned let parent: BinaryEncoding?
    private let key: (any CodingKey)?
    let userInfo: [CodingUserInfoKey: Any]
    /// Non-zero for an unordered collection (see `UnorderedEncodable`).
    private let entryWidth: Int

    var shape = Shape.none
    var buffer: [UInt8] = []
    /// The keys of a keyed container, one per part.
    var keys: [String] = []
    var parts: [Part] = []

    init(parent: BinaryEncoding?, key: (any CodingKey)?, userInfo: [CodingUserInfoKey: Any], entryWidth: Int = 0) {
        self.parent = parent
        self.key = key
        self.userInfo = userInfo
        self.entryWidth = entryWidth
    }

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
        shape = wanted
    }

    /// Encodes `value` as one slot appended to `out`: primitives directly, anything else
    /// through its `encode(to:)` with a child encoding.
    static func encode<T: Encodable>(
        _ value: T, parent: BinaryEncoding?, key: (any CodingKey)?, userInfo: [CodingUserInfoKey: Any],
        into out: inout [UInt8]
    ) throws {
        if T.self == String.self { return BinaryWire.writeString(value as! String, into: &out) }
        if T.self == Int64.self { return BinaryWire.writeSigned(value as! Int64, into: &out) }
        if T.self == Int.self { return BinaryWire.writeSigned(Int64(value as! Int), into: &out) }
        if T.self == Bool.self { return BinaryWire.writeBool(value as! Bool, into: &out) }
        if T.self == Double.self { return BinaryWire.writeFixed((value as! Double).bitPattern, into: &out) }
        let width = (T.self as? any UnorderedEncodable.Type)?.entryWidth ?? 0
        let child = BinaryEncoding(parent: parent, key: key, userInfo: userInfo, entryWidth: width)
        try value.encode(to: child)
        child.finish(into: &out)
    }

    /// Encodes a value of this encoding's container (see `encode(_:parent:key:userInfo:into:)`).
    func encodeChild<T: Encodable>(_ value: T, key: (any CodingKey)?) throws -> Part {
        let start = buffer.count
        try Self.encode(value, parent: self, key: key, userInfo: userInfo, into: &buffer)
        return .inline(start..<buffer.count)
    }

    /// Writes a primitive's slot into `buffer`.
    func writeInline(_ write: (inout [UInt8]) -> Void) -> Part {
        let start = buffer.count
        write(&buffer)
        return .inline(start..<buffer.count)
    }

    /// Writes this encoding's slot to `out`, its entries in canonical order.
    func finish(into out: inout [UInt8]) {
        for index in parts.indices {
            if case .child(let child) = parts[index] {
                let start = buffer.count
                child.finish(into: &buffer)
                parts[index] = .inline(start..<buffer.count)
            }
        }
        let ranges = parts.map { part -> Range<Int> in
            guard case .inline(let range) = part else { preconditionFailure("children are inline after the loop above") }
            return range
        }
        switch shape {
        case .single:
            if let range = ranges.last { out.append(contentsOf: buffer[range]) } else { BinaryWire.writeNil(into: &out) }
        case .none:
            BinaryWire.writeUnsigned(0, into: &out)
        case .keyed:
            writeKeyed(ranges, into: &out)
        case .unkeyed:
            writeUnkeyed(ranges, into: &out)
        }
    }

    /// Entries sorted by key bytes; of a key encoded twice the last value wins.
    private func writeKeyed(_ ranges: [Range<Int>], into out: inout [UInt8]) {
        let sorted = keys.indices.sorted { a, b in
            keys[a].utf8.lexicographicallyPrecedes(keys[b].utf8) || (keys[a].utf8.elementsEqual(keys[b].utf8) && a < b)
        }
        var kept: [Int] = []
        kept.reserveCapacity(sorted.count)
        for index in sorted {
            if let last = kept.last, keys[last].utf8.elementsEqual(keys[index].utf8) { kept.removeLast() }
            kept.append(index)
        }
        var size = BinaryWire.varintSize(UInt64(kept.count))
        for index in kept {
            let keyCount = keys[index].utf8.count
            size += BinaryWire.varintSize(UInt64(keyCount)) + keyCount + ranges[index].count
        }
        BinaryWire.writeHeader(payload: size, into: &out)
        BinaryWire.writeVarint(UInt64(kept.count), into: &out)
        for index in kept {
            BinaryWire.writeVarint(UInt64(keys[index].utf8.count), into: &out)
            out.append(contentsOf: keys[index].utf8)
            out.append(contentsOf: buffer[ranges[index]])
        }
    }

    /// Elements in order; the entries of an unordered collection sorted by their bytes.
    private func writeUnkeyed(_ ranges: [Range<Int>], into out: inout [UInt8]) {
        var order = Array(ranges.indices)
        if entryWidth > 0, ranges.count % entryWidth == 0 {
            let width = entryWidth
            let entries = Swift.stride(from: 0, to: ranges.count, by: width).map { $0..<$0 + width }
            let sortedEntries = entries.sorted { a, b in
                for (x, y) in zip(a, b) where buffer[ranges[x]] != buffer[ranges[y]] {
                    return buffer[ranges[x]].lexicographicallyPrecedes(buffer[ranges[y]])
                }
                return false
            }
            order = sortedEntries.flatMap { $0 }
        }
        let size = BinaryWire.varintSize(UInt64(ranges.count)) + ranges.reduce(0) { $0 + $1.count }
        BinaryWire.writeHeader(payload: size, into: &out)
        BinaryWire.writeVarint(UInt64(ranges.count), into: &out)
        for index in order { out.append(contentsOf: buffer[ranges[index]]) }
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
