/// The JSON type of a value, as `JSONValue.typeName` names it.
public enum JSONKind: UInt8, Sendable {
    case null, boolean, number, string, array, object

    /// `null`, `boolean`, `number`, `string`, `array` or `object`.
    public var name: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A member value found by `JSONParser.scanFields`: its type and where its bytes
/// are, a boolean read; nothing is built (`string(in:)` decodes a string).
public struct JSONFieldValue: Sendable {
    public let kind: JSONKind
    /// The value's bytes in the scanned buffer (a string's with its quotes).
    public let range: Range<Int>
    /// The value when `kind` is `.boolean`.
    public let bool: Bool
    /// A string without escapes: its content bytes are its UTF-8 (checked by the scan).
    let unescaped: Bool
    /// A string without escapes whose bytes are all ASCII.
    let ascii: Bool

    init(kind: JSONKind, range: Range<Int>, bool: Bool, unescaped: Bool, ascii: Bool = false) {
        self.kind = kind
        self.range = range
        self.bool = bool
        self.unescaped = unescaped
        self.ascii = ascii
    }

    /// True for `null`.
    public var isNull: Bool { kind == .null }

    /// The content (without quotes) of a string without escapes whose bytes are all
    /// ASCII: its text is those bytes, so a reader can keep the range instead of a string.
    public var plainASCIIContent: Range<Int>? {
        kind == .string && unescaped && ascii ? range.lowerBound + 1 ..< range.upperBound - 1 : nil
    }

    /// The decoded text when `kind` is `.string`; `bytes` are the scanned buffer's.
    public func string(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard kind == .string else { return nil }
        if unescaped {
            let content = UnsafeBufferPointer(rebasing: bytes[range.lowerBound + 1 ..< range.upperBound - 1])
            return ascii ? String(checkedASCII: content) : String(decoding: content, as: UTF8.self)
        }
        var reader = ByteReader(bytes)
        reader.index = range.lowerBound
        return try? reader.parseString()  // checked by the scan: cannot fail
    }

    /// The decoded text when `kind` is `.string`; `bytes` are the scanned buffer's.
    public func string(in bytes: [UInt8]) -> String? {
        guard kind == .string else { return nil }
        return bytes.withUnsafeBufferPointer { string(in: $0) }
    }
}

/// The member names a field scan looks for; slot `i` is `names[i]`. Build it once
/// (a `static let`): matching a key compares its length, then its bytes.
public struct JSONFieldNames: Sendable {
    /// One reference (a copy of the names, made per line, retains one object).
    private let storage: Storage
    fileprivate final class Storage: Sendable {
        let lengths: [Int]
        let offsets: [Int]
        let blob: [UInt8]
        let nested: Nested?
        /// Per name, its length and its first 16 bytes as two little-endian words
        /// (zero past its end; a name of more than 16 bytes has length -1 here).
        let words: [UInt64]
        init(lengths: [Int], offsets: [Int], blob: [UInt8], nested: Nested?) {
            self.lengths = lengths
            self.offsets = offsets
            self.blob = blob
            self.nested = nested
            words = ShortKeyWords.table(lengths.indices.map { Array(blob[offsets[$0] ..< offsets[$0] + lengths[$0]]) })
        }
    }
    /// Identifies these names (not equal names built twice): a scan handed on by
    /// another reader is checked to be a scan for them (`JSONFieldScan.isScan(for:of:)`).
    fileprivate var identity: Storage { storage }
    /// The slot whose object value is field-scanned in the same pass, and for what.
    var nested: Nested? { storage.nested }
    final class Nested: Sendable {
        let slot: Int
        let names: JSONFieldNames
        init(slot: Int, names: JSONFieldNames) {
            self.slot = slot
            self.names = names
        }
    }
    public var count: Int { storage.lengths.count }

    public init(_ names: [String]) {
        self.init(names, nested: nil)
    }

    /// `names`, and when the member `member` (one of them) is an object, its members
    /// `nestedNames` lists read in the same pass (`JSONFieldScan.nestedFields`): an
    /// event's `context` is located while the event is checked, not scanned again.
    public init(_ names: [String], nestedFieldsOf member: String, names nestedNames: JSONFieldNames) {
        guard let slot = names.firstIndex(of: member) else { preconditionFailure("\(member) is not one of the names") }
        self.init(names, nested: Nested(slot: slot, names: nestedNames))
    }

    private init(_ names: [String], nested: Nested?) {
        var offsets: [Int] = []
        var blob: [UInt8] = []
        for name in names {
            offsets.append(blob.count)
            blob += name.utf8
        }
        storage = Storage(lengths: names.map(\.utf8.count), offsets: offsets, blob: blob, nested: nested)
    }

    /// The slot of the key whose decoded bytes these are, if it is one of the names;
    /// `readable` bytes from the key's first can be read (at least `key.count`). A key of
    /// at most 16 bytes with 16 readable is compared as two words with each name's
    /// (the byte loop cost ~110 instructions a key).
    @inline(__always)
    func slot(of key: UnsafeBufferPointer<UInt8>, readable: Int) -> Int? {
        #if _endian(little)
        let count = key.count
        if count <= 16, readable >= 16, let base = key.baseAddress {
            let raw = UnsafeRawPointer(base)
            var low = raw.loadUnaligned(as: UInt64.self)
            var high = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            if count < 8 {
                low &= (1 &<< UInt64(8 &* count)) &- 1
                high = 0
            } else if count < 16 {
                high &= (1 &<< UInt64(8 &* (count &- 8))) &- 1
            }
            let length = UInt64(count)
            return storage.words.withUnsafeBufferPointer { words -> Int? in
                var slot = 0
                var at = 0
                while at < words.count {
                    if words[at] == length, words[at &+ 1] == low, words[at &+ 2] == high { return slot }
                    slot &+= 1
                    at &+= 3
                }
                return nil
            }
        }
        #endif
        return slot(of: key)
    }

    /// The slot of the key whose decoded bytes these are, if it is one of the names
    /// (byte by byte).
    @inline(__always)
    func slot(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let lengths = storage.lengths, offsets = storage.offsets, blob = storage.blob
        for slot in 0..<lengths.count where lengths[slot] == key.count {
            let offset = offsets[slot]
            var equal = true
            for k in 0..<key.count where blob[offset &+ k] != key[k] {
                equal = false
                break
            }
            if equal { return slot }
        }
        return nil
    }
}

/// What `JSONParser.scanFields` found in a document.
public struct JSONFieldScan: Sendable {
    /// The document's top-level type; the fields are only read when it is `.object`.
    public let kind: JSONKind
    /// The deepest container nesting, the top level being 1 (as `JSONDocument.depth`).
    public let depth: Int
    /// True only when the bytes are exactly the compact serialization of their parse
    /// (as `JSONDocument.isCompact`; false may be conservative).
    public let isCompact: Bool
    /// The fields, then the nested member's fields (never written after the scan).
    @usableFromInline let storage: Slots
    @usableFromInline let count: Int
    @usableFromInline let nestedCount: Int
    /// The bytes the document filled.
    let byteCount: Int
    /// The names the fields are the slots of.
    private let names: JSONFieldNames.Storage

    /// A scan's slots: read through their address (no class access, so no exclusivity
    /// check per field), kept alive by their owner.
    @usableFromInline struct Slots: @unchecked Sendable {
        let owner: FieldSlots
        @usableFromInline let elements: UnsafePointer<JSONFieldValue?>
    }

    init(kind: JSONKind, slots: FieldSlots, depth: Int, isCompact: Bool, byteCount: Int, names: JSONFieldNames) {
        self.kind = kind
        let header = slots.header
        storage = Slots(owner: slots, elements: UnsafePointer(slots.withUnsafeMutablePointerToElements { $0 }))
        count = header.count
        nestedCount = header.hasNested ? header.nestedCount : -1
        self.depth = depth
        self.isCompact = isCompact
        self.byteCount = byteCount
        self.names = names.identity
    }

    /// The value of the last occurrence of the member of slot `slot` of the names; nil
    /// when the object has no such member (or the document is not an object).
    @inlinable
    public func field(_ slot: Int) -> JSONFieldValue? {
        slot >= 0 && slot < count ? storage.elements[slot] : nil
    }

    /// For names with a nested member (`JSONFieldNames(_:nestedFieldsOf:names:)`) whose
    /// last occurrence is an object: the value of its member of slot `slot` of the
    /// nested names (last occurrence), with its range in the same bytes as `field`'s —
    /// what `scanFields` of the member's bytes finds, moved by where they start. Nil
    /// when there is no such member, or the nested member is absent or not an object.
    @inlinable
    public func nestedField(_ slot: Int) -> JSONFieldValue? {
        slot >= 0 && slot < nestedCount ? storage.elements[count &+ slot] : nil
    }

    /// Whether the nested member was found as an object (see `nestedField`).
    @inlinable
    public var hasNestedFields: Bool { nestedCount >= 0 }

    /// Per slot of the names, `field(slot)`.
    public var fields: [JSONFieldValue?] { (0..<count).map(field) }

    /// Per slot of the nested names, `nestedField(slot)`; nil when `hasNestedFields` is false.
    public var nestedFields: [JSONFieldValue?]? {
        hasNestedFields ? (0..<nestedCount).map(nestedField) : nil
    }

    /// True when this is the scan of a document of `byteCount` bytes for `names`: a
    /// scan made elsewhere (`scanMembers(_:fieldsOf:names:)`) can stand for `scanFields`.
    public func isScan(for names: JSONFieldNames, of byteCount: Int) -> Bool {
        self.names === names.identity && self.byteCount == byteCount
    }
}

extension JSONParser {
    /// Checks a document exactly as `parse` does (it throws the same errors for the
    /// same inputs) and, when it is an object, reads only the top-level members
    /// `names` lists, without building anything else: validation takes the fields it
    /// checks this way and leaves the rest as bytes.
    public static func scanFields(_ buffer: UnsafeBufferPointer<UInt8>,
                                  names: JSONFieldNames) throws(JSONParseError) -> JSONFieldScan {
        try wholeDocument(buffer) { (reader) throws(JSONParseError) -> (JSONKind, FieldSlots) in
            guard reader.peek() == UInt8(ascii: "{") else {
                let value = try reader.parseValue(depth: 0)
                return (JSONKind(value), FieldSlots.make(count: 0, nestedCount: 0))
            }
            return (.object, try reader.scanFields(names))
        } finish: { found, reader in
            JSONFieldScan(kind: found.0, slots: found.1, depth: reader.maxDepth, isCompact: reader.isCompact,
                          byteCount: buffer.count, names: names)
        }
    }
}

extension JSONKind {
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool: self = .boolean
        case .number: self = .number
        case .string: self = .string
        case .array: self = .array
        case .object: self = .object
        }
    }
}

/// The located values of one scan: a slot per name, then a slot per nested name, in
/// one allocation of a non-generic class (an array's allocation looked its generic
/// storage type up at run time: ~530 instructions per scan). Written only by the scan.
@usableFromInline
final class FieldSlots: ManagedBuffer<FieldSlots.Header, JSONFieldValue?> {
    @usableFromInline struct Header {
        let count: Int
        let nestedCount: Int
        var hasNested: Bool
    }

    static func make(count: Int, nestedCount: Int) -> FieldSlots {
        let slots = unsafeDowncast(create(minimumCapacity: count &+ nestedCount) { _ in
            Header(count: count, nestedCount: nestedCount, hasNested: false)
        }, to: FieldSlots.self)
        slots.withUnsafeMutablePointerToElements { $0.initialize(repeating: nil, count: count &+ nestedCount) }
        return slots
    }

    /// Whether the nested member was found as an object, set through the header's
    /// address: `header.hasNested = …` began a dynamic exclusivity access (~80
    /// instructions a scan).
    @inline(__always)
    func setHasNested(_ found: Bool) {
        withUnsafeMutablePointerToHeader { $0.pointee.hasNested = found }
    }

    @inline(__always)
    func set(_ slot: Int, _ value: JSONFieldValue?) {
        withUnsafeMutablePointerToElements { $0[slot] = value }
    }

    @inline(__always)
    func isSet(_ slot: Int) -> Bool {
        withUnsafeMutablePointerToElements { $0[slot] != nil }
    }
}

extension ByteReader {
    mutating func scanFields(_ names: JSONFieldNames) throws(JSONParseError) -> FieldSlots {
        let nested = names.nested
        let count = names.count
        let slots = FieldSlots.make(count: count, nestedCount: nested?.names.count ?? 0)
        // A repeated name is a set slot; other keys are compared by their raw bytes,
        // which compare like decoded keys while the text is compact (the escapes that
        // keep it compact are one-to-one), as in `skipObject`.
        var others = SmallRanges()
        try readMembers(depth: 1) { (reader) throws(JSONParseError) -> Int? in
            let (raw, unescaped, _) = try reader.skipStringContent()
            let slot: Int?
            if unescaped {
                slot = names.slot(of: UnsafeBufferPointer(rebasing: reader.bytes[raw]), readable: reader.bytes.count &- raw.lowerBound)
            } else {
                // An escaped key: compare its decoded bytes.
                let end = reader.index
                reader.index = raw.lowerBound - 1
                var decoded = try reader.parseString()
                reader.index = end
                slot = decoded.withUTF8 { names.slot(of: $0) }
            }
            if reader.isCompact {
                if let slot {
                    if slots.isSet(slot) { reader.isCompact = false }
                } else if !others.insertIfNew(raw, in: reader.bytes) {
                    reader.isCompact = false
                }
            }
            return slot
        } value: { (reader, slot) throws(JSONParseError) in
            guard let slot else {
                try reader.skipValue(depth: 1)
                return
            }
            if let nested, slot == nested.slot {
                guard reader.peek() == UInt8(ascii: "{") else {
                    slots.setHasNested(false)
                    slots.set(slot, try reader.fieldValue(depth: 1))
                    return
                }
                let start = reader.index
                try reader.scanObjectFields(nested.names, depth: 2, into: slots, at: count)
                slots.setHasNested(true)
                slots.set(slot, JSONFieldValue(kind: .object, range: start..<reader.index, bool: false, unescaped: false))
                return
            }
            slots.set(slot, try reader.fieldValue(depth: 1))
        }
        return slots
    }

    /// At a nested object's `{` (`depth` its depth): checks it exactly as `skipValue`
    /// does (the same errors at the same offsets, the same depth and compactness, keys
    /// checked for repeats as `skipObject` checks them), and puts the members `names`
    /// lists (the last occurrence of each) into `slots` from `first` on.
    mutating func scanObjectFields(_ names: JSONFieldNames, depth: Int, into slots: FieldSlots, at first: Int)
        throws(JSONParseError) {
        for slot in 0..<names.count { slots.set(first &+ slot, nil) }
        var keys = SmallRanges()
        try readMembers(depth: depth) { (reader) throws(JSONParseError) -> Int? in
            let (raw, unescaped, _) = try reader.skipStringContent()
            if reader.isCompact, !keys.insertIfNew(raw, in: reader.bytes) {
                reader.isCompact = false
            }
            if unescaped {
                return names.slot(of: UnsafeBufferPointer(rebasing: reader.bytes[raw]), readable: reader.bytes.count &- raw.lowerBound)
            }
            let end = reader.index
            reader.index = raw.lowerBound - 1
            var decoded = try reader.parseString()
            reader.index = end
            return decoded.withUTF8 { names.slot(of: $0) }
        } value: { (reader, slot) throws(JSONParseError) in
            guard let slot else {
                try reader.skipValue(depth: depth)
                return
            }
            slots.set(first &+ slot, try reader.fieldValue(depth: depth))
        }
    }

    /// Checks a string as `parseString` does (at its opening quote); returns the range
    /// of its raw content and whether it has no escapes (then the content is its UTF-8).
    mutating func skipStringContent() throws(JSONParseError) -> (Range<Int>, unescaped: Bool, ascii: Bool) {
        let open = index
        index += 1
        skipPlainStringBytes()
        var ascii = true
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                if !ascii {
                    // Non-ASCII without escapes: check the UTF-8 as `parseString` does.
                    index = open
                    _ = try parseString()
                }
                return (open + 1 ..< index - 1, true, ascii)
            }
            if b == UInt8(ascii: "\\") {
                index = open
                _ = try parseString()
                return (open + 1 ..< index - 1, false, false)
            }
            if b < 0x20 { throw error("control character in a string") }
            if b >= 0x80 { ascii = false }
            index += 1
        }
        throw error("unterminated string")
    }

    /// One wanted member value of an object at `depth`: checked and located, a boolean read.
    @inline(__always)
    private mutating func fieldValue(depth: Int) throws(JSONParseError) -> JSONFieldValue {
        let start = index
        switch peek() {
        case UInt8(ascii: "\"")?:
            let (_, unescaped, ascii) = try skipStringContent()
            return JSONFieldValue(kind: .string, range: start..<index, bool: false, unescaped: unescaped, ascii: ascii)
        case UInt8(ascii: "t")?:
            try expectLiteral("true")
            return JSONFieldValue(kind: .boolean, range: start..<index, bool: true, unescaped: false)
        case UInt8(ascii: "f")?:
            try expectLiteral("false")
            return JSONFieldValue(kind: .boolean, range: start..<index, bool: false, unescaped: false)
        case UInt8(ascii: "n")?:
            try expectLiteral("null")
            return JSONFieldValue(kind: .null, range: start..<index, bool: false, unescaped: false)
        case UInt8(ascii: "{")?:
            try skipValue(depth: depth)
            return JSONFieldValue(kind: .object, range: start..<index, bool: false, unescaped: false)
        case UInt8(ascii: "[")?:
            try skipValue(depth: depth)
            return JSONFieldValue(kind: .array, range: start..<index, bool: false, unescaped: false)
        default:
            try skipValue(depth: depth)  // a number, or the error `parseValue` gives
            return JSONFieldValue(kind: .number, range: start..<index, bool: false, unescaped: false)
        }
    }
}

/// Up to `capacity` distinct byte ranges of a buffer, kept inline (no allocation):
/// the keys of one object, to find a repeated key.
struct SmallRanges {
    static let capacity = 16
    private var bounds: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int,
                         Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int)
        = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private var count = 0

    /// Adds `range` unless a kept range has the same bytes. False when it is a
    /// repeat, or when the set is full (a repeat cannot be ruled out).
    mutating func insertIfNew(_ range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count < Self.capacity else { return false }
        let count = self.count
        let isNew = withUnsafeMutableBytes(of: &bounds) { raw -> Bool in
            let bounds = raw.bindMemory(to: Int.self)
            let key = UnsafeBufferPointer(rebasing: buffer[range])
            for i in 0..<count {
                let start = bounds[2 &* i], end = bounds[2 &* i &+ 1]
                if end &- start == key.count, UnsafeBufferPointer(rebasing: buffer[start..<end]).elementsEqual(key) {
                    return false
                }
            }
            bounds[2 &* count] = range.lowerBound
            bounds[2 &* count &+ 1] = range.upperBound
            return true
        }
        if isNew { self.count += 1 }
        return isNew
    }
}
