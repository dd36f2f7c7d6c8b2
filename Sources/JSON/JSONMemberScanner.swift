/// One member of a top-level object located by `JSONParser.scanMembers`: its key
/// and where its value's bytes are, without the value built.
public struct JSONMemberSpan: Sendable, Equatable {
    public let key: String
    /// The value's bytes in the scanned buffer.
    public let range: Range<Int>
    /// The value's bytes are exactly the compact serialization of their parse, so
    /// they can be copied instead of parsed and written (false may be conservative).
    public let isCompact: Bool
}

extension JSONParser {
    /// Checks a document exactly as `parse` does (it throws for the same inputs)
    /// and, when it is an object, locates its top-level members in written order,
    /// repeated keys included, without building their values: a record-file
    /// envelope takes its `value` bytes this way. Nil when the document is not an object.
    public static func scanMembers(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> [JSONMemberSpan]? {
        try wholeDocument(buffer) { (reader) throws(JSONParseError) -> [JSONMemberSpan]? in
            if reader.peek() == UInt8(ascii: "{") { return try reader.scanTopLevelMembers() }
            _ = try reader.parseValue(depth: 0)
            return nil
        } finish: { members, _ in members }
    }
}

/// What `JSONParser.scanMembers(_:fieldsOf:names:)` found: the members, and the
/// field scan of the named member's value when that value is an object.
public struct JSONMemberScan: Sendable {
    public let members: [JSONMemberSpan]
    /// `scanFields(names:)` of the last occurrence of the named member's value, as a
    /// scan of exactly its bytes would give it (ranges relative to the value's first
    /// byte); nil when that member is absent or not an object.
    public let nested: JSONFieldScan?
}

extension JSONParser {
    /// `scanMembers`, and in the same pass the field scan of the value of the member
    /// `member` (when it is an object): a record-file envelope's `value` is checked and
    /// its fields located once, for the reader and for validation. Throws for the same
    /// inputs as `scanMembers`. A key spelled exactly as one of `keys` is that string.
    public static func scanMembers(_ buffer: UnsafeBufferPointer<UInt8>, fieldsOf member: String,
                                   names: JSONFieldNames, keys: JSONKnownKeys? = nil) throws(JSONParseError) -> JSONMemberScan? {
        try wholeDocument(buffer) { (reader) throws(JSONParseError) -> JSONMemberScan? in
            if reader.peek() == UInt8(ascii: "{") {
                return try reader.scanTopLevelMembers(fieldsOf: member, names: names, keys: keys)
            }
            _ = try reader.parseValue(depth: 0)
            return nil
        } finish: { scan, _ in scan }
    }
}

extension ByteReader {
    mutating func scanTopLevelMembers() throws(JSONParseError) -> [JSONMemberSpan] {
        var members: [JSONMemberSpan] = []
        members.reserveCapacity(8)
        try readMembers(depth: 1) { (reader) throws(JSONParseError) in
            try reader.parseString()
        } value: { (reader, key) throws(JSONParseError) in
            let start = reader.index
            reader.isCompact = true
            try reader.skipValue(depth: 1)
            members.append(JSONMemberSpan(key: key, range: start..<reader.index, isCompact: reader.isCompact))
        }
        return members
    }

    mutating func scanTopLevelMembers(fieldsOf member: String, names: JSONFieldNames,
                                      keys: JSONKnownKeys?) throws(JSONParseError) -> JSONMemberScan {
        var members: [JSONMemberSpan] = []
        members.reserveCapacity(8)
        var nested: JSONFieldScan?
        try readMembers(depth: 1) { (reader) throws(JSONParseError) in
            if let known = keys?.match(in: reader.bytes, at: reader.index) {
                reader.index = known.end
                return known.key
            }
            return try reader.parseString()
        } value: { (reader, key) throws(JSONParseError) in
            let start = reader.index
            guard reader.peek() == UInt8(ascii: "{"), key == member else {
                reader.isCompact = true
                try reader.skipValue(depth: 1)
                members.append(JSONMemberSpan(key: key, range: start..<reader.index, isCompact: reader.isCompact))
                return
            }
            let scan = try reader.scanNestedFields(names)
            members.append(JSONMemberSpan(key: key, range: start..<reader.index, isCompact: scan.isCompact))
            nested = scan
        }
        return JSONMemberScan(members: members, nested: nested)
    }

    /// At a member's `{` (depth 1 of this reader): the value's field scan by a reader
    /// of its own (depth, compactness and ranges as a scan of exactly its bytes), then
    /// this reader after it, with the depth counted from here and errors at this
    /// reader's offsets.
    mutating func scanNestedFields(_ names: JSONFieldNames) throws(JSONParseError) -> JSONFieldScan {
        let start = index
        var inner = ByteReader(UnsafeBufferPointer(rebasing: bytes[start...]))
        let fields: FieldSlots
        do throws(JSONParseError) {
            fields = try inner.scanFields(names)
        } catch {
            throw JSONParseError(kind: error.kind, message: error.message, offset: start + error.offset)
        }
        index = start + inner.index
        let depth = inner.maxDepth + 1
        if depth > maxDepth { maxDepth = depth }
        if depth > JSONParser.buildDepthLimit {
            throw JSONParseError(kind: .tooDeep, message: "nested deeper than \(JSONParser.buildDepthLimit)", offset: index)
        }
        return JSONFieldScan(kind: .object, slots: fields, depth: inner.maxDepth, isCompact: inner.isCompact,
                             byteCount: inner.index, names: names)
    }

    /// Checks one value as `parseValue` does, without building it. Compactness of
    /// nested objects is checked for repeated keys only up to `linearKeyScanLimit`
    /// members; larger ones count as not compact.
    mutating func skipValue(depth: Int) throws(JSONParseError) {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): try skipObject(depth: depth + 1)
        case UInt8(ascii: "["): try skipArray(depth: depth + 1)
        case UInt8(ascii: "\""): _ = try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw error("unexpected character")
        }
    }

    private mutating func skipObject(depth: Int) throws(JSONParseError) {
        // Raw key bytes compare like decoded keys while the text is compact (the
        // escapes that keep it compact are one-to-one).
        var keys = SmallRanges()  // up to `linearKeyScanLimit` keys; more count as not compact
        try readMembers(depth: depth) { (reader) throws(JSONParseError) in
            let key = try reader.skipString()
            if reader.isCompact, !keys.insertIfNew(key, in: reader.bytes) {
                reader.isCompact = false
            }
        } value: { (reader, _: Void) throws(JSONParseError) in
            try reader.skipValue(depth: depth)
        }
    }

    private mutating func skipArray(depth: Int) throws(JSONParseError) {
        try enter(depth)
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return }
        while true {
            skipWhitespace()
            try skipValue(depth: depth)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    /// Checks a string as `parseString` does and returns the range of its raw
    /// content; only strings with escapes or non-ASCII bytes are decoded.
    private mutating func skipString() throws(JSONParseError) -> Range<Int> {
        let open = index
        index += 1
        skipPlainStringBytes()
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return open + 1 ..< index - 1
            }
            if b == UInt8(ascii: "\\") || b >= 0x80 {
                index = open
                _ = try parseString()
                return open + 1 ..< index - 1
            }
            if b < 0x20 { throw error("control character in a string") }
            index += 1
        }
        throw error("unterminated string")
    }
}
