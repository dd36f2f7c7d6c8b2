import Governance
import JSON

/// A value `BinaryStateEncoder` writes directly instead of through `encode(to:)`:
/// the generic path builds an encoder object, a buffer and an entries array per
/// nested struct, which for the small value structs of the state maps (a rate
/// limiter's bucket, a contact's consent, a rate-limit key) cost more than the bytes.
/// An implementation must write exactly the bytes the generic path writes for its
/// synthesized `Codable` conformance (keys sorted by their UTF-8 bytes, a nil
/// optional left out as `encodeIfPresent` does): `BinaryStateEncodableTests`
/// compares the two for every conforming type. Decoding stays generic.
protocol BinaryStateEncodable {
    /// Appends this value's slot to `out`; strings in NFC when `canonicalStrings`.
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8])
}

/// Writes a keyed container whose entries `body` appends in key order, one `entry`
/// call each: the slot header is patched in once the payload's size is known.
struct BinaryKeyedWriter {
    private(set) var count = 0

    /// Appends `key` (ASCII, already in order) and the value slot `write` appends.
    mutating func entry(_ key: StaticString, into out: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        BinaryWire.writeVarint(UInt64(key.utf8CodeUnitCount), into: &out)
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        write(&out)
        count += 1
    }

    /// Appends `key` (any string, the entries in order of their UTF-8 bytes: a
    /// dictionary's) and the value slot `write` appends. Named apart from `entry`: a
    /// literal key would pick a `String` overload and be copied from a `String`.
    mutating func dictionaryEntry(_ key: String, into out: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        BinaryWire.writeVarint(UInt64(key.utf8.count), into: &out)
        out.append(contentsOf: key.utf8)
        write(&out)
        count += 1
    }

    /// Writes the container: `body` appends the entries; their count and the slot
    /// header go in front.
    static func write(into out: inout [UInt8], _ body: (inout BinaryKeyedWriter, inout [UInt8]) -> Void) {
        let headerAt = out.count
        // Header and count are one byte each for a payload under 127 bytes and fewer
        // than 128 entries; otherwise the placeholders are replaced below.
        out.append(0)
        out.append(0)
        let start = out.count
        var writer = BinaryKeyedWriter()
        body(&writer, &out)
        let entries = out.count - start
        let count = UInt64(writer.count)
        let payload = BinaryWire.varintSize(count) + entries
        if payload + 1 < 0x80, count < 0x80 {
            out[headerAt] = UInt8(payload + 1)
            out[headerAt + 1] = UInt8(count)
        } else {
            var prefix: [UInt8] = []
            BinaryWire.writeHeader(payload: payload, into: &prefix)
            BinaryWire.writeVarint(count, into: &prefix)
            out.replaceSubrange(headerAt..<start, with: prefix)
        }
    }
}

extension TokenBucket: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("lastUpdate", into: &out) { BinaryWire.writeSigned(lastUpdate, into: &$0) }
            writer.entry("milliTokens", into: &out) { BinaryWire.writeSigned(milliTokens, into: &$0) }
        }
    }
}

extension ContactConsent: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            if let analytics { writer.entry("analytics", into: &out) { BinaryWire.writeBool(analytics, into: &$0) } }
            if let functional { writer.entry("functional", into: &out) { BinaryWire.writeBool(functional, into: &$0) } }
            if let marketing { writer.entry("marketing", into: &out) { BinaryWire.writeBool(marketing, into: &$0) } }
            if let recordedAt { writer.entry("recordedAt", into: &out) { BinaryWire.writeSigned(recordedAt, into: &$0) } }
        }
    }
}

extension RateLimitKey: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("id", into: &out) { BinaryWire.writeString(canonicalStrings ? id.canonicalSpelling : id, into: &$0) }
            writer.entry("level", into: &out) { BinaryWire.writeString(level.rawValue, into: &$0) }
        }
    }
}

/// Synthesized: ids, times (a segment of the dedup window: the changelog's most frequent
/// map value, up to 512 ids each).
extension DedupSegment: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("ids", into: &out) { out in
                BinaryUnkeyedWriter.write(count: ids.count, into: &out) { out in
                    for id in ids { BinaryWire.writeString(id.spelled(canonical: canonicalStrings), into: &out) }
                }
            }
            writer.entry("times", into: &out) { out in
                BinaryUnkeyedWriter.write(count: times.count, into: &out) { out in
                    for time in times { BinaryWire.writeSigned(time, into: &out) }
                }
            }
        }
    }
}

/// Writes an unkeyed container of `count` elements whose slots `body` appends in order:
/// as `BinaryKeyedWriter.write`, the header goes in front once the size is known.
enum BinaryUnkeyedWriter {
    static func write(count: Int, into out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        let headerAt = out.count
        out.append(0)
        BinaryWire.writeVarint(UInt64(count), into: &out)
        let start = out.count
        body(&out)
        let payload = BinaryWire.varintSize(UInt64(count)) + out.count - start
        if payload + 1 < 0x80 {
            out[headerAt] = UInt8(payload + 1)
        } else {
            var header: [UInt8] = []
            BinaryWire.writeHeader(payload: payload, into: &header)
            out.replaceSubrange(headerAt..<headerAt + 1, with: header)
        }
    }
}

/// Arrays of fast-path values (a contact's holds, a time bucket's entries): the
/// generic path writes them as an unkeyed container of their elements' slots.
extension Array: BinaryStateEncodable where Element: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryUnkeyedWriter.write(count: count, into: &out) { out in
            for element in self { element.writeBinaryState(canonicalStrings: canonicalStrings, into: &out) }
        }
    }
}

extension ConsentCategory: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryWire.writeString(canonicalStrings ? rawValue.canonicalSpelling : rawValue, into: &out)
    }
}

extension Origin: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("offset", into: &out) { BinaryWire.writeSigned(offset, into: &$0) }
            writer.entry("partition", into: &out) { BinaryWire.writeSigned(Int64(partition), into: &$0) }
            writer.entry("topic", into: &out) { BinaryWire.writeString(canonicalStrings ? topic.canonicalSpelling : topic, into: &$0) }
        }
    }
}

extension HeldRecord: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            if let key { writer.entry("key", into: &out) { BinaryWire.writeString(canonicalStrings ? key.canonicalSpelling : key, into: &$0) } }
            writer.entry("origin", into: &out) { origin.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("timestamp", into: &out) { BinaryWire.writeSigned(timestamp, into: &$0) }
            // Base64 is ASCII: its canonical spelling is itself.
            writer.entry("value", into: &out) { BinaryWire.writeString(Base64.encode(value), into: &$0) }
        }
    }
}

extension HeldEvent: BinaryStateEncodable where Payload: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("category", into: &out) { category.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("heldAt", into: &out) { BinaryWire.writeSigned(heldAt, into: &$0) }
            writer.entry("id", into: &out) { BinaryWire.writeSigned(id, into: &$0) }
            writer.entry("payload", into: &out) { payload.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
        }
    }
}

extension HeldEvents: BinaryStateEncodable where Payload: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("holds", into: &out) { holds.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
        }
    }
}

/// A hold-expiry or identified-expiry bucket's entry (a contact and its time).
extension TimeBucketQueue.Entry: BinaryStateEncodable where Element == String {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("element", into: &out) { BinaryWire.writeString(canonicalStrings ? element.canonicalSpelling : element, into: &$0) }
            writer.entry("time", into: &out) { BinaryWire.writeSigned(time, into: &$0) }
        }
    }
}

/// A map the changelog writes entry by entry (`TrackedMap`): a state's scalars (the
/// core, `.omitTrackedMapContents`) hold it as an empty dictionary.
protocol CheckpointedMap {}
extension TrackedMap: CheckpointedMap {}
