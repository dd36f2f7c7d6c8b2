/// The keyed container of a `BinaryDecoding`: its entries are indexed once, then
/// looked up by key bytes in any order.
struct BinaryKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    private let decoding: BinaryDecoding
    private var entries: [(key: Range<Int>, slot: BinarySlot)] = []

    init(decoding: BinaryDecoding) throws {
        self.decoding = decoding
        guard !decoding.slot.isNil else {
            throw DecodingError.valueNotFound(
                KeyedDecodingContainer<Key>.self, .init(codingPath: decoding.codingPath, debugDescription: "found nil"))
        }
        var cursor = BinaryCursor(bytes: decoding.bytes, position: decoding.slot.payload.lowerBound,
                                  end: decoding.slot.payload.upperBound)
        // An entry takes at least two bytes, which bounds the reservation.
        guard let count = cursor.readCount(atMost: cursor.remaining / 2) else {
            throw decoding.corrupted("bad keyed container count")
        }
        entries.reserveCapacity(count)
        for _ in 0..<count {
            guard let length = cursor.readCount(atMost: cursor.remaining), let key = cursor.take(length),
                  let slot = cursor.readSlot()
            else { throw decoding.corrupted("truncated keyed container") }
            entries.append((key, slot))
        }
        guard cursor.isAtEnd else { throw decoding.corrupted("trailing bytes after a keyed container") }
    }

    var codingPath: [any CodingKey] { decoding.codingPath }

    var allKeys: [Key] {
        entries.compactMap { entry in
            String(validating: decoding.bytes[entry.key], as: UTF8.self).flatMap(Key.init(stringValue:))
        }
    }

    private func find(_ key: Key) -> BinarySlot? { find(key.stringValue) }

    private func find(_ name: String) -> BinarySlot? {
        let utf8 = name.utf8
        for entry in entries where entry.key.count == utf8.count && decoding.bytes[entry.key].elementsEqual(utf8) {
            return entry.slot
        }
        return nil
    }

    private func slot(_ key: Key) throws -> BinarySlot {
        guard let slot = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for key"))
        }
        return slot
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { try slot(key).isNil }

    private func read<T>(_ type: T.Type, _ key: Key, _ read: (BinaryPayload) -> T?) throws -> T {
        try decoding.primitive(type, try slot(key), key: key, read)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try read(type, key) { $0.bool() } }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try read(type, key) { $0.string() } }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try read(type, key) { $0.double() } }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try read(type, key) { $0.float() } }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try read(type, key) { $0.signed() } }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try read(type, key) { $0.signed() } }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try read(type, key) { $0.signed() } }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try read(type, key) { $0.signed() } }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try read(type, key) { $0.signed() } }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try read(type, key) { $0.unsigned() } }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try read(type, key) { $0.unsigned() } }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try read(type, key) { $0.unsigned() } }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try read(type, key) { $0.unsigned() } }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try read(type, key) { $0.unsigned() } }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoding.decode(type, slot: try slot(key), key: key)
    }

    /// One lookup instead of the default's three.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let slot = find(key), !slot.isNil else { return nil }
        return try decoding.decode(type, slot: slot, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try child(try slot(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(try slot(key), key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = BinaryStringKey("super")
        guard let slot = find(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no super value"))
        }
        return child(slot, key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { child(try slot(key), key) }

    private func child(_ slot: BinarySlot, _ key: any CodingKey) -> BinaryDecoding {
        BinaryDecoding(bytes: decoding.bytes, slot: slot, parent: decoding, key: key, userInfo: decoding.userInfo)
    }
}

/// The unkeyed container of a `BinaryDecoding`: its elements' slots, read in order.
struct BinaryUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    private let decoding: BinaryDecoding
    private var cursor: BinaryCursor
    let count: Int?
    private(set) var currentIndex = 0

    init(decoding: BinaryDecoding) throws {
        self.decoding = decoding
        guard !decoding.slot.isNil else {
            throw DecodingError.valueNotFound(
                (any UnkeyedDecodingContainer).self, .init(codingPath: decoding.codingPath, debugDescription: "found nil"))
        }
        cursor = BinaryCursor(bytes: decoding.bytes, position: decoding.slot.payload.lowerBound,
                              end: decoding.slot.payload.upperBound)
        // An element takes at least one byte: a hostile count cannot make a caller
        // (e.g. `Dictionary.init(from:)`) reserve more than the input's size.
        guard let count = cursor.readCount(atMost: cursor.remaining) else {
            throw decoding.corrupted("bad unkeyed container count")
        }
        self.count = count
    }

    var codingPath: [any CodingKey] { decoding.codingPath }
    var isAtEnd: Bool { currentIndex >= count ?? 0 }

    private mutating func next(_ type: Any.Type) throws -> (BinarySlot, BinaryIndexKey) {
        let key = BinaryIndexKey(currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "at end"))
        }
        guard let slot = cursor.readSlot() else { throw decoding.corrupted("truncated unkeyed container", key: key) }
        currentIndex += 1
        return (slot, key)
    }

    mutating func decodeNil() throws -> Bool {
        var peek = cursor
        guard !isAtEnd, let slot = peek.readSlot() else { return false }
        if slot.isNil {
            cursor = peek
            currentIndex += 1
        }
        return slot.isNil
    }

    private mutating func read<T>(_ type: T.Type, _ read: (BinaryPayload) -> T?) throws -> T {
        let (slot, key) = try next(type)
        return try decoding.primitive(type, slot, key: key, read)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try read(type) { $0.bool() } }
    mutating func decode(_ type: String.Type) throws -> String { try read(type) { $0.string() } }
    mutating func decode(_ type: Double.Type) throws -> Double { try read(type) { $0.double() } }
    mutating func decode(_ type: Float.Type) throws -> Float { try read(type) { $0.float() } }
    mutating func decode(_ type: Int.Type) throws -> Int { try read(type) { $0.signed() } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try read(type) { $0.signed() } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try read(type) { $0.signed() } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try read(type) { $0.signed() } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try read(type) { $0.signed() } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try read(type) { $0.unsigned() } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try read(type) { $0.unsigned() } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try read(type) { $0.unsigned() } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type) { $0.unsigned() } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try read(type) { $0.unsigned() } }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (slot, key) = try next(type)
        return try decoding.decode(type, slot: slot, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try superDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try superDecoder().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder {
        let (slot, key) = try next(BinaryDecoding.self)
        return BinaryDecoding(bytes: decoding.bytes, slot: slot, parent: decoding, key: key, userInfo: decoding.userInfo)
    }
}

/// The single-value container of a `BinaryDecoding`: its own slot.
struct BinarySingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoding: BinaryDecoding

    var codingPath: [any CodingKey] { decoding.codingPath }

    func decodeNil() -> Bool { decoding.slot.isNil }

    private func read<T>(_ type: T.Type, _ read: (BinaryPayload) -> T?) throws -> T {
        try decoding.primitive(type, decoding.slot, key: nil, read)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try read(type) { $0.bool() } }
    func decode(_ type: String.Type) throws -> String { try read(type) { $0.string() } }
    func decode(_ type: Double.Type) throws -> Double { try read(type) { $0.double() } }
    func decode(_ type: Float.Type) throws -> Float { try read(type) { $0.float() } }
    func decode(_ type: Int.Type) throws -> Int { try read(type) { $0.signed() } }
    func decode(_ type: Int8.Type) throws -> Int8 { try read(type) { $0.signed() } }
    func decode(_ type: Int16.Type) throws -> Int16 { try read(type) { $0.signed() } }
    func decode(_ type: Int32.Type) throws -> Int32 { try read(type) { $0.signed() } }
    func decode(_ type: Int64.Type) throws -> Int64 { try read(type) { $0.signed() } }
    func decode(_ type: UInt.Type) throws -> UInt { try read(type) { $0.unsigned() } }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try read(type) { $0.unsigned() } }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try read(type) { $0.unsigned() } }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type) { $0.unsigned() } }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try read(type) { $0.unsigned() } }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoding.decode(type, slot: decoding.slot, key: nil) }
}
