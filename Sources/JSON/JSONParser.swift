/// Why bytes are not a JSON document.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// Not UTF-8 JSON: a syntax error, invalid UTF-8, a lone surrogate escape.
        case malformed
        /// Syntactically valid, but nested deeper than the parser builds values for.
        case tooDeep
    }
    public let kind: Kind
    /// A short human-readable explanation.
    public let message: String
    /// The byte offset where the problem was found.
    public let offset: Int

    public var description: String { "\(message) at byte \(offset)" }
}

/// A parsed document and the deepest container nesting it has (the top-level
/// object or array is depth 1, scalars add nothing).
public struct JSONDocument: Sendable {
    public let value: JSONValue
    public let depth: Int
    /// True only when the bytes are exactly `value.serializedBytes` (no whitespace,
    /// no repeated keys, only the escapes `JSONWriter` writes), so a writer may copy
    /// the bytes instead of serializing the value. False may be conservative.
    public let isCompact: Bool

    public init(value: JSONValue, depth: Int, isCompact: Bool = false) {
        self.value = value
        self.depth = depth
        self.isCompact = isCompact
    }
}

/// A strict RFC 8259 parser over raw bytes: UTF-8 is validated, control characters
/// in strings and lone surrogates are errors, and nothing but whitespace may follow
/// the value. Documents nested deeper than `buildDepthLimit` are checked for
/// syntax without recursion and reported as `.tooDeep`, so hostile input cannot
/// exhaust the stack.
public enum JSONParser {
    /// Nesting beyond this is not built into values (syntax is still checked).
    public static let buildDepthLimit = 128

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONDocument {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONDocument in
            try parse(buffer)
        }
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONDocument {
        try parse(Array(text.utf8))
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONDocument {
        try wholeDocument(buffer) { (reader) throws(JSONParseError) in
            try reader.parseValue(depth: 0)
        } finish: { value, reader in
            JSONDocument(value: value, depth: reader.maxDepth, isCompact: reader.isCompact)
        }
    }

    /// Reads one document that must fill `buffer` (white space around it allowed)
    /// with `read`, then `finish`es with the reader's final state. A document too deep
    /// to build is checked iteratively first, so a syntax error anywhere in it wins
    /// over "too deep", as `JSONSyntaxChecker` would answer.
    @inline(__always)
    static func wholeDocument<Read, Result>(
        _ buffer: UnsafeBufferPointer<UInt8>,
        read: (inout ByteReader) throws(JSONParseError) -> Read,
        finish: (Read, ByteReader) -> Result
    ) throws(JSONParseError) -> Result {
        var reader = ByteReader(buffer)
        do throws(JSONParseError) {
            reader.skipWhitespace()
            let partial = try read(&reader)
            reader.skipWhitespace()
            if reader.index != buffer.count {
                throw reader.error("unexpected data after the JSON value")
            }
            return finish(partial, reader)
        } catch {
            if error.kind == .tooDeep {
                var checker = ByteReader(buffer)
                try checker.checkSyntaxIteratively()
            }
            throw error
        }
    }
}

/// The cursor the parser and the iterative syntax checker share.
struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var maxDepth = 0
    /// Cleared by anything `JSONWriter` would write differently: whitespace, a
    /// repeated key, an escape it does not write.
    var isCompact = true

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String) -> JSONParseError {
        JSONParseError(kind: .malformed, message: message, offset: index)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1; isCompact = false
            default: return
            }
        }
    }

    @inline(__always)
    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try scanNumber()
            return .number(JSONNumber(text: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)))
        default:
            throw error("unexpected character")
        }
    }

    mutating func enter(_ depth: Int) throws(JSONParseError) {
        if depth > maxDepth { maxDepth = depth }
        if depth > JSONParser.buildDepthLimit {
            throw JSONParseError(kind: .tooDeep, message: "nested deeper than \(JSONParser.buildDepthLimit)", offset: index)
        }
    }

    /// Objects with more members than this find repeated keys through a hash index
    /// rather than a linear scan, so a 32 KB object of 3,000 distinct keys costs
    /// microseconds rather than the 20 ms a quadratic scan took.
    static let linearKeyScanLimit = 16

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONObject {
        var object = JSONObject()
        var positions: [String: Int] = [:]
        try readMembers(depth: depth) { (reader) throws(JSONParseError) in
            try reader.parseString()
        } value: { (reader, key) throws(JSONParseError) in
            let value = try reader.parseValue(depth: depth)
            if object.count < Self.linearKeyScanLimit {
                if object[key] != nil { object[key] = value; reader.isCompact = false } else { object.appendUnchecked(key, value) }
            } else {
                if positions.isEmpty {
                    positions.reserveCapacity(object.count * 2)
                    for (position, member) in object.members.enumerated() { positions[member.key] = position }
                }
                if let position = positions[key] {
                    object.replaceValue(at: position, with: value)
                    reader.isCompact = false
                } else {
                    positions[key] = object.count
                    object.appendUnchecked(key, value)
                }
            }
        }
        return object
    }

    /// The object grammar every reader of objects shares (`parseObject`, the member
    /// scanner, `skipObject`): at `{`, reads each member's key with `key` and its value
    /// with `value`, through the closing `}`.
    @inline(__always)
    mutating func readMembers<Key>(
        depth: Int,
        key readKey: (inout ByteReader) throws(JSONParseError) -> Key,
        value readValue: (inout ByteReader, Key) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        try enter(depth)
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try readKey(&self)
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
            index += 1
            skipWhitespace()
            try readValue(&self, key)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> [JSONValue] {
        try enter(depth)
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return array }
        while true {
            skipWhitespace()
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return array
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for k in 0..<count where bytes[index + k] != expected[k] {
            throw error("invalid literal")
        }
        index += count
    }

    /// Scans a number per the JSON grammar, leaving `index` after it.
    mutating func scanNumber() throws(JSONParseError) {
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw error("invalid number") }
        index += 1
        if first != UInt8(ascii: "0") {
            while let b = peek(), isDigit(b) { index += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let b = peek(), isDigit(b) else { throw error("invalid number fraction") }
            while let b = peek(), isDigit(b) { index += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            index += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { index += 1 }
            guard let b = peek(), isDigit(b) else { throw error("invalid number exponent") }
            while let b = peek(), isDigit(b) { index += 1 }
        }
    }

    @inline(__always)
    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Parses a string starting at its opening quote. The common case (no escapes,
    /// ASCII) decodes straight from the buffer.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        var ascii = true
        skipPlainStringBytes()
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return String(checkedASCII: slice) }
                guard let s = String(validating: slice, as: UTF8.self) else {
                    index = start
                    throw error("invalid UTF-8 in a string")
                }
                return s
            }
            if b == UInt8(ascii: "\\") {
                return try parseEscapedString(start: start)
            }
            if b < 0x20 { throw error("control character in a string") }
            if b >= 0x80 { ascii = false }
            index += 1
        }
        throw error("unterminated string")
    }

    /// The slow path: a string with escapes, decoded into a byte buffer.
    mutating func parseEscapedString(start: Int) throws(JSONParseError) -> String {
        var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                guard let s = String(validating: out, as: UTF8.self) else {
                    throw error("invalid UTF-8 in a string")
                }
                return s
            case UInt8(ascii: "\\"):
                index += 1
                guard let e = peek() else { throw error("unterminated escape") }
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F); isCompact = false
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    let hex = index
                    var scalar = try readHex4()
                    if isCompact && !Self.isWriterEscape(scalar, hex: UnsafeBufferPointer(rebasing: bytes[hex..<index])) {
                        isCompact = false
                    }
                    if scalar >= 0xD800 && scalar <= 0xDBFF {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw error("lone high surrogate escape") }
                        index += 2
                        let low = try readHex4()
                        guard low >= 0xDC00 && low <= 0xDFFF else { throw error("invalid low surrogate escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                        throw error("lone low surrogate escape")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid unicode escape") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw error("invalid escape")
                }
            default:
                if b < 0x20 { throw error("control character in a string") }
                out.append(b)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    /// Whether `JSONWriter` writes `scalar` as this `\\u` escape: control characters
    /// without a short escape, in lowercase hex.
    static func isWriterEscape(_ scalar: UInt32, hex: UnsafeBufferPointer<UInt8>) -> Bool {
        guard scalar < 0x20 else { return false }
        switch scalar {
        case 0x08, 0x09, 0x0A, 0x0C, 0x0D: return false
        default: return !hex.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        }
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("short unicode escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in a unicode escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}

extension ByteReader {
    /// Skips, eight bytes at a time, string content that needs no attention: the
    /// index stops at the first `"`, `\`, control character or non-ASCII byte (at or
    /// before it near the end of the buffer), for the byte loop to look at. (`v − 0x01…01 & ~v & 0x80…80` is non-zero
    /// exactly when a byte of `v` is zero; with `0x20…20` subtracted, when one is below 0x20.)
    @inline(__always)
    mutating func skipPlainStringBytes() {
        guard let base = bytes.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index &+ 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                | ((word &- ones &* 0x20) & ~word) | word
            let flags = special & highs
            if flags != 0 {
                // The lowest flag is exact (a borrow only runs up from a flagged byte):
                // on a little-endian load it is the first special byte in memory order.
                #if _endian(little)
                index &+= flags.trailingZeroBitCount &>> 3
                #endif
                return
            }
            index &+= 8
        }
    }
}
