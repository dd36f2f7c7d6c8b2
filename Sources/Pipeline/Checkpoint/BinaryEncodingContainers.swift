/// The keyed container of a `BinaryEncoding`: entries are collected with their keys
/// and sorted when the encoding finishes.
struct BinaryKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoding: BinaryEncoding

    var codingPath: [any CodingKey] { encoding.codingPath }

    private func add(_ key: Key, _ write: (inout [UInt8]) -> Void) { encoding.append(key.stringValue, write) }

    mutating func encodeNil(forKey key: Key) throws { add(key) { BinaryWire.writeNil(into: &$0) } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(key) { BinaryWire.writeBool(value, into: &$0) } }
    mutating func encode(_ value: String, forKey key: Key) throws { add(key) { BinaryWire.writeString(encoding.spelling(value), into: &$0) } }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        add(key) { BinaryWire.writeFixed(value.bitPattern, into: &$0) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        add(key) { BinaryWire.writeFixed(value.bitPattern, into: &$0) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encodeSigned(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeSigned(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeSigned(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeSigned(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeSigned(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeUnsigned(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeUnsigned(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeUnsigned(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeUnsigned(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeUnsigned(value, key) }

    private func encodeSigned(_ value: some SignedInteger & FixedWidthInteger, _ key: Key) throws {
        add(key) { BinaryWire.writeSigned(Int64(value), into: &$0) }
    }

    private func encodeUnsigned(_ value: some UnsignedInteger & FixedWidthInteger, _ key: Key) throws {
        add(key) { BinaryWire.writeUnsigned(UInt64(value), into: &$0) }
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoding.append(key.stringValue, value, codingKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        child(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        child(key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { child(BinaryStringKey("super"), name: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }

    private func child(_ key: Key) -> BinaryEncoding { child(key, name: key.stringValue) }

    private func child(_ key: any CodingKey, name: String) -> BinaryEncoding {
        encoding.appendChild(name, codingKey: key)
    }
}

/// The unkeyed container of a `BinaryEncoding`: elements in order (an unordered
/// collection's are sorted when the encoding finishes).
struct BinaryUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoding: BinaryEncoding

    var codingPath: [any CodingKey] { encoding.codingPath }
    var count: Int { encoding.entries.count }

    private func add(_ write: (inout [UInt8]) -> Void) { encoding.append("", write) }

    mutating func encodeNil() throws { add { BinaryWire.writeNil(into: &$0) } }
    mutating func encode(_ value: Bool) throws { add { BinaryWire.writeBool(value, into: &$0) } }
    mutating func encode(_ value: String) throws { add { BinaryWire.writeString(encoding.spelling(value), into: &$0) } }
    mutating func encode(_ value: Double) throws { add { BinaryWire.writeFixed(value.bitPattern, into: &$0) } }
    mutating func encode(_ value: Float) throws { add { BinaryWire.writeFixed(value.bitPattern, into: &$0) } }
    mutating func encode(_ value: Int) throws { add { BinaryWire.writeSigned(Int64(value), into: &$0) } }
    mutating func encode(_ value: Int8) throws { add { BinaryWire.writeSigned(Int64(value), into: &$0) } }
    mutating func encode(_ value: Int16) throws { add { BinaryWire.writeSigned(Int64(value), into: &$0) } }
    mutating func encode(_ value: Int32) throws { add { BinaryWire.writeSigned(Int64(value), into: &$0) } }
    mutating func encode(_ value: Int64) throws { add { BinaryWire.writeSigned(value, into: &$0) } }
    mutating func encode(_ value: UInt) throws { add { BinaryWire.writeUnsigned(UInt64(value), into: &$0) } }
    mutating func encode(_ value: UInt8) throws { add { BinaryWire.writeUnsigned(UInt64(value), into: &$0) } }
    mutating func encode(_ value: UInt16) throws { add { BinaryWire.writeUnsigned(UInt64(value), into: &$0) } }
    mutating func encode(_ value: UInt32) throws { add { BinaryWire.writeUnsigned(UInt64(value), into: &$0) } }
    mutating func encode(_ value: UInt64) throws { add { BinaryWire.writeUnsigned(value, into: &$0) } }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoding.append("", value, codingKey: BinaryIndexKey(count))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        child().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { child().unkeyedContainer() }

    mutating func superEncoder() -> any Encoder { child() }

    private func child() -> BinaryEncoding { encoding.appendChild("", codingKey: BinaryIndexKey(count)) }
}

/// The single-value container of a `BinaryEncoding`: its one slot.
struct BinarySingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoding: BinaryEncoding

    var codingPath: [any CodingKey] { encoding.codingPath }

    private func set(_ write: (inout [UInt8]) -> Void) { encoding.append("", write) }

    mutating func encodeNil() throws { set { BinaryWire.writeNil(into: &$0) } }
    mutating func encode(_ value: Bool) throws { set { BinaryWire.writeBool(value, into: &$0) } }
    mutating func encode(_ value: String) throws { set { BinaryWire.writeString(encoding.spelling(value), into: &$0) } }
    mutating func encode(_ value: Double) throws { set { BinaryWire.writeFixed(value.bitPattern, into: &$0) } }
    mutating func encode(_ value: Float) throws { set { BinaryWire.writeFixed(value.bitPattern, into: &$0) } }
    mutating func encode(_ value: Int) throws { set { BinaryWire.writeSigned(Int64(value), into: &$0) } }
    mutating func encode(_ value: Int8) throws { set { BinaryWire.writeSigned(Int64(value), into: &$0) } }
    mutating func encode(_ value: Int16) throws { set { BinaryWire.writeSigned(Int64(value), into: &$0) } }
    mutating func encode(_ value: Int32) throws { set { BinaryWire.writeSigned(Int64(value), into: &$0) } }
    mutating func encode(_ value: Int64) throws { set { BinaryWire.writeSigned(value, into: &$0) } }
    mutating func encode(_ value: UInt) throws { set { BinaryWire.writeUnsigned(UInt64(value), into: &$0) } }
    mutating func encode(_ value: UInt8) throws { set { BinaryWire.writeUnsigned(UInt64(value), into: &$0) } }
    mutating func encode(_ value: UInt16) throws { set { BinaryWire.writeUnsigned(UInt64(value), into: &$0) } }
    mutating func encode(_ value: UInt32) throws { set { BinaryWire.writeUnsigned(UInt64(value), into: &$0) } }
    mutating func encode(_ value: UInt64) throws { set { BinaryWire.writeUnsigned(value, into: &$0) } }

    /// The value's own slot becomes this one (a wrapper such as `Optional` adds no bytes).
    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoding.append("", value, codingKey: nil)
    }
}
