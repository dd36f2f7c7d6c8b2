import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns one line of a record file (SPEC §12.1) into a `RecordLine`.
///
/// How a line is read:
/// - An object with a string `topic` member and a `value` or `value_b64`
///   member is an **envelope**: `key` is a string or null/absent, `timestamp_ms`
///   a non-negative integer (absent: inherited), exactly one of `value` (any
///   JSON, written as its compact serialization; `null` is a tombstone) and
///   `value_b64` (standard base64 of the exact bytes). Other members are an
///   error, so that a misspelt `timestamp_ms` is not silently ignored.
/// - Any other object is a **bare raw event** for `raw-events`, keyed by its
///   `workspace_id` when that is a string; its value is the line's exact bytes.
/// - Anything else (malformed JSON, an array, a string, an object nested too
///   deep to build) is a raw event whose value is the line's exact bytes, without a key.
/// Records without `timestamp_ms` take the previous record's timestamp, the
/// first one the clock's "now".
public struct RecordLineParser {
    /// Topic of bare and malformed lines.
    public static let rawEventsTopic = "raw-events"
    private static let envelopeMembers: Set<String> = ["topic", "key", "timestamp_ms", "value", "value_b64"]
    /// The envelope's members as the scan gives them back without making their keys.
    private static let envelopeKeys = JSONKnownKeys(["topic", "key", "timestamp_ms", "value", "value_b64"])

    private let now: () -> Int64
    private let valueFields: JSONFieldNames?
    private var previousTimestamp: Int64?
    /// The envelope scan's slots, kept from line to line (`JSONParser.scanKnownMembers`).
    private var slots: [JSONKnownMember] = []

    /// - Parameters:
    ///   - now: ms since the epoch, asked at most once, for the first record without a timestamp.
    ///   - valueFields: the members a compact envelope's object `value` is scanned for
    ///     while the envelope is checked (`RecordLine.valueFields`); nil scans for none.
    public init(now: @escaping () -> Int64, valueFields: JSONFieldNames? = nil) {
        self.now = now
        self.valueFields = valueFields
    }

    /// Parses `bytes` (one line without its line terminator), numbered `line`.
    /// - Throws: a message naming the problem of an envelope that breaks the rules.
    public mutating func parse(_ bytes: consuming [UInt8], line: Int) throws(RecordLineProblem) -> RecordLine {
        guard bytes.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{") else {
            return RecordLine(line: line, topic: Self.rawEventsTopic, key: nil, timestampMs: inherited(), value: bytes)
        }
        if let record = compactEnvelope(&bytes, line: line) { return record }
        return try parseInFull(bytes, line: line)
    }

    /// The rules in full, over the parsed line: every line `compactEnvelope` leaves,
    /// and the reference its fast path is tested against.
    mutating func parseInFull(_ bytes: [UInt8], line: Int) throws(RecordLineProblem) -> RecordLine {
        guard let object = Self.object(bytes) else {
            return RecordLine(line: line, topic: Self.rawEventsTopic, key: nil, timestampMs: inherited(), value: bytes)
        }
        guard case .string(let topic)? = object["topic"], object["value"] != nil || object["value_b64"] != nil else {
            let key = object["workspace_id"]?.stringValue
            return RecordLine(line: line, topic: Self.rawEventsTopic, key: key, timestampMs: inherited(), value: bytes)
        }
        return try envelope(object, topic: topic, line: line)
    }

    private mutating func envelope(_ object: JSONObject, topic: String, line: Int) throws(RecordLineProblem) -> RecordLine {
        if let unknown = object.keys.first(where: { !Self.envelopeMembers.contains($0) }) {
            throw RecordLineProblem("envelope has an unknown member \"\(unknown)\" (allowed: topic, key, timestamp_ms, value, value_b64)")
        }
        guard !topic.isEmpty else { throw RecordLineProblem("envelope \"topic\" is empty") }
        let key: String?
        switch object["key"] {
        case nil, .null?: key = nil
        case .string(let text)?: key = text
        case let other?: throw RecordLineProblem("envelope \"key\" must be a string or null, not \(other.typeName)")
        }
        let value: [UInt8]?
        switch (object["value"], object["value_b64"]) {
        case (.some, .some):
            throw RecordLineProblem("envelope has both \"value\" and \"value_b64\"; give exactly one")
        case (.null?, nil):
            value = nil
        case (let json?, nil):
            value = json.serializedBytes
        case (nil, .string(let text)?):
            guard let bytes = Base64.decode(text) else {
                throw RecordLineProblem("envelope \"value_b64\" is not valid standard base64")
            }
            value = bytes
        case (nil, let other?):
            throw RecordLineProblem("envelope \"value_b64\" must be a base64 string, not \(other.typeName)")
        case (nil, nil):
            preconditionFailure("an envelope has a value or value_b64 member")
        }
        let timestamp: Int64
        switch object["timestamp_ms"] {
        case nil:
            timestamp = inherited()
        case .number(let number)? where number.int64Value.map { $0 >= 0 } == true:
            timestamp = number.int64Value!
            previousTimestamp = timestamp
        case let other?:
            throw RecordLineProblem("envelope \"timestamp_ms\" must be a non-negative integer (ms since the epoch), not \(other.serialized)")
        }
        return RecordLine(line: line, topic: topic, key: key, timestampMs: timestamp, value: value)
    }

    private mutating func inherited() -> Int64 {
        if let previousTimestamp { return previousTimestamp }
        let first = now()
        previousTimestamp = first
        return first
    }

    /// The common envelope, read without building its `value`: members from the
    /// allowed set, none repeated, a non-empty string `topic`, and a `value` that
    /// is not `null` and whose bytes are already its compact serialization, so they
    /// are taken as they are: moved to the front of the line's own array, which
    /// becomes the value (no second array per line). Nil, with `bytes` untouched,
    /// sends the line down the general path, which gives the same record (or names
    /// the problem).
    private mutating func compactEnvelope(_ bytes: inout [UInt8], line: Int) -> RecordLine? {
        let scanned = bytes.withUnsafeBufferPointer {
            try? JSONParser.scanKnownMembers($0, keys: Self.envelopeKeys, into: &slots, fieldsOf: Slot.value,
                                             names: valueFields)
        }
        guard let scan = consume scanned, scan.otherCount == 0 else { return nil }
        let topicSlot = slots[Slot.topic], keySlot = slots[Slot.key], timestampSlot = slots[Slot.timestamp]
        let valueSlot = slots[Slot.value]
        guard topicSlot.count == 1, valueSlot.count == 1, keySlot.count <= 1, timestampSlot.count <= 1,
              slots[Slot.valueB64].count == 0, valueSlot.isCompact, !Self.isNull(bytes[valueSlot.range]),
              let topic = Self.simpleString(bytes[topicSlot.range]), !topic.isEmpty else { return nil }
        var key: String?
        if keySlot.count == 1, !Self.isNull(bytes[keySlot.range]) {
            guard let string = Self.simpleString(bytes[keySlot.range]) else { return nil }
            key = string
        }
        let timestampMs: Int64
        if timestampSlot.count == 1 {
            guard let number = Self.nonNegativeInteger(bytes[timestampSlot.range]) else { return nil }
            timestampMs = number
            previousTimestamp = number
        } else {
            timestampMs = inherited()
        }
        let value = valueSlot.range
        if value.lowerBound > 0 {
            bytes.withUnsafeMutableBufferPointer { line in
                _ = memmove(line.baseAddress!, line.baseAddress! + value.lowerBound, value.count)
            }
        }
        bytes.removeLast(bytes.count - value.count)
        return RecordLine(line: line, topic: topic, timestampMs: timestampMs, key: key, value: bytes,
                          valueFields: scan.nested)
    }

    /// The envelope's members' indices in `envelopeKeys`.
    private enum Slot {
        static let topic = 0, key = 1, timestamp = 2, value = 3, valueB64 = 4
    }

    /// A JSON string without escapes or non-ASCII bytes (checked by the scan), as text.
    private static func simpleString(_ text: ArraySlice<UInt8>) -> String? {
        text.withUnsafeBufferPointer { text -> String? in
            guard text.count >= 2, text[0] == UInt8(ascii: "\""), text[text.count - 1] == UInt8(ascii: "\"") else { return nil }
            let content = UnsafeBufferPointer(rebasing: text[1 ..< text.count - 1])
            guard Self.isPlainASCII(content) else { return nil }
            return String(checkedASCII: content)
        }
    }

    /// No byte is a backslash or non-ASCII: eight bytes at a time, then byte by byte.
    private static func isPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index &+ 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let backslash = word ^ (ones &* 0x5C)
            // A high bit of `word`, or of a byte of `backslash` that was zero.
            if (word | ((backslash &- ones) & ~backslash)) & highs != 0 { return false }
            index &+= 8
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") || bytes[index] >= 0x80 { return false }
            index &+= 1
        }
        return true
    }

    /// Whether `text` is the literal `null`.
    private static func isNull(_ text: ArraySlice<UInt8>) -> Bool {
        text.count == 4 && text.withUnsafeBufferPointer {
            $0[0] == UInt8(ascii: "n") && $0[1] == UInt8(ascii: "u") && $0[2] == UInt8(ascii: "l") && $0[3] == UInt8(ascii: "l")
        }
    }

    /// A JSON number (checked by the scan) that is a plain non-negative integer fitting in 64 bits.
    private static func nonNegativeInteger(_ text: ArraySlice<UInt8>) -> Int64? {
        text.withUnsafeBufferPointer { digits -> Int64? in
            guard !digits.isEmpty, digits.count <= 18 else { return nil }
            var number: Int64 = 0
            for byte in digits {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                number = number &* 10 &+ Int64(digit)
            }
            return number
        }
    }

    /// The line as a JSON object, or nil when it is not one.
    private static func object(_ bytes: [UInt8]) -> JSONObject? {
        guard bytes.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{") else { return nil }
        return try? JSONParser.parse(bytes).value.objectValue
    }
}

/// What is wrong with one line; `RecordFileReader` adds the source and line number.
public struct RecordLineProblem: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
