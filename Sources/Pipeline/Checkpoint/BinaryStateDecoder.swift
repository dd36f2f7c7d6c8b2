/// Decodes what `BinaryStateEncoder` wrote. Malformed input — truncated, random or
/// with lengths beyond the input — throws `DecodingError.dataCorrupted`; no length
/// read from the input allocates more than the input's own size.
struct BinaryStateDecoder: Sendable {
    /// Handed to every `init(from:)`.
    var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        var cursor = BinaryCursor(bytes: bytes, position: 0, end: bytes.count)
        guard let slot = cursor.readSlot(), cursor.isAtEnd else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not one binary state value"))
        }
        // Map keys and times (most of a restore's entries) without a decoder object;
        // a malformed payload falls through to the full path and its error.
        if !slot.isNil {
            let payload = BinaryPayload(bytes: bytes, range: slot.payload)
            if T.self == String.self, let value = payload.string() { return value as! T }
            if T.self == Int64.self, let value: Int64 = payload.signed() { return value as! T }
        }
        let root = BinaryDecoding(bytes: bytes, slot: slot, parent: nil, key: nil,
                                  userInfo: userInfo.mapValues { $0 as Any })
        return try root.decode(T.self, slot: slot, key: nil)
    }
}

/// The decoder handed to one value's `init(from:)`: the value's slot in the input.
final class BinaryDecoding: Decoder {
    let bytes: [UInt8]
    let slot: BinarySlot
    /// The decoding whose container holds this one; `codingPath` is built from it only
    /// when asked for. Unowned: a parent outlives the children it decodes.
    private unowned let parent: BinaryDecoding?
    private let key: (any CodingKey)?
    let userInfo: [CodingUserInfoKey: Any]

    init(bytes: [UInt8], slot: BinarySlot, parent: BinaryDecoding?, key: (any CodingKey)?,
         userInfo: [CodingUserInfoKey: Any]) {
        self.bytes = bytes
        self.slot = slot
        self.parent = parent
        self.key = key
        self.userInfo = userInfo
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: BinaryDecoding? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try BinaryKeyedDecodingContainer<Key>(decoding: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try BinaryUnkeyedDecodingContainer(decoding: self) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { BinarySingleValueDecodingContainer(decoding: self) }

    func corrupted(_ description: String, key: (any CodingKey)? = nil) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath + (key.map { [$0] } ?? []), debugDescription: description))
    }

    /// Decodes a primitive from `slot` (this decoding's own or one of its container's,
    /// under `key`) with `read`, which returns nil for a malformed payload.
    func primitive<T>(
        _ type: T.Type, _ slot: BinarySlot, key: (any CodingKey)?, _ read: (BinaryPayload) -> T?
    ) throws -> T {
        guard !slot.isNil else {
            let path = codingPath + (key.map { [$0] } ?? [])
            throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "found nil"))
        }
        guard let value = read(BinaryPayload(bytes: bytes, range: slot.payload)) else {
            throw corrupted("expected a \(type)", key: key)
        }
        return value
    }

    /// Decodes the value in `slot` of this decoding's container under `key` (nil: this
    /// decoding's own slot, for its single-value container): primitives directly,
    /// anything else through its `init(from:)`.
    func decode<T: Decodable>(_ type: T.Type, slot: BinarySlot, key: (any CodingKey)?) throws -> T {
        if T.self == String.self { return try primitive(String.self, slot, key: key) { $0.string() } as! T }
        if T.self == Int64.self { return try primitive(Int64.self, slot, key: key) { $0.signed() } as! T }
        if T.self == Int.self { return try primitive(Int.self, slot, key: key) { $0.signed() } as! T }
        if T.self == Bool.self { return try primitive(Bool.self, slot, key: key) { $0.bool() } as! T }
        if T.self == Double.self { return try primitive(Double.self, slot, key: key) { $0.double() } as! T }
        if key == nil, slot.payload == self.slot.payload { return try T(from: self) }
        return try T(from: BinaryDecoding(bytes: bytes, slot: slot, parent: self, key: key, userInfo: userInfo))
    }
}
