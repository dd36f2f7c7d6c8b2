/// The wire format of `BinaryStateEncoder` / `BinaryStateDecoder`. It is not
/// self-describing: the `Decodable` type says what to read, as with JSON.
///
/// Every value is a *slot*: a varint header `h`, where `h == 0` is nil and otherwise
/// `h - 1` payload bytes follow. The header makes nil explicit, lets a keyed container
/// skip values it is not asked for, and bounds every read to its own slot. Payloads:
/// - Bool: one byte, 0 or 1. Unsigned integers: LEB128 varint. Signed: zigzag varint.
/// - Double / Float: the IEEE bit pattern, 8 / 4 bytes little-endian.
/// - String: its UTF-8 bytes (the slot header is the length).
/// - Keyed container: varint entry count, then per entry a varint key length, the key's
///   UTF-8 and the value's slot; entries sorted by key bytes (one entry per key).
/// - Unkeyed container: varint element count, then the elements' slots in order — or,
///   for a `Dictionary` / `Set` encoded as an array, its entries sorted by their bytes.
/// - A container that was never asked for anything: an empty container (count 0).
/// The top-level value is one slot spanning the whole byte string.
enum BinaryWire {
    static func varintSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    static func writeVarint(_ value: UInt64, into out: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: rest))
    }

    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }

    /// Writes a slot header for a payload of `count` bytes.
    static func writeHeader(payload count: Int, into out: inout [UInt8]) {
        writeVarint(UInt64(count) + 1, into: &out)
    }

    static func writeNil(into out: inout [UInt8]) { out.append(0) }

    /// A container with no entries, keyed or unkeyed: a one-byte payload holding the count 0.
    static func writeEmptyContainer(into out: inout [UInt8]) {
        out.append(2)
        out.append(0)
    }

    static func writeBool(_ value: Bool, into out: inout [UInt8]) {
        out.append(2)
        out.append(value ? 1 : 0)
    }

    static func writeUnsigned(_ value: UInt64, into out: inout [UInt8]) {
        writeHeader(payload: varintSize(value), into: &out)
        writeVarint(value, into: &out)
    }

    static func writeSigned(_ value: Int64, into out: inout [UInt8]) { writeUnsigned(zigzag(value), into: &out) }

    static func writeFixed<T: FixedWidthInteger>(_ bits: T, into out: inout [UInt8]) {
        writeHeader(payload: T.bitWidth / 8, into: &out)
        for shift in Swift.stride(from: 0, to: T.bitWidth, by: 8) { out.append(UInt8(truncatingIfNeeded: bits >> shift)) }
    }

    static func writeString(_ value: String, into out: inout [UInt8]) {
        writeHeader(payload: value.utf8.count, into: &out)
        out.append(contentsOf: value.utf8)
    }
}

/// One value's place in the input: its payload bytes, or nil.
struct BinarySlot {
    /// The payload; empty and meaningless when `isNil`.
    var payload: Range<Int>
    var isNil: Bool
}

/// Reads the wire format from `bytes[position..<end]`; every read returns nil instead
/// of reading past `end`, so callers turn malformed input into a `DecodingError`.
struct BinaryCursor {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    var isAtEnd: Bool { position >= end }
    var remaining: Int { end - position }
    /// What is left to read.
    var range: Range<Int> { position..<end }

    mutating func readVarint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < end {
            let byte = bytes[position]
            position += 1
            guard shift < 64, shift < 63 || byte <= 1 else { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    /// A length or count that must fit in what is left of the input.
    mutating func readCount(atMost limit: Int) -> Int? {
        guard let value = readVarint(), value <= UInt64(limit) else { return nil }
        return Int(value)
    }

    mutating func readSlot() -> BinarySlot? {
        guard let header = readVarint() else { return nil }
        if header == 0 { return BinarySlot(payload: position..<position, isNil: true) }
        guard header - 1 <= UInt64(remaining) else { return nil }
        let start = position
        position += Int(header - 1)
        return BinarySlot(payload: start..<position, isNil: false)
    }

    /// Skips `count` bytes, returning their range.
    mutating func take(_ count: Int) -> Range<Int>? {
        guard count <= remaining else { return nil }
        defer { position += count }
        return position..<position + count
    }
}

/// A slot's payload, read as one primitive; nil when it is not a valid one.
struct BinaryPayload {
    let bytes: [UInt8]
    let range: Range<Int>

    func bool() -> Bool? {
        guard range.count == 1, bytes[range.lowerBound] <= 1 else { return nil }
        return bytes[range.lowerBound] == 1
    }

    func string() -> String? { String(validating: bytes[range], as: UTF8.self) }

    func unsigned<T: UnsignedInteger & FixedWidthInteger>() -> T? {
        var cursor = BinaryCursor(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        guard let raw = cursor.readVarint(), cursor.isAtEnd else { return nil }
        return T(exactly: raw)
    }

    func signed<T: SignedInteger & FixedWidthInteger>() -> T? {
        var cursor = BinaryCursor(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        guard let raw = cursor.readVarint(), cursor.isAtEnd else { return nil }
        return T(exactly: BinaryWire.unzigzag(raw))
    }

    func double() -> Double? { fixed(UInt64.self).map(Double.init(bitPattern:)) }

    func float() -> Float? { fixed(UInt32.self).map(Float.init(bitPattern:)) }

    private func fixed<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        guard range.count == T.bitWidth / 8 else { return nil }
        var value: T = 0
        for (index, byte) in bytes[range].enumerated() { value |= T(byte) << (index * 8) }
        return value
    }
}
