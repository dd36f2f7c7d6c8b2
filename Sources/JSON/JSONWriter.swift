/// Writes compact JSON: no spaces, members in order, non-ASCII characters as raw
/// UTF-8, and only `"`, `\` and control characters escaped.
///
/// The text goes into a buffer the writer owns (non-copyable, so no copy-on-write
/// check per piece), copied out once by `bytes`: an `Array.append(contentsOf:)` per
/// piece cost ~130 instructions, most of a record's writing.
///
/// Literal text and integers are written by `@inlinable` code: called from another
/// module, a literal's append was two calls and a `memcpy` of unknown length per piece
/// (~70 instructions); inlined, its length is a constant.
public struct JSONWriter: ~Copyable, @unchecked Sendable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count: Int
    @usableFromInline var capacity: Int

    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        count = 0
    }

    deinit { base.deallocate() }

    /// The text written so far (a copy).
    public var bytes: [UInt8] {
        // `Array(_:)` of the buffer (specialized, one allocation and copy): ~70
        // instructions fewer than `reserveCapacity` + `append(contentsOf:)`, and
        // `init(unsafeUninitializedCapacity:)` looked up the array's type metadata at run
        // time on every call (~600 instructions).
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// Appends `n` bytes from `source`.
    @inlinable @inline(__always)
    mutating func append(_ source: UnsafePointer<UInt8>, _ n: Int) {
        if capacity &- count < n { grow(count &+ n) }
        (base + count).update(from: source, count: n)
        count &+= n
    }

    @inlinable @inline(__always)
    mutating func append(_ byte: UInt8) {
        if capacity == count { grow(count &+ 1) }
        base[count] = byte
        count &+= 1
    }

    @usableFromInline
    mutating func grow(_ needed: Int) {
        let newCapacity = Swift.max(needed, capacity &* 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        if let start = buffer.baseAddress, buffer.count > 0 { append(start, buffer.count) }
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .number(let n):
            var text = n.text
            text.withUTF8 { append($0) }
        case .string(let s): writeString(s)
        case .array(let elements):
            append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { append(UInt8(ascii: ",")) }
                write(element)
            }
            append(UInt8(ascii: "]"))
        case .object(let object):
            append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { append(UInt8(ascii: ",")) }
                writeString(member.key)
                append(UInt8(ascii: ":"))
                write(member.value)
            }
            append(UInt8(ascii: "}"))
        }
    }

    /// Appends bytes that already are JSON text (a spliced original value).
    public mutating func writeRaw(_ raw: some Collection<UInt8>) {
        for byte in raw { append(byte) }
    }

    /// Appends bytes that already are JSON text, in one copy (the generic
    /// `writeRaw` goes element by element when called from another module).
    public mutating func writeRaw(_ raw: ArraySlice<UInt8>) {
        raw.withUnsafeBufferPointer { append($0) }
    }

    /// Appends literal JSON text, e.g. `#","offset":"#`.
    @inlinable @inline(__always)
    public mutating func writeRaw(_ literal: StaticString) {
        append(literal.utf8Start, literal.utf8CodeUnitCount)
    }

    /// How many bytes are written so far: the start or end of a piece for `writeAgain`.
    @inlinable public var position: Int { count }

    /// Appends again the bytes written at `range` (positions given by `position`): a
    /// piece that appears twice in a record is written once, then copied.
    @inlinable
    public mutating func writeAgain(_ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "not written yet")
        let n = range.count
        if capacity &- count < n { grow(count &+ n) }
        (base + count).update(from: base + range.lowerBound, count: n)
        count &+= n
    }

    /// Writes `"key":`, preceded by a comma unless it is the first member.
    public mutating func writeKey(_ key: String, first: Bool = false) {
        if !first { append(UInt8(ascii: ",")) }
        writeString(key)
        append(UInt8(ascii: ":"))
    }

    /// Writes an integer as JSON number text, without an intermediate string: the
    /// digits go right to left, two per division (`digitPairs`), into a stack buffer,
    /// then into the text in one append.
    @inlinable
    public mutating func writeInt(_ value: Int64) {
        var magnitude = value.magnitude
        let pairs = Self.digitPairs.utf8Start
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            let out = digits.baseAddress!
            var start = 20
            while magnitude >= 100 {
                let pair = Int(truncatingIfNeeded: magnitude % 100) &* 2
                magnitude /= 100
                start &-= 2
                out[start] = pairs[pair]
                out[start &+ 1] = pairs[pair &+ 1]
            }
            if magnitude >= 10 {
                let pair = Int(truncatingIfNeeded: magnitude) &* 2
                start &-= 2
                out[start] = pairs[pair]
                out[start &+ 1] = pairs[pair &+ 1]
            } else {
                start &-= 1
                out[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
            }
            if value < 0 { append(UInt8(ascii: "-")) }
            append(out + start, 20 &- start)
        }
    }

    /// "00" … "99": the two digits of every value below 100, read by `writeInt`.
    @inlinable
    static var digitPairs: StaticString {
        """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
    }

    /// Writes a string: its bytes in one copy when none needs escaping (the common
    /// case), else run by run with the escapes between.
    ///
    /// The bytes are read through `utf8.withContiguousStorageIfAvailable` (a native or
    /// small string always has them): `withUTF8` needed a mutable copy of the string,
    /// a retain and release per call.
    public mutating func writeString(_ string: String) {
        let written: Void? = string.utf8.withContiguousStorageIfAvailable { writeStringContent($0) }
        if written == nil {
            var copy = string
            copy.withUTF8 { writeStringContent($0) }
        }
    }

    /// `utf8` as a JSON string, quotes included.
    private mutating func writeStringContent(_ utf8: UnsafeBufferPointer<UInt8>) {
        let plain = Self.plainLength(utf8)
        let n = utf8.count
        if plain == n {
            if capacity &- count < n &+ 2 { grow(count &+ n &+ 2) }
            let out = base + count
            out[0] = UInt8(ascii: "\"")
            if let start = utf8.baseAddress, n > 0 { (out + 1).update(from: start, count: n) }
            out[n &+ 1] = UInt8(ascii: "\"")
            count &+= n &+ 2
            return
        }
        append(UInt8(ascii: "\""))
        var runStart = 0
        var i = plain
        while i < n {
            let b = utf8[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C else {
                i = Self.plainPrefix(utf8, from: i &+ 1)
                continue
            }
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
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
                append(Self.hex[Int(b >> 4)])
                append(Self.hex[Int(b & 0xF)])
            }
            i = Self.plainPrefix(utf8, from: i &+ 1)
        }
        append(UnsafeBufferPointer(rebasing: utf8[runStart..<n]))
        append(UInt8(ascii: "\""))
    }

    /// How many bytes from the start need no escape: whole words first (`plainPrefix`),
    /// then the rest byte by byte.
    @inline(__always)
    static func plainLength(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var i = plainPrefix(utf8, from: 0)
        while i < utf8.count {
            let b = utf8[i]
            if b < 0x20 || b == 0x22 || b == 0x5C { return i }
            i &+= 1
        }
        return i
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
        append(s.utf8Start, s.utf8CodeUnitCount)
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
