/// Where the members of a top-level object named by one `JSONKnownKeys` are, by the
/// key's index (`JSONParser.scanKnownMembers`): a record-file envelope reads its five
/// members this way without a member list or a key compared as text.
public struct JSONKnownMember: Sendable, Equatable {
    /// How many times the key occurs.
    public var count = 0
    /// The last occurrence's value bytes in the scanned buffer.
    public var range: Range<Int> = 0..<0
    /// As `JSONMemberSpan.isCompact`, for the last occurrence.
    public var isCompact = false

    public init() {}
}

/// What `JSONParser.scanKnownMembers` found besides the known members.
public struct JSONKnownMemberScan: Sendable {
    /// Members whose key is none of the known keys.
    public let otherCount: Int
    /// As `JSONMemberScan.nested`: the field scan of the last occurrence of the
    /// nested member's value when that value is an object.
    public let nested: JSONFieldScan?
}

extension JSONParser {
    /// `scanMembers(_:fieldsOf:names:keys:)` with the members kept by key index:
    /// `slots[i]` (reset first, then sized to `keys.keys.count`) for `keys.keys[i]`,
    /// whatever its spelling (an escaped one is parsed and compared). Throws for the
    /// same inputs; nil when the document is not an object. `names` nil scans no
    /// member's fields.
    public static func scanKnownMembers(_ buffer: UnsafeBufferPointer<UInt8>, keys: JSONKnownKeys,
                                        into slots: inout [JSONKnownMember], fieldsOf member: Int,
                                        names: JSONFieldNames?) throws(JSONParseError) -> JSONKnownMemberScan? {
        let count = keys.keys.count
        if slots.count != count {
            slots = Array(repeating: JSONKnownMember(), count: count)
        } else {
            for index in 0..<count { slots[index] = JSONKnownMember() }
        }
        return try wholeDocument(buffer) { (reader) throws(JSONParseError) -> JSONKnownMemberScan? in
            if reader.peek() == UInt8(ascii: "{") {
                return try reader.scanKnownMembers(keys: keys, into: &slots, fieldsOf: member, names: names)
            }
            _ = try reader.parseValue(depth: 0)
            return nil
        } finish: { scan, _ in scan }
    }
}

extension ByteReader {
    mutating func scanKnownMembers(keys: JSONKnownKeys, into slots: inout [JSONKnownMember], fieldsOf member: Int,
                                   names: JSONFieldNames?) throws(JSONParseError) -> JSONKnownMemberScan {
        var otherCount = 0
        var nested: JSONFieldScan?
        try readMembers(depth: 1) { (reader) throws(JSONParseError) -> Int in
            if let known = keys.matchIndex(in: reader.bytes, at: reader.index) {
                reader.index = known.end
                return known.index
            }
            let key = try reader.parseString()
            return keys.keys.firstIndex(of: key) ?? -1
        } value: { (reader, index) throws(JSONParseError) in
            let start = reader.index
            let isCompact: Bool
            if index == member, let names, reader.peek() == UInt8(ascii: "{") {
                let scan = try reader.scanNestedFields(names)
                isCompact = scan.isCompact
                nested = scan
            } else {
                reader.isCompact = true
                try reader.skipValue(depth: 1)
                isCompact = reader.isCompact
            }
            guard index >= 0 else {
                otherCount += 1
                return
            }
            slots[index].count += 1
            slots[index].range = start..<reader.index
            slots[index].isCompact = isCompact
        }
        return JSONKnownMemberScan(otherCount: otherCount, nested: nested)
    }
}
