/// Writes compact JSON: no spaces, members in order, non-ASCII characters as raw
/// UTF-8, and only `"`, `\` and control characters escaped.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .number(let n): bytes.append(contentsOf: n.text.utf8)
        case .string(let s): writeString(s)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends bytes that already are JSON text (a spliced original value).
    public mutating func writeRaw(_ raw: some Collection<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    /// Appends bytes that already are JSON text, in one copy (the generic
    /// `writeRaw` goes element by element when called from another module).
    public mutating func writeRaw(_ raw: ArraySlice<UInt8>) {
        raw.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
    }

    /// Appends literal JSON text, e.g. `#","offset":"#`.
    public mutating func writeRaw(_ literal: StaticString) {
        append(literal)
    }

    /// Writes `"key":`, preceded by a comma unless it is the first member.
    public mutating func writeKey(_ key: String, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes an integer as JSON number text, without an intermediate string: the
    /// digits go right to left into a stack buffer, then into `bytes` in one append.
    public mutating func writeInt(_ value: Int64) {
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start &-= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    public mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            var i = Self.plainPrefix(utf8, from: 0)
            while i < utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else {
                    i = Self.plainPrefix(utf8, from: i &+ 1)
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                switch b {
                case 0x22: append("\\\"")
                case 0x5C: append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                default:
                    append("\\u00")
                    bytes.append(Self.hex[Int(b >> 4)])
                    bytes.append(Self.hex[Int(b & 0xF)])
                }
                i = Self.plainPrefix(utf8, from: i &+ 1)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The index, at or after `start`, from which bytes must be looked at one by one:
    /// whole words of eight bytes with no `"`, `\` or control character (non-ASCII
    /// bytes are written as they are) are skipped. (`v − 0x01…01 & ~v & 0x80…80` is
    /// non-zero exactly when a byte of `v` is zero; with `0x20…20` subtracted, when
    /// one is below 0x20; bytes of 0x80 and above never set it.)
    @inline(__always)
    static func plainPrefix(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = utf8.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index &+ 8 <= utf8.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                | ((word &- ones &* 0x20) & ~word)
            if special & highs != 0 { return index }
            index &+= 8
        }
        return index
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func append(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
}

extension JSONValue {
    /// The compact serialization as bytes.
    public var serializedBytes: [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }

    /// The compact serialization as a string.
    public var serialized: String { String(decoding: serializedBytes, as: UTF8.self) }
}
